"""The document model: what ingest produces and extraction reads.

All offsets are positions in ``Document.text``, the normalized text of the whole document (pages
joined by a form feed line). Evidence quotes are slices of that text, so they are exact substrings.
For PDFs every character of ``Document.text`` that came from the page has a page number and a box
(PDF points, top-left origin); characters inserted by ingest (page separators) have none.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import numpy as np

PAGE_SEPARATOR = "\n\f\n"

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, top-left origin


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Problem:
    kind: str  # unreadable, encrypted, no-text-layer, not-a-pdf, empty, timeout, ...
    message: str
    page: Optional[int] = None


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    start: int  # offset of the page's first char in Document.text
    end: int
    width: float
    height: float


@dataclass(frozen=True)
class Cell:
    text: str  # == Document.text[start:end] (stripped)
    start: int
    end: int
    row: int  # 0-based within the table (header rows included)
    col: int


@dataclass(frozen=True)
class Table:
    label: str  # "Table 3"
    caption: str  # the caption text after the label
    rows: tuple[tuple[Cell, ...], ...]
    header_rows: int  # how many leading rows are headers
    start: int  # span of the table in Document.text (caption included when known)
    end: int
    page: Optional[int] = None

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def header_text(self, col: int) -> str:
        parts = []
        for r in self.rows[: self.header_rows]:
            for c in r:
                if c.col == col and c.text:
                    parts.append(c.text)
        return " ".join(parts)

    def body(self) -> tuple[tuple[Cell, ...], ...]:
        return self.rows[self.header_rows:]


@dataclass
class Document:
    path: str
    sha256: str
    kind: str  # "pdf" or "text"
    text: str
    pages: list[Page] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    title: str = ""
    # One row per char of ``text``: page index (-1 when none) and box. Empty for text input.
    char_page: Optional[np.ndarray] = None
    char_box: Optional[np.ndarray] = None
    repairs: tuple[Span, ...] = ()  # spans changed by glyph-damage repair (lower confidence)

    def page_of(self, offset: int) -> Optional[int]:
        if self.char_page is not None and 0 <= offset < len(self.char_page):
            idx = int(self.char_page[offset])
            if idx >= 0:
                return idx + 1
        for p in self.pages:
            if p.start <= offset < p.end:
                return p.number
        return None

    def bbox_of(self, start: int, end: int) -> Optional[BBox]:
        """Union box of the chars in [start, end) that lie on the page of the first one."""
        if self.char_box is None or self.char_page is None or end <= start:
            return None
        pages = self.char_page[start:end]
        boxes = self.char_box[start:end]
        valid = pages >= 0
        if not valid.any():
            return None
        first_page = pages[valid][0]
        sel = boxes[(pages == first_page) & (boxes[:, 2] > boxes[:, 0])]
        if len(sel) == 0:
            return None
        return (
            round(float(sel[:, 0].min()), 1),
            round(float(sel[:, 1].min()), 1),
            round(float(sel[:, 2].max()), 1),
            round(float(sel[:, 3].max()), 1),
        )

    def is_repaired(self, start: int, end: int) -> bool:
        return any(r.start < end and start < r.end for r in self.repairs)

    def line_around(self, start: int, end: int, limit: int = 240) -> str:
        """The line (or sentence, for long lines) that contains [start, end): context for evidence."""
        lo = self.text.rfind("\n", 0, start) + 1
        hi = self.text.find("\n", end)
        hi = len(self.text) if hi < 0 else hi
        if hi - lo > limit:
            lo = max(lo, start - limit // 2)
            hi = min(hi, end + limit // 2)
        return self.text[lo:hi]


# ---------------------------------------------------------------------------------------------
# Facts: what extraction reports. Each records its span in Document.text and the raw strings.
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Arm:
    """A study arm or group and its size, e.g. "Observation group (n=38)"."""

    label: str
    n: int
    n_raw: str
    start: int
    end: int
    source: str  # "table-header", "prose"
    confidence: str
    table: Optional[str] = None
    col: Optional[int] = None


@dataclass(frozen=True)
class Proportion:
    """A percentage, with or without its count, tied (when possible) to the n it is a share of."""

    start: int  # the quote: the cell, or "k (x%)" in prose
    end: int
    percent: Optional[str]
    count: Optional[str]
    n: Optional[int]
    n_source: str  # how the denominator was found: "column header", "explicit k/n", "sentence", ...
    confidence: str  # high / medium / low: how sure the tie to n is
    arm: Optional[str] = None
    table: Optional[str] = None
    row: Optional[int] = None
    col: Optional[int] = None
    row_label: str = ""
    variable: str = ""  # the heading row or first label column the row belongs to
    context: str = ""  # "table" or "prose"


@dataclass(frozen=True)
class PartsTotal:
    """Rows of one table column that should add up: categories of one variable, or a composite
    row (ORR = CR + PR) defined in the paper."""

    kind: str  # "categories" (vs n), "total-row", "composite"
    name: str  # variable or composite name
    parts: tuple[Proportion, ...]
    total: Optional[Proportion]  # None for "categories": the total is the arm's n
    n: Optional[int]
    arm: Optional[str]
    table: Optional[str]
    definition: str = ""  # e.g. "DCR = CR + PR + SD" with where it was defined


@dataclass
class Facts:
    """Everything extraction found. Fact kinds beyond percentages live in the extractor module that
    defines them (extract/tests.py, extract/means.py, extract/ratios.py ...)."""

    arms: list[Arm] = field(default_factory=list)
    proportions: list[Proportion] = field(default_factory=list)
    parts_totals: list[PartsTotal] = field(default_factory=list)
    tests: list = field(default_factory=list)  # reported test statistics with df and p
    means: list = field(default_factory=list)  # mean ± SD (n) and two-group comparisons of them
    count_tables: list = field(default_factory=list)  # 2x2 / r x c counts with their printed chi-square
    ratios: list = field(default_factory=list)  # HR/OR/RR with CI and p
    coefficient_rows: list = field(default_factory=list)  # Cox/logistic table rows: b, SE, Wald, p, ratio, CI
    scales: list = field(default_factory=list)  # statements of integer or bounded scales ("7-point scale")
    survival: list = field(default_factory=list)  # medians and landmark rates of an endpoint and arm
    sample_sizes: list = field(default_factory=list)  # sample-size / power statements and dropout arithmetic
    claims: list = field(default_factory=list)  # prose arithmetic: "X% higher than Y%", "N months longer"
    quantities: list = field(default_factory=list)  # the same quantity reported in several places (cross-references)
    design_statements: list = field(default_factory=list)  # "randomized", "retrospective", timing statements
    passages: list = field(default_factory=list)  # duplicated passages within the paper

    KINDS = ("arms", "proportions", "parts_totals", "tests", "means", "count_tables", "ratios", "coefficient_rows",
             "scales", "survival", "sample_sizes", "claims", "quantities", "design_statements", "passages")

    def counts(self) -> dict[str, int]:
        names = {"arms": "arm", "proportions": "percentage", "parts_totals": "parts_total", "tests": "test",
                 "means": "mean", "count_tables": "count_table", "ratios": "ratio", "coefficient_rows": "coefficient_row",
                 "scales": "scale", "survival": "survival", "sample_sizes": "sample_size", "claims": "claim",
                 "quantities": "quantity", "design_statements": "design_statement", "passages": "passage"}
        return {names[kind]: len(getattr(self, kind)) for kind in self.KINDS}
