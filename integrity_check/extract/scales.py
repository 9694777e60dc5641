"""Statements that a measure is integer-valued or bounded: the context GRIM, GRIMMER and SD bounds need.

Read from prose and from a mean's own row label:

    "rated on a 7-point Likert scale (1-7)"        integer, bounds 1..7, one item
    "the PHQ-9 (9 items scored 0-3; total 0-27)"   integer, 9 items, bounds 0..27 for the total
    "the sum of 10 items, each scored 1-5"         integer total (items = 1 for the total), bounds 10..50
    "the mean of 4 items on a 5-point scale"       integer per item, items = 4, bounds 1..5
    "Pain (NRS, 0-10)" / "number of lesions"       integer, bounds 0..10 / 0..(none)

A statement is tied to the words it names (the subject before "was rated / measured / assessed", an
acronym in parentheses, or the row label itself); checks match a mean to a statement through
those words. Nothing is inferred from units: "ml", "min", "years" or "days" say nothing about
integer data. Extraction judges nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ..model import Document, Facts

STOP = {"the", "and", "for", "with", "was", "were", "are", "each", "item", "items", "scale", "score", "scores",
        "point", "total", "mean", "from", "rated", "using", "used", "measured", "assessed", "likert", "that", "this",
        "which", "points", "ranging", "range", "higher", "lower", "indicating", "greater", "patients", "participants",
        "scored", "sum", "group", "groups", "level", "value", "values", "than"}

POINT_SCALE = re.compile(r"\b(?P<k>\d{1,2})[- ]point\s+(?:(?:Likert|rating|response|numeric|ordinal)[- ]?(?:type\s+)?)?"
                         r"(?:scale|items?\b)", re.I)
ITEMS = re.compile(r"\b(?P<items>\d{1,3})[- ]items?\b|\b(?P<items2>\d{1,3})\s+items\b", re.I)
RANGE = re.compile(r"(?:\brang\w*\s+(?:from\s+)?|\bscored\s+(?:from\s+)?|\bfrom\s+|[(\[,;]\s*|\bscale\s+(?:of\s+)?)"
                   r"(?P<lo>\d{1,3})\s*(?:\([^)]{0,40}\)\s*)?(?:to|–|-|~)\s*(?P<hi>\d{1,3})(?!\.\d|\s*%)(?:\s*\([^)]{0,40}\))?", re.I)
SUM_OF = re.compile(r"\b(?:sum(?:med)?|total)\s+(?:score\s+)?(?:of|across|over)\s+(?:the\s+|all\s+)?(?P<items>\d{1,3})\s+items\b", re.I)
MEAN_OF = re.compile(r"\b(?:mean|average)\s+(?:score\s+)?(?:of|across|over)\s+(?:the\s+|all\s+)?(?P<items>\d{1,3})\s+items\b", re.I)
COUNT_LABEL = re.compile(r"^\s*(?:number|no\.|count)\s+of\b", re.I)
SCALE_WORDS = re.compile(r"Likert|point\s+scale|numeric\s+rating|\bNRS\b|\bVAS\b|items?\b|questionnaire|inventory|"
                         r"subscale|scored|rated", re.I)
SENTENCE = re.compile(r"[^.;\n]*(?:\.(?=\d)[^.;\n]*)*[.;\n]?")


@dataclass(frozen=True)
class ScaleStatement:
    """A measure said to be integer-valued and/or bounded."""

    start: int
    end: int
    raw: str
    words: tuple[str, ...]  # content words and acronyms the statement names
    integer: bool  # the paper says the responses are integers (Likert, items, counts)
    items: int  # how many integer items are averaged into the reported mean (1 for a sum or one item)
    lo: Optional[float]
    hi: Optional[float]
    source: str  # "prose" or "row-label"
    confidence: str


def content_words(text: str) -> tuple[str, ...]:
    words = []
    for w in re.findall(r"[A-Za-z][A-Za-z0-9-]{2,}", text):
        if w.lower() in STOP:
            continue
        words.append(w if w.isupper() or any(c.isdigit() for c in w) else w.lower())
    return tuple(dict.fromkeys(words))


def parse_scale(text: str) -> Optional[tuple[bool, int, Optional[float], Optional[float]]]:
    """(integer, items, lo, hi) stated by ``text``, or None when it states no scale."""
    point = POINT_SCALE.search(text)
    sum_of = SUM_OF.search(text)
    mean_of = MEAN_OF.search(text)
    items_m = ITEMS.search(text)
    rng = RANGE.search(text)
    count = COUNT_LABEL.match(text)
    if not (point or sum_of or mean_of or (rng and SCALE_WORDS.search(text)) or count):
        return None
    integer = bool(point or sum_of or mean_of or count or re.search(r"Likert|items?\b|\bNRS\b|integer|whole", text, re.I))
    lo = hi = None
    if rng:
        lo, hi = float(rng.group("lo")), float(rng.group("hi"))
        if hi <= lo:
            lo = hi = None
    elif point:
        lo, hi = 1.0, float(point.group("k"))
    elif count:
        lo = 0.0
    items = 1
    if mean_of:
        items = int(mean_of.group("items"))
        if point and not rng:
            lo, hi = 1.0, float(point.group("k"))
    elif sum_of:
        n_items = int(sum_of.group("items"))
        if point and not rng:
            lo, hi = float(n_items), float(n_items) * float(point.group("k"))
    elif items_m and point and re.search(r"\baverag|\bmean\s+item|\bitem\s+mean", text, re.I):
        items = int(items_m.group("items") or items_m.group("items2"))
    return integer, items, lo, hi


def prose_scales(doc: Document) -> list[ScaleStatement]:
    out = []
    table_spans = [(t.start, t.end) for t in doc.tables]
    for m in SENTENCE.finditer(doc.text):
        s = m.group(0)
        if not s.strip() or any(a <= m.start() < b for a, b in table_spans):
            continue
        if not (POINT_SCALE.search(s) or SUM_OF.search(s) or MEAN_OF.search(s) or SCALE_WORDS.search(s)):
            continue
        parsed = parse_scale(s)
        if not parsed:
            continue
        integer, items, lo, hi = parsed
        if lo is None and hi is None and not integer:
            continue
        out.append(ScaleStatement(m.start(), m.start() + len(s.rstrip()), s.strip(), content_words(s), integer, items,
                                  lo, hi, "prose", "medium"))
    return out


def label_scale(label: str) -> Optional[ScaleStatement]:
    """A scale stated in a mean's own row label: "Pain (NRS, 0-10)", "Number of lesions"."""
    parsed = parse_scale(label)
    if not parsed:
        return None
    integer, items, lo, hi = parsed
    return ScaleStatement(-1, -1, label, content_words(label), integer, items, lo, hi, "row-label", "high")


def scale_for(label: str, statements: list[ScaleStatement]) -> Optional[ScaleStatement]:
    """The statement that applies to a mean with this row label (its own label first, then the
    prose statement sharing an acronym or at least two content words with it)."""
    own = label_scale(label)
    if own:
        return own
    words = set(content_words(label))
    if not words:
        return None
    best, best_score = None, 0
    for st in statements:
        shared = words & set(st.words)
        acronym = any(w.isupper() and len(w) >= 2 for w in shared)
        score = 3 if acronym else len(shared)
        if score >= min(2, len(words)) and score > best_score:
            best, best_score = st, score
    if best is None and len(statements) == 1 and words & set(statements[0].words):
        return statements[0]  # the paper's only scale, and the mean names what it measures
    return best


def extract_scales(doc: Document, facts: Facts, registry=None) -> None:
    """Stores prose scale statements on ``facts.scales``."""
    facts.scales.extend(prose_scales(doc))
