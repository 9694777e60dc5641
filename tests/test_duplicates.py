"""Duplicated passages: the MinHash/LSH machinery, DUP001 on the seed and the corpus, DUP002 over a batch."""
from __future__ import annotations

import time

import pytest

from integrity_check.crosspaper import cross_paper_duplicates, findings_for_paper
from integrity_check.extract.passages import find_duplicates, sentences, usable_text
from integrity_check.stats.duplicates import UnitPair, candidate_pairs, jaccard, merge_runs, similarity

from .conftest import CORPUS, seed_path

SHARED_PARAGRAPH = (
    "A random number table was generated using SPSS 26.0 statistical software, and 76 eligible patients were randomly "
    "divided into the observation group and the control group at a 1:1 ratio, with 38 patients in each group. The "
    "specific steps were carried out as follows: first, each patient was numbered sequentially from 1 to 76 based on the "
    "order of inclusion; then, the random number generation function was used to produce 76 random numbers ranging from "
    "0 to 1, and these random numbers were sorted by their values.")
BOILERPLATE = (
    "This is an open access article distributed under the terms of the Creative Commons Attribution License, which "
    "permits unrestricted use, distribution, and reproduction in any medium, provided the original author and source are "
    "credited. The authors declare no competing interests. The funders had no role in study design, data collection and "
    "analysis, decision to publish, or preparation of the manuscript. The study was approved by the institutional ethics "
    "committee and all patients gave written informed consent.")
REFERENCE = ("Hurwitz H, Fehrenbacher L, Novotny W, et al. Bevacizumab plus irinotecan, fluorouracil, and leucovorin for "
             "metastatic colorectal cancer in a randomized trial of first-line treatment. N Engl J Med 2004;350:2335-2342.")


def _paper(topic: str, shared: str = "", refs: bool = False) -> str:
    body = (f"Introduction\n\n{topic} is a common disease whose treatment has changed over the last decade in many "
            f"hospitals of our region.\n\nMethods\n\nWe enrolled patients with {topic} at our hospital between 2019 and "
            f"2022.\n\n{shared}\n\nResults\n\nThe outcomes of the patients with {topic} are shown in the tables.\n")
    if refs:
        body += f"\nReferences\n\n1. {REFERENCE}\n"
    return body


def test_similarity_and_jaccard():
    a = "the quick brown fox jumps over the lazy dog again and again".split()
    assert similarity(a, a) == 1.0 and jaccard(a, a) == 1.0
    b = a[:3] + ["red"] + a[4:]
    assert similarity(a, b) > 0.9 > jaccard(a, b)


def test_merge_runs_chains_consecutive_pairs_and_stops_at_long_gaps():
    pairs = [UnitPair(0, 10, 1.0), UnitPair(1, 11, 1.0), UnitPair(2, 13, 1.0)]
    assert [(r.a0, r.a1, r.b0, r.b1) for r in merge_runs(pairs, lengths=[20] * 20)] == [(0, 1, 10, 11), (2, 2, 13, 13)]
    lengths = [20] * 20
    lengths[12] = 3  # a heading-like fragment between two matched sentences may be skipped
    assert [(r.a0, r.a1, r.b0, r.b1) for r in merge_runs(pairs, lengths=lengths)] == [(0, 2, 10, 13)]


def test_candidate_pairs_groups_only_across_groups():
    s = "patients were randomly divided into the observation group and the control group at a one to one ratio".split()
    units = [s, s, s]
    assert {(p.i, p.j) for p in candidate_pairs(units)} == {(0, 1), (0, 2), (1, 2)}
    assert {(p.i, p.j) for p in candidate_pairs(units, groups=[0, 0, 1])} == {(0, 2), (1, 2)}


def test_near_linear_on_a_long_paper():
    """3000 distinct sentences: LSH, not all pairs (4.5 million difflib comparisons would take minutes)."""
    words = [f"w{k}" for k in range(5000)]
    import random

    rng = random.Random(1)
    text = "\n\n".join(" ".join(rng.choice(words) for _ in range(20)).capitalize() + "." for _ in range(3000))
    t0 = time.perf_counter()
    assert find_duplicates(text) == []
    assert time.perf_counter() - t0 < 30


def test_running_heads_tables_and_references_are_not_passages():
    head = "Journal of Examples 2024; 12: 1-9"
    text = (f"{head}\nIntroduction\nSome words here.\n\f\n{head}\nMore words here.\n\f\n{head}\nEven more words.\n"
            f"\tcell one\n\tcell two\n\nReferences\n1. {REFERENCE}\n")
    clean = usable_text(text)
    assert head not in clean and "cell one" not in clean and "Hurwitz" not in clean
    assert len(clean) == len(text)


