"""Extraction of test statistics, means ± SD and count tables (extract/tests, means, count_tables)."""
from __future__ import annotations

from pathlib import Path

import pytest

from integrity_check.api import check_document
from integrity_check.extract import extract_facts
from integrity_check.extract.count_tables import CountTable
from integrity_check.extract.means import MeanComparison, MeanSD
from integrity_check.extract.tests import TestResult, stated_alpha
from integrity_check.ingest import load_document
from integrity_check.ingest.text import document_from_string

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "fixtures" / "seed"
SEED_FILES = ["crlm_bevacizumab.txt", "crlm_bevacizumab.pdf", "crlm_bevacizumab_2col.pdf"]
MY_CODES = ("PVL001", "PVL002", "PVL003", "CHI001", "CHI002", "TST001", "TST002")


def facts_of(text: str):
    doc = document_from_string(text)
    return doc, extract_facts(doc)


def one_test(text: str) -> TestResult:
    doc, facts = facts_of(text)
    assert len(facts.tests) == 1, facts.tests
    t = facts.tests[0]
    assert doc.text[t.start:t.end] == t.raw
    return t


# ------------------------------------------------------------------------------------ APA prose

@pytest.mark.parametrize("text,test,stat,df,df2,rel,p", [
    ("was significant, t(58) = 2.41, p = .019.", "t", "2.41", "58", None, "=", ".019"),
    ("an effect, F(2, 87) = 4.12, p = .020.", "f", "4.12", "2", "87", "=", ".020"),
    ("differed, χ2(1, N = 120) = 5.30, p = .021.", "chi2", "5.30", "1", None, "=", ".021"),
    ("correlated, r(48) = .31, p = .028.", "r", ".31", "48", None, "=", ".028"),
    ("the test gave z = 2.10, p = .036.", "z", "2.10", None, None, "=", ".036"),
    ("negative, t(45.3) = -2.10, p < .05.", "t", "-2.10", "45.3", None, "<", ".05"),
    ("did not differ, t(20) = 1.10, ns.", "t", "1.10", "20", None, "ns", None),
    ("differed, X2(1, N = 90) = 2.10, p = .021.", "chi2", "2.10", "1", None, "=", ".021"),
])
def test_apa_statistics(text, test, stat, df, df2, rel, p):
    t = one_test(text)
    assert (t.test, t.statistic, t.df, t.df2, t.p_relation, t.p) == (test, stat, df, df2, rel, p)
    assert t.context == "prose" and t.tails == 2 and not t.adjusted


def test_chi_square_sample_size_is_recorded():
    assert one_test("χ2(1, N = 120) = 5.30, p = .021").n == "120"


@pytest.mark.parametrize("text,test,stat,df,rel,p", [
    ("the difference was statistically significant (χ2=4.287, P = 0.038).", "chi2", "4.287", None, "=", "0.038"),
    ("shorter stay (t=4.327, P<0.001) (Table 2).", "t", "4.327", None, "<", "0.001"),
    ("no difference (χ2 = 3.10, df = 2, P = 0.212).", "chi2", "3.10", "2", "=", "0.212"),
    ("no difference (χ² = 0.112, P-value = 0.738).", "chi2", "0.112", None, "=", "0.738"),
    ("higher in group A (Z=2.10, P=0.036).", "z", "2.10", None, "=", "0.036"),
])
def test_clinical_statistics(text, test, stat, df, rel, p):
    t = one_test(text)
    assert (t.test, t.statistic, t.df, t.p_relation, t.p) == (test, stat, df, rel, p)


def test_statistic_without_p_or_r_without_df_is_not_a_test():
    _, facts = facts_of("The correlation was r = .31 and the mean difference gave t = 2.1 overall.")
    assert facts.tests == []


def test_one_tailed_only_when_stated():
    assert one_test("As predicted, t(40) = 1.80, p = .040, one-tailed.").tails == 1
    assert one_test("Using a one-sided test, z = 1.70, p = .045.").tails == 1
    assert one_test("Tests were two-sided; t(40) = 1.80, p = .079.").tails == 2


def test_adjusted_p_is_marked():
    assert one_test("It held after Bonferroni correction, t(30) = 2.50, p = .054.").adjusted
    assert not one_test("It held, t(30) = 2.50, p = .018.").adjusted


