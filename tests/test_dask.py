"""The Dask executor gives the same reports, findings and cache as the local one (LocalCluster, 2 workers)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("dask.distributed")

from integrity_check.cli import rule_docs  # noqa: E402
from integrity_check.config import load_config  # noqa: E402
from integrity_check.scanner import BatchOptions, run_batch  # noqa: E402

from .conftest import SEED  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PAPERS = ROOT / "fixtures" / "papers"
BAD = "Table 1 | Outcomes.\n\tOutcome\n\tArm A (n=38)\n\tArm B (n=38)\n\n\tORR\n\t26 (68.9)\n\t18 (47.4)\n"


def _inputs(tmp_path: Path) -> list[Path]:
    d = tmp_path / "in"
    d.mkdir()
    (d / "bad.txt").write_text(BAD)
    (d / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    for name in ("example_trial.pdf", "example_trial.txt", "example_clean.txt"):
        (d / name).symlink_to(PAPERS / name)
    if (SEED / "crlm_bevacizumab.pdf").exists():
        (d / "seed.pdf").symlink_to(SEED / "crlm_bevacizumab.pdf")
    return sorted(d.iterdir())


def _outputs(outdir: Path) -> dict[str, dict]:
    out = {}
    for f in sorted(outdir.glob("*.json")):
        report = json.loads(f.read_text())
        report.pop("timing", None)
        out[f.name] = report
    return out


def test_dask_local_cluster_matches_local_executor(tmp_path):
    from dask.distributed import Client, LocalCluster

    files = _inputs(tmp_path)
    config = load_config()
    docs = rule_docs()
    local = run_batch(files, tmp_path / "local", BatchOptions(config=config, jobs=2), docs)

    # An existing cluster, reached through its scheduler address (threads; the checks run in
    # killable worker processes that each Dask worker starts).
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        dask_result = run_batch(files, tmp_path / "dask",
                                BatchOptions(config=config, executor="dask", scheduler=cluster.scheduler_address),
                                docs)
        with Client(cluster) as client:  # both workers took part or at least were available
            assert len(client.scheduler_info()["workers"]) == 2

    assert dask_result.files == local.files == len(files)
    assert dask_result.failed == local.failed == 1  # broken.pdf
    assert _outputs(tmp_path / "dask") == _outputs(tmp_path / "local")
    assert (tmp_path / "dask" / "findings.jsonl").read_text() == (tmp_path / "local" / "findings.jsonl").read_text()
    assert (tmp_path / "dask" / "findings.csv").read_text() == (tmp_path / "local" / "findings.csv").read_text()

    # The cache is shared between executors: a rerun with the local executor has nothing to do.
    again = run_batch(files, tmp_path / "dask", BatchOptions(config=config, jobs=2), docs)
    assert again.from_cache == len(files) and again.checked == 0  # a corrupt file is a property of its bytes: cached


def test_cli_executor_dask_starts_a_local_cluster(tmp_path):
    from click.testing import CliRunner

    from integrity_check.cli import main

    files = _inputs(tmp_path)
    result = CliRunner().invoke(main, ["scan", str(files[0].parent), "-o", str(tmp_path / "out"), "--executor", "dask",
                                       "--jobs", "2"], catch_exceptions=False)
    assert result.exit_code == 1  # broken.pdf could not be read; bad.txt has errors
    assert "broken.pdf" in result.stderr and "Traceback" not in result.output
    assert (tmp_path / "out" / "index.html").exists()


def test_unreachable_scheduler_is_one_line_exit_2(tmp_path):
    from click.testing import CliRunner

    from integrity_check.cli import main

    files = _inputs(tmp_path)
    result = CliRunner().invoke(main, ["scan", str(files[0].parent), "-o", str(tmp_path / "out"),
                                       "--scheduler", "tcp://127.0.0.1:9"], catch_exceptions=False)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "scheduler" in result.stderr
