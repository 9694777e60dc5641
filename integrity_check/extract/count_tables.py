"""Tables of counts (categories x arms) with the chi-square and p printed for them.

Read from tables whose arm columns hold "n (%)" cells (the arm's n from the column header, as in
proportions.py) and that have a statistic column and a P column (extract.tests):

- A heading row that carries the statistic ("Gender | | | χ2=0.112 | 0.738") followed by category
  rows ("Male 21 (55.3) | 23 (60.5)", "Female ...") without a statistic of their own: an r x c
  table, categories x arms (``kind="categories"``, confidence high).
- A row with counts and its own statistic ("Hypertension 9 (23.3) | 3 (6.7) | 4.547 | 0.033"): a
  binary outcome, [[k1, n1 - k1], [k2, n2 - k2]] (``kind="binary"``, confidence high).
- A group of rows under one label (Table 6 style: "Hypertension" with Grade 1 / Grade 2 /
  Grade >=3 / Total rows) where the statistic sits on one of the rows only: ambiguous; the group's
  Total row is taken as the binary outcome (``kind="binary-total"``, confidence medium). Without
  a Total row nothing is recorded.

All-zero rows are kept in ``counts``; checks drop them before testing. Extraction judges nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ..model import Document, Facts, Table
from .cells import TOTAL_LABEL, parse_count_percent
from .groups import ArmRegistry
from .means import arm_columns
from .tests import TestResult


@dataclass(frozen=True)
class CountTable:
    """An r x c table of counts and the chi-square (and p) printed for it.

    ``counts`` rows are categories and columns arms; for a binary outcome rows are the arms and
    columns [events, non-events]; ``cells`` are the (start, end) spans of the count cells read.
    """

    start: int  # the statistic cell
    end: int
    counts: tuple[tuple[int, ...], ...]
    row_labels: tuple[str, ...]
    arms: tuple[str, ...]
    arm_n: tuple[int, ...]
    kind: str  # "categories", "binary", "binary-total"
    test: TestResult
    variable: str
    confidence: str
    cells: tuple[tuple[int, int], ...] = ()
    table: Optional[str] = None
    row: Optional[int] = None
    col: Optional[int] = None
    raw: str = ""

    @property
    def df(self) -> int:
        """(r - 1)(c - 1) of the table after dropping all-zero rows and columns."""
        rows = [r for r in self.counts if any(r)]
        cols = [c for c in zip(*rows) if any(c)] if rows else []
        return max(0, (len(rows) - 1) * (len(cols) - 1))


def extract_count_tables(doc: Document, facts: Facts, registry: ArmRegistry) -> None:
    tests = {(t.table, t.row): t for t in facts.tests if t.context == "table" and t.test == "chi2"}
    for table in doc.tables:
        facts.count_tables.extend(table_count_tables(doc, table, registry, tests))
    facts.count_tables.extend(prose_count_tables(doc, facts))


def prose_count_tables(doc: Document, facts: Facts) -> list[CountTable]:
    """"9 of 38 (23.7%) ... and 3 of 38 (7.9%) ... (χ2 = 4.547, P = 0.033)": two counts with their n
    stated in the sentence of a chi-square make a 2 x 2 table (rows: the two groups)."""
    out = []
    for t in facts.tests:
        if t.context != "prose" or t.test != "chi2" or t.df not in (None, "1"):
            continue
        lo = max(doc.text.rfind(". ", 0, t.start) + 1, doc.text.rfind("\n\n", 0, t.start) + 1, 0)
        pair = [p for p in facts.proportions
                if p.context == "prose" and lo <= p.start and p.end <= t.start and p.count is not None
                and p.n and p.n_source == "stated in the sentence" and p.confidence == "high"]
        if len(pair) != 2:
            continue
        a, b = pair
        k1, k2 = int(a.count), int(b.count)
        if k1 > a.n or k2 > b.n:
            continue
        out.append(CountTable(
            start=t.start, end=t.end, counts=((k1, a.n - k1), (k2, b.n - k2)),
            row_labels=(doc.text[a.start:a.end], doc.text[b.start:b.end]), arms=(a.arm or "first group", b.arm or "second group"),
            arm_n=(a.n, b.n), kind="binary", test=t, variable=(" ".join(doc.text[lo:a.start].split()).rstrip(" ,:;") or "the comparison")[:80],
            confidence="medium", cells=((a.start, a.end), (b.start, b.end)), raw=t.raw))
    return out


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def table_count_tables(doc: Document, table: Table, registry: ArmRegistry, tests) -> list[CountTable]:
    cols = arm_columns(table, registry)
    if len(cols) != 2:
        return []
    if not any((table.label, r[0].row) in tests for r in table.body() if r):
        return []
    arm_cols = sorted(cols)
    first_arm = arm_cols[0]
    rows = []  # (row cells, labels per label column, counts or None, test or None)
    for row in table.body():
        if not row:
            continue
        cells = {c.col: c for c in row}
        labels = [_norm(cells[c].text) if c in cells else "" for c in range(first_arm)]
        parsed = [parse_count_percent(cells[c].text) if c in cells else None for c in arm_cols]
        counts = [int(p.count) for p in parsed] if all(p is not None and p.count is not None for p in parsed) else None
        spans = tuple((cells[c].start, cells[c].end) for c in arm_cols) if counts else ()
        other = any(cells[c].text.strip() for c in arm_cols) and counts is None
        rows.append((row, labels, counts, spans, other, tests.get((table.label, row[0].row))))
    out = []
    arms = tuple(cols[c][0] for c in arm_cols)
    arm_n = tuple(cols[c][1] for c in arm_cols)
    conf_cols = "high" if all(cols[c][3] == "high" for c in arm_cols) else "medium"
    multi_label = first_arm > 1
    # groups: consecutive rows sharing the first label (multi-label tables: Indicator | Time point)
    groups: list[list[int]] = []
    for i, (_, labels, *_rest) in enumerate(rows):
        if not groups or (multi_label and labels[0]) or not multi_label:
            groups.append([i])
        else:
            groups[-1].append(i)
    for i, (row, labels, counts, spans, other, test) in enumerate(rows):
        if test is None:
            continue
        label = " ".join(x for x in labels if x)
        if counts is None and not other:
            # heading row with the statistic: its category rows follow
            cats = []
            for j in range(i + 1, len(rows)):
                r2 = rows[j]
                if r2[2] is None or r2[5] is not None:
                    break
                if multi_label and r2[1][0] and j > i + 1:
                    break
                cats.append(r2)
            if len(cats) < 2:
                continue
            out.append(CountTable(
                start=test.start, end=test.end, counts=tuple(tuple(r2[2]) for r2 in cats),
                row_labels=tuple(" ".join(x for x in r2[1] if x) for r2 in cats), arms=arms, arm_n=arm_n,
                kind="categories", test=test, variable=label, confidence=conf_cols,
                cells=tuple(s for r2 in cats for s in r2[3]), table=table.label, row=test.row, col=test.col,
                raw=test.raw,
            ))
            continue
        if counts is None:
            continue
        group = next(g for g in groups if i in g)
        with_counts = [j for j in group if rows[j][2] is not None]
        with_tests = [j for j in group if rows[j][5] is not None]
        kind, conf, use = "binary", conf_cols, i
        variable = " ".join(x for x in [rows[group[0]][1][0]] + labels[1:] if x) if multi_label else label
        if multi_label and len(with_counts) > 1 and len(with_tests) == 1:
            totals = [j for j in with_counts if TOTAL_LABEL.match(rows[j][1][-1] or "")]
            if not totals:
                continue
            kind, conf, use = "binary-total", "medium", totals[0]
        k = rows[use][2]
        if any(not 0 <= kk <= nn for kk, nn in zip(k, arm_n)):
            continue
        out.append(CountTable(
            start=test.start, end=test.end,
            counts=tuple((kk, nn - kk) for kk, nn in zip(k, arm_n)),
            row_labels=tuple(arms), arms=arms, arm_n=arm_n, kind=kind, test=test,
            variable=variable, confidence=conf, cells=rows[use][3], table=table.label, row=test.row,
            col=test.col, raw=test.raw,
        ))
    return out
