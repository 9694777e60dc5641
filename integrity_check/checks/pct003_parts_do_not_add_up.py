"""PCT003 parts-do-not-add-up: parts that do not add up to their total.

What it checks
    Within one column of a table (one arm):
    - the categories of one variable (rows under a heading row such as "Gender": Male, Female)
      against the arm's n, in counts and in percentages;
    - rows against a "Total" row of the same variable (Grade 1 + Grade 2 + Grade >=3 = Total);
    - composite rows defined in the paper, e.g. "ORR = (CR + PR)/n" and "DCR = (CR + PR + SD)/n":
      the composite row against the sum of its part rows.

Why it matters
    A total that is not the sum of its parts means a row was mistyped or the composite was
    computed from other data; composite endpoints such as DCR are often the ones tested.

Example
    CR 5, PR 21, SD 9 but "DCR 34 (91.1)": 5 + 21 + 9 = 35 (13.2 + 55.7 + 23.7 = 92.6%).

Tolerance
    Counts are exact. Percentages are added as intervals (each part widened by its rounding,
    numeric.rounding) and compared with the total's interval. Categories of a variable are
    compared with n as an error when the other scale agrees (percentages add to 100 while the
    counts do not add to n, or the counts add to n while the percentages do not add to 100). When
    both are off the categories may overlap or have missing data: a warning is given only when the
    labels show the categories are exhaustive (an "Other" or "Unknown" row, male/female,
    complementary cut-offs such as "<5" and ">=5"); otherwise nothing is said.

Known limitations
    Composites are checked only when the paper defines them ("X = A + B") and every part is a row
    of the same table. Variables whose categories are not exclusive are not recognised as such.

References
    Eisenhauer EA, et al. New response evaluation criteria in solid tumours: RECIST 1.1.
    Eur J Cancer 2009;45:228-247 (ORR = CR + PR; DCR = CR + PR + SD).
"""
from __future__ import annotations

import re

from ..findings import evidence
from ..numeric.rounding import format_at
from ..stats.proportions import sum_of_percents
from .base import rule


@rule("PCT003", "parts-do-not-add-up", "error")
def check(doc, facts, ctx):
    out = []
    for pt in facts.parts_totals:
        if any(p.confidence == "low" for p in pt.parts):
            continue
        counts = [p.count for p in pt.parts]
        pcts = [p.percent for p in pt.parts]
        have_counts = all(c is not None for c in counts)
        have_pcts = all(x is not None for x in pcts)
        count_sum = sum(int(c) for c in counts) if have_counts else None
        pct_sum = sum_of_percents(pcts, ctx.rounding) if have_pcts else None
        names = " + ".join(_label(p, pt) for p in pt.parts)
        problems = []
        severity = check.rule.severity
        if pt.kind in ("total-row", "composite") and pt.total is not None:
            total = pt.total
            if have_counts and total.count is not None and count_sum != int(total.count):
                problems.append(f"counts: {' + '.join(counts)} = {count_sum}, but {_label(total, pt)} is {total.count}")
            if have_pcts and total.percent is not None and not _meets(total.percent, pct_sum, ctx):
                problems.append(f"percentages: {' + '.join(pcts)} = {format_at(pct_sum.mid, 1)}%, but {_label(total, pt)} is {total.percent}%")
            quotes = [total] + list(pt.parts)
        else:
            if not pt.n:
                continue
            counts_ok = have_counts and count_sum == pt.n
            pcts_ok = have_pcts and pct_sum.contains(100.0)
            if have_counts and have_pcts and counts_ok != pcts_ok:
                if not counts_ok:
                    problems.append(f"counts: {' + '.join(counts)} = {count_sum}, but n = {pt.n} (the percentages add to 100)")
                else:
                    problems.append(f"percentages: {' + '.join(pcts)} = {format_at(pct_sum.mid, 1)}%, not 100% (the counts add to n = {pt.n})")
            elif have_counts and not counts_ok and looks_exhaustive(pt):
                severity = "warning"
                problems.append(f"the categories account for {' + '.join(counts)} = {count_sum} of n = {pt.n}, "
                                "and the categories look exhaustive (missing data not reported?)")
            quotes = list(pt.parts)
        if not problems:
            continue
        where = f"{pt.arm} " if pt.arm else ""
        subject = pt.definition or f"{pt.name}: {names}"
        out.append(check.rule.finding(
            f"{where}{subject}: " + "; ".join(problems),
            [evidence(doc, p.start, p.end, p.table, p.row, p.col) for p in quotes],
            confidence=min((p.confidence for p in quotes), key=["high", "medium", "low"].index),
            reported={"parts": [p.count if p.count is not None else p.percent for p in pt.parts],
                      "total": (pt.total.count if pt.total and pt.total.count else (str(pt.n) if pt.n else None)),
                      "kind": pt.kind, "arm": pt.arm},
            recomputed={"count_sum": count_sum, "percent_sum": format_at(pct_sum.mid, 1) if pct_sum else None},
            tolerance={"method": ctx.rounding, "counts": "exact"}, severity=severity,
        ))
    return out


EXHAUSTIVE_LABEL = re.compile(r"^(?:others?|unknown|none|missing|not (?:reported|known|available)|male|female|yes|no|[<>≤≥]\s*\d)", re.IGNORECASE)


def looks_exhaustive(pt) -> bool:
    """Categories that by their labels cover everyone: an "Other"/"Unknown" row, male/female,
    complementary cut-offs ("<5" and ">=5"). Lists of conditions (comorbidities) do not."""
    labels = [_label(p, pt) for p in pt.parts]
    return any(EXHAUSTIVE_LABEL.match(label) for label in labels)


def _meets(total_pct: str, interval, ctx) -> bool:
    from ..numeric.rounding import interval_agrees

    return interval_agrees(total_pct, interval, ctx.rounding)


def _label(p, pt) -> str:
    label = p.row_label
    if pt.kind != "composite" and p.variable and label.startswith(p.variable):
        label = label[len(p.variable):].strip() or label
    return label or "?"
