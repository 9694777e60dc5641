"""PCT002 count-percent-mismatch: a count and its percentage that disagree.

What it checks
    For "k (p%)" with a known n (table cell under an arm's column, "k/n (p%)" in prose), whether
    100*k/n prints as p at p's precision; and whether k exceeds n.

Why it matters
    The count and the percentage are two statements of the same fact; when they disagree one of
    them is wrong, and readers cannot know which one the conclusions rest on.

Example
    "27 (72.2)" with n = 38: 27/38 = 71.1%, not 72.2%. "12 (32.5)" with n = 40: 32.5% is 13/40,
    but the printed count is 12 (30.0%).

Tolerance
    The percentage is an interval at its printed precision (numeric.rounding, up_or_down by
    default); the count and n are exact. A percentage that no count could produce is also
    reported by PCT001; this rule says what the printed count gives.

Known limitations
    When the n of a row differs from the column's n (subgroups) and the table does not state it,
    the tie to n is wrong; such rows are skipped when the row label states its own n.

References
    Brown NJL, Heathers JAJ. The GRIM test. Soc Psychol Personal Sci 2017;8:363-369.
"""
from __future__ import annotations

from ..findings import evidence
from ..numeric.rounding import decimals_of, format_at
from ..stats.proportions import count_agrees, percent_of
from .base import rule


@rule("PCT002", "count-percent-mismatch", "error")
def check(doc, facts, ctx):
    out = []
    for p in facts.proportions:
        if p.percent is None or p.count is None or not p.n or p.confidence == "low":
            continue
        k, n = int(p.count), p.n
        if k > n:
            message = f"count {k} exceeds n = {n} (percentage {p.percent}%)"
        elif count_agrees(k, p.percent, n, ctx.rounding):
            continue
        else:
            message = f"{k}/{n} = {format_at(percent_of(k, n), decimals_of(p.percent))}%, not {p.percent}%"
        out.append(check.rule.finding(
            message, [evidence(doc, p.start, p.end, p.table, p.row, p.col)], confidence=p.confidence,
            reported={"count": p.count, "percent": p.percent, "n": str(n), "n_source": p.n_source},
            recomputed={"percent": format_at(percent_of(k, n), decimals_of(p.percent)) if n else None},
            tolerance={"method": ctx.rounding, "decimals": decimals_of(p.percent)},
        ))
    return out
