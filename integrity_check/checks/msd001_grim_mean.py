"""MSD001 grim-mean: a mean that n integer responses cannot produce (GRIM).

What it checks
    For a mean with its n whose data the paper says are integers (a Likert item or a k-point
    scale, the sum or mean of k integer items, a count "number of ..."), whether some integer
    total T gives T / (n x items) that prints as the reported mean (Brown & Heathers' GRIM test,
    stats.grim.grim).

Why it matters
    Means of integer data come in steps of 1 / (n x items). A mean between two steps cannot have
    come from the stated n and scale: the mean, the n or the scale description is wrong.

Example
    "Satisfaction was rated on a 7-point Likert scale (1-7)." and in a table column of n = 18,
    "Satisfaction 5.19 ± 1.02": 18 x 5.19 = 93.42; 93/18 = 5.17 and 94/18 = 5.22, never 5.19.

Tolerance
    The mean is an interval at its printed precision (numeric.rounding, up_or_down by default).
    The test is run only when it is informative (n x items < 10^decimals); otherwise every mean
    is attainable and nothing is reported.

Known limitations
    Applied only where the paper states that the data are integer-valued, in the mean's row
    label or in a sentence that names the same measure (an acronym or two content words in
    common). Units say nothing ("ml", "days", "years"), and means of continuous measures are
    never tested. Missing responses (an n smaller than the arm's) make a correct mean look
    inconsistent: the confidence follows the tie to n.

References
    Brown NJL, Heathers JAJ. The GRIM test: a simple technique detects numerous anomalies in the
    reporting of results in psychology. Soc Psychol Personal Sci 2017;8:363-369.
"""
from __future__ import annotations

from ..findings import evidence
from ..stats.grim import grim
from .base import rule


def integer_means(doc, facts):
    """(mean fact, scale statement) for every mean with n whose measure is stated to be integer."""
    from ..extract.scales import scale_for
    statements = facts.scales
    out = []
    for m in facts.means:
        if getattr(m, "kind", "") != "mean_sd" or not m.n or m.n < 2 or m.confidence == "low":
            continue
        label = m.row_label if m.context == "table" else _prose_label(doc, m)
        st = scale_for(label, statements)
        if st is None:
            continue
        out.append((m, st, label))
    return out


def _prose_label(doc, m) -> str:
    line = doc.line_around(m.start, m.end)
    lo = doc.text.rfind(line, max(0, m.start - len(line)), m.end) if line else -1
    before = line[: max(0, m.start - lo)] if lo >= 0 else line
    for sep in (". ", "; "):
        if sep in before:
            before = before.rsplit(sep, 1)[1]
    return before[-120:]


@rule("MSD001", "grim-mean", "error")
def check(doc, facts, ctx):
    out = []
    for m, st, label in integer_means(doc, facts):
        if not st.integer:
            continue
        g = grim(m.mean, m.n, st.items, ctx.rounding)
        if g.consistent or not g.informative:
            continue
        cells = m.n * st.items
        nearest = " and ".join(g.nearest)
        ev = [evidence(doc, m.start, m.end, m.table, m.row, m.col)]
        if st.start >= 0:
            ev.append(evidence(doc, st.start, st.end))
        out.append(check.rule.finding(
            f"mean {m.mean} is not attainable with n = {m.n} integer responses"
            f"{'' if st.items == 1 else f' on {st.items} items'} (steps of 1/{cells}; nearest {nearest})"
            f" [{label.strip()[:60]}]",
            ev, confidence="high" if m.confidence == "high" and st.confidence == "high" else "medium",
            reported={"mean": m.mean, "n": str(m.n), "items": st.items, "n_source": m.n_source, "scale": st.raw[:120]},
            recomputed={"nearest_means": list(g.nearest), "granularity": f"1/{cells}"},
            tolerance={"method": ctx.rounding},
        ))
    return out
