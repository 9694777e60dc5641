"""Extraction of ratio estimates (prose) and regression-table rows, and the HZR/DUP rules on the seed."""
from __future__ import annotations

from pathlib import Path

import pytest

from integrity_check.checks import ALL_RULES, RuleContext
from integrity_check.extract import extract_facts
from integrity_check.extract.ratios import parse_ci_cell, parse_p_cell, parse_ratio_cell, prose_ratios
from integrity_check.ingest.text import document_from_string

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "fixtures" / "seed"


@pytest.mark.parametrize("text,expected", [
    ("HR = 0.426, 95% CI: 0.231–0.787, P = 0.006", ("HR", "0.426", "0.231", "0.787", "95", "=", "0.006")),
    ("(Hazard Ratio [HR] = 0.426, 95% Confidence Interval [CI]: 0.231–0.787, P = 0.006)",
     ("HR", "0.426", "0.231", "0.787", "95", "=", "0.006")),
    ("the HR was 0.43 (0.23 to 0.79)", ("HR", "0.43", "0.23", "0.79", None, "=", None)),
    ("OR = 1.5 (1.1, 2.1)", ("OR", "1.5", "1.1", "2.1", None, "=", None)),
    ("RR = 1.12, 95% CI: 0.87~1.44, P = 0.38", ("RR", "1.12", "0.87", "1.44", "95", "=", "0.38")),
    ("OR 1.52 [1.10-2.10]", ("OR", "1.52", "1.10", "2.10", None, "=", None)),
    ("HR, 0.78; 95% CI 0.61–1.12; P = .04", ("HR", "0.78", "0.61", "1.12", "95", "=", ".04")),
    ("aHR 0.61 (95% CI, 0.45 to 0.83; P < .001)", ("HR", "0.61", "0.45", "0.83", "95", "<", ".001")),
    ("the hazard ratio for death was 0.70 (90% CI 0.55-0.89)", ("HR", "0.70", "0.55", "0.89", "90", "=", None)),
    ("odds ratio of 2.3 (99% CI 1.2–4.4)", ("OR", "2.3", "1.2", "4.4", "99", "=", None)),
    ("incidence rate ratio 1.8 (95% CI 1.2-2.7)", ("IRR", "1.8", "1.2", "2.7", "95", "=", None)),
    ("(P=0.044, HR\n0.562, 95% CI: 0.321-0.984)", ("HR", "0.562", "0.321", "0.984", "95", "=", "0.044")),
])
def test_prose_ratio_forms(text, expected):
    doc = document_from_string(text)
    found = prose_ratios(doc)
    assert len(found) == 1
    r = found[0]
    assert (r.kind, r.estimate, r.ci_lo, r.ci_hi, r.level, r.p_relation, r.p) == expected
    assert doc.text[r.est_start:r.est_end] == r.estimate


@pytest.mark.parametrize("text", [
    "weighted mean difference = 18.6 ml, 95% CI: -5.2~42.4 ml, P = 0.12",
    "the risk could be reduced to 1.2 times (95% CI: 0.8-1.7)",
    "The OR and the ORR were reported in 2019.",
])
def test_not_ratios(text):
    assert [r for r in prose_ratios(document_from_string(text)) if r.ci_lo] == []


def test_cell_readers():
    assert parse_ci_cell("0.654~1.962") == ("0.654", "1.962")
    assert parse_ci_cell("(0.65-1.96)") == ("0.65", "1.96")
    assert parse_ci_cell("[0.65, 1.96]") == ("0.65", "1.96")
    assert parse_ci_cell("0.231–0.787") == ("0.231", "0.787")
    assert parse_ratio_cell("1.13 (0.65–1.96)") == ("1.13", "0.65", "1.96")
    assert parse_ratio_cell("1.13 [0.65, 1.96]*") == ("1.13", "0.65", "1.96")
    assert parse_p_cell("<0.001") == ("<", "0.001")
    assert parse_p_cell("0.006") == ("=", "0.006")


def _table(caption, rows):
    lines = [caption]
    for r in rows:
        lines += ["\t" + c for c in r] + [""]
    return "\n".join(lines) + "\n"


