"""HTML reports: one self-contained page per paper, and an index page for a folder scan.

Both pages are rendered with Jinja2 from ``templates/*.html.j2`` with autoescaping on for every
template: a manuscript's text is untrusted input (a PDF can contain ``<script>`` or
``<img onerror=...>`` in its text layer), and every string taken from a report reaches the page
escaped. The Python side never builds HTML by hand; it only prepares plain strings and numbers
(a "view model") for the templates.

The pages are self-contained: CSS and JS are inline, nothing is fetched (no CDN, no web fonts,
no images). A Content-Security-Policy ``<meta>`` makes this a rule the browser enforces:
``default-src 'none'``, and scripts are allowed only by the SHA-256 hash of our own inline
script, so even an escaping bug could not run a script or an event handler coming from a paper.

The pages work with JavaScript off: everything is shown, the filter controls (which need JS)
stay hidden, and the index table keeps the order it was given in.
"""
from __future__ import annotations

import base64
import hashlib
import inspect
import json
import re
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import arithmetic
from .crops import FINDING_CROP_SHRINK, Box, PageRenderer, boxes_by_page, cluster_boxes, open_renderer

__all__ = [
    "render_paper_html",
    "render_index_html",
    "FAMILY_NAMES",
    "PALETTE",
    "contrast_ratio",
]

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

SEVERITIES = ("error", "warning", "note")
SEVERITY_PLURALS = {"error": "errors", "warning": "warnings", "note": "notes"}

#: Rule families (the first three letters of a rule code), as listed in the design document.
FAMILY_NAMES: dict[str, str] = {
    "PCT": "Percentages, counts, totals and denominators",
    "MSD": "Means and standard deviations (GRIM, GRIMMER)",
    "CHI": "Chi-square and Fisher tests from counts",
    "TST": "t and F tests from summary statistics",
    "PVL": "p-values from test statistics and degrees of freedom",
    "HZR": "Ratios, confidence intervals, p-values and coefficients",
    "SRV": "Survival",
    "SMP": "Sample size and power",
    "ARI": "Prose arithmetic",
    "XRF": "Cross-references (abstract, body, tables)",
    "DSN": "Design contradictions",
    "DUP": "Duplicated passages and reused statistics",
    "EXT": "Extraction problems",
    "INT": "Internal errors",
}

#: Colour pairs used by the stylesheet, as (css variable stem, foreground, background).
#: Every pair is text drawn on a background and must reach WCAG AA (contrast >= 4.5:1);
#: tests/test_report_render.py checks it. Colour is never the only signal: badges carry words.
PALETTE: tuple[tuple[str, str, str], ...] = (
    ("page", "#1b1b1f", "#ffffff"),
    ("muted", "#4f5259", "#ffffff"),
    ("panel", "#1b1b1f", "#f3f4f6"),
    ("panel-muted", "#4a4d54", "#f3f4f6"),
    ("link", "#0a4fb4", "#ffffff"),
    ("link-panel", "#0a4fb4", "#f3f4f6"),
    ("error", "#ffffff", "#b3261e"),
    ("warning", "#1b1b1f", "#f5c24a"),
    ("note", "#ffffff", "#1f5f99"),
    ("flip", "#ffffff", "#6b2fa3"),
    ("other", "#ffffff", "#4f5259"),
    ("mark", "#1b1b1f", "#ffe27a"),
    ("code", "#1b1b1f", "#eceef2"),
    ("box", "#ffffff", "#c8102e"),  # evidence numbers; the same red as the boxes on the page crops
    ("error-text", "#b3261e", "#ffffff"),
    ("warning-text", "#7a4f00", "#ffffff"),
    ("note-text", "#1f5f99", "#ffffff"),
)

_CSS_VARS: tuple[tuple[str, str], ...] = tuple(
    item for stem, fg, bg in PALETTE for item in ((f"{stem}-fg", fg), (f"{stem}-bg", bg))
)


