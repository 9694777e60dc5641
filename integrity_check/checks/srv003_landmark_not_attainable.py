"""SRV003 landmark-not-attainable: landmark survival rates that are not k/n although follow-up rules out censoring.

What it checks
    When the paper states the enrolment period ("From January 2019 to February 2022") and the
    follow-up cut-off ("The follow-up deadline was February 2025"), every patient has at least
    cut-off minus end of enrolment of follow-up (here 36 months). Before that time nobody is
    censored for administrative reasons, so the Kaplan-Meier estimate at a landmark t within the
    minimum follow-up is the plain fraction of the arm still event-free: S(t) = k/n. The rule lists,
    per arm and endpoint (OS, PFS, DFS, EFS), the landmark rates at such t that no k/n of the
    arm's n prints as.

Why it matters
    Kaplan-Meier percentages that are not attainable as k/n are normal when patients are
    censored; when the stated follow-up excludes censoring, they mean the rates were not computed
    from the patients the paper describes (or that follow-up was not as complete as stated).

Example
    Enrolment January 2019 to February 2022, cut-off February 2025: minimum follow-up 36 months,
    so the 1-, 2- and 3-year rates of an arm of 38 must be multiples of 1/38. "72.2%" is not
    (27/38 = 71.1%, 28/38 = 73.7%): warning for that arm and endpoint, listing every such rate.

Tolerance
    Rates are intervals at their printed precision (numeric.rounding). Dates are read to the
    month; the minimum follow-up is the whole number of calendar months between the end of
    enrolment and the cut-off (the latest enrolment end and the earliest cut-off stated). A
    warning, not an error: patients lost to follow-up or withdrawing consent are censored early
    whatever the cut-off.

Known limitations
    Survival measured from a later date than enrolment (surgery, randomization) shortens the
    minimum follow-up by that delay. Endpoints that censor deaths (RFS, cause-specific survival)
    are not checked. The arm's n is the analysed n the paper gives for that arm.

References
    Kaplan EL, Meier P. Nonparametric estimation from incomplete observations. J Am Stat Assoc
    1958;53:457-481 (without censoring the product-limit estimate is the empirical survival
    fraction). Clark TG, Bradburn MJ, Love SB, Altman DG. Survival analysis part I. Br J Cancer
    2003;89:232-238.
"""
from __future__ import annotations

from ..extract.survival import landmarks, periods, reliable, time_label
from ..findings import evidence
from ..numeric.rounding import format_at
from ..stats.survival import attainable_survival_counts, months_between, nearest_survival_fractions
from .base import rule
from .srv001_median_vs_landmark import fact_evidence

NO_DEATH_CENSORING = ("OS", "PFS", "DFS", "EFS")


@rule("SRV003", "landmark-not-attainable", "warning")
def check(doc, facts, ctx):
    enrolment = [p for p in periods(facts) if p.kind == "enrolment"]
    cutoffs = [p for p in periods(facts) if p.kind == "cutoff"]
    if not enrolment or not cutoffs:
        return []
    last = max(enrolment, key=lambda p: p.last)
    later = [c for c in cutoffs if c.last > last.last]
    if not later:
        return []
    cut = min(later, key=lambda p: p.last)
    min_fu = months_between(last.last, cut.last)
    groups: dict[tuple[str, str], list] = {}
    for lm in landmarks(facts):
        if reliable(lm) and lm.endpoint in NO_DEATH_CENSORING and lm.n and lm.months <= min_fu:
            groups.setdefault((lm.endpoint, lm.arm), []).append(lm)
    out = []
    for (endpoint, arm), items in groups.items():
        bad: dict[tuple[float, str], list] = {}
        for lm in items:
            if not attainable_survival_counts(lm.percent, lm.n, ctx.rounding):
                bad.setdefault((lm.months, lm.percent), []).append(lm)
        if not bad:
            continue
        n = next(iter(bad.values()))[0].n
        described = []
        for (months, percent), lms in sorted(bad.items()):
            near = ", ".join(f"{k}/{n} = {format_at(v, 1)}%" for k, v in nearest_survival_fractions(percent, n))
            described.append(f"{time_label(months)} {percent}% ({near})")
        message = (f"{endpoint} in the {arm} (n = {n}): enrolment ended {_ym(last.last)} and follow-up ran to "
                   f"{_ym(cut.last)}, a minimum follow-up of {min_fu} months, so rates up to {min_fu} months cannot "
                   f"be affected by administrative censoring and must be k/{n}; not attainable: " + "; ".join(described))
        ev = [fact_evidence(doc, lms[0]) for lms in bad.values()][:6]
        ev += [evidence(doc, last.start, last.end), evidence(doc, cut.start, cut.end)]
        out.append(check.rule.finding(
            message, ev, confidence="high" if all(lms[0].confidence == "high" for lms in bad.values()) else "medium",
            reported={"endpoint": endpoint, "arm": arm, "n": str(n), "rates": [f"{time_label(m)} {p}%" for m, p in sorted(bad)],
                      "enrolment_end": _ym(last.last), "cutoff": _ym(cut.last)},
            recomputed={"minimum_follow_up_months": min_fu},
            tolerance={"method": ctx.rounding, "dates": "month"},
        ))
    return out


def _ym(ym: tuple[int, int]) -> str:
    return f"{ym[0]}-{ym[1]:02d}"
