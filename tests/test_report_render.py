"""Rendering of reports: HTML (per paper, index), CSV and terminal text."""
from __future__ import annotations

import base64
import copy
import csv
import hashlib
import io
import json
import re
from html.parser import HTMLParser

import pytest

from integrity_check.report import (
    FINDING_COLUMNS,
    paper_findings_csv,
    render_index_html,
    render_paper_html,
    render_text,
    write_findings_csv,
)
from integrity_check.report.html import PALETTE, contrast_ratio

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"
ORR_CONTEXT = "Objective Response Rate (ORR) 26 (68.9) 18 (46.7) 4.287 0.038"
ANSI = re.compile(r"\x1b\[")


def sample_report() -> dict:
    return {
        "schema_version": 1,
        "tool": {"name": "integrity-check", "version": "0.1.0"},
        "document": {
            "path": "papers/trial <b>x</b>.pdf",
            "sha256": "ab" * 32,
            "pages": 9,
            "title": "A randomised trial " + XSS_SCRIPT,
        },
        "summary": {
            "error": 2,
            "warning": 1,
            "note": 0,
            "significance_flips": 1,
            "facts": {"percentage": 140, "test": 61, "ratio": 9},
        },
        "findings": [
            {
                "code": "CHI001",
                "name": "chi-square-inconsistent-with-counts",
                "severity": "warning",
                "confidence": "medium",
                "significance_flip": True,
                "message": "chi-square recomputed from the counts is 2.91 (p = 0.088), reported 4.287 (p = 0.038)",
                "evidence": [{"quote": "4.287 0.038", "page": 5, "char_start": 10251, "char_end": 10262,
                              "bbox": None, "table": "Table 3", "row": 5, "col": 3,
                              "context": ORR_CONTEXT}],
                "reported": {"chi2": "4.287", "p": "0.038"},
                "recomputed": {"chi2": "2.91", "p": "0.088"},
                "tolerance": {"method": "up_or_down", "decimals": 3},
            },
            {
                "code": "PCT001",
                "name": "percentage-inconsistent-with-n",
                "severity": "error",
                "confidence": "high",
                "significance_flip": False,
                "message": "68.9% is not attainable with n = 38 (26/38 = 68.4%, 27/38 = 71.1%); 31/45 = 68.9%",
                "evidence": [{"quote": "26 (68.9)", "page": 5, "char_start": 10231, "char_end": 10240,
                              "bbox": [72.1, 402.3, 118.0, 411.9], "table": "Table 3", "row": 5, "col": 1,
                              "context": ORR_CONTEXT}],
                "reported": {"percent": "68.9", "n": "38"},
                "recomputed": {"candidates": ["68.4", "71.1"]},
                "tolerance": {"method": "up_or_down", "decimals": 1},
            },
            {
                "code": "ARI001",
                "name": "prose-arithmetic",
                "severity": "error",
                "confidence": "low",
                "significance_flip": False,
                "message": "sum does not match " + XSS_SCRIPT + " and " + XSS_IMG,
                "evidence": [{"quote": XSS_SCRIPT + " 12 + 5 = 18", "page": None, "char_start": 5,
                              "char_end": 40, "bbox": None, "table": None, "row": None, "col": None,
                              "context": "before " + XSS_IMG + " " + XSS_SCRIPT + " 12 + 5 = 18 after"}],
                "reported": {"total": XSS_IMG},
                "recomputed": {"total": "17"},
                "tolerance": {},
            },
        ],
        "problems": [{"kind": "no-text-layer", "page": 3, "message": "page 3 has no text layer " + XSS_IMG}],
    }


RULE_DOCS = {
    "PCT001": {
        "name": "percentage-inconsistent-with-n",
        "severity": "error",
        "family": "PCT",
        "doc": "What it checks\n    A percentage against its numerator and n.\nWhy it matters\n    x < y & z\n"
               "Example\n    26 (68.9) with n = 38\nTolerance\n    up_or_down\nKnown limitations\n    none\n"
               "References\n    Brown & Heathers 2017 " + XSS_SCRIPT,
    },
    "CHI001": {
        "name": "chi-square-inconsistent-with-counts",
        "severity": "warning",
        "family": "CHI",
        "doc": "What it checks\n    chi-square from counts.",
    },
    # ARI001 intentionally has no documentation: its anchor must still exist.
}


