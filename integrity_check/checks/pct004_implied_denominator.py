"""PCT004 implied-denominator: the n that an arm's percentages were actually computed with.

What it checks
    For each arm (a column header or a named group with its n), the percentages tied to it that
    are impossible with the stated n (PCT001). When at least ``min_impossible`` of them are, it
    searches denominators near the stated n (n/2 .. 2n + 10) and names the smallest n under which
    the most of them are attainable, with the next alternatives. One finding per arm.

Why it matters
    Several impossible percentages in one arm that all fit another denominator point to a single
    cause: the percentages were computed on a different population (an earlier enrolment, the
    whole cohort, another analysis set) than the n the paper reports.

Example
    Observation group (n = 38): 68.9%, 91.1%, 31.1%, 86.7%, 64.4%, 48.9% are impossible with 38
    but are 31/45, 41/45, 14/45, 39/45, 29/45 and 22/45: the percentages imply n = 45.

Tolerance
    Attainability as in PCT001 (rounding intervals, numeric.rounding). Only percentages printed
    with at least one decimal are used (whole percentages are attainable with too many n to say
    anything). A denominator must explain at least half of the impossible percentages.

Known limitations
    Percentages from different analysis sets of the same arm (per-protocol vs intention-to-treat)
    are pooled; the search is bounded, so a denominator far from the stated n is not found.

References
    Brown NJL, Heathers JAJ. The GRIM test. Soc Psychol Personal Sci 2017;8:363-369.
"""
from __future__ import annotations

import math

from ..findings import evidence
from ..numeric.rounding import decimals_of
from ..stats.proportions import implied_denominators, is_attainable
from .base import rule


@rule("PCT004", "implied-denominator", "warning", options={"min_impossible": 3})
def check(doc, facts, ctx):
    arms: dict[tuple[str, int], list] = {}
    for p in facts.proportions:
        if p.percent is None or not p.n or not p.arm or p.confidence == "low":
            continue
        if decimals_of(p.percent) < 1:
            continue
        arms.setdefault((p.arm, p.n), []).append(p)
    out = []
    for (arm, n), props in arms.items():
        impossible = [p for p in props if not is_attainable(p.percent, n, ctx.rounding)]
        pcts = sorted({p.percent for p in impossible}, key=float)
        if len(pcts) < int(ctx.options.get("min_impossible", 3)):
            continue
        ranked = implied_denominators(pcts, n, method=ctx.rounding)
        if not ranked:
            continue
        best = ranked[0]
        if len(best.explained) < max(2, math.ceil(len(pcts) / 2)):
            continue
        alternatives = [r for r in ranked[1:] if len(r.explained) >= max(2, math.ceil(len(best.explained) / 2))]
        alt_text = ""
        if alternatives:
            alt_text = "; other denominators: " + ", ".join(f"{r.n} ({len(r.explained)} of {len(pcts)})" for r in alternatives)
        unexplained = f" ({', '.join(best.unexplained)}% fit neither)" if best.unexplained else ""
        message = (f"{arm} (n = {n}): {len(pcts)} percentages are impossible with n = {n}; "
                   f"{len(best.explained)} of them are attainable with n = {best.n}, the denominator they imply"
                   f"{unexplained}{alt_text}")
        ev = [evidence(doc, p.start, p.end, p.table, p.row, p.col) for p in impossible if p.percent in best.explained]
        out.append(check.rule.finding(
            message, ev[:12], confidence="medium",
            reported={"arm": arm, "n": str(n), "impossible_percentages": pcts},
            recomputed={"implied_n": best.n, "explained": list(best.explained), "unexplained": list(best.unexplained),
                        "alternatives": [r.n for r in alternatives]},
            tolerance={"method": ctx.rounding, "search": f"{max(2, n // 2)}..{2 * n + 10}"},
        ))
    return out
