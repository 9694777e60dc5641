"""Means with their SD (and n), and two-group comparisons of them with the printed t (or F) and p.

Tables: a cell "56.8 ± 8.3" (or "56.8 (8.3)" when the caption, header or row label says
"mean (SD)") in a column whose header names an arm "(n=38)" is a ``MeanSD`` of that arm
(confidence high; an arm found by name in the prose: medium). A row with two such cells and a test
statistic in a statistic column ("t=0.725" / "T value" 0.952) and a p is a ``MeanComparison``.

Prose: "(185.6 ± 32.4) minutes" in a sentence that names an arm is a ``MeanSD`` of that arm
(confidence medium). A test "(t=0.952, P = 0.344)" preceded, in the same paragraph and after the
previous test, by exactly two mean ± SD values of two arms (or of arms of equal n) is a
``MeanComparison`` (confidence medium).

Both kinds go into ``facts.means``. Extraction judges nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ..model import Document, Facts, Table
from .cells import parse_arm_header
from .groups import ArmRegistry
from .tests import TestResult, stat_and_p_columns

NUM = r"-?\d+(?:\.\d+)?"
PM_CELL = re.compile(rf"^\s*(?P<mean>{NUM})\s*±\s*(?P<sd>\d+(?:\.\d+)?)\s*$")
PAREN_CELL = re.compile(rf"^\s*(?P<mean>{NUM})\s*\(\s*(?P<sd>\d+(?:\.\d+)?)\s*\)\s*$")
SD_IN_PARENS = re.compile(r"mean\s*\(\s*SD\s*\)|\bM\s*\(\s*SD\s*\)|x̄\s*\(\s*s\s*\)", re.IGNORECASE)
PROSE_PM = re.compile(rf"(?<![\d.])(?P<mean>{NUM})\s*±\s*(?P<sd>\d+(?:\.\d+)?)(?![\d.])")
# APA: "(M = 5.2, SD = 1.1, n = 30)", "mean = 5.2, SD = 1.1"
APA_MSD = re.compile(rf"\b(?:M|Mean|mean)\s*=\s*(?P<mean>{NUM})\s*[,;]\s*SD\s*=\s*(?P<sd>\d*\.?\d+)"
                     rf"(?:\s*[,;]\s*[nN]\s*=\s*(?P<n>\d{{1,6}}))?")
NOT_SD = re.compile(r"\bSE\b|SEM|standard error|\bIQR\b|median|95%\s*CI", re.IGNORECASE)


@dataclass(frozen=True)
class MeanSD:
    """A mean and its SD, tied (when possible) to the n of an arm."""

    start: int
    end: int
    mean: str
    sd: str
    n: Optional[int]
    n_source: str
    arm: Optional[str]
    raw: str
    confidence: str
    context: str = "table"  # "table" or "prose"
    table: Optional[str] = None
    row: Optional[int] = None
    col: Optional[int] = None
    row_label: str = ""
    kind: str = "mean_sd"


@dataclass(frozen=True)
class MeanComparison:
    """Two arms' mean ± SD and the test printed for their difference."""

    a: MeanSD
    b: MeanSD
    test: TestResult  # its test is "t" or "f"
    start: int  # the statistic (cell, or the "(t=..., P=...)" report in prose)
    end: int
    confidence: str
    context: str = "table"
    table: Optional[str] = None
    row: Optional[int] = None
    row_label: str = ""
    kind: str = "comparison"


def extract_means(doc: Document, facts: Facts, registry: ArmRegistry) -> None:
    tests_by_cell = {(t.table, t.row): t for t in facts.tests if t.context == "table" and t.test in ("t", "f")}
    for table in doc.tables:
        means, comparisons = table_means(doc, table, registry, tests_by_cell)
        facts.means.extend(means)
        facts.means.extend(comparisons)
    prose_tests = [t for t in facts.tests if t.context == "prose"]
    means, comparisons = prose_means(doc, registry, prose_tests)
    facts.means.extend(means)
    facts.means.extend(comparisons)


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def arm_columns(table: Table, registry: ArmRegistry) -> dict[int, tuple[str, int, str, str]]:
    """col -> (arm label, n, n_source, confidence), as proportions.py reads them."""
    out = {}
    for col in range(1, table.n_cols):
        header = table.header_text(col)
        parsed = parse_arm_header(header)
        if parsed:
            out[col] = (parsed[0], int(parsed[1]), f"column header \"{_norm(header)[:60]}\"", "high")
        elif header:
            arm = registry.find(header)
            if arm:
                out[col] = (arm.label, arm.n, f"arm \"{arm.label}\" (n={arm.n}) stated in the text", "medium")
    return out