def test_regression_table_rows():
    text = "Results.\n\n" + _table("Table 2 | Multivariable Cox regression.", [
        ["Variable", "B", "SE", "Wald", "df", "Sig.", "Exp(B)", "Lower", "Upper"],
        ["Age", "0.034", "0.010", "11.560", "1", "<0.001", "1.035", "1.015", "1.055"],
        ["Sex (ref. female)", "Reference", "", "", "", "", "1", "", ""],
    ])
    facts = extract_facts(document_from_string(text))
    rows = facts.coefficient_rows
    assert len(rows) == 1
    r = rows[0]
    assert (r.b, r.se, r.wald, r.p_relation, r.p, r.ratio, r.ci_lo, r.ci_hi) == (
        "0.034", "0.010", "11.560", "<", "0.001", "1.035", "1.015", "1.055")
    assert r.ratio_kind == "Exp(B)" and r.table == "Table 2" and r.label == "Age"


def test_ratio_ci_column_and_linear_regression_skipped():
    text = _table("Table 3 | Logistic regression.", [
        ["Variable", "OR (95% CI)", "P value"],
        ["Smoking", "1.52 (1.10-2.10)", "0.011"],
    ]) + "\n" + _table("Table 4 | Linear regression of HbA1c.", [
        ["Variable", "B", "SE", "t", "P"],
        ["Age", "0.21", "0.05", "4.20", "<0.001"],
    ])
    facts = extract_facts(document_from_string(text))
    assert [(r.table, r.ratio, r.ci_lo, r.ci_hi, r.p, r.level) for r in facts.coefficient_rows] == [
        ("Table 3", "1.52", "1.10", "2.10", "0.011", "95")]


# --------------------------------------------------------------------------- the seed

def _seed(name):
    path = SEED / name
    if not path.exists():
        pytest.skip("shared seed not available")
    import integrity_check as ic
    return ic.open(str(path))


def _run(doc, codes):
    facts = extract_facts(doc)
    out = []
    for code in codes:
        info = ALL_RULES[code]
        out += list(info.check(doc, facts, RuleContext(options=dict(info.options))))
    return facts, out


@pytest.mark.parametrize("name", ["crlm_bevacizumab.txt", "crlm_bevacizumab.pdf", "crlm_bevacizumab_2col.pdf"])
def test_seed_table8_and_prose(name):
    doc = _seed(name)
    facts, findings = _run(doc, ["HZR001", "HZR002", "HZR003", "HZR004"])
    rows = {r.label.split(" (")[0]: r for r in facts.coefficient_rows if r.table == "Table 8"}
    assert len(rows) == 7
    age = rows["Age"]
    assert (age.b, age.se, age.wald, age.p, age.ratio, age.ci_lo, age.ci_hi, age.level) == (
        "0.213", "0.302", "0.491", "0.483", "1.237", "0.685", "2.236", "95")
    prose = {(r.estimate, r.ci_lo, r.ci_hi, r.p) for r in facts.ratios}
    assert ("0.426", "0.231", "0.787", "0.006") in prose
    assert ("1.12", "0.87", "1.44", "0.38") in prose
    # the Age row is not flagged as an error (its Wald is 0.4% beyond the box: a note)
    age_findings = [f for f in findings if "Age (" in f.message]
    assert age_findings and all(f.severity == "note" for f in age_findings)
    errors = sorted((f.code, f.message.split("row \"")[1][:12]) for f in findings if f.severity == "error")
    assert errors == [
        ("HZR002", "Gender (Male"), ("HZR002", "Number of Li"), ("HZR002", "Pathological"),
        ("HZR002", "Pre-operativ"), ("HZR002", "Primary Tumo"), ("HZR003", "Number of Li"),
    ]
    # targeted therapy: only notes (Wald 7.526 vs <= 7.525, CI upper 0.787 vs <= 0.786)
    assert all(f.severity == "note" for f in findings if "Targeted" in f.message)
    assert not any(f.significance_flip for f in findings)
    # no finding from prose ratios: they are consistent
    assert all(f.evidence[0].table == "Table 8" for f in findings)


@pytest.mark.parametrize("name", ["crlm_bevacizumab.txt", "crlm_bevacizumab.pdf", "crlm_bevacizumab_2col.pdf"])
def test_seed_reused_statistics(name):
    doc = _seed(name)
    _, findings = _run(doc, ["DUP003"])
    by_stat = {f.reported["statistic"]: f for f in findings}
    assert by_stat["3.927"].severity == "warning"
    assert by_stat["0.112"].severity == "warning"
    assert by_stat["0.158"].severity == "note"  # Table 5 = Table 6; Table 7 is the mirror-image table
    assert {f.severity for f in findings} <= {"warning", "note"}
