"""SMP001 dropout-arithmetic: the enrolled sample size does not follow from the required n and the dropout rate.

What it checks
    "Each group required at least 34 patients. Considering a 20% dropout rate, 38 patients were
    ... included in each group": the n that leaves n_required analysable after a fraction d drops
    out is n_required / (1 - d), rounded up (34 / 0.80 = 42.5 -> 43). The rule also computes the
    common but wrong n_required x (1 + d) (34 x 1.20 = 40.8 -> 41) and reports which formula, if
    any, gives the enrolled n. Per group against per group, total against total.

Why it matters
    The dropout allowance is what guarantees the power the paper claims. An enrolled n below the
    inflated n leaves the study underpowered by its own calculation, and an n that no formula
    gives suggests the calculation was written after the fact to match the enrolment.

Example
    34 per group and 20% dropout: 43 (or 41 with n x (1 + d)) but 38 enrolled: error (38 is what
    a 10.5% dropout gives). 36 per arm and 15% dropout: 43 (42) but 40 enrolled: error. 34 per
    group and 10% dropout: 34 / 0.9 = 37.8 -> 38: consistent.

Tolerance
    The dropout rate is an interval at its printed precision (numeric.rounding); any integer from
    the floor to the ceiling of the inflated value over that interval is accepted (rounding up or
    to the nearest). Severity: error when the enrolled n is below both formulas; warning when it
    is above both (more enrolled than the stated allowance requires: the arithmetic is not the
    one described, but power is not lost); note when only n x (1 + d) matches (the usual
    under-inflation; the correct allowance is n / (1 - d)).

Known limitations
    The required and the final n must be stated near each other (the dropout phrase between or
    just after them). Unequal allocation and cluster designs are not modelled.

References
    Chow SC, Shao J, Wang H. Sample Size Calculations in Clinical Research, 2nd ed. Chapman &
    Hall/CRC 2008, section 1.3. Julious SA. Sample Sizes for Clinical Trials. CRC 2010.
"""
from __future__ import annotations

from ..findings import evidence
from ..numeric.rounding import format_at, unround
from ..stats.sample_size import check_dropout
from .base import rule


def statement_groups(facts, key):
    """Sample-size statements with the same numbers (a paragraph printed twice) grouped together."""
    groups: dict = {}
    for s in facts.sample_sizes:
        k = key(s)
        if k is not None:
            groups.setdefault(k, []).append(s)
    return groups


def _pair(s):
    if s.n_required is None or s.dropout is None:
        return None
    if s.required_level == "group" and s.n_final:
        return s.n_required, s.dropout, s.n_final, "per group"
    if s.required_level == "total" and s.total:
        return s.n_required, s.dropout, s.total, "in total"
    return None


@rule("SMP001", "dropout-arithmetic", "error")
def check(doc, facts, ctx):
    out = []
    for (n_req, drop, n_final, level), statements in statement_groups(facts, _pair).items():
        req, enrolled = int(n_req), int(n_final)
        d = unround(drop, ctx.rounding).scaled(0.01)
        if req <= 0 or d.hi >= 1:
            continue
        result = check_dropout(req, d, enrolled)
        if result.matches == "correct":
            continue
        first = statements[0]
        correct_txt = (f"{req} / (1 - {_frac(drop)}) = {format_at(req / (1 - d.mid), 1)} -> {result.correct.stop - 1}")
        naive_txt = f"{req} x (1 + {_frac(drop)}) = {format_at(req * (1 + d.mid), 1)} -> {result.naive.stop - 1}"
        if result.matches == "naive":
            severity = "note"
            message = (f"{enrolled} {level} matches {naive_txt}, the common under-inflation; the n that leaves {req} "
                       f"after a {drop}% dropout is {correct_txt}")
        else:
            below = enrolled < min(result.correct.start, result.naive.start)
            severity = "error" if below else "warning"
            implied = f"; {enrolled} corresponds to a {format_at(100 * (1 - req / enrolled), 1)}% dropout" if enrolled > req else ""
            message = (f"{req} {level} inflated for a {drop}% dropout is {correct_txt} ({naive_txt}), "
                       f"but {enrolled} {level} {'are' if enrolled != 1 else 'is'} enrolled{implied}")
        ev = []
        for s in statements[:2]:
            span = s.final_span if level == "per group" else s.total_span
            ev.append(evidence(doc, *span))
        ev += [evidence(doc, *first.required_span), evidence(doc, *first.dropout_span)]
        out.append(check.rule.finding(
            message, ev, severity=severity,
            reported={"n_required": n_req, "dropout_percent": drop, "n_enrolled": n_final, "level": level},
            recomputed={"n_over_1_minus_d": str(result.correct.stop - 1), "n_times_1_plus_d": str(result.naive.stop - 1),
                        "matches": result.matches or "neither"},
            tolerance={"method": ctx.rounding, "accepted_correct": [result.correct.start, result.correct.stop - 1],
                       "accepted_naive": [result.naive.start, result.naive.stop - 1]},
        ))
    return out


def _frac(percent: str) -> str:
    """"20" -> "0.20", "15" -> "0.15", "7.5" -> "0.075" (for messages)."""
    digits = len(percent.split(".")[1]) if "." in percent else 0
    return format_at(float(percent) / 100, digits + 2)
