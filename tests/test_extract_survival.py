"""Survival and sample-size extraction: medians, landmark rates, study period, power assumptions."""
from __future__ import annotations

import pytest

from integrity_check.extract import extract_facts
from integrity_check.extract.survival import LandmarkRate, StudyPeriod, SurvivalMedian, landmarks, medians, periods
from integrity_check.ingest import load_document
from integrity_check.ingest.text import document_from_string

from .conftest import seed_path

SEED_FILES = ["crlm_bevacizumab.txt", "crlm_bevacizumab.pdf", "crlm_bevacizumab_2col.pdf"]


def _facts(text):
    doc = document_from_string(text)
    return doc, extract_facts(doc)


def test_medians_with_ci_and_arms():
    doc, facts = _facts(
        "Control group (n=38) and observation group (n=38).\n"
        "The median PFS was 21.3 months (95% Confidence Interval [CI]: 18.6–24.0 months) in the observation group "
        "and 14.5 months (95% CI: 12.8–16.2 months) in the control group.")
    got = [(m.endpoint, m.arm, m.value, m.unit, m.confidence) for m in medians(facts)]
    assert got == [("PFS", "observation group", "21.3", "months", "high"), ("PFS", "control group", "14.5", "months", "high")]
    assert doc.text[medians(facts)[0].start:medians(facts)[0].end] == "median PFS was 21.3 months"


def test_median_difference_is_not_a_median():
    _, facts = _facts("Control group (n=38).\nThe median OS was 8.6 months longer than that in the control group (35.6 months vs 27.0 months).")
    assert not [m for m in medians(facts) if m.value == "8.6"]


def test_median_value_before_ci_then_unit_and_not_reached():
    _, facts = _facts("Intervention arm (n=40) and control arm (n=40).\n"
                      "The median PFS was 30.4 (95% CI 25.1-35.0) months in the intervention arm. "
                      "Median OS was not reached in the intervention arm and 20.1 months in the control arm.")
    got = {(m.endpoint, m.arm, m.value, m.not_reached) for m in medians(facts)}
    assert ("PFS", "intervention arm", "30.4", False) in got
    assert ("OS", "intervention arm", None, True) in got
    assert ("OS", "control arm", "20.1", False) in got


def test_landmark_lists_and_respectively():
    _, facts = _facts("Intervention arm (n=40) and control arm (n=42).\n"
                      "The median OS was 30.4 months in the intervention arm and 17.9 months in the control arm, "
                      "and the 2-year OS rates were 45.0% and 28.6%, respectively.")
    got = [(lm.endpoint, lm.arm, lm.months, lm.percent, lm.confidence) for lm in landmarks(facts)]
    assert got == [("OS", "intervention arm", 24.0, "45.0", "medium"), ("OS", "control arm", 24.0, "28.6", "medium")]


def test_slash_groups_take_the_time_list():
    _, facts = _facts("The 1-, 2-, 3-year PFS (72.2%/45.6%/31.1% vs. 51.1%/26.7%/15.6%) were better.")
    got = [(lm.months, lm.percent) for lm in landmarks(facts)]
    assert got == [(12.0, "72.2"), (24.0, "45.6"), (36.0, "31.1"), (12.0, "51.1"), (24.0, "26.7"), (36.0, "15.6")]


def test_assumption_ranges_and_cited_values_are_flagged():
    _, facts = _facts("The calculation assumed that the 3-year OS was approximately 25%-30% with chemotherapy. "
                      "The EPOC trial reported a 3-year OS of 36% with FOLFOX alone (15).")
    assert all(set(lm.flags) & {"assumption", "range", "external"} for lm in landmarks(facts))


def test_table_rows_with_endpoint_and_time_point():
    text = ("Table 4 | Survival [n(%)].\n\tIndicator\n\tTime point\n\tObservation group (n=38)\n\tControl group (n=38)\n\n"
            "\tPFS\n\t1 Year Post-Operative\n\t27 (72.2)\n\t19 (51.1)\n\n"
            "\t \n\t2 Years Post-Operative\n\t17 (45.6)\n\t10 (26.7)\n\n"
            "\tOS\n\t1 Year Post-Operative\n\t33 (86.7)\n\t27 (71.1)\n")
    doc, facts = _facts(text)
    got = [(lm.endpoint, lm.arm, lm.months, lm.percent, lm.count, lm.source) for lm in landmarks(facts)]
    assert ("PFS", "control group", 24.0, "26.7", "10", "table") in got
    assert ("OS", "observation group", 12.0, "86.7", "33", "table") in got
    assert len(got) == 6


