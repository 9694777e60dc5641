"""Fuzzing the scan: random and mutated PDFs and texts never raise, and always give a report."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integrity_check.config import load_config
from integrity_check.scanner import check_path

from .conftest import SEED

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "fixtures" / "papers" / "example_trial.pdf", ROOT / "fixtures" / "papers" / "example_clean.pdf"]
if (SEED / "crlm_bevacizumab.pdf").exists():
    SOURCES.append(SEED / "crlm_bevacizumab.pdf")
PDF_BYTES = [p.read_bytes() for p in SOURCES]
CONFIG = load_config()
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                         HealthCheck.too_slow])


def _assert_report(report: dict) -> None:
    assert report["schema_version"] == 1
    assert isinstance(report["findings"], list) and isinstance(report["problems"], list)
    if report.get("unreadable"):
        assert report["problems"] and report["problems"][0]["message"]
    json.dumps(report)  # serializable


@st.composite
def mutated_pdf(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(PDF_BYTES)))
    how = draw(st.sampled_from(["truncate", "flip", "splice", "zero-run", "header-only"]))
    if how == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif how == "flip":
        for _ in range(draw(st.integers(1, 64))):
            i = draw(st.integers(0, len(data) - 1))
            data[i] = draw(st.integers(0, 255))
    elif how == "splice":
        other = draw(st.sampled_from(PDF_BYTES))
        a = draw(st.integers(0, len(data)))
        b = draw(st.integers(0, len(other)))
        data = data[:a] + other[b:]
    elif how == "zero-run":
        a = draw(st.integers(0, len(data) - 1))
        n = draw(st.integers(1, 4096))
        data[a:a + n] = bytes(min(n, len(data) - a))
    else:
        data = bytearray(b"%PDF-1." + draw(st.binary(max_size=2000)))
    return bytes(data)


@FUZZ
@given(data=mutated_pdf())
def test_mutated_pdfs_never_raise(tmp_path_factory, data):
    p = tmp_path_factory.mktemp("fuzz") / "m.pdf"
    p.write_bytes(data)
    report, _ = check_path(str(p), CONFIG)
    _assert_report(report)


@FUZZ
@given(data=st.binary(max_size=5000), suffix=st.sampled_from([".pdf", ".txt", ".md", ".html"]))
def test_random_bytes_never_raise(tmp_path_factory, data, suffix):
    p = tmp_path_factory.mktemp("fuzz") / f"r{suffix}"
    p.write_bytes(data)
    report, _ = check_path(str(p), CONFIG)
    _assert_report(report)


TOKENS = list("0123456789.,;:()[]%=<>±−-–+ \t\nnNpPtFχ²rRHOCI×·|") + [
    "Table 1 | ", "\t", "\n\n", " (n = ", "p = ", "t(", "HR ", "95% CI ", "Arm A (n=38)", "26 (68.9)"]
NUMBERY = st.lists(st.sampled_from(TOKENS), max_size=300).map("".join)


@FUZZ
@given(text=st.one_of(st.text(max_size=2000), NUMBERY), encoding=st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252"]))
def test_random_texts_never_raise(tmp_path_factory, text, encoding):
    p = tmp_path_factory.mktemp("fuzz") / "t.txt"
    p.write_bytes(text.encode(encoding, errors="replace"))
    report, _ = check_path(str(p), CONFIG)
    _assert_report(report)


def test_folder_of_mutants_through_the_cli(tmp_path):
    """The whole batch path (workers, cache, reports) on a fixed set of mutants: reports, no traceback."""
    from integrity_check.cli import main

    rng = random.Random(6)
    d = tmp_path / "in"
    d.mkdir()
    for i in range(10):
        data = bytearray(rng.choice(PDF_BYTES))
        if i % 3 == 0:
            data = data[: rng.randrange(len(data))]
        else:
            for _ in range(rng.randrange(1, 200)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        (d / f"m{i}.pdf").write_bytes(bytes(data))
    (d / "noise.txt").write_bytes(bytes(rng.randrange(256) for _ in range(3000)))
    result = CliRunner().invoke(main, ["scan", str(d), "-o", str(tmp_path / "out"), "--jobs", "2", "--timeout", "60"],
                                catch_exceptions=False)
    assert result.exit_code in (0, 1, 2)
    assert "Traceback" not in result.output
    for f in d.iterdir():
        _assert_report(json.loads((tmp_path / "out" / f"{f.stem}.json").read_text()))


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__, "-q"])