def _relative_luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_ratio(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio between two ``#rrggbb`` colours (1.0 to 21.0)."""
    a, b = _relative_luminance(fg), _relative_luminance(bg)
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)


# --------------------------------------------------------------------------------------------
# Inline scripts. They are constants (no data from the report is ever put inside a <script>),
# and the CSP allows exactly these by hash.

_PAPER_JS = r"""
(function () {
  var form = document.getElementById('filters');
  if (!form) { return; }
  form.hidden = false;
  var findings = document.querySelectorAll('article.finding');
  var groups = document.querySelectorAll('section.family');
  var status = document.getElementById('filter-status');
  function checked(kind) {
    var out = {};
    form.querySelectorAll('input[data-filter="' + kind + '"]').forEach(function (cb) {
      out[cb.value] = cb.checked;
    });
    return out;
  }
  function apply() {
    var sev = checked('severity'), fam = checked('family');
    var flipsOnly = form.querySelector('input[data-filter="flip"]');
    flipsOnly = !!(flipsOnly && flipsOnly.checked);
    var shown = 0;
    findings.forEach(function (f) {
      var ok = sev[f.getAttribute('data-severity')] !== false &&
               fam[f.getAttribute('data-family')] !== false &&
               (!flipsOnly || f.getAttribute('data-flip') === 'true');
      f.hidden = !ok;
      if (ok) { shown += 1; }
    });
    groups.forEach(function (g) {
      g.hidden = !g.querySelector('article.finding:not([hidden])');
    });
    if (status) {
      status.textContent = shown === findings.length ? '' :
        'Showing ' + shown + ' of ' + findings.length + ' findings.';
    }
  }
  form.addEventListener('change', apply);
  var reset = document.getElementById('filters-reset');
  if (reset) {
    reset.addEventListener('click', function () {
      form.querySelectorAll('input[type="checkbox"]').forEach(function (cb) {
        cb.checked = cb.getAttribute('data-filter') !== 'flip';
      });
      apply();
    });
  }
  apply();
})();
""".strip()

_INDEX_JS = r"""
(function () {
  var table = document.getElementById('papers');
  if (!table) { return; }
  var tbody = table.tBodies[0];
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(tbody.rows, function (row, i) {
    row.setAttribute('data-index', String(i));
  });
  function key(row, col) {
    var cell = row.cells[col];
    if (!cell) { return ''; }
    var v = cell.getAttribute('data-sort');
    return v === null ? cell.textContent.trim() : v;
  }
  function sortBy(col, type, dir) {
    var rows = Array.prototype.slice.call(tbody.rows);
    var sign = dir === 'ascending' ? 1 : -1;
    rows.sort(function (a, b) {
      var x = key(a, col), y = key(b, col), c;
      if (x === '' && y !== '') { return 1; }   /* empty values last, either direction */
      if (y === '' && x !== '') { return -1; }
      if (type === 'number') {
        c = (parseFloat(x) || 0) - (parseFloat(y) || 0);
      } else {
        c = x.localeCompare(y, undefined, {numeric: true, sensitivity: 'base'});
      }
      if (c === 0) {
        return parseInt(a.getAttribute('data-index'), 10) - parseInt(b.getAttribute('data-index'), 10);
      }
      return sign * c;
    });
    rows.forEach(function (r) { tbody.appendChild(r); });
  }
  Array.prototype.forEach.call(heads, function (th, col) {
    var btn = th.querySelector('button.sort');
    if (!btn) { return; }
    btn.addEventListener('click', function () {
      var type = th.getAttribute('data-type') || 'text';
      var cur = th.getAttribute('aria-sort');
      var dir = cur === 'ascending' ? 'descending' :
                cur === 'descending' ? 'ascending' :
                (type === 'number' ? 'descending' : 'ascending');
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', dir);
      sortBy(col, type, dir);
    });
  });
  var box = document.getElementById('paper-filter');
  var status = document.getElementById('paper-filter-status');
  if (box) {
    document.getElementById('paper-filter-form').hidden = false;
    box.addEventListener('input', function () {
      var q = box.value.trim().toLowerCase(), shown = 0;
      Array.prototype.forEach.call(tbody.rows, function (row) {
        var ok = !q || row.textContent.toLowerCase().indexOf(q) !== -1;
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      if (status) {
        status.textContent = q ? 'Showing ' + shown + ' of ' + tbody.rows.length + ' papers.' : '';
      }
    });
  }
})();
""".strip()


