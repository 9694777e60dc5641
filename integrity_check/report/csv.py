"""CSV export of findings: one row per finding, for spreadsheets and quick scripting.

Columns (``FINDING_COLUMNS``): path, code, name, severity, confidence, significance_flip, page,
quote, message, reported, recomputed.

- ``significance_flip`` is ``true`` or ``false``.
- ``page`` is the page of the evidence (1-based); when a finding's evidence spans several pages
  they are joined with ``;`` (e.g. ``2;5``); empty when unknown (text input).
- ``quote`` is the evidence quote; several quotes are joined with `` | ``.
- ``reported`` and ``recomputed`` are JSON objects (as in the JSON report).

Cells of free text (name, quote, message, path) that a spreadsheet would read as a formula
(starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) get a leading apostrophe,
unless they are a plain number: a manuscript's text is untrusted. Pass ``guard_formulas=False``
to get the raw text.
"""
from __future__ import annotations

import csv
import io
import json
import re
from typing import Any, Iterable, TextIO

__all__ = ["FINDING_COLUMNS", "finding_row", "write_findings_csv", "paper_findings_csv"]

FINDING_COLUMNS: tuple[str, ...] = (
    "path",
    "code",
    "name",
    "severity",
    "confidence",
    "significance_flip",
    "page",
    "quote",
    "message",
    "reported",
    "recomputed",
)

QUOTE_SEPARATOR = " | "

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_GUARDED = ("path", "name", "quote", "message")


def _guard(text: str) -> str:
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def _json(value: Any) -> str:
    if value is None:
        value = {}
    return json.dumps(value, ensure_ascii=False, default=str)


def finding_row(path: str, finding: dict, *, guard_formulas: bool = True) -> dict[str, str]:
    """The CSV cells (column -> text) for one finding of the document at ``path``."""
    evidence = [e for e in (finding.get("evidence") or []) if isinstance(e, dict)]
    pages: list[str] = []
    for e in evidence:
        p = e.get("page")
        if p is not None and str(p) not in pages:
            pages.append(str(p))
    quotes = [str(e.get("quote")) for e in evidence if e.get("quote")]
    flip = finding.get("significance_flip")
    row = {
        "path": str(path or ""),
        "code": str(finding.get("code") or ""),
        "name": str(finding.get("name") or ""),
        "severity": str(finding.get("severity") or ""),
        "confidence": str(finding.get("confidence") or ""),
        "significance_flip": "true" if flip else "false",
        "page": ";".join(pages),
        "quote": QUOTE_SEPARATOR.join(quotes),
        "message": str(finding.get("message") or ""),
        "reported": _json(finding.get("reported")),
        "recomputed": _json(finding.get("recomputed")),
    }
    if guard_formulas:
        for col in _GUARDED:
            row[col] = _guard(row[col])
    return row


def write_findings_csv(
    rows: Iterable[tuple[str, dict]], fp: TextIO, *, guard_formulas: bool = True
) -> int:
    """Write a header and one row per (document path, finding dict); returns the number of rows.

    ``fp`` is a text file; open it with ``newline=""`` (as the csv module asks) and an encoding
    such as ``utf-8`` (or ``utf-8-sig`` for Excel).
    """
    writer = csv.DictWriter(fp, fieldnames=list(FINDING_COLUMNS), extrasaction="ignore")
    writer.writeheader()
    n = 0
    for path, finding in rows:
        writer.writerow(finding_row(path, finding, guard_formulas=guard_formulas))
        n += 1
    return n


def paper_findings_csv(report: dict, *, guard_formulas: bool = True) -> str:
    """The findings of one paper's report as CSV text (header included)."""
    path = str((report.get("document") or {}).get("path") or "")
    buf = io.StringIO(newline="")
    write_findings_csv(
        ((path, f) for f in (report.get("findings") or []) if isinstance(f, dict)),
        buf,
        guard_formulas=guard_formulas,
    )
    return buf.getvalue()