def table_means(doc: Document, table: Table, registry: ArmRegistry, tests_by_cell) -> tuple[list, list]:
    cols = arm_columns(table, registry)
    if not cols or NOT_SD.search(table.caption):
        return [], []
    parens_ok = bool(SD_IN_PARENS.search(table.caption)) or any(
        SD_IN_PARENS.search(table.header_text(c)) for c in range(table.n_cols))
    means, comparisons = [], []
    first_arm_col = min(cols)
    for row in table.body():
        label = _norm(" ".join(c.text for c in row if c.col < first_arm_col and c.text.strip()))
        if NOT_SD.search(label):
            continue
        row_parens = parens_ok or bool(SD_IN_PARENS.search(label))
        found = []
        for cell in row:
            if cell.col not in cols:
                continue
            m = PM_CELL.match(cell.text) or (PAREN_CELL.match(cell.text) if row_parens else None)
            if not m:
                continue
            arm, n, source, conf = cols[cell.col]
            if doc.is_repaired(cell.start, cell.end):
                conf = "low"
            fact = MeanSD(cell.start, cell.end, m.group("mean"), m.group("sd"), n, source, arm, cell.text, conf,
                          "table", table.label, cell.row, cell.col, label)
            found.append(fact)
        means.extend(found)
        test = tests_by_cell.get((table.label, row[0].row if row else None))
        if test is not None and len(found) == 2 and len(cols) == 2:
            conf = "high" if all(f.confidence == "high" for f in found) else min((f.confidence for f in found), key=_rank)
            comparisons.append(MeanComparison(found[0], found[1], test, test.start, test.end, conf, "table",
                                              table.label, test.row, label))
    return means, comparisons


def _rank(conf: str) -> int:
    return {"low": 0, "medium": 1, "high": 2}.get(conf, 0)


def prose_means(doc: Document, registry: ArmRegistry, tests: list[TestResult]) -> tuple[list, list]:
    text = doc.text
    table_spans = [(t.start, t.end) for t in doc.tables]
    items: list[MeanSD] = []
    matches = sorted(list(PROSE_PM.finditer(text)) + list(APA_MSD.finditer(text)), key=lambda m: m.start())
    for m in matches:
        if any(a <= m.start() < b for a, b in table_spans):
            continue
        stated_n = m.groupdict().get("n")
        if stated_n:
            items.append(MeanSD(m.start(), m.end(), m.group("mean"), m.group("sd"), int(stated_n),
                                "stated with the mean", None, m.group(0), "high", "prose"))
            continue
        context = text[max(0, m.start() - 40): m.start()]
        if NOT_SD.search(context[-15:]):
            continue
        sentence_lo, sentence_hi = _clause_bounds(text, m.start(), m.end())
        clause = text[sentence_lo:sentence_hi]
        mentions = [(sentence_lo + pos, arm) for pos, arm in registry.mentions(clause)]
        arm = None
        if mentions:
            pos, arm = min(mentions, key=lambda t: abs(t[0] - m.start()))
        items.append(MeanSD(m.start(), m.end(), m.group("mean"), m.group("sd"), arm.n if arm else None,
                            f"arm \"{arm.label}\" named in the sentence" if arm else "", arm.label if arm else None,
                            m.group(0), "medium" if arm else "low", "prose"))
    comparisons = []
    prev_end = 0
    for t in sorted(tests, key=lambda t: t.start):
        if t.test not in ("t", "f"):
            prev_end = t.end
            continue
        para_lo = text.rfind("\n\n", 0, t.start)
        lo = max(prev_end, para_lo + 1 if para_lo >= 0 else 0, t.start - 600)
        window = [x for x in items if lo <= x.start and x.end <= t.start]
        prev_end = t.end
        if len(window) != 2:
            continue
        a, b = window
        if a.n is None or b.n is None:
            continue
        both_stated = a.n_source == b.n_source == "stated with the mean"
        if a.arm == b.arm and a.n != b.n and not both_stated:
            continue
        if a.arm == b.arm and not both_stated:
            # both values tied to the same arm name: fine only when the arms are the same size
            arms_named = {arm.label for _, arm in registry.mentions(text[lo:t.start])}
            if len(arms_named) < 2 or len({registry.find(x).n for x in arms_named if registry.find(x)}) != 1:
                continue
        comparisons.append(MeanComparison(a, b, t, t.start, t.end, "medium", "prose"))
    return items, comparisons


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    lo = max(0, start - 200)
    before = text[lo:start]
    cut = max((m.end() for m in re.finditer(r"[.;!?](?=\s+[A-Z(])|\n\s*\n", before)), default=0)
    after = text[end:end + 200]
    stop = re.search(r"[.;!?](?=\s+[A-Z(]|\s*$)|\n\s*\n", after)
    return lo + cut, end + (stop.start() if stop else len(after))