def test_stated_alpha():
    doc = document_from_string("A P-value < 0.05 was considered statistically significant for differences.")
    assert stated_alpha(doc) == "0.05"
    doc = document_from_string("The significance level was set at α = 0.01 (two-sided).")
    assert stated_alpha(doc) == "0.01"
    assert stated_alpha(document_from_string("Nothing about the level here, p = .03.")) is None
    assert one_test("P < 0.01 was considered statistically significant. We found t(40) = 2.9, p = .006.").alpha == "0.01"


# ------------------------------------------------------------------------------------ tables

TABLE = """Comparisons used t tests and chi-square tests.

Table 1 | Baseline data [n(%), x ± s].
\tBaseline data
\tObservation group (n=38)
\tControl group (n=38)
\tStatistical value
\tP value

\tGender
\t
\t
\tχ2=0.112
\t0.738

\tMale
\t21 (55.3)
\t23 (60.5)
\t
\t

\tFemale
\t17 (44.7)
\t15 (39.5)
\t
\t

\tAge (years)
\t56.8 ± 8.3
\t58.2 ± 7.9
\tt=0.725
\t0.471

\tHypertension
\t9 (23.7)
\t3 (7.9)
\t3.562
\t0.059
"""


def test_table_tests_means_and_counts():
    doc, facts = facts_of(TABLE)
    tests = {(t.test, t.statistic, t.p) for t in facts.tests}
    # the bare "3.562" under "Statistical value" names no test, so it is not read
    assert tests == {("chi2", "0.112", "0.738"), ("t", "0.725", "0.471")}
    assert all(t.context == "table" and t.table == "Table 1" for t in facts.tests)
    means = [m for m in facts.means if isinstance(m, MeanSD)]
    assert [(m.mean, m.sd, m.n, m.arm) for m in means] == [("56.8", "8.3", 38, "Observation group"),
                                                          ("58.2", "7.9", 38, "Control group")]
    comps = [m for m in facts.means if isinstance(m, MeanComparison)]
    assert len(comps) == 1 and comps[0].test.statistic == "0.725" and comps[0].confidence == "high"
    cts = {ct.test.statistic: ct for ct in facts.count_tables}
    assert isinstance(cts["0.112"], CountTable)
    assert cts["0.112"].counts == ((21, 23), (17, 15)) and cts["0.112"].kind == "categories"
    assert cts["0.112"].variable == "Gender" and cts["0.112"].df == 1
    for ct in facts.count_tables:
        assert doc.text[ct.start:ct.end] == ct.raw


def test_binary_row_builds_two_by_two_from_arm_n():
    _, facts = facts_of(TABLE.replace("Statistical value", "χ2 value"))
    ct = next(ct for ct in facts.count_tables if ct.test.statistic == "3.562")
    assert ct.kind == "binary" and ct.counts == ((9, 29), (3, 35)) and ct.arm_n == (38, 38)


def test_regression_tables_are_not_read_as_tests():
    text = """Table 8 | Cox regression.
\tFactor
\tRegression coefficient
\tStandard error
\tWald χ2 value
\tP value
\tHR value

\tGender
\t0.125
\t0.287
\t0.191
\t0.662
\t1.133
"""
    _, facts = facts_of(text)
    assert facts.tests == [] and facts.count_tables == []


def test_prose_comparison_across_two_sentences():
    text = ("Patients were split into an observation group (n=38) and a control group (n=38).\n\n"
            "The operation time of the observation group was (185.6 ± 32.4) minutes, and that of the control group "
            "was (178.9 ± 29.5) minutes. There was no statistically significant difference between the two groups "
            "(t=0.952, P = 0.344).")
    _, facts = facts_of(text)
    comps = [m for m in facts.means if isinstance(m, MeanComparison)]
    assert len(comps) == 1
    c = comps[0]
    assert {(c.a.mean, c.a.sd, c.a.n), (c.b.mean, c.b.sd, c.b.n)} == {("185.6", "32.4", 38), ("178.9", "29.5", 38)}
    assert c.context == "prose" and c.confidence == "medium" and c.test.statistic == "0.952"


