"""SRV001 median-inconsistent-with-landmark: a median survival that the same arm's landmark rates rule out.

What it checks
    For each endpoint (OS, PFS, DFS, ...) and arm, every reported median against every landmark
    rate S(t) ("2-year OS 42.2%") of the same endpoint and arm. The Kaplan-Meier median is the
    first time the curve reaches 50% or less, so
    * S(t) < 50% at a landmark t requires median <= t;
    * S(t) > 50% at a landmark t requires median > t;
    * "median not reached" requires S(t) >= 50% at every landmark reported.
    S(t) = 50% is consistent with any median.

Why it matters
    The median and the landmark rates are read off the same survival curve. When they disagree,
    at least one of them did not come from the curve the paper shows, and the survival benefit the
    paper reports cannot be trusted as printed.

Example
    "The median OS was ... 27.0 months ... in the control group" with "At 2 years after surgery,
    the OS rate was ... 42.2% in the control group": S(24) = 42.2% < 50% means the curve had
    crossed 50% by 24 months, so the median cannot be 27.0 months. The observation group's median
    OS of 35.6 months with a 3-year OS of 48.9% is consistent (S(36) < 50% and 35.6 <= 36).

Tolerance
    The median and the rate are intervals at their printed precision (numeric.rounding). The
    landmark time is widened by ``time_tolerance`` (default 3%) for day/month/year conventions
    (24 months of 30 days is 720 days, 2 years 730.5 days). Only facts tied to an arm with at
    least medium confidence are compared; cited results of other studies, sample-size
    assumptions, subgroups and ranges are skipped.

Known limitations
    Medians and landmark rates must name the same arm in the same sentence ("... in the control
    group", or "respectively" after the arms) or come from a table whose row labels name the
    endpoint and time point. A median computed in another population than the landmark rates
    (per-protocol vs intention-to-treat) would be reported; the evidence shows both places.

References
    Kaplan EL, Meier P. Nonparametric estimation from incomplete observations. J Am Stat Assoc
    1958;53:457-481. Brookmeyer R, Crowley J. A confidence interval for the median survival time.
    Biometrics 1982;38:29-41. Collett D. Modelling Survival Data in Medical Research, 3rd ed. 2015.
"""
from __future__ import annotations

from ..extract.survival import landmarks, medians, reliable, time_label
from ..findings import evidence
from ..stats.survival import TIME_CONVENTION_TOLERANCE, median_vs_landmark, months_interval, percent_interval
from .base import rule

CONFIDENCE_RANK = {"high": 0, "medium": 1, "low": 2}


def fact_evidence(doc, fact):
    return evidence(doc, fact.start, fact.end, fact.table, fact.row, fact.col)


def median_text(m) -> str:
    return "not reached" if m.not_reached else f"{m.value} {m.unit}"


def weakest(*facts) -> str:
    return max((f.confidence for f in facts), key=lambda c: CONFIDENCE_RANK.get(c, 2))


@rule("SRV001", "median-inconsistent-with-landmark", "error", options={"time_tolerance": TIME_CONVENTION_TOLERANCE})
def check(doc, facts, ctx):
    tol = float(ctx.options.get("time_tolerance", TIME_CONVENTION_TOLERANCE))
    rates: dict[tuple[str, str], list] = {}
    for lm in landmarks(facts):
        if reliable(lm):
            rates.setdefault((lm.endpoint, lm.arm), []).append(lm)
    groups: dict[tuple, list] = {}
    for m in medians(facts):
        if reliable(m) and (m.endpoint, m.arm) in rates:
            groups.setdefault((m.endpoint, m.arm, m.value, m.unit, m.not_reached), []).append(m)
    out = []
    for (endpoint, arm, value, unit, nr), occurrences in groups.items():
        med = None if nr else months_interval(value, unit, ctx.rounding)
        conflicts, seen = [], set()
        for lm in rates[(endpoint, arm)]:
            verdict = median_vs_landmark(med, lm.months, percent_interval(lm.percent, ctx.rounding), tol)
            key = (lm.months, lm.percent, lm.source)
            if not verdict.consistent and key not in seen:
                seen.add(key)
                conflicts.append((lm, verdict))
        if not conflicts:
            continue
        first = occurrences[0]
        shown = {}
        for lm, verdict in conflicts:
            shown.setdefault((lm.months, lm.percent), (lm, verdict))
        parts = []
        for lm, verdict in shown.values():
            t = f"{lm.months:g} months"
            if nr:
                parts.append(f"its {time_label(lm.months)} {endpoint} of {lm.percent}% is below 50%, so the curve "
                             f"had reached its median by {t}")
            elif "before" in verdict.reason:
                parts.append(f"its {time_label(lm.months)} {endpoint} of {lm.percent}% means S({t}) < 50%, so the "
                             f"median is at most {t}")
            else:
                parts.append(f"its {time_label(lm.months)} {endpoint} of {lm.percent}% means S({t}) > 50%, so the "
                             f"median is beyond {t}")
        message = (f"median {endpoint} {median_text(first)} in the {arm} is impossible with the same arm's landmark rate: "
                   + "; ".join(parts) + " (the Kaplan-Meier median is the first time S(t) <= 50%)")
        ev = [fact_evidence(doc, o) for o in occurrences[:2]] + [fact_evidence(doc, lm) for lm, _ in conflicts[:4]]
        out.append(check.rule.finding(
            message, ev, confidence=weakest(first, *(lm for lm, _ in conflicts)),
            reported={"endpoint": endpoint, "arm": arm, "median": median_text(first),
                      "landmarks": [f"{time_label(lm.months)} {lm.percent}%" for lm, _ in shown.values()]},
            recomputed={"constraint": [v.reason for _, v in shown.values()]},
            tolerance={"method": ctx.rounding, "time_tolerance": tol},
        ))
    return out
