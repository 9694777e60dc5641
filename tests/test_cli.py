from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from integrity_check.cli import main

ROOT = Path(__file__).resolve().parents[1]
PAPERS = ROOT / "fixtures" / "papers"
BAD = "Table 1 | Outcomes.\n\tOutcome\n\tArm A (n=38)\n\tArm B (n=38)\n\n\tORR\n\t26 (68.9)\n\t18 (47.4)\n"
GOOD = "Table 1 | Outcomes.\n\tOutcome\n\tArm A (n=38)\n\tArm B (n=38)\n\n\tORR\n\t26 (68.4)\n\t18 (47.4)\n"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_exit_0_when_clean(tmp_path):
    p = tmp_path / "good.txt"
    p.write_text(GOOD)
    result = run("scan", p)
    assert result.exit_code == 0, result.output
    assert "no inconsistencies found" in result.output


def test_exit_1_on_error_findings_and_fail_on(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_text(BAD)
    assert run("scan", p).exit_code == 1
    assert run("scan", p, "--fail-on", "never").exit_code == 0
    assert run("scan", p, "--ignore", "PCT").exit_code == 0
    assert run("scan", p, "--select", "PCT004").exit_code == 0


def test_json_contract(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_text(BAD)
    result = run("scan", p, "--format", "json", "--fail-on", "never")
    data = json.loads(result.output)
    assert data["schema_version"] == 1
    assert data["tool"]["name"] == "integrity-check"
    assert set(data["summary"]) >= {"error", "warning", "note", "significance_flips", "facts"}
    f = data["findings"][0]
    assert set(f) >= {"code", "name", "severity", "confidence", "significance_flip", "message", "evidence",
                      "reported", "recomputed", "tolerance"}
    assert f["evidence"][0]["quote"] == "26 (68.9)"
    assert set(f["evidence"][0]) >= {"quote", "page", "char_start", "char_end", "bbox", "table", "row", "col"}


def test_exit_2_on_usage_and_config_errors(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_text(BAD)
    assert run("scan", tmp_path / "missing.pdf").exit_code == 2
    assert run("scan", p, "--pack", "nonexistent").exit_code == 2
    assert run("scan", p, "--select", "XYZ").exit_code == 2
    bad_pack = tmp_path / "pack.toml"
    bad_pack.write_text("[rules.PCT004]\nmin_impossible = 'three'\n")
    result = run("scan", p, "--pack", bad_pack)
    assert result.exit_code == 2 and "min_impossible" in result.output


def test_unreadable_single_file_is_one_line_exit_2(tmp_path):
    p = tmp_path / "fake.pdf"
    p.write_text("<xml>not a pdf</xml>")
    result = run("scan", p)
    assert result.exit_code == 2
    assert "not a PDF" in result.output and "Traceback" not in result.output


def test_folder_scan_writes_reports_and_flags_bad_file(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD)
    (folder / "empty.pdf").write_bytes(b"")
    out = tmp_path / "out"
    result = run("scan", folder, "-o", out)
    assert result.exit_code == 1  # a file could not be read
    for name in ("index.html", "findings.csv", "findings.jsonl", "good.html", "good.json", "empty.json"):
        assert (out / name).exists(), name
    # rerun into our own folder is allowed
    assert run("scan", folder, "-o", out).exit_code == 1


def test_never_overwrites_foreign_files(tmp_path):
    p = tmp_path / "good.txt"
    p.write_text(GOOD)
    mine = tmp_path / "notes.html"
    mine.write_text("<p>my own notes</p>")
    result = run("scan", p, "-o", mine)
    assert result.exit_code == 2
    assert mine.read_text() == "<p>my own notes</p>"
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "thesis.docx").write_text("x")
    assert run("scan", p, tmp_path / "good.txt", "-o", folder).exit_code == 2
    # a report we wrote may be replaced
    out = tmp_path / "r.json"
    assert run("scan", p, "-o", out).exit_code == 0
    assert run("scan", p, "-o", out).exit_code == 0


def test_rules_and_rule_commands():
    result = run("rules")
    assert "PCT001" in result.output and "PCT004" in result.output
    result = run("rule", "pct001")
    assert "What it checks" in result.output
    assert run("rule", "XYZ999").exit_code == 2


def test_extract_dumps_facts():
    result = run("extract", PAPERS / "example_trial.txt")
    data = json.loads(result.output)
    assert data["facts"]["proportions"]
    assert all(p["quote"] for p in data["facts"]["proportions"])


def test_console_script_without_traceback(tmp_path):
    p = tmp_path / "fake.pdf"
    p.write_bytes(b"%PDF-1.4 truncated")
    proc = subprocess.run([sys.executable, "-m", "integrity_check.cli", "scan", str(p)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_single_file_into_a_folder_and_unknown_suffix(tmp_path):
    p = tmp_path / "good.txt"
    p.write_text(GOOD)
    out = tmp_path / "reports"
    assert run("scan", p, "-o", out).exit_code == 0
    assert (out / "good.html").exists() and (out / "index.html").exists()
    result = run("scan", p, "-o", tmp_path / "report.pdf")
    assert result.exit_code == 2 and "cannot tell the report format" in result.output
    assert not (tmp_path / "report.pdf").exists()
