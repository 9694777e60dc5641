"""Extraction never raises on arbitrary text, and what it reports points into the text."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integrity_check.api import check_document
from integrity_check.extract import extract_facts
from integrity_check.ingest.text import document_from_string

PIECES = st.sampled_from([
    "Table 1 | Baseline.\n", "\tObservation group (n=38)\n", "\tControl (n=0)\n", "\t26 (68.9)\n", "\t0 (0.0)\n",
    "\t41/40 (102.5%)\n", "\n\n", "\t \n", "ORR = CR + PR", " 12.5% ", "(n=", "χ²=4.2, P = 0.03", "±", "\u2212",
    "\ufffe", "\u00ad", " of the 0 patients, 3 (5.0%) ", "vs", "26 (", ")", "%", "\t", "\n",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(PIECES, st.text(max_size=30)), max_size=40))
def test_extraction_and_checks_never_raise(parts):
    doc = document_from_string("".join(parts).replace("\x00", ""))  # NUL bytes: refused at ingest (test_cli)
    facts = extract_facts(doc)
    for p in facts.proportions:
        assert 0 <= p.start <= p.end <= len(doc.text)
    report = check_document(doc)
    assert not [f for f in report["findings"] if f["code"] == "INT001"], report["findings"]
    for f in report["findings"]:
        for ev in f["evidence"]:
            assert doc.text[ev["char_start"]:ev["char_end"]] == ev["quote"]
