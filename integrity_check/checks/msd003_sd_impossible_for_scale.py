"""MSD003 sd-impossible-for-scale: an SD larger than any data on a bounded scale can have.

What it checks
    For a mean ± SD with n on a scale whose bounds the paper states ("7-point scale (1-7)",
    "range 0-27", "NRS 0-10"), whether n values within the bounds with that mean can have an SD
    that large (stats.grim.sd_bounds: the maximum is reached with the values piled at the two
    bounds). Also reported: a mean outside the scale's bounds.

Why it matters
    An SD above the maximum possible is arithmetically impossible; it usually means an SE/SD
    mix-up in the other direction, a mistyped SD or a wrong scale description.

Example
    "Anxiety (0-10)" with n = 20, "1.5 ± 4.2": with mean 1.5 on 0-10 the largest possible SD is
    3.66 (three values at 10 and seventeen at 0), so 4.2 is impossible.

Tolerance
    Mean and SD are intervals at their printed precision (numeric.rounding, up_or_down); the
    maximum SD is taken over the mean's whole interval, so a finding holds for every reading.

Known limitations
    The bounds must be stated in the mean's row label or in a sentence that names the same
    measure. A subscale reported on a different range than the instrument's total would be
    misattributed if the paper names both alike.

References
    Bhatia R, Davis C. A better bound on the variance. Amer Math Monthly 2000;107:353-357.
    Brown NJL, Heathers JAJ. The GRIM test. Soc Psychol Personal Sci 2017;8:363-369.
"""
from __future__ import annotations

from ..findings import evidence
from ..numeric.rounding import decimals_of, format_at, unround
from ..stats.grim import sd_bounds
from .base import rule
from .msd001_grim_mean import integer_means


@rule("MSD003", "sd-impossible-for-scale", "error")
def check(doc, facts, ctx):
    out = []
    for m, st, label in integer_means(doc, facts):
        if st.lo is None or st.hi is None or not m.sd:
            continue
        bounds = sd_bounds(m.mean, m.n, st.lo, st.hi, ctx.rounding)
        ev = [evidence(doc, m.start, m.end, m.table, m.row, m.col)]
        if st.start >= 0:
            ev.append(evidence(doc, st.start, st.end))
        scale = f"{format_at(st.lo, 0)}-{format_at(st.hi, 0)}"
        if bounds is None:
            msg = f"mean {m.mean} lies outside the scale's range {scale} [{label.strip()[:60]}]"
        elif unround(m.sd, ctx.rounding).meets(bounds):
            continue
        else:
            msg = (f"SD {m.sd} exceeds the largest SD possible for n = {m.n} values in {scale} with mean {m.mean}: "
                   f"{format_at(bounds.hi, decimals_of(m.sd))} [{label.strip()[:60]}]")
        out.append(check.rule.finding(
            msg, ev, confidence="high" if m.confidence == "high" and st.confidence == "high" else "medium",
            reported={"mean": m.mean, "sd": m.sd, "n": str(m.n), "scale": scale},
            recomputed={"max_sd": format_at(bounds.hi, decimals_of(m.sd) + 1) if bounds else None},
            tolerance={"method": ctx.rounding},
        ))
    return out