def _script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _csp(script: Optional[str], images: bool = False) -> str:
    script_src = f"'{_script_hash(script)}'" if script else "'none'"
    img_src = "data:" if images else "'none'"
    return (
        "default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src {script_src}; img-src {img_src}; base-uri 'none'; form-action 'none'"
    )


_ENV: Optional[Environment] = None


def _env() -> Environment:
    global _ENV
    if _ENV is None:
        _ENV = Environment(
            loader=FileSystemLoader(str(TEMPLATES_DIR)),
            autoescape=True,  # every template, whatever its extension
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
    return _ENV


def _render(template: str, *, script: Optional[str], generator: str, images: bool = False, **ctx: Any) -> str:
    return _env().get_template(template).render(
        css_vars=_CSS_VARS,
        csp=_csp(script, images),
        script=Markup(script) if script else None,  # our own constant, never report data
        generator=generator,
        **ctx,
    )


# --------------------------------------------------------------------------------------------
# Formatting helpers (plain strings only; the templates escape them).

_ANCHOR_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def _anchor(prefix: str, name: Any) -> str:
    return f"{prefix}-{_ANCHOR_UNSAFE.sub('_', str(name))}"


def _fmt(value: Any) -> str:
    """A reported or recomputed value as short text (values are usually strings already)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return ", ".join(_fmt(v) for v in value) if value else "—"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _kv(mapping: Any) -> list[tuple[str, str]]:
    if not isinstance(mapping, dict):
        return [] if mapping in (None, "", [], ()) else [("value", _fmt(mapping))]
    return [(str(k), _fmt(v)) for k, v in mapping.items()]


def _int_or_none(value: Any) -> Optional[int]:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def _num_or_none(value: Any) -> Optional[float]:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _truncate(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_CONTEXT_SIDE = 320  # characters of context kept on each side of a quote


def _split_context(quote: str, context: Optional[str]) -> tuple[str, str, str, bool]:
    """(before, quote, after, found): the quote located in its context, context clipped."""
    if not context or not quote:
        return "", quote, "", False
    i = context.find(quote)
    if i < 0:
        return "", quote, "", False
    before, after = context[:i], context[i + len(quote):]
    if len(before) > _CONTEXT_SIDE:
        before = "…" + before[-_CONTEXT_SIDE:].lstrip()
    if len(after) > _CONTEXT_SIDE:
        after = after[:_CONTEXT_SIDE].rstrip() + "…"
    return before, quote, after, True


def _page_label(page: Any) -> str:
    return "page n/a" if page is None else f"p. {page}"


def _location(ev: dict) -> str:
    parts = []
    if ev.get("table"):
        parts.append(str(ev["table"]))
    if ev.get("row") is not None:
        parts.append(f"row {ev['row']}")
    if ev.get("col") is not None:
        parts.append(f"col {ev['col']}")
    return ", ".join(parts)


def _evidence_view(ev: Any, n: int = 0) -> dict:
    if not isinstance(ev, dict):
        ev = {"quote": str(ev)}
    quote = str(ev.get("quote") or "")
    context = ev.get("context")
    context = str(context) if context is not None else None
    before, q, after, found = _split_context(quote, context)
    chars = None
    if ev.get("char_start") is not None and ev.get("char_end") is not None:
        chars = f"chars {ev['char_start']}–{ev['char_end']}"
    bbox = ev.get("bbox")
    bbox_text = None
    if isinstance(bbox, (list, tuple)) and bbox:
        bbox_text = "bbox " + ", ".join(_fmt(v) for v in bbox)
    return {
        "before": before,
        "quote": q,
        "after": after,
        # context given but the quote is not in it: show the context separately
        "loose_context": context if (context and not found) else None,
        "page": _page_label(ev.get("page")),
        "location": _location(ev),
        "chars": chars,
        "bbox": bbox_text,
        "n": n,
        "table_anchor": None,  # set when the table view exists
        "cell": None,
    }


def _evidence_groups(raw_ev: list[dict], views: list[dict]) -> list[dict]:
    """Evidence items that share one context (a table row, a sentence) shown as one quote with
    every piece marked and numbered, instead of the same row repeated once per piece."""
    groups: list[dict] = []
    by_context: dict[str, dict] = {}
    for ev, view in zip(raw_ev, views):
        context = str(ev.get("context") or "")
        quote = str(ev.get("quote") or "")
        if context and quote and view["n"] and len(context) <= 700 and quote in context:
            g = by_context.get(context)
            if g is None:
                g = by_context[context] = {"context": context, "items": [], "views": []}
                groups.append(g)
            g["items"].append(ev)
            g["views"].append(view)
        else:
            groups.append({"context": None, "items": [ev], "views": [view]})
    out = []
    for g in groups:
        if g["context"] is None or len(g["views"]) == 1:
            out.append({"single": g["views"][0]})
            continue
        context = g["context"]
        taken: list[tuple[int, int, int]] = []  # (start, end, n)
        ok = True
        for ev, view in zip(g["items"], g["views"]):
            quote = str(ev.get("quote") or "")
            start = context.find(quote)
            while start >= 0 and any(start < e and start + len(quote) > s_ for s_, e, _ in taken):
                start = context.find(quote, start + 1)
            if start < 0:
                ok = False
                break
            taken.append((start, start + len(quote), view["n"]))
        if not ok:
            out.extend({"single": v} for v in g["views"])
            continue
        taken.sort()
        segments, pos = [], 0
        for s_, e, n in taken:
            if s_ > pos:
                segments.append({"text": context[pos:s_], "n": None})
            segments.append({"text": context[s_:e], "n": n})
            pos = e
        if pos < len(context):
            segments.append({"text": context[pos:], "n": None})
        out.append({"single": None, "segments": segments, "views": g["views"]})
    return out


def _family_of(code: str) -> str:
    return code[:3].upper() if code else "?"


def _severity_class(sev: str) -> str:
    return sev if sev in SEVERITIES else "other"


def _clean_doc(doc: Any) -> str:
    if not doc:
        return ""
    return inspect.cleandoc(str(doc))


# --------------------------------------------------------------------------------------------
# Per-paper page


#: At most this many crops under one finding (the rest of its evidence is in the Tables view).
MAX_CROPS_PER_FINDING = 4
#: Points kept above a table's first flagged cell when its caption is not on that page.
TABLE_HEADER_PT = 40.0


def _crop_view(crop, alt: str) -> dict:
    return {"src": crop.data_uri, "width": crop.width, "height": crop.height, "alt": alt, "page": crop.page}


class _CropMaker:
    """Crops for one report, made through one PageRenderer (each page rendered once)."""

    def __init__(self, renderer: Optional[PageRenderer]) -> None:
        self.renderer = renderer
        self._cache: dict[tuple, Any] = {}

    def crop(self, page: int, boxes: list[Box], top: Optional[float] = None, shrink: float = 1.0):
        if self.renderer is None:
            return None
        key = (page, tuple(boxes), top, shrink)
        if key not in self._cache:
            try:
                self._cache[key] = self.renderer.crop(page, boxes, top=top, shrink=shrink)
            except Exception:
                self._cache[key] = None
        return self._cache[key]

    def finding_crops(self, evidence: list[dict]) -> tuple[list[dict], int]:
        """(crops, regions left out) for one finding's evidence, labelled 1..n when n > 1."""
        if self.renderer is None:
            return [], 0
        several = len(evidence) > 1
        pages = boxes_by_page(
            (ev.get("page"), ev.get("bbox"), str(i) if several else "")
            for i, ev in enumerate(evidence, start=1)
        )
        regions = [(pg, cl) for pg in sorted(pages) for cl in cluster_boxes(pages[pg])]
        out = []
        for pg, cl in regions[:MAX_CROPS_PER_FINDING]:
            c = self.crop(pg, cl, shrink=FINDING_CROP_SHRINK)
            if c is None:
                continue
            quotes = ", ".join(b.label for b in cl if b.label)
            alt = (f"Page {pg} of the PDF, cropped around the evidence"
                   + (f" (boxes {quotes})" if quotes else "") + ", boxed in red")
            out.append(_crop_view(c, alt))
        return out, max(0, len(regions) - MAX_CROPS_PER_FINDING)


def _table_sort_key(name: str) -> tuple:
    return tuple((0, int(t)) if t.isdigit() else (1, t) for t in re.findall(r"\d+|\D+", name))


def _tables_view(raw_findings: list[dict], findings: list[dict], maker: _CropMaker) -> list[dict]:
    """One entry per (table, page) with evidence: its flagged cells numbered, the findings that
    point at each, and one crop of the table region with every flagged cell outlined."""
    tables: dict[tuple, dict] = {}
    for raw, f in zip(raw_findings, findings):
        for i, ev in enumerate(raw.get("evidence") or []):
            if not isinstance(ev, dict) or not ev.get("table"):
                continue
            name = str(ev["table"])
            page = _int_or_none(ev.get("page"))
            key = (name, page)
            t = tables.get(key)
            if t is None:
                t = tables[key] = {"name": name, "page": page, "anchor": _anchor("table", f"{name}-p{page}"),
                                   "cells": {}}
            bbox = ev.get("bbox") if isinstance(ev.get("bbox"), (list, tuple)) else None
            if ev.get("char_start") is not None:
                ckey = ("c", ev.get("char_start"), ev.get("char_end"))
            else:
                ckey = ("q", str(ev.get("quote") or ""), tuple(bbox) if bbox else None)
            cell = t["cells"].get(ckey)
            if cell is None:
                cell = t["cells"][ckey] = {
                    "quote": str(ev.get("quote") or ""), "bbox": bbox,
                    "row": ev.get("row"), "col": ev.get("col"),
                    "context": str(ev.get("context") or ""),
                    "order": (0, float(bbox[1]), float(bbox[0])) if bbox else (1, _num_or_none(ev.get("char_start")) or 0.0, 0.0),
                    "findings": [],
                    "_key": ckey,
                }
            if not any(x["n"] == f["n"] for x in cell["findings"]):
                cell["findings"].append({"n": f["n"], "id": f["id"], "code": f["code"],
                                         "severity": f["severity"], "sev_class": f["sev_class"]})
            # the finding's evidence item learns where the table view is
            if i < len(f["evidence"]):
                f["evidence"][i]["table_anchor"] = t["anchor"]
                f["evidence"][i]["_cell_key"] = (key, ckey)
    out = []
    for key in sorted(tables, key=lambda k: (k[1] if k[1] is not None else 10 ** 6, _table_sort_key(k[0]))):
        t = tables[key]
        cells = sorted(t["cells"].values(), key=lambda c: c["order"])
        for n, c in enumerate(cells, start=1):
            c["label"] = str(n)
        t["cells"] = cells
        t["crop"] = None
        page = t["page"]
        if maker.renderer is not None and page is not None:
            pages = boxes_by_page((page, c["bbox"], c["label"]) for c in cells)
            boxes = pages.get(page) or []
            if boxes:
                first = min(b.bbox[1] for b in boxes)
                try:
                    top = maker.renderer.caption_top(page, t["name"], first)
                except Exception:
                    top = None
                if top is None:  # caption on an earlier page: keep a few header lines at least
                    top = max(0.0, first - TABLE_HEADER_PT)
                c = maker.crop(page, boxes, top=top)
                if c is not None:
                    t["crop"] = _crop_view(c, f"{t['name']} on page {page} of the PDF, each flagged cell outlined in red and numbered as in the list beside it")
        out.append(t)
    # evidence items get their cell number in the table view
    labels = {(k, c["_key"]): c["label"] for k, t in tables.items() for c in t["cells"]}
    for f in findings:
        for ev in f["evidence"]:
            ck = ev.pop("_cell_key", None)
            if ck is not None:
                ev["cell"] = labels.get(ck)
    return out


def _findings_and_tables(raw_findings: list[dict], rule_docs: dict[str, dict],
                         maker: _CropMaker) -> tuple[list[dict], list[dict]]:
    findings = []
    for i, f in enumerate(raw_findings, start=1):
        code = str(f.get("code") or "?")
        sev = str(f.get("severity") or "note")
        raw_ev = [ev if isinstance(ev, dict) else {"quote": str(ev)} for ev in (f.get("evidence") or [])]
        several = len(raw_ev) > 1
        crops, more = maker.finding_crops(raw_ev)
        findings.append({
            "n": i,
            "id": f"finding-{i}",
            "code": code,
            "rule_anchor": _anchor("rule", code),
            "name": str(f.get("name") or (rule_docs.get(code) or {}).get("name") or ""),
            "severity": sev,
            "sev_class": _severity_class(sev),
            "confidence": str(f.get("confidence") or ""),
            "flip": bool(f.get("significance_flip")),
            "family": _family_of(code),
            "message": str(f.get("message") or ""),
            "evidence": [_evidence_view(ev, j if several else 0) for j, ev in enumerate(raw_ev, start=1)],
            "reported": _kv(f.get("reported")),
            "recomputed": _kv(f.get("recomputed")),
            "tolerance": _kv(f.get("tolerance")),
            "work": arithmetic.explain(f),
            "tolerance_text": arithmetic.tolerance_text(f),
            "crops": crops,
            "more_regions": more,
            "pages": sorted({p for p in (_int_or_none(ev.get("page")) for ev in raw_ev) if p is not None}),
        })
    tables = _tables_view(raw_findings, findings, maker)
    for raw, f in zip(raw_findings, findings):
        raw_ev = [ev if isinstance(ev, dict) else {"quote": str(ev)} for ev in (raw.get("evidence") or [])]
        f["evidence_groups"] = _evidence_groups(raw_ev, f["evidence"])
    return findings, tables


def _paper_context(report: dict, rule_docs: dict[str, dict], images: bool = True) -> dict:
    document = report.get("document") or {}
    summary = report.get("summary") or {}
    tool = report.get("tool") or {}
    raw_findings = [f for f in (report.get("findings") or []) if isinstance(f, dict)]

    path = str(document.get("path") or "")
    title = str(document.get("title") or "").strip() or (Path(path).name if path else "Untitled document")
    pages = document.get("pages")

    renderer, image_note = (None, None)
    if images and path:
        renderer, image_note = open_renderer(path, document.get("sha256"))
    maker = _CropMaker(renderer)
    try:
        findings, tables = _findings_and_tables(raw_findings, rule_docs, maker)
    finally:
        if renderer is not None:
            renderer.close()
    has_images = any(f["crops"] for f in findings) or any(t["crop"] for t in tables)

    # Groups by family, in order of first appearance (findings arrive sorted, flips first).
    groups: dict[str, dict] = {}
    for f in findings:
        fam = f["family"]
        if fam not in groups:
            label = FAMILY_NAMES.get(fam)
            if label is None:
                doc_fam = (rule_docs.get(f["code"]) or {}).get("family")
                label = str(doc_fam) if doc_fam else "Other checks"
            groups[fam] = {"key": fam, "anchor": _anchor("family", fam), "label": label, "findings": []}
        groups[fam]["findings"].append(f)

    counted = {s: sum(1 for f in findings if f["severity"] == s) for s in SEVERITIES}
    counts = []
    for s in SEVERITIES:
        n = _int_or_none(summary.get(s))
        counts.append({"severity": s, "label": SEVERITY_PLURALS[s], "n": counted[s] if n is None else n})
    flips = _int_or_none(summary.get("significance_flips"))
    if flips is None:
        flips = sum(1 for f in findings if f["flip"])

    extra_sevs = sorted({f["severity"] for f in findings} - set(SEVERITIES))
    severity_filters = [
        {"value": s, "label": s, "sev_class": _severity_class(s),
         "n": sum(1 for f in findings if f["severity"] == s)}
        for s in (*SEVERITIES, *extra_sevs)
    ]

    facts = summary.get("facts")
    facts_total = facts_detail = None
    if isinstance(facts, dict) and facts:
        nums = {str(k): _int_or_none(v) for k, v in facts.items()}
        facts_total = sum(v for v in nums.values() if v is not None)
        facts_detail = ", ".join(f"{k} {v}" for k, v in nums.items() if v is not None)

    # Documentation for every rule code that appears, sorted by code.
    occurrences: dict[str, list[dict]] = {}
    for f in findings:
        occurrences.setdefault(f["code"], []).append(f)
    rules = []
    for code in sorted(occurrences):
        info = rule_docs.get(code) or {}
        fam = _family_of(code)
        rules.append({
            "code": code,
            "anchor": _anchor("rule", code),
            "name": str(info.get("name") or occurrences[code][0]["name"] or ""),
            "severity": str(info.get("severity") or ""),
            "family": str(info.get("family") or FAMILY_NAMES.get(fam, fam)),
            "doc": _clean_doc(info.get("doc")),
            "findings": occurrences[code],
        })

    problems = []
    for p in report.get("problems") or []:
        if isinstance(p, dict):
            problems.append({"kind": str(p.get("kind") or "problem"),
                             "page": p.get("page"),
                             "message": str(p.get("message") or "")})
        else:
            problems.append({"kind": "problem", "page": None, "message": str(p)})

    tool_name = str(tool.get("name") or "integrity-check")
    tool_version = str(tool.get("version") or "")
    return {
        "doc": {"title": title, "path": path, "pages": "n/a" if pages is None else pages,
                "sha256": str(document.get("sha256") or "")},
        "counts": counts,
        "flips": flips,
        "facts_total": facts_total,
        "facts_detail": facts_detail,
        "findings": findings,
        "groups": list(groups.values()),
        "severity_filters": severity_filters,
        "problems": problems,
        "rules": rules,
        "tool": f"{tool_name} {tool_version}".strip(),
        "schema_version": report.get("schema_version"),
        "tables": tables,
        "has_images": has_images,
        "image_note": image_note,
        "seconds": _num_or_none((report.get("timing") or {}).get("seconds")),
    }


def render_paper_html(report: dict, rule_docs: Optional[dict[str, dict]] = None, *,
                      images: bool = True) -> str:
    """The self-contained HTML page for one paper's report (a schema_version 1 report dict).

    ``rule_docs`` maps rule code -> {"name", "severity", "family", "doc"}; the documentation of
    every rule that appears in the findings is printed at the end of the page (anchor
    ``rule-CODE``), and each finding's code links to it. A code without documentation still
    gets its anchor, with a short note instead of the text.

    When ``report["document"]["path"]`` is a PDF that exists (and still has the report's
    SHA-256), each finding shows crops of the page around its evidence, and the Tables section
    shows each flagged table region once with its flagged cells outlined and numbered (see
    ``crops.py``); ``images=False`` leaves them out. Each page is rendered once per report.
    """
    ctx = _paper_context(report, rule_docs or {}, images=images)
    script = _PAPER_JS if ctx["findings"] else None
    return _render("paper.html.j2", script=script, generator=ctx["tool"], images=ctx["has_images"], **ctx)


# --------------------------------------------------------------------------------------------
# Index page


def _safe_href(href: Any) -> Optional[str]:
    """A relative link to a report, or None. Anything with a URL scheme (http:, javascript:,
    data:, a Windows drive letter...) or a protocol-relative ``//host`` is refused: the index
    links only to the reports written next to it."""
    if not href:
        return None
    text = str(href).strip()
    if not text or text.startswith("//") or "\\\\" in text:
        return None
    if any(ord(c) < 32 for c in text):
        return None
    try:
        scheme = urlsplit(text).scheme
    except ValueError:
        return None
    if scheme:
        return None
    return text


def _paper_row(p: dict, i: int) -> dict:
    path = str(p.get("path") or "")
    pages = _int_or_none(p.get("pages"))
    seconds = _num_or_none(p.get("seconds"))
    counts = {s: _int_or_none(p.get(s)) for s in SEVERITIES}
    flips = _int_or_none(p.get("significance_flips"))
    top = p.get("top_finding")
    problems = p.get("problems") or []
    if isinstance(problems, str):
        problems = [problems]
    return {
        "n": i,
        "path": path,
        "name": re.split(r"[\\/]", path.rstrip("\\/"))[-1] or path,
        "href": _safe_href(p.get("report_href")),
        "pages": pages,
        "counts": counts,
        "flips": flips,
        "top": _truncate(str(top), 220) if top else None,
        "top_full": str(top) if top else None,
        "seconds": seconds,
        "seconds_text": f"{seconds:.2f}" if seconds is not None else "—",
        "problems": [str(x) for x in problems],
    }


def _fmt_similarity(sim: Any) -> str:
    x = _num_or_none(sim)
    if x is None:
        return _fmt(sim)
    return f"{x:.0%}" if 0 <= x <= 1 else f"{x:g}"


def render_index_html(papers: list[dict], cross_paper: Optional[list[dict]] = None) -> str:
    """The index page of a folder scan: one sortable, filterable table row per paper.

    Each paper is {"path", "report_href", "pages", "error", "warning", "note",
    "significance_flips", "top_finding", "seconds", "problems": [str]}. ``report_href`` must be a
    relative link (a link with a scheme is dropped and the path shown as text). Rows keep the
    given order until a column header is clicked. ``cross_paper`` lists duplicated passages
    between papers: {"a_path", "b_path", "similarity", "quote_a", "quote_b"}.
    """
    rows = [_paper_row(p, i) for i, p in enumerate(papers or [], start=1) if isinstance(p, dict)]
    totals = {s: sum(r["counts"][s] or 0 for r in rows) for s in SEVERITIES}
    totals["flips"] = sum(r["flips"] or 0 for r in rows)
    totals["with_findings"] = sum(1 for r in rows if any((r["counts"][s] or 0) for s in SEVERITIES))
    totals["with_problems"] = sum(1 for r in rows if r["problems"])
    cross = None
    if cross_paper is not None:
        cross = [
            {
                "a_path": str(c.get("a_path") or ""),
                "b_path": str(c.get("b_path") or ""),
                "similarity": _fmt_similarity(c.get("similarity")),
                "quote_a": str(c.get("quote_a") or ""),
                "quote_b": str(c.get("quote_b") or ""),
            }
            for c in cross_paper
            if isinstance(c, dict)
        ]
    return _render(
        "index.html.j2",
        script=_INDEX_JS,
        generator="integrity-check",
        rows=rows,
        totals=totals,
        severities=SEVERITIES,
        severity_plurals=SEVERITY_PLURALS,
        cross=cross,
    )