def test_table_median_row():
    text = ("Table 2 | Survival.\n\tOutcome\n\tIntervention arm (n=40)\n\tControl arm (n=42)\n\n"
            "\tMedian OS (months)\n\t30.4 (25.1–35.0)\n\tNR\n")
    _, facts = _facts(text)
    got = {(m.arm, m.value, m.not_reached, m.unit) for m in medians(facts)}
    assert got == {("intervention arm", "30.4", False, "months"), ("control arm", None, True, "months")}


def test_study_period_and_cutoff():
    _, facts = _facts("From January 2019 to February 2022, 76 patients were enrolled. The follow-up deadline was February 2025.")
    got = {(p.kind, p.first, p.last) for p in periods(facts)}
    assert got == {("enrolment", (2019, 1), (2022, 2)), ("cutoff", None, (2025, 2))}


def test_sample_size_statement():
    _, facts = _facts(
        "Assuming an ORR of 15% with chemotherapy alone and of 45% with the addition, a two-sided alpha of 0.05 and a "
        "power of 80%, the normal-approximation formula for comparing two independent proportions gave 36 patients per "
        "arm. Allowing for a dropout rate of 15%, 40 patients per arm (80 in total) were to be enrolled.")
    (s,) = facts.sample_sizes
    assert (s.n_required, s.dropout, s.n_final, s.total) == ("36", "15", "40", "80")
    assert (s.alpha, s.sided, s.power, s.p1, s.p2, s.survival) == ("0.05", 2, "80%", ("15", "15"), ("45", "45"), False)


@pytest.fixture(scope="module", params=SEED_FILES)
def seed_facts(request):
    doc = load_document(seed_path(request.param))
    return doc, extract_facts(doc)


def test_seed_survival_facts_agree_across_formats(seed_facts):
    doc, facts = seed_facts
    meds = {(m.endpoint, m.arm, m.value) for m in medians(facts) if m.arm}
    assert meds == {("PFS", "observation group", "21.3"), ("PFS", "control group", "14.5"),
                    ("OS", "observation group", "35.6"), ("OS", "control group", "27.0")}
    table = {(lm.endpoint, lm.arm, lm.months, lm.percent) for lm in landmarks(facts) if lm.source == "table"}
    assert ("OS", "control group", 24.0, "42.2") in table and len(table) == 12
    assert {(p.kind, p.last) for p in periods(facts)} == {("enrolment", (2022, 2)), ("cutoff", (2025, 2))}
    ss = facts.sample_sizes
    assert len(ss) == 2 and all((s.n_required, s.dropout, s.n_final) == ("34", "20", "38") for s in ss)
    assert all((s.p1, s.p2, s.power, s.power_from, s.sided) == (("25", "30"), ("47", "50"), "80%", "power", 2) for s in ss)


def test_fact_types_are_dataclasses_with_spans(seed_facts):
    doc, facts = seed_facts
    for f in facts.survival:
        assert isinstance(f, (SurvivalMedian, LandmarkRate, StudyPeriod))
        assert 0 <= f.start < f.end <= len(doc.text)


def test_seed_findings_of_srv_and_smp_rules(seed_facts):
    from integrity_check.checks import ALL_RULES, RuleContext

    doc, facts = seed_facts

    def run(code):
        info = ALL_RULES[code]
        return list(info.check(doc, facts, RuleContext(options=dict(info.options))))

    (srv001,) = run("SRV001")
    assert "27.0 months" in srv001.message and "42.2%" in srv001.message
    (smp001,) = run("SMP001")
    assert smp001.severity == "error" and "-> 43" in smp001.message and "-> 41" in smp001.message
    (smp002,) = run("SMP002")
    assert smp002.recomputed["n_per_group"] >= 53 and smp002.recomputed["reading"] == [0.25, 0.5]
    srv003 = run("SRV003")
    assert len(srv003) == 4 and all(f.severity == "warning" for f in srv003)
    assert run("SRV002") == []
