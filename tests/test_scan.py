"""Folder scans: worker processes, the result cache, time and page limits, bad inputs, Ctrl-C."""
from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from integrity_check.cache import CACHE_NAME, ResultCache, file_sha256
from integrity_check.cli import main
from integrity_check.scanner import atomic_write, check_path_bounded, failure, report_names

from .conftest import CORPUS

ROOT = Path(__file__).resolve().parents[1]
PAPERS = ROOT / "fixtures" / "papers"
BAD = "Table 1 | Outcomes.\n\tOutcome\n\tArm A (n=38)\n\tArm B (n=38)\n\n\tORR\n\t26 (68.9)\n\t18 (47.4)\n"
GOOD = "Table 1 | Outcomes.\n\tOutcome\n\tArm A (n=38)\n\tArm B (n=38)\n\n\tORR\n\t26 (68.4)\n\t18 (47.4)\n"


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, env=env)


def stderr_lines(result) -> list[str]:
    return [ln for ln in result.stderr.splitlines() if ln.strip()]


def make_pdf(path: Path, pages: int = 1, size=(595, 842), source: Path | None = None) -> Path:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    if source is not None:
        src = pdfium.PdfDocument(str(source))
        for _ in range(pages):
            doc.import_pages(src, [0])
    else:
        for _ in range(pages):
            doc.new_page(*size)
    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(buf.getvalue())
    return path


