"""MSD002 grimmer-sd: an SD that n integer responses with the printed mean cannot produce (GRIMMER).

What it checks
    For a mean ± SD with n whose data the paper says are integers (see MSD001), whether an
    integer sum T and sum of squares Q exist that reproduce both the printed mean and the printed
    SD (Anaya's GRIMMER, analytic form; stats.grim.grimmer), including the parity rule.

Why it matters
    For integer data the variance is also granular. An SD that no integer data with the stated
    mean and n can produce means the SD, the mean or the n is wrong.

Example
    A 5-point item, n = 12, "3.25 ± 1.12": T = 39; the SDs attainable near 1.12 are 1.055 and
    1.138 (Q = 139, 141), so 1.12 is impossible. "3.25 ± 1.14" is possible.

Tolerance
    Mean and SD are intervals at their printed precision (numeric.rounding, up_or_down). Only
    means that pass GRIM are tested (a GRIM failure is MSD001's finding). The test uses sample
    SDs (n - 1); an SD printed as a population SD would be reported.

Known limitations
    Necessary conditions only (no check that the scale bounds allow the (T, Q) pair: MSD003
    covers bounds). Applied only where the paper states that the data are integer-valued.

References
    Anaya J. The GRIMMER test: a method for testing the validity of reported measures of
    variability. PeerJ Preprints 2016;4:e2400v1.
    Allard A. Analytic-GRIMMER: a new way of testing the possibility of standard deviations (2018).
"""
from __future__ import annotations

from ..findings import evidence
from ..stats.grim import grim, grimmer
from .base import rule
from .msd001_grim_mean import integer_means


@rule("MSD002", "grimmer-sd", "error")
def check(doc, facts, ctx):
    out = []
    for m, st, label in integer_means(doc, facts):
        if not st.integer or not m.sd:
            continue
        g = grim(m.mean, m.n, st.items, ctx.rounding)
        if not g.consistent:
            continue
        r = grimmer(m.mean, m.sd, m.n, st.items, ctx.rounding)
        if r.consistent:
            continue
        ev = [evidence(doc, m.start, m.end, m.table, m.row, m.col)]
        if st.start >= 0:
            ev.append(evidence(doc, st.start, st.end))
        out.append(check.rule.finding(
            f"SD {m.sd} is not attainable for n = {m.n} integer responses"
            f"{'' if st.items == 1 else f' on {st.items} items'} with mean {m.mean} [{label.strip()[:60]}]",
            ev, confidence="high" if m.confidence == "high" and st.confidence == "high" else "medium",
            reported={"mean": m.mean, "sd": m.sd, "n": str(m.n), "items": st.items, "scale": st.raw[:120]},
            recomputed={"grim_totals": list(g.totals[:5])},
            tolerance={"method": ctx.rounding},
        ))
    return out