def sample_index() -> tuple[list[dict], list[dict]]:
    papers = [
        {"path": "papers/a.pdf", "report_href": "a.html", "pages": 9, "error": 2, "warning": 1, "note": 0,
         "significance_flips": 1, "top_finding": "68.9% is not attainable with n = 38", "seconds": 1.234,
         "problems": []},
        {"path": "papers/" + XSS_SCRIPT + ".pdf", "report_href": "javascript:alert(1)", "pages": 3,
         "error": 0, "warning": 0, "note": 1, "significance_flips": 0, "top_finding": XSS_IMG,
         "seconds": 0.5, "problems": ["page 2 has no text layer " + XSS_IMG]},
        {"path": "papers/c.pdf", "report_href": "https://evil.example/c.html", "pages": None, "error": 0,
         "warning": 0, "note": 0, "significance_flips": 0, "top_finding": None, "seconds": None,
         "problems": ["unreadable: encrypted"]},
    ]
    cross = [{"a_path": "papers/a.pdf", "b_path": "papers/c.pdf", "similarity": 0.93,
              "quote_a": "Patients were randomised " + XSS_SCRIPT, "quote_b": "Patients were randomized " + XSS_IMG}]
    return papers, cross


class _Tags(HTMLParser):
    """Collects the real tags and script bodies of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def parse(page: str) -> _Tags:
    p = _Tags()
    p.feed(page)
    p.close()
    return p


def raw_scripts(page: str) -> list[str]:
    return re.findall(r"<script[^>]*>(.*?)</script>", page, flags=re.S | re.I)


def assert_no_injection(page: str) -> None:
    # the payloads appear only escaped
    assert "<script>alert" not in page
    assert "<img" not in page.lower()
    assert "<b>x</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    tags = parse(page)
    # no tag that came from the document: no img, no event handler attribute anywhere
    assert not [t for t, _ in tags.tags if t in ("img", "iframe", "object", "embed", "b")]
    for tag, attrs in tags.tags:
        for name, _value in attrs:
            assert not name.lower().startswith("on"), (tag, name)
    # our own inline scripts do not carry the payload
    for body in raw_scripts(page):
        assert "alert" not in body
        assert "onerror" not in body


def assert_self_contained(page: str) -> None:
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"""url\(\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"@import", page, re.I)
    tags = parse(page)
    for tag, attrs in tags.tags:
        assert tag not in ("link", "img", "iframe")
        if tag == "script":
            assert dict(attrs).get("src") is None


def assert_csp_allows_only_our_script(page: str) -> None:
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert m, "CSP meta missing"
    csp = m.group(1).replace("&#39;", "'")
    assert "default-src 'none'" in csp
    bodies = raw_scripts(page)
    for body in bodies:
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0]


# ----------------------------------------------------------------------------- paper HTML


@pytest.fixture(scope="module")
def paper_html() -> str:
    return render_paper_html(sample_report(), RULE_DOCS)


def test_paper_html_escapes_document_text(paper_html):
    assert_no_injection(paper_html)
    assert "&lt;img src=x onerror=alert(1)&gt;" in paper_html


def test_paper_html_self_contained(paper_html):
    assert_self_contained(paper_html)
    assert_csp_allows_only_our_script(paper_html)
    assert len(raw_scripts(paper_html)) == 1


def test_paper_html_landmarks_and_header(paper_html):
    assert "<main" in paper_html
    assert "<header" in paper_html
    assert "<nav" in paper_html
    assert '<html lang="en">' in paper_html
    assert "A randomised trial &lt;script&gt;" in paper_html
    assert "papers/trial &lt;b&gt;x&lt;/b&gt;.pdf" in paper_html
    # counts by severity, spelled out (not colour only)
    text = re.sub(r"<[^>]+>", " ", paper_html)
    text = " ".join(text.split())
    assert "errors 2" in text and "warnings 1" in text and "notes 0" in text
    assert "significance flips 1" in text
    assert "Facts checked: 210" in text


def test_paper_html_highlights_quote_in_context(paper_html):
    assert "Objective Response Rate (ORR) <mark>26 (68.9)</mark> 18 (46.7) 4.287 0.038" in paper_html
    assert "Objective Response Rate (ORR) 26 (68.9) 18 (46.7) <mark>4.287 0.038</mark>" in paper_html
    assert "Table 3, row 5, col 1" in paper_html
    assert "p. 5" in paper_html
    assert "page n/a" in paper_html  # evidence without a page


