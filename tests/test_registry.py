from __future__ import annotations

import pytest

from integrity_check.checks import ALL_RULES
from integrity_check.checks.base import CODE, DOC_HEADINGS
from integrity_check.config import ConfigError, available_packs, load_config


@pytest.mark.parametrize("code", list(ALL_RULES))
def test_rule_documentation_has_the_headings(code):
    info = ALL_RULES[code]
    assert CODE.match(code)
    assert info.doc.startswith(f"{code} {info.name}")
    for heading in DOC_HEADINGS:
        assert f"\n{heading}\n" in info.doc, f"{code}: missing heading {heading!r}"


def test_packs_load_and_validate():
    assert {"default", "clinical", "apa"} <= set(available_packs())
    for name in available_packs():
        load_config(name)
    cfg = load_config("default", select=["PCT"], ignore=["PCT004"])
    assert cfg.enabled("PCT001") and not cfg.enabled("PCT004")
    cfg = load_config("default", select=["PCT004"])
    assert cfg.enabled("PCT004") and not cfg.enabled("PCT001")


def test_longest_prefix_wins():
    cfg = load_config("default", ignore=["PCT"])
    cfg.select = ["ALL", "PCT00"]
    assert cfg.enabled("PCT001")
    cfg.ignore = ["PCT001"]
    assert not cfg.enabled("PCT001") and cfg.enabled("PCT002")


def test_bad_options_are_rejected(tmp_path):
    for body, word in [("[rules.PCT004]\nsevere = 'x'\n", "no option"),
                       ("[rules.PCT004]\nseverity = 'fatal'\n", "severity"),
                       ("[rules.XYZ001]\n", "unknown rule"),
                       ("[settings]\nalpha = 2\n", "alpha"),
                       ("[settings]\nrounding = 'up'\n", "rounding"),
                       ("[bogus]\n", "unknown section")]:
        p = tmp_path / "p.toml"
        p.write_text(body)
        with pytest.raises(ConfigError, match=word):
            load_config(p)


def test_severity_override(tmp_path):
    from integrity_check.api import check_document
    from integrity_check.ingest.text import document_from_string

    p = tmp_path / "p.toml"
    p.write_text("[pack]\nextends = 'default'\n[rules.PCT001]\nseverity = 'warning'\n")
    doc = document_from_string("Overall, 26/38 (68.9%) patients responded.")
    report = check_document(doc, load_config(p))
    assert [f["severity"] for f in report["findings"] if f["code"] == "PCT001"] == ["warning"]


def test_crashing_rule_becomes_one_int001_note(monkeypatch):
    from integrity_check.api import check_document
    from integrity_check.checks import base
    from integrity_check.ingest.text import document_from_string

    def boom(doc, facts, ctx):
        raise ZeroDivisionError("division by zero")

    info = ALL_RULES["PCT003"]
    monkeypatch.setitem(ALL_RULES, "PCT003", base.RuleInfo(info.code, info.name, info.severity, info.family, info.doc, info.options, boom))
    doc = document_from_string("Overall, 26/38 (68.9%) patients responded.")
    report = check_document(doc)
    codes = [f["code"] for f in report["findings"]]
    assert codes.count("INT001") == 1 and "PCT001" in codes
    assert "PCT003" in next(f["message"] for f in report["findings"] if f["code"] == "INT001")