def test_extraction_survives_odd_text():
    for text in ["", "t(", "χ2=", "p = .", "F(2, ) = 3, p = .1", "t(3) = 1e5, p = 0.5", "±±±", "Table 1 |\n\tA\n\n\tB\n"]:
        extract_facts(document_from_string(text))


# ------------------------------------------------------------------------------------ seed

def seed_file(name: str) -> Path:
    path = SEED / name
    if not path.exists():
        pytest.skip(f"{path} not available (../shared is absent)")
    return path


@pytest.fixture(scope="module", params=SEED_FILES)
def seed(request):
    doc = load_document(seed_file(request.param))
    facts = extract_facts(doc)
    report = check_document(doc)
    return doc, facts, [f for f in report["findings"] if f["code"] in MY_CODES]


def _quote(f):
    return " ".join(f["evidence"][0]["quote"].split())


def test_seed_extracts_every_table_test_and_count_table(seed):
    _, facts, _ = seed
    table_tests = [t for t in facts.tests if t.context == "table"]
    assert len(table_tests) == 29  # Tables 1-7; Table 8 (Cox regression) is not read as tests
    assert all(t.alpha == "0.05" for t in facts.tests)
    assert len(facts.count_tables) == 24
    grade = [ct for ct in facts.count_tables if ct.table == "Table 6"]
    assert len(grade) == 3 and all(ct.kind == "binary-total" and ct.confidence == "medium" for ct in grade)
    assert next(ct for ct in grade if ct.test.statistic == "4.547").counts == ((9, 29), (3, 35))
    comps = [m for m in facts.means if isinstance(m, MeanComparison)]
    assert {c.test.statistic for c in comps} == {"0.725", "0.328", "0.952", "0.398", "4.327"}


def test_seed_chi_square_flips(seed):
    _, _, findings = seed
    flips = {(f["evidence"][0]["table"], _quote(f)) for f in findings if f["code"] == "CHI001" and f["significance_flip"]}
    assert flips == {("Table 3", "4.287"), ("Table 3", "3.947"), ("Table 4", "4.063"), ("Table 4", "3.982"),
                     ("Table 4", "4.125"), ("Table 4", "3.927"), ("Table 4", "4.218"), ("Table 5", "4.547"),
                     ("Table 7", "3.927")}
    hypertension = next(f for f in findings if f["code"] == "CHI001" and _quote(f) == "4.547")
    tables = {e["table"] for e in hypertension["evidence"]}
    assert {"Table 5", "Table 6", None} <= tables  # the grade table and the prose sentence are the same comparison


def test_seed_chi_square_tables_recomputed(seed):
    _, _, findings = seed
    chi = {(f["evidence"][0]["table"], _quote(f)) for f in findings if f["code"] == "CHI001"}
    assert {t for t, _ in chi} == {"Table 1", "Table 3", "Table 4", "Table 5", "Table 7"}
    assert ("Table 1", "χ2=0.000") not in chi  # 0.000 / 1.000 is right
    assert ("Table 5", "0.158") not in chi  # the likelihood-ratio chi-square
    for f in findings:
        if f["code"] == "CHI001":
            assert {"pearson", "yates", "lr", "fisher_p"} <= set(f["recomputed"])


def test_seed_df_mismatch_and_t_tests(seed):
    _, _, findings = seed
    pvl003 = [f for f in findings if f["code"] == "PVL003"]
    assert [_quote(f) for f in pvl003] == ["χ2=0.419"]
    assert pvl003[0]["recomputed"]["dfs_fitting_printed_pair"] == [2]
    tst = sorted(f["reported"]["statistic"] for f in findings if f["code"] == "TST001")
    assert tst == ["0.328", "0.398"]
    assert not [f for f in findings if f["code"] in ("PVL001", "PVL002", "TST002")]


def test_seed_results_agree_across_formats():
    results = []
    for name in SEED_FILES:
        doc = load_document(seed_file(name))
        report = check_document(doc)
        results.append(sorted((f["code"], f["significance_flip"], " ".join(f["evidence"][0]["quote"].split()))
                              for f in report["findings"] if f["code"] in MY_CODES))
    assert results[0] == results[1] == results[2]