def test_paper_html_rule_doc_anchors(paper_html):
    for code in ("PCT001", "CHI001", "ARI001"):
        assert f'id="rule-{code}"' in paper_html
        assert f'href="#rule-{code}"' in paper_html
    assert "No documentation is available for this rule." in paper_html  # ARI001
    assert "Brown &amp; Heathers 2017 &lt;script&gt;" in paper_html
    assert "x &lt; y &amp; z" in paper_html
    # the docs come at the end, after the findings
    assert paper_html.index('id="rule-PCT001"') > paper_html.index('id="finding-3"')


def test_paper_html_grouping_badges_and_values(paper_html):
    # grouped by family in order of first appearance (the flip sorts first)
    i_chi, i_pct, i_ari = (paper_html.index(f'id="family-{f}"') for f in ("CHI", "PCT", "ARI"))
    assert i_chi < i_pct < i_ari
    assert paper_html.count("significance flip</span>") == 1
    assert '<span class="badge sev-error">error</span>' in paper_html
    assert '<span class="badge sev-warning">warning</span>' in paper_html
    assert "<caption>Reported</caption>" in paper_html and "<caption>Recomputed</caption>" in paper_html
    assert "<td>68.4, 71.1</td>" in paper_html
    assert "Tolerance: a printed number stands for every value that prints as it" in paper_html
    assert "[method up_or_down; decimals 1]" in paper_html
    assert "no-text-layer" in paper_html


def test_paper_html_filters(paper_html):
    assert 'id="filters"' in paper_html
    for sev in ("error", "warning", "note"):
        assert f'data-filter="severity" value="{sev}" checked' in paper_html
    for fam in ("PCT", "CHI", "ARI"):
        assert f'data-filter="family" value="{fam}" checked' in paper_html
    # nothing is hidden in the markup: with JS off everything shows; filters need JS to appear
    assert re.search(r'<form id="filters" hidden>', paper_html)
    assert not re.search(r"<article[^>]*\shidden", paper_html)
    assert "<noscript>" in paper_html
    assert "@media print" in paper_html


def test_paper_html_no_findings():
    rep = sample_report()
    rep["findings"] = []
    rep["summary"].update(error=0, warning=0, note=0, significance_flips=0)
    page = render_paper_html(rep, {})
    assert "No inconsistencies found." in page
    assert "<script>" not in page
    assert "script-src 'none'" in page.replace("&#39;", "'")
    assert "<main" in page


def test_paper_html_tolerates_sparse_report():
    page = render_paper_html({"findings": [{"code": "PCT001", "message": "m"}]}, {})
    assert 'id="rule-PCT001"' in page and "<main" in page


def test_palette_contrast_meets_wcag_aa():
    for name, fg, bg in PALETTE:
        assert contrast_ratio(fg, bg) >= 4.5, name


# ----------------------------------------------------------------------------- index HTML


@pytest.fixture(scope="module")
def index_html() -> str:
    papers, cross = sample_index()
    return render_index_html(papers, cross)


def test_index_html_escapes_and_is_self_contained(index_html):
    assert_no_injection(index_html)
    assert_self_contained(index_html)
    assert_csp_allows_only_our_script(index_html)


def test_index_html_links_only_relative_reports(index_html):
    assert '<a href="a.html">a.pdf</a>' in index_html
    assert "javascript:" not in index_html
    assert "evil.example" not in index_html
    hrefs = [dict(a).get("href") for t, a in parse(index_html).tags if t == "a"]
    assert "a.html" in hrefs


def test_index_html_sorting_and_filter(index_html):
    assert '<table class="papers sortable" id="papers">' in index_html
    assert index_html.count('<button type="button" class="sort">') == 10
    assert 'data-type="number"' in index_html
    assert "aria-sort" in raw_scripts(index_html)[0]
    assert "localeCompare" in raw_scripts(index_html)[0]
    assert 'id="paper-filter"' in index_html
    assert "<main" in index_html
    # one row per paper, with numeric sort keys and problems shown
    tbody = index_html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert tbody.count("<tr>") == 3
    assert 'data-sort="1.234"' in tbody
    assert "unreadable: encrypted" in tbody
    assert "68.9% is not attainable with n = 38" in tbody


def test_index_html_cross_paper(index_html):
    assert 'id="cross-paper"' in index_html
    assert "93%" in index_html
    assert "Patients were randomised &lt;script&gt;" in index_html
    assert 'id="cross-paper"' not in render_index_html(sample_index()[0])
    assert "No duplicated passages" in render_index_html(sample_index()[0], [])


