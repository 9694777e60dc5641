"""Findings and their evidence, as the output contract (schema_version 1) describes them."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Optional

from .model import BBox, Document

SEVERITIES = ("error", "warning", "note")
SEVERITY_RANK = {"error": 0, "warning": 1, "note": 2}
CONFIDENCES = ("high", "medium", "low")


@dataclass
class Evidence:
    quote: str
    char_start: int
    char_end: int
    page: Optional[int] = None
    bbox: Optional[BBox] = None
    table: Optional[str] = None
    row: Optional[int] = None
    col: Optional[int] = None
    context: str = ""

    def to_dict(self) -> dict[str, Any]:
        d = {"quote": self.quote, "page": self.page, "char_start": self.char_start, "char_end": self.char_end,
             "bbox": list(self.bbox) if self.bbox else None, "table": self.table, "row": self.row, "col": self.col}
        if self.context:
            d["context"] = self.context
        return d


def evidence(doc: Document, start: int, end: int, table: str | None = None, row: int | None = None,
             col: int | None = None) -> Evidence:
    """Evidence for doc.text[start:end]; the quote is an exact slice of the normalized text."""
    quote = doc.text[start:end]
    if len(quote) > 200:
        end = start + 200
        quote = doc.text[start:end]
    context = _table_row_text(doc, start, end, table, row) or doc.line_around(start, end)
    return Evidence(quote=quote, char_start=start, char_end=end, page=doc.page_of(start), bbox=doc.bbox_of(start, end),
                    table=table, row=row, col=col, context=context if context != quote else "")


def _table_row_text(doc: Document, start: int, end: int, table: str | None, row: int | None) -> str:
    """The table row holding [start, end), cells joined by spaces: the context of a cell quote."""
    if table is None:
        return ""
    quote = doc.text[start:end]
    for t in doc.tables:
        if t.label != table or not (t.start <= start < t.end + 1):
            continue
        rows = [t.rows[row]] if row is not None and row < len(t.rows) else \
            [r for r in t.rows if any(c.start <= start < c.end for c in r)]
        for cells in rows:
            text = " ".join(" ".join(c.text.split()) for c in cells if c.text)
            if quote in text:
                return text
    return ""


@dataclass
class Finding:
    code: str
    name: str
    severity: str
    message: str
    evidence: list[Evidence]
    confidence: str = "high"
    significance_flip: bool = False
    reported: dict[str, Any] = field(default_factory=dict)
    recomputed: dict[str, Any] = field(default_factory=dict)
    tolerance: dict[str, Any] = field(default_factory=dict)

    @property
    def position(self) -> int:
        return self.evidence[0].char_start if self.evidence else 0

    def fingerprint(self) -> str:
        """Stable across runs and tool versions as long as the quote and its place stay the same."""
        first = self.evidence[0] if self.evidence else None
        key = f"{self.code}|{first.quote if first else ''}|{first.char_start if first else ''}"
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code, "name": self.name, "severity": self.severity, "confidence": self.confidence,
            "significance_flip": self.significance_flip, "message": self.message,
            "evidence": [e.to_dict() for e in self.evidence], "reported": self.reported,
            "recomputed": self.recomputed, "tolerance": self.tolerance, "fingerprint": self.fingerprint(),
        }


def sort_key(f: Finding):
    return (0 if f.significance_flip else 1, SEVERITY_RANK.get(f.severity, 9), f.position, f.code)


def dict_sort_key(f: dict[str, Any]):
    """``sort_key`` for a finding already in its JSON form."""
    position = f["evidence"][0]["char_start"] if f.get("evidence") else 0
    return (0 if f.get("significance_flip") else 1, SEVERITY_RANK.get(f["severity"], 9), position, f["code"])


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=sort_key)
