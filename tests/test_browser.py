"""The HTML reports in a real browser: headless Chromium through Playwright for Python.

Uses the system Chromium (Debian's ``chromium`` package at /usr/bin/chromium; ``.ci/run``
installs it when missing); Playwright's own browser download is never used. Skipped when the
browser or the ``playwright`` package is absent.

Checks: the severity and family filters of a paper's report hide and show findings; clicking a
column header of a batch index sorts it and the filter box filters it; no console errors, no
request other than the file itself (and its own ``data:`` images); nothing from a paper's text
runs (no dialog opens, even with the Content-Security-Policy bypassed); the print stylesheet
shows everything; and axe-core (vendored in tests/vendor/axe.min.js, MPL-2.0, see
tests/vendor/README.md) finds no WCAG 2 A/AA violation, contrast and landmarks included.
Screenshots go to a temporary folder; set INTEGRITY_CHECK_SCREENSHOTS=reports/screenshots to refresh
the README's pictures (a test run never changes tracked files otherwise).
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from .conftest import ROOT, SEED

CHROMIUM = Path("/usr/bin/chromium")
SEED_PDF = SEED / "crlm_bevacizumab_2col.pdf"
SHOTS = Path(os.environ.get("INTEGRITY_CHECK_SCREENSHOTS") or tempfile.mkdtemp(prefix="ic-shots-"))
if not SHOTS.is_absolute():
    SHOTS = ROOT / SHOTS
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


class Watched:
    """A page with its console errors, page errors, requests and dialogs recorded."""

    def __init__(self, browser, url: str, *, bypass_csp: bool = False, width: int = 1280) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=bypass_csp,
                                           java_script_enabled=True)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

        def on_dialog(d):
            self.dialogs.append(d.message)
            d.dismiss()

        self.page.on("dialog", on_dialog)
        self.url = url
        self.page.goto(url)
        self.page.wait_for_load_state("load")

    def assert_clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.dialogs == [], self.dialogs
        others = [u for u in self.requests if u != self.url and not u.startswith("data:")]
        assert others == [], others

    def close(self) -> None:
        self.context.close()


def _scan(*args) -> None:
    from click.testing import CliRunner

    from integrity_check.cli import main

    result = CliRunner().invoke(main, ["scan", *map(str, args), "--fail-on", "never"], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def _axe(page) -> list[dict]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => {
          const r = await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
            resultTypes: ['violations'],
          });
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                         nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    return result


@pytest.fixture(scope="module")
def seed_html(tmp_path_factory) -> Path:
    if not SEED_PDF.exists():
        pytest.skip(f"{SEED_PDF} not available (../shared is absent)")
    out = tmp_path_factory.mktemp("seed") / "seed_report.html"
    _scan(SEED_PDF, "-o", out)
    return out


@pytest.fixture(scope="module")
def batch_dir(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("papers")
    for name in ("example_trial.txt", "example_clean.txt"):
        shutil.copy(ROOT / "fixtures" / "papers" / name, src / name)
    out = tmp_path_factory.mktemp("batch") / "out"
    _scan(src, "-o", out)
    assert (out / "index.html").exists()
    return out


@pytest.fixture(scope="module")
def xss_html(tmp_path_factory) -> Path:
    from integrity_check.cli import rule_docs
    from integrity_check.report import render_paper_html

    from .test_report_crops import xss_report

    out = tmp_path_factory.mktemp("xss") / "xss.html"
    out.write_text(render_paper_html(xss_report(), rule_docs()), encoding="utf-8")
    return out


# ----------------------------------------------------------------------------- paper report


def test_seed_report_filters_and_screenshots(browser, seed_html):
    w = Watched(browser, seed_html.as_uri())
    page = w.page
    try:
        findings = page.locator("article.finding")
        total = findings.count()
        assert total > 10
        assert page.locator("#filters").is_visible()
        errors = page.locator("article.finding[data-severity=error]").count()
        assert 0 < errors < total

        # severity filter
        page.locator('input[data-filter="severity"][value="error"]').uncheck()
        assert page.locator("article.finding:visible").count() == total - errors
        assert page.locator("article.finding[data-severity=error]:visible").count() == 0
        assert "Showing" in page.locator("#filter-status").inner_text()
        page.locator('input[data-filter="severity"][value="error"]').check()
        assert page.locator("article.finding:visible").count() == total

        # family filter: the family's findings and its section disappear
        chi = page.locator("article.finding[data-family=CHI]").count()
        assert chi > 0
        page.locator('input[data-filter="family"][value="CHI"]').uncheck()
        assert page.locator("article.finding:visible").count() == total - chi
        assert page.locator("section.family[data-family=CHI]").is_hidden()
        # only significance flips
        page.locator('input[data-filter="flip"]').check()
        flips_non_chi = page.locator("article.finding[data-flip=true]:not([data-family=CHI])").count()
        assert page.locator("article.finding:visible").count() == flips_non_chi
        page.locator("#filters-reset").click()
        assert page.locator("article.finding:visible").count() == total

        # crops are real, decoded images
        ok = page.evaluate("""() => Array.from(document.querySelectorAll('article.finding img'))
                              .slice(0, 20).every(i => { i.loading = 'eager'; return true; })""")
        assert ok
        first_img = page.locator("#finding-1 img").first
        first_img.scroll_into_view_if_needed()
        page.wait_for_function("() => { const i = document.querySelector('#finding-1 img'); "
                               "return i && i.complete && i.naturalWidth > 0; }")

        SHOTS.mkdir(parents=True, exist_ok=True)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(SHOTS / "seed_report.png"))
        chi_card = page.locator("article.finding[data-family=CHI]").first
        chi_card.scroll_into_view_if_needed()
        chi_card.screenshot(path=str(SHOTS / "seed_finding.png"))
        table = page.locator("section.table-view").first
        table.scroll_into_view_if_needed()
        page.wait_for_function("() => Array.from(document.querySelectorAll('section.table-view img'))"
                               ".slice(0, 1).every(i => i.complete && i.naturalWidth > 0)")
        table.screenshot(path=str(SHOTS / "seed_tables.png"))
        w.assert_clean()
    finally:
        w.close()


def test_seed_report_prints_everything(browser, seed_html):
    w = Watched(browser, seed_html.as_uri())
    try:
        page = w.page
        page.locator('input[data-filter="severity"][value="error"]').uncheck()
        page.emulate_media(media="print")
        assert page.locator("nav.controls").is_hidden()
        hidden_errors = page.locator("article.finding[data-severity=error]").first
        assert hidden_errors.is_visible()  # filters do not hide anything on paper
        pdf = page.pdf(format="A4")
        assert pdf[:5] == b"%PDF-"
        w.assert_clean()
    finally:
        w.close()


def test_seed_report_accessibility(browser, seed_html):
    w = Watched(browser, seed_html.as_uri(), bypass_csp=True)  # to inject axe-core
    try:
        violations = _axe(w.page)
        assert violations == [], violations
    finally:
        w.close()


# ----------------------------------------------------------------------------- batch index


def test_batch_index_sorts_filters_links(browser, batch_dir):
    index = batch_dir / "index.html"
    w = Watched(browser, index.as_uri())
    page = w.page
    try:
        rows = page.locator("#papers tbody tr")
        assert rows.count() == 2
        names = lambda: [t.strip() for t in page.locator("#papers tbody td.path a").all_inner_texts()]  # noqa: E731
        assert sorted(names()) == ["example_clean.txt", "example_trial.txt"]

        def errors_col() -> list[float]:
            cells = page.locator("#papers tbody tr td:nth-child(4)")
            return [float(c.get_attribute("data-sort") or 0) for c in cells.all()]

        header = page.locator("#papers thead th", has_text="Errors")
        header.locator("button.sort").click()
        assert header.get_attribute("aria-sort") == "descending"
        assert errors_col() == sorted(errors_col(), reverse=True)
        assert names()[0] == "example_trial.txt"
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "batch_index.png"), full_page=True)  # most errors first
        header.locator("button.sort").click()
        assert header.get_attribute("aria-sort") == "ascending"
        assert errors_col() == sorted(errors_col())
        assert names()[0] == "example_clean.txt"

        # filter box
        page.locator("#paper-filter").fill("clean")
        assert page.locator("#papers tbody tr:visible").count() == 1
        page.locator("#paper-filter").fill("")
        assert page.locator("#papers tbody tr:visible").count() == 2

        # links go to each paper's report, written beside the index
        for href in page.locator("#papers tbody td.path a").evaluate_all("as => as.map(a => a.getAttribute('href'))"):
            assert (batch_dir / href).exists(), href
        w.assert_clean()
    finally:
        w.close()

    w = Watched(browser, index.as_uri(), bypass_csp=True)
    try:
        assert _axe(w.page) == []
    finally:
        w.close()


def test_batch_paper_report_opens_clean(browser, batch_dir):
    w = Watched(browser, (batch_dir / "example_trial.html").as_uri())
    try:
        assert w.page.locator("article.finding").count() > 0
        assert w.page.locator("img").count() == 0  # text input: no page images
        w.assert_clean()
    finally:
        w.close()


# ----------------------------------------------------------------------------- safety


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["csp", "no-csp"])
def test_script_in_paper_text_never_runs(browser, xss_html, bypass_csp):
    w = Watched(browser, xss_html.as_uri(), bypass_csp=bypass_csp)
    try:
        page = w.page
        page.wait_for_timeout(300)
        assert page.locator("article.finding").count() > 0
        body = page.locator("main").inner_text()
        assert "<script>alert(1)</script>" in body  # shown as text
        assert "<img src=x onerror=alert(1)>" in body
        assert page.locator("main img").count() == 0
        assert page.evaluate("document.querySelectorAll('main script').length") == 0
        w.assert_clean()  # no dialog, no console error, no request
    finally:
        w.close()
