"""Prose-arithmetic claims and cross-referenced quantities: extraction only (no judging)."""
from __future__ import annotations

from integrity_check.extract import extract_facts
from integrity_check.extract.claims import sentence_spans
from integrity_check.extract.quantities import sections
from integrity_check.ingest import load_document
from integrity_check.ingest.text import document_from_string

from .conftest import seed_path


def _claims(text):
    doc = document_from_string(text)
    return doc, extract_facts(doc).claims


def test_parenthesis_pair():
    doc, claims = _claims("The median OS was 8.6 months longer than that in the control group (35.6 months vs 27.0 months).")
    (c,) = claims
    assert (c.stated, c.unit, c.wording, c.a, c.b, c.pairing) == ("8.6", "months", "time", "35.6", "27.0", "parenthesis")
    assert doc.text[c.start:c.end] == "8.6 months"


def test_percentage_points_pair_in_sentence():
    _, (c,) = _claims("Dose reductions were needed in 9 patients (22.5%) and in 4 patients (9.5%), that is, "
                      "10.0 percentage points more often.")
    assert (c.unit, c.wording, c.a, c.b) == ("points", "points", "22.5", "9.5")


def test_reference_by_name_in_same_sentence():
    _, (c,) = _claims("Notably, the EPOC trial reported a 3-year OS of 36% with FOLFOX alone (similar to our control "
                      "group's 27.8%), while our observation group achieved a 3-year OS of 48.9% (12.1% higher than the "
                      "EPOC chemotherapy arm).")
    assert (c.a, c.b, c.pairing, c.reference) == ("48.9", "36", "than-reference", "the EPOC chemotherapy arm")


def test_approximate_range_and_less_times():
    _, claims = _claims("The rates were increased by approximately 20%. Therapy can reduce the risk by 12%-15%. "
                        "Re-admissions were 1.8 times less than in the control group.")
    assert [c.approximate for c in claims] == [True]


def test_sentences_keep_decimals_and_abbreviations():
    text = "ORR was 68.9% vs. 46.7% (P = 0.038). The DCR e.g. was 91.1%. Next sentence."
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["ORR was 68.9% vs. 46.7% (P = 0.038).", "The DCR e.g. was 91.1%.", "Next sentence."]


def test_quantities_from_table_and_prose():
    text = ("Abstract\n\nResults: higher ORR (68.9% vs. 46.7%).\n\nResults\n\nTable 3 | Response [n(%)].\n"
            "\tIndicator\n\tObservation group (n=45)\n\tControl group (n=45)\n\n\tObjective Response Rate (ORR)\n"
            "\t31 (68.9)\n\t21 (46.7)\n")
    doc = document_from_string(text)
    qs = extract_facts(doc).quantities
    assert {(q.key, q.value, q.place) for q in qs} == {
        (("ORR", None, "rate"), "68.9", "abstract"), (("ORR", None, "rate"), "46.7", "abstract"),
        (("ORR", None, "rate"), "68.9", "table"), (("ORR", None, "rate"), "46.7", "table")}
    assert {q.arm for q in qs if q.place == "table"} == {"observation group", "control group"}


def test_seed_claims_and_sections():
    doc = load_document(seed_path("crlm_bevacizumab.txt"))
    facts = extract_facts(doc)
    names = [s for _, s in sections(doc)]
    assert names[:4] == ["abstract"] * 4 and "results" in names and names[-1] == "conclusion"
    by_text = {doc.text[c.start:c.end]: c for c in facts.claims}
    assert (by_text["12.1%"].a, by_text["12.1%"].b) == ("48.9", "36")
    assert (by_text["21.1%"].a, by_text["21.1%"].b, by_text["21.1%"].pairing) == ("48.9", "27.8", "quantity-lookup")
    assert (by_text["11%"].a, by_text["11%"].b) == ("36", "25")
    # the EPOC and PRALIM values are other studies' and are not quantities of this paper
    assert not [q for q in facts.quantities if q.value in ("36", "47.2", "25")]