def test_seed_duplicated_paragraphs_reported_once_each():
    from integrity_check.api import check_document
    from integrity_check.ingest import load_document

    for name in ("crlm_bevacizumab.txt", "crlm_bevacizumab.pdf", "crlm_bevacizumab_2col.pdf"):
        report = check_document(load_document(seed_path(name)))
        dups = [f for f in report["findings"] if f["code"] == "DUP001"]
        starts = sorted(" ".join(f["evidence"][0]["quote"].split())[:40] for f in dups)
        assert starts == ["A random number table was generated usin", "The primary outcome measure of this stud"], (name, starts)
        for f in dups:
            assert f["severity"] == "warning" and f["recomputed"]["similarity"] >= 0.8


@pytest.mark.skipif(not (CORPUS / "real").is_dir(), reason="../shared corpus absent")
def test_real_corpus_has_no_duplicated_passages():
    """Checked by hand: none of the real papers repeats a passage; running heads, table notes printed
    under several tables (frontimmunol), parallel descriptions of two conditions (horses) and an
    abstract restating the conclusion (researchsquare) must not be reported."""
    from integrity_check.api import check_document
    from integrity_check.ingest import load_document

    flagged = []
    for path in sorted((CORPUS / "real").glob("*.pdf")):
        report = check_document(load_document(path))
        flagged += [(path.name, f["message"][:120]) for f in report["findings"] if f["code"] == "DUP001"]
    assert not flagged


def test_cross_paper_shared_paragraph_is_flagged():
    items = [("a.txt", _paper("gastric cancer", SHARED_PARAGRAPH)), ("b.txt", _paper("liver metastasis", SHARED_PARAGRAPH)),
             ("c.txt", _paper("asthma"))]
    entries = cross_paper_duplicates(items)
    assert len(entries) == 1
    e = entries[0]
    assert (e["a_path"], e["b_path"]) == ("a.txt", "b.txt") and e["similarity"] == 1.0
    texts = dict(items)
    assert texts["a.txt"][e["a_start"]:e["a_start"] + len(e["quote_a"])] == e["quote_a"]
    assert texts["b.txt"][e["b_start"]:e["b_start"] + len(e["quote_b"])] == e["quote_b"]
    assert e["quote_a"].startswith("A random number table")
    fa, fb, fc = (findings_for_paper(p, entries) for p in ("a.txt", "b.txt", "c.txt"))
    assert len(fa) == len(fb) == 1 and fc == []
    f = fa[0]
    assert f["code"] == "DUP002" and f["severity"] == "warning" and f["reported"]["other_paper"] == "b.txt"
    assert f["evidence"][0]["quote"] == e["quote_a"] and "fingerprint" in f


def test_cross_paper_boilerplate_and_references_are_not_flagged():
    items = [("a.txt", _paper("gastric cancer", BOILERPLATE, refs=True)), ("b.txt", _paper("liver metastasis", BOILERPLATE, refs=True))]
    assert cross_paper_duplicates(items) == []


def test_cross_paper_with_documents_gives_pages(tmp_path):
    from integrity_check.ingest import load_document

    paths = []
    for name, topic in (("a.txt", "gastric cancer"), ("b.txt", "liver metastasis")):
        p = tmp_path / name
        p.write_text(_paper(topic, SHARED_PARAGRAPH), encoding="utf-8")
        paths.append(p)
    docs = [load_document(p) for p in paths]
    entries = cross_paper_duplicates([(d.path, d.text) for d in docs])
    f = findings_for_paper(docs[1].path, entries, doc=docs[1])[0]
    ev = f["evidence"][0]
    assert docs[1].text[ev["char_start"]:ev["char_end"]] == ev["quote"]


def test_dup002_rule_is_free_per_document():
    from integrity_check.checks import ALL_RULES

    assert ALL_RULES["DUP002"].check(None, None, None) == []


def test_sentences_skip_captions_and_boilerplate():
    text = ("Methods\n\nFigure 2. Kaplan-Meier curves of overall survival in the two groups of patients.\n\n"
            "The authors declare no competing interests in relation to this work at all.\n\n"
            "Patients were followed up every three months after surgery.\n")
    got = [text[s.start:s.end] for s in sentences(text)]
    assert got == ["Patients were followed up every three months after surgery."]
