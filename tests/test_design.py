"""Design and timing statements (DSN001, DSN002): the seed, the bundled example, the vocabulary."""
from __future__ import annotations

from integrity_check.api import check_document
from integrity_check.extract import extract_facts
from integrity_check.extract.design import load_vocabulary
from integrity_check.ingest import load_document
from integrity_check.ingest.text import document_from_string

from .conftest import seed_path


def _design(text):
    doc = document_from_string(text, path="<t>")
    facts = extract_facts(doc)
    return doc, [s for s in facts.design_statements if s.kind == "design"]


def test_vocabulary_ships_outside_the_pack_glob():
    from integrity_check.config import available_packs, packs_dir

    v = load_vocabulary()
    assert (packs_dir() / "vocabulary" / "design.toml").is_file()
    assert "design" not in available_packs()
    assert {c["a"] for c in v["design"]["contradictions"]} >= {"randomized", "prospective", "single-centre"}
    for name, c in v["design"]["classes"].items():
        assert c["patterns"], name
        assert c.get("negated", "") in ("", *v["design"]["classes"]), name


def test_negated_term_changes_class():
    doc, st = _design("Methods\n\nThis was a non-randomized comparison of two cohorts of patients.\n")
    assert [s.cls for s in st] == ["non-randomized"]


def test_other_studies_and_future_work_do_not_count():
    doc, st = _design(
        "Discussion\n\nThis study has limitations. This result is consistent with the findings of the latest meta-analysis, which included 12 "
        "randomized controlled studies (n=2876). This result is consistent with the findings of the international "
        "multicenter phase III clinical trial AVF2107g (15). Although random grouping was adopted, the sample size was "
        "small, and verification through multi-center, large-sample studies is required.\n")
    assert [s.cls for s in st] == ["randomized"]  # only "random grouping was adopted" (this study)


def _codes(report, code):
    return [f for f in report["findings"] if f["code"] == code]


def test_seed_design_and_timing_contradictions():
    for name in ("crlm_bevacizumab.txt", "crlm_bevacizumab.pdf", "crlm_bevacizumab_2col.pdf"):
        report = check_document(load_document(seed_path(name)))
        dsn1 = _codes(report, "DSN001")
        assert len(dsn1) == 1, name
        quotes = [" ".join(e["quote"].split()) for e in dsn1[0]["evidence"]]
        assert quotes == ["a randomized controlled design", "retrospective design"], (name, quotes)
        dsn2 = _codes(report, "DSN002")
        assert len(dsn2) == 1, name
        quotes = [" ".join(e["quote"].split()) for e in dsn2[0]["evidence"]]
        assert quotes[0] == "the interval between targeted drug use and surgery to be no less than 4 weeks"
        assert quotes[1].startswith("Targeted therapy was initiated on the same day") and quotes[1].endswith("1 week after surgery")
        assert not any("The analysis showed" in q for q in quotes)  # the meta-analysis' interval is not this study's
        for f in dsn1 + dsn2:
            assert f["severity"] == "warning"


def test_example_trial_expected_design_and_duplicate_entries():
    from pathlib import Path

    papers = Path(__file__).resolve().parents[1] / "fixtures" / "papers"
    for name in ("example_trial.txt", "example_trial.pdf"):
        report = check_document(load_document(papers / name))
        found = {(f["code"], " ".join(e["quote"].split())) for f in report["findings"] for e in f["evidence"]}
        assert ("DSN001", "as a retrospective study") in found, name
        assert ("DUP001", "without long drug-free intervals") in found, name
    for name in ("example_clean.txt", "example_clean.pdf"):
        report = check_document(load_document(papers / name))
        assert not [f for f in report["findings"] if f["code"][:3] in ("DSN", "DUP") and f["code"] != "DUP003"]