def test_index_html_empty():
    page = render_index_html([])
    assert "No papers were scanned." in page


# ----------------------------------------------------------------------------- CSV


def test_paper_csv_round_trips():
    rep = sample_report()
    text = paper_findings_csv(rep)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == FINDING_COLUMNS
    assert len(rows) == 1 + len(rep["findings"])
    records = [dict(zip(rows[0], r)) for r in rows[1:]]
    for rec, f in zip(records, rep["findings"]):
        assert rec["path"] == rep["document"]["path"]
        assert rec["code"] == f["code"]
        assert rec["message"] == f["message"]
        assert rec["quote"] == f["evidence"][0]["quote"]
        assert json.loads(rec["reported"]) == f["reported"]
        assert json.loads(rec["recomputed"]) == f["recomputed"]
        assert rec["significance_flip"] == ("true" if f["significance_flip"] else "false")
    assert records[1]["page"] == "5" and records[2]["page"] == ""
    assert records[1]["quote"] == "26 (68.9)"


def test_write_findings_csv_many_papers_and_awkward_text(tmp_path):
    rep = sample_report()
    f = copy.deepcopy(rep["findings"][1])
    f["message"] = 'line one\nline two, with "quotes"'
    f["evidence"].append({"quote": "31/45", "page": 6})
    formula = copy.deepcopy(rep["findings"][1])
    formula["message"] = "=HYPERLINK(\"x\")"
    formula["evidence"][0]["quote"] = "-0.5"
    out = tmp_path / "findings.csv"
    with out.open("w", newline="", encoding="utf-8") as fp:
        n = write_findings_csv([("a.pdf", f), ("b, c.pdf", rep["findings"][0]), ("d.pdf", formula)], fp)
    assert n == 3
    with out.open(newline="", encoding="utf-8") as fp:
        rows = list(csv.DictReader(fp))
    assert rows[0]["message"] == 'line one\nline two, with "quotes"'
    assert rows[0]["page"] == "5;6"
    assert rows[0]["quote"] == "26 (68.9) | 31/45"
    assert rows[1]["path"] == "b, c.pdf"
    assert rows[2]["message"] == "'=HYPERLINK(\"x\")"  # neutralised for spreadsheets
    assert rows[2]["quote"] == "-0.5"  # a plain number is left alone


# ----------------------------------------------------------------------------- text


def test_text_plain_has_no_ansi_and_one_line_per_finding():
    rep = sample_report()
    out = render_text(rep, color=False)
    assert not ANSI.search(out)
    lines = out.splitlines()
    assert lines[0].startswith("papers/trial <b>x</b>.pdf | 9 pages | 2 errors, 1 warning, 0 notes")
    assert "1 significance flip" in lines[0]
    assert lines[1].startswith("WARNING CHI001 p.5     [flip] chi-square recomputed")
    assert any(line.startswith("ERROR   PCT001 p.5     68.9% is not attainable") for line in lines)
    assert any(line.startswith("ERROR   ARI001 -       ") for line in lines)
    assert any(line.startswith("problem p.3") and "no-text-layer" in line for line in lines)
    assert all(len(line) <= 160 for line in lines)
    assert out.count("[flip]") == 1


def test_text_color_uses_ansi():
    out = render_text(sample_report(), color=True)
    assert ANSI.search(out)
    assert re.sub(r"\x1b\[[0-9;]*m", "", out) == render_text(sample_report(), color=False)


def test_text_wraps_long_messages_and_strips_control_chars():
    rep = sample_report()
    rep["findings"][1]["message"] = "word " * 400 + "\x1b[31mred\x1b[0m"
    rep["findings"][0]["message"] = "bell\x07 and \u202eevil"
    out = render_text(rep, color=False, width=100)
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    lines = out.splitlines()
    assert all(len(line) <= 100 for line in lines)
    cont = [line for line in lines if line.startswith(" " * 23 + "word")]
    assert cont, "the message wraps under itself"
    assert any(line.endswith("…") for line in lines)


def test_text_no_findings():
    rep = sample_report()
    rep["findings"] = []
    rep["problems"] = []
    rep["summary"].update(error=0, warning=0, note=0, significance_flips=0)
    out = render_text(rep, color=False)
    assert "no inconsistencies found (210 facts checked)" in out
    assert len(out.splitlines()) == 2