@pytest.fixture()
def folder(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a_good.txt").write_text(GOOD)
    (d / "b_bad.txt").write_text(BAD)
    (d / "c_trial.pdf").write_bytes((PAPERS / "example_trial.pdf").read_bytes())
    return d


def test_parallel_scan_then_cached_rerun_and_grown_folder(folder, tmp_path):
    out = tmp_path / "out"
    first = run("scan", folder, "-o", out, "--jobs", "2")
    assert first.exit_code == 1, first.output  # b_bad has an error
    for name in ("index.html", "findings.csv", "findings.jsonl", "a_good.json", "b_bad.html", "c_trial.json", CACHE_NAME):
        assert (out / name).exists(), name
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.json")}
    trial = json.loads((out / "c_trial.json").read_text())
    assert trial["document"]["pages"] == 5 and trial["findings"]

    second = run("scan", folder, "-o", out, "--jobs", "2")
    assert second.exit_code == 1
    assert "(3 from cache)" in second.stderr
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.json")} == before  # nothing rewritten
    assert json.loads((out / "c_trial.json").read_text()) == trial

    (folder / "d_new.txt").write_text(GOOD + "\nA new paper.\n")  # a grown folder: only the new file is checked
    third = run("scan", folder, "-o", out, "--jobs", "2")
    assert "(3 from cache)" in third.stderr and (out / "d_new.json").exists()
    (folder / "a_good.txt").write_text(BAD + "\nChanged.\n")  # a changed file is checked again
    fourth = run("scan", folder, "-o", out)
    assert "(3 from cache)" in fourth.stderr
    assert json.loads((out / "a_good.json").read_text())["summary"]["error"] >= 1
    (folder / "e_copy.txt").write_text(BAD)  # same bytes as b_bad: the cached result is reused under its own path
    fifth = run("scan", folder, "-o", out)
    assert "(5 from cache)" in fifth.stderr
    assert json.loads((out / "e_copy.json").read_text())["document"]["path"] == str(folder / "e_copy.txt")
    assert "from cache" not in run("scan", folder, "-o", out, "--no-cache").stderr
    # another rule pack is another cache key
    assert "from cache" not in run("scan", folder, "-o", out, "--select", "PCT").stderr
    lines = (out / "findings.jsonl").read_text().splitlines()
    assert all(json.loads(ln)["code"].startswith("PCT") for ln in lines)


def test_cached_results_equal_fresh_results(folder, tmp_path):
    run("scan", folder, "-o", tmp_path / "o1", "--jobs", "2")
    run("scan", folder, "-o", tmp_path / "o1", "--jobs", "2")
    run("scan", folder, "-o", tmp_path / "o2", "--no-cache")
    assert (tmp_path / "o1" / "findings.jsonl").read_text() == (tmp_path / "o2" / "findings.jsonl").read_text()


def test_bad_inputs_each_one_problem_and_one_stderr_line(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(GOOD)
    (d / "empty.pdf").write_bytes(b"")
    (d / "fake.pdf").write_text("<?xml version='1.0'?><TEI>not a pdf</TEI>")
    trial = (PAPERS / "example_trial.pdf").read_bytes()
    (d / "truncated.pdf").write_bytes(trial[: len(trial) // 3])
    (d / "garbage.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(4000))
    make_pdf(d / "scanned.pdf", pages=2)  # pages without a text layer
    make_pdf(d / "huge_page.pdf", pages=1, size=(14400, 14400))
    make_pdf(d / "long.pdf", pages=60, source=PAPERS / "example_trial.pdf")
    (d / "latin1.txt").write_bytes("Résultats: 26 (68.4%) of 38 patients; caf\xe9".encode("latin-1"))
    (d / "folder.pdf").mkdir()  # a directory with a PDF name (unreadable)
    (d / "dangling.pdf").symlink_to(d / "missing-target.pdf")  # a broken symlink
    out = tmp_path / "out"
    result = run("scan", d, "-o", out, "--max-pages", "20", "--jobs", "2")
    assert "Traceback" not in result.output
    assert result.exit_code == 1
    expected_kind = {"empty": "empty", "fake": "not-a-pdf", "truncated": None, "garbage": None,
                     "scanned": "no-text-layer", "long": "page-limit", "folder": "unreadable", "dangling": "unreadable"}
    lines = stderr_lines(result)
    for name, kind in expected_kind.items():
        report = json.loads((out / f"{name}.json").read_text())
        problem = failure(report)
        assert problem is not None, name
        if kind:
            assert problem["kind"] == kind, (name, report["problems"])
        assert sum(f"/{name}.pdf:" in ln for ln in lines) == 1, (name, lines)
    for name in ("good", "latin1", "huge_page"):
        report = json.loads((out / f"{name}.json").read_text())
        assert failure(report) is None or name == "huge_page", (name, report["problems"])
        assert not any(f"/{name}." in ln for ln in lines if "no-text-layer" not in ln) or name == "huge_page"
    assert json.loads((out / "latin1.json").read_text())["problems"][0]["kind"] == "not-utf8"
    # one line per failed file, plus the summary line
    assert len(lines) == len(expected_kind) + 1 + 1, lines  # huge_page is blank too: no-text-layer
    assert "not checked" in lines[-1]


@pytest.mark.skipif(not (CORPUS / "odd" / "pdfplumber_password-example.pdf").exists(), reason="../shared is absent")
def test_encrypted_pdf_problem_and_password(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "locked.pdf").symlink_to(CORPUS / "odd" / "pdfplumber_password-example.pdf")
    (d / "good.txt").write_text(GOOD)
    result = run("scan", d, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert json.loads((tmp_path / "out" / "locked.json").read_text())["problems"][0]["kind"] == "encrypted"
    assert "--password" in result.stderr
    result = run("scan", d, "-o", tmp_path / "out", "--password", "test")
    assert result.exit_code == 0, result.stderr
    assert failure(json.loads((tmp_path / "out" / "locked.json").read_text())) is None


def test_all_files_unreadable_is_exit_2(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.pdf").write_bytes(b"")
    (d / "b.pdf").write_text("hello")
    assert run("scan", d, "-o", tmp_path / "out").exit_code == 2


def test_timeout_kills_and_replaces_the_worker(folder, tmp_path):
    (folder / "b_slow.txt").write_text(GOOD)
    out = tmp_path / "out"
    started = time.monotonic()
    result = run("scan", folder, "-o", out, "--timeout", "3", "--jobs", "1",
                 env={"INTEGRITY_CHECK_FAULT": "hang:b_slow"})
    assert time.monotonic() - started < 60
    assert result.exit_code == 1
    slow = json.loads((out / "b_slow.json").read_text())
    assert slow["problems"][0]["kind"] == "timeout"
    # the files after it were checked by a fresh worker
    assert failure(json.loads((out / "c_trial.json").read_text())) is None
    assert sum("b_slow" in ln for ln in stderr_lines(result)) == 1
    # a timeout is not cached: the rerun tries again (and succeeds without the fault)
    again = run("scan", folder, "-o", out)
    assert failure(json.loads((out / "b_slow.json").read_text())) is None
    assert "(4 from cache)" in again.stderr


def test_crashing_worker_is_one_problem(folder, tmp_path):
    out = tmp_path / "out"
    result = run("scan", folder, "-o", out, "--jobs", "2", env={"INTEGRITY_CHECK_FAULT": "crash:b_bad"})
    assert result.exit_code == 1
    report = json.loads((out / "b_bad.json").read_text())
    assert report["problems"][0]["kind"] == "worker-crashed"
    assert failure(json.loads((out / "c_trial.json").read_text())) is None


def test_single_file_timeout_in_process(tmp_path, monkeypatch):
    import integrity_check.scanner as scanner
    from integrity_check.config import load_config

    def slow(*args, **kwargs):
        time.sleep(30)

    monkeypatch.setattr(scanner, "check_path", slow)
    p = tmp_path / "x.txt"
    p.write_text(GOOD)
    started = time.monotonic()
    report, _ = check_path_bounded(str(p), load_config(), timeout=0.5)
    assert time.monotonic() - started < 10
    assert report["problems"][0]["kind"] == "timeout" and report["unreadable"]


def test_interrupt_leaves_complete_files_and_rerun_continues(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for name in ("a", "b"):
        (d / f"{name}.txt").write_text(BAD)
    (d / "c_hang.txt").write_text(GOOD)
    (d / "d.txt").write_text(GOOD)
    out = tmp_path / "out"
    env = dict(os.environ, INTEGRITY_CHECK_FAULT="hang:c_hang", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "integrity_check.cli", "scan", str(d), "-o", str(out), "--jobs", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=str(tmp_path))
    deadline = time.monotonic() + 60
    while not (out / "b.json").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "run the same command again" in err
    assert not list(out.glob(".*.tmp-*"))
    for f in out.glob("*.json"):
        json.loads(f.read_text())  # every report file is complete
    assert not (out / "index.html").exists()
    result = run("scan", d, "-o", out)
    assert "(2 from cache)" in result.stderr
    assert (out / "index.html").exists() and (out / "d.json").exists()


def test_sigterm_is_handled_like_ctrl_c(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(GOOD)
    (d / "b_hang.txt").write_text(GOOD)
    out = tmp_path / "out"
    env = dict(os.environ, INTEGRITY_CHECK_FAULT="hang:b_hang", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "integrity_check.cli", "scan", str(d), "-o", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=str(tmp_path))
    deadline = time.monotonic() + 60
    while not (out / "a.json").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    proc.terminate()
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "Traceback" not in err
    assert not list(out.glob(".*.tmp-*"))


def test_atomic_write_leaves_no_temp_file_on_failure(tmp_path):
    target = tmp_path / "r.json"
    target.write_text("old")

    class Boom(str):
        def __str__(self):
            raise KeyboardInterrupt

    with pytest.raises(TypeError):
        atomic_write(target, 12345)  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_report_names_are_stable_and_unique(tmp_path):
    files = [tmp_path / "x.pdf", tmp_path / "x.txt", tmp_path / "sub" / "x.pdf", tmp_path / "a b.pdf"]
    assert report_names(files) == ["x", "x-2", "sub__x", "a_b"]


def test_cache_roundtrip(tmp_path):
    p = tmp_path / "f.txt"
    p.write_text("abc")
    assert file_sha256(p) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert file_sha256(tmp_path) is None and file_sha256(tmp_path / "missing") is None
    with ResultCache(tmp_path) as cache:
        assert cache.get("k") is None
        cache.record("k", "sha", {"a": 1}, b"x", "name", "path")
        assert cache.get("k") == {"a": 1} and cache.written_as("name") == ("k", "path")


def test_dask_without_dask_installed_is_a_usage_error(tmp_path, monkeypatch, folder):
    import builtins

    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name.startswith("dask"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    result = run("scan", folder, "-o", tmp_path / "out", "--executor", "dask")
    assert result.exit_code == 2 and "pip install" in result.stderr


def test_cross_paper_passages_reach_each_papers_report(tmp_path):
    """DUP002: a long paragraph shared by two papers is reported in both papers' JSON and in the
    index; a byte-identical copy of a file is the same paper, not a second one sharing text."""
    from click.testing import CliRunner

    from integrity_check.cli import main

    shared = ("Participants completed a structured interview about their dietary habits, physical activity, sleep "
              "duration and screen time during the preceding four weeks, administered by trained research nurses who "
              "were unaware of group allocation and who followed a written protocol with standard prompts for every item.")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text("Methods\n\n" + shared + "\n\nResults were mixed across the two sites.\n")
    (folder / "two.txt").write_text("Study design\n\n" + shared + "\n\nNo adverse events were recorded in this cohort.\n")
    (folder / "copy.txt").write_text((folder / "two.txt").read_text())
    out = tmp_path / "out"
    CliRunner().invoke(main, ["scan", str(folder), "-o", str(out), "--fail-on", "never"], catch_exceptions=False)
    codes = {name: [f["code"] for f in json.loads((out / f"{name}.json").read_text())["findings"]]
             for name in ("one", "two", "copy")}
    assert "DUP002" in codes["one"]
    assert ("DUP002" in codes["two"]) != ("DUP002" in codes["copy"])  # one of the identical pair, not both
    assert "also appears in" in (out / "index.html").read_text() or "DUP002" in (out / "findings.jsonl").read_text()
