"""Real papers and odd files from ../shared/corpus: never a traceback, clear problems, few claims."""
from __future__ import annotations

import pytest

from integrity_check.cli import check_file
from integrity_check.config import load_config

from .conftest import CORPUS

PDFS = sorted(CORPUS.glob("*/*.pdf")) if CORPUS.exists() else []


@pytest.fixture(scope="module")
def config():
    return load_config()


@pytest.mark.skipif(not PDFS, reason="../shared/corpus is absent")
@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_scan_never_crashes(path, config):
    report = check_file(str(path), config)
    assert report["schema_version"] == 1
    assert not [f for f in report["findings"] if f["code"] == "INT001"], report["findings"]
    for f in report["findings"]:
        for ev in f["evidence"]:
            assert ev["page"] is not None


EXPECTED_PROBLEMS = {
    "pdfplumber_password-example.pdf": "encrypted",
    "xml_with_pdf_extension.pdf": "not-a-pdf",
    "scanned_imageonly_a-SiH_abstract.pdf": "no-text-layer",
}


@pytest.mark.skipif(not PDFS, reason="../shared/corpus is absent")
@pytest.mark.parametrize("name,kind", sorted(EXPECTED_PROBLEMS.items()))
def test_odd_files_end_in_a_clear_problem(name, kind, config):
    report = check_file(str(CORPUS / "odd" / name), config)
    assert [p["kind"] for p in report["problems"]][:1] == [kind]
    assert report["findings"] == []


@pytest.mark.skipif(not PDFS, reason="../shared/corpus is absent")
def test_encrypted_pdf_opens_with_password(config):
    report = check_file(str(CORPUS / "odd" / "pdfplumber_password-example.pdf"), config, password="test")
    assert not report.get("unreadable")
    assert report["document"]["pages"]


@pytest.mark.skipif(not PDFS, reason="../shared/corpus is absent")
def test_real_survey_table_error_is_found(config):
    """BMC Health Serv Res 2014 Table 1: 'Your preferences considered' 91.1% yes and 18.9% no of 56
    respondents: 18.9% is not k/56 for any k (and 91.1 + 18.9 = 110)."""
    report = check_file(str(CORPUS / "real" / "bmchsr_2014_14-1.pdf"), config)
    quotes = {f["evidence"][0]["quote"] for f in report["findings"] if f["code"] == "PCT001"}
    assert "18.9" in quotes


@pytest.mark.skipif(not PDFS, reason="../shared/corpus is absent")
def test_decimal_commas_are_read_on_every_page_of_a_paper_that_uses_them():
    from integrity_check.ingest import load_document

    doc = load_document(CORPUS / "real" / "cadsaudecolet_a3_diabetes_gestacional_PT.pdf")
    assert "6.6% (IC95%" in doc.text and "6,6%" not in doc.text
    assert "p = 0.0017" in doc.text
