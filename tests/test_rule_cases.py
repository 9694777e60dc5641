"""Runs every case of fixtures/rules/CODE.toml: extraction, then only that rule."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from integrity_check.checks import ALL_RULES, RuleContext
from integrity_check.extract import extract_facts
from integrity_check.ingest.text import document_from_string

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"
ENGINE_ONLY = {"INT001", "DUP002"}  # emitted by the engine (INT001, test_engine) or the batch step (DUP002, test_duplicates)


def _cases():
    for path in sorted(FIXTURES.glob("*.toml")):
        code = path.stem
        for case in tomllib.loads(path.read_text(encoding="utf-8"))["cases"]:
            marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
            yield pytest.param(code, case, id=f"{code}-{case['id']}", marks=marks)


@pytest.mark.parametrize("code,case", list(_cases()))
def test_rule_case(code, case):
    assert code in ALL_RULES, f"fixture file for unknown rule {code}"
    assert case["id"].split("_")[0] in ("fail", "pass", "todo"), case["id"]
    doc = document_from_string(case["text"], path=f"<{code}:{case['id']}>")
    facts = extract_facts(doc)
    info = ALL_RULES[code]
    options = {**info.options, **case.get("options", {})}
    findings = list(info.check(doc, facts, RuleContext(options=options, alpha=case.get("alpha", 0.05))))
    assert sorted({f.code for f in findings}) == sorted(set(case["expect"])), [f.message for f in findings]
    if case.get("quote"):
        assert findings[0].evidence[0].quote == case["quote"], findings[0].evidence[0].quote
    for f in findings:
        for ev in f.evidence:
            assert doc.text[ev.char_start:ev.char_end] == ev.quote


def test_every_rule_has_fail_and_pass_cases():
    missing = []
    for code in ALL_RULES:
        if code in ENGINE_ONLY:
            continue
        path = FIXTURES / f"{code}.toml"
        if not path.exists():
            missing.append(f"{code}: no fixture file")
            continue
        ids = [c["id"] for c in tomllib.loads(path.read_text(encoding="utf-8"))["cases"]]
        if not any(i.startswith("fail_") for i in ids) or not any(i.startswith("pass_") for i in ids):
            missing.append(f"{code}: needs a fail_ and a pass_ case")
    assert not missing, missing
