"""SRV002 pfs-above-os: progression-free (or disease-/event-free) survival above overall survival.

What it checks
    For the same arm: PFS, DFS or EFS at a landmark t against OS at the same t, and the median
    PFS/DFS/EFS against the median OS. These endpoints count death from any cause as an event, so
    every patient event-free at t is alive at t: S_PFS(t) <= S_OS(t), median PFS <= median OS,
    and a PFS median "not reached" with an OS median reached is impossible.

Why it matters
    A PFS rate above the OS rate of the same patients cannot come from one data set; it points
    to swapped rows, values from different populations or invented numbers.

Example
    "2-year PFS 58.3% and 2-year OS 52.1% in the intervention arm" (PFS above OS), or "median PFS
    26.4 months, median OS 22.8 months" in the same arm.

Tolerance
    Both values are intervals at their printed precision (numeric.rounding); a finding needs
    every reading of the PFS value to exceed every reading of the OS value. Relapse-free survival
    (RFS), TTP and cause-specific endpoints are not compared: their definitions often censor
    deaths without relapse.

Known limitations
    A paper that defines PFS without deaths (deaths censored) could legitimately show PFS above
    OS; check the definition in the Methods. Values are compared only when tied to the same arm
    (see SRV001 for how arms are read).

References
    Food and Drug Administration. Clinical Trial Endpoints for the Approval of Cancer Drugs and
    Biologics. Guidance for Industry, 2018 (PFS, DFS and EFS include death as an event).
"""
from __future__ import annotations

from ..extract.survival import landmarks, medians, reliable, time_label
from ..stats.survival import certainly_above, months_interval, percent_interval
from .base import rule
from .srv001_median_vs_landmark import fact_evidence, median_text, weakest

DEATH_INCLUSIVE = ("PFS", "DFS", "EFS")


@rule("SRV002", "pfs-above-os", "error")
def check(doc, facts, ctx):
    out = []
    os_rates: dict[tuple[str, float], list] = {}
    for lm in landmarks(facts):
        if reliable(lm) and lm.endpoint == "OS":
            os_rates.setdefault((lm.arm, lm.months), []).append(lm)
    done = set()
    for lm in landmarks(facts):
        if not reliable(lm) or lm.endpoint not in DEATH_INCLUSIVE:
            continue
        for os_lm in os_rates.get((lm.arm, lm.months), []):
            key = (lm.endpoint, lm.arm, lm.months, lm.percent, os_lm.percent)
            if key in done:
                continue
            if certainly_above(percent_interval(lm.percent, ctx.rounding), percent_interval(os_lm.percent, ctx.rounding)):
                done.add(key)
                t = time_label(lm.months)
                out.append(check.rule.finding(
                    f"{t} {lm.endpoint} {lm.percent}% is above {t} OS {os_lm.percent}% in the {lm.arm}: "
                    f"{lm.endpoint} counts deaths as events, so it cannot exceed OS at the same time point",
                    [fact_evidence(doc, lm), fact_evidence(doc, os_lm)], confidence=weakest(lm, os_lm),
                    reported={"arm": lm.arm, "time": t, lm.endpoint: lm.percent, "OS": os_lm.percent},
                    recomputed={"constraint": f"{lm.endpoint}(t) <= OS(t)"},
                    tolerance={"method": ctx.rounding},
                ))
    os_medians: dict[str, list] = {}
    for m in medians(facts):
        if reliable(m) and m.endpoint == "OS":
            os_medians.setdefault(m.arm, []).append(m)
    for m in medians(facts):
        if not reliable(m) or m.endpoint not in DEATH_INCLUSIVE:
            continue
        for os_m in os_medians.get(m.arm, []):
            if os_m.not_reached:
                continue
            key = (m.endpoint, m.arm, m.value, m.not_reached, os_m.value)
            if key in done:
                continue
            os_iv = months_interval(os_m.value, os_m.unit, ctx.rounding)
            impossible = m.not_reached or certainly_above(months_interval(m.value, m.unit, ctx.rounding), os_iv)
            if impossible:
                done.add(key)
                out.append(check.rule.finding(
                    f"median {m.endpoint} {median_text(m)} is longer than median OS {median_text(os_m)} in the {m.arm}: "
                    f"{m.endpoint} counts deaths as events, so its median cannot exceed the OS median",
                    [fact_evidence(doc, m), fact_evidence(doc, os_m)], confidence=weakest(m, os_m),
                    reported={"arm": m.arm, f"median {m.endpoint}": median_text(m), "median OS": median_text(os_m)},
                    recomputed={"constraint": f"median {m.endpoint} <= median OS"},
                    tolerance={"method": ctx.rounding},
                ))
    return out
