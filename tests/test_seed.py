"""The user's seed manuscript (../shared/fixtures/seed): text, one-column and two-column PDF."""
from __future__ import annotations

import pytest

from integrity_check.api import check_document
from integrity_check.extract import extract_facts
from integrity_check.ingest import load_document

from .conftest import seed_path

SEED_FILES = ["crlm_bevacizumab.txt", "crlm_bevacizumab.pdf", "crlm_bevacizumab_2col.pdf"]

# Every count (percent) cell of Tables 3-6 (observation, control), in table order.
TABLE_CELLS = {
    "Table 3": ["5 (13.2)", "2 (5.3)", "21 (55.7)", "16 (41.4)", "9 (23.7)", "12 (31.6)", "3 (7.9)", "8 (21.1)",
                "26 (68.9)", "18 (46.7)", "34 (91.1)", "29 (75.6)"],
    "Table 4": ["27 (72.2)", "19 (51.1)", "17 (45.6)", "10 (26.7)", "12 (31.1)", "6 (15.6)", "33 (86.7)", "27 (71.1)",
                "24 (64.4)", "16 (42.2)", "19 (48.9)", "10 (27.8)"],
    "Table 5": ["9 (23.3)", "3 (6.7)", "6 (15.8)", "4 (10.5)", "4 (10.5)", "3 (7.9)"],
    "Table 6": ["6 (15.8)", "2 (5.3)", "3 (7.9)", "1 (2.6)", "0 (0.0)", "0 (0.0)", "9 (23.3)", "3 (6.7)",
                "4 (10.5)", "3 (7.9)", "2 (5.3)", "1 (2.6)", "0 (0.0)", "0 (0.0)", "6 (15.8)", "4 (10.5)",
                "3 (7.9)", "2 (5.3)", "1 (2.6)", "1 (2.6)", "0 (0.0)", "0 (0.0)", "4 (10.5)", "3 (7.9)"],
}
IMPOSSIBLE = {"55.7", "41.4", "68.9", "46.7", "91.1", "75.6", "72.2", "51.1", "45.6", "26.7", "31.1", "15.6",
              "86.7", "64.4", "42.2", "48.9", "27.8", "23.3", "6.7"}
CORRECT_CELLS = ["5 (13.2)", "21 (55.3)", "27 (71.1)", "2 (5.3)", "9 (23.7)", "12 (31.6)", "3 (7.9)", "8 (21.1)",
                 "6 (15.8)", "4 (10.5)", "0 (0.0)"]


@pytest.fixture(scope="module", params=SEED_FILES)
def seed(request):
    doc = load_document(seed_path(request.param))
    facts = extract_facts(doc)
    return doc, facts, check_document(doc)


def test_every_percentage_cell_of_tables_3_to_6_is_extracted_with_n_38(seed):
    doc, facts, _ = seed
    for label, cells in TABLE_CELLS.items():
        got = [doc.text[p.start:p.end] for p in facts.proportions if p.table == label]
        assert got == cells, label
        assert all(p.n == 38 and p.confidence == "high" for p in facts.proportions if p.table == label)


def test_impossible_percentages_are_flagged(seed):
    _, _, report = seed
    flagged = {(f["evidence"][0]["table"], f["evidence"][0]["quote"]) for f in report["findings"] if f["code"] == "PCT001"}
    for label, cells in TABLE_CELLS.items():
        for cell in cells:
            pct = cell.split("(")[1].rstrip(")")
            assert ((label, cell) in flagged) == (pct in IMPOSSIBLE), (label, cell)


def test_correct_cells_are_never_flagged(seed):
    _, _, report = seed
    for f in report["findings"]:
        if f["code"].startswith("PCT") and f["code"] != "PCT004":
            quote = f["evidence"][0]["quote"]
            assert quote not in CORRECT_CELLS or f["code"] == "PCT003", (f["code"], quote)


def test_dcr_rows_are_not_cr_plus_pr_plus_sd(seed):
    _, _, report = seed
    dcr = [f for f in report["findings"] if f["code"] == "PCT003" and "DCR" in f["message"]]
    assert {f["evidence"][0]["quote"] for f in dcr} == {"34 (91.1)", "29 (75.6)"}
    assert any("5 + 21 + 9 = 35" in f["message"] for f in dcr)


def test_implied_denominator_is_45(seed):
    _, _, report = seed
    pct004 = [f for f in report["findings"] if f["code"] == "PCT004"]
    assert len(pct004) == 2  # one per arm, not per cell
    assert all(f["recomputed"]["implied_n"] == 45 for f in pct004)


def test_quotes_are_exact_substrings_with_pages_for_pdfs(seed):
    doc, _, report = seed
    for f in report["findings"]:
        for ev in f["evidence"]:
            assert doc.text[ev["char_start"]:ev["char_end"]] == ev["quote"]
            if doc.kind == "pdf":
                assert ev["page"] is not None and ev["bbox"] is not None


def test_same_findings_in_text_and_pdfs():
    reports = [check_document(load_document(seed_path(name))) for name in SEED_FILES]
    keys = [sorted((f["code"], f["evidence"][0]["quote"]) for f in r["findings"] if f["code"].startswith("PCT")) for r in reports]
    assert keys[0] == keys[1] == keys[2]
