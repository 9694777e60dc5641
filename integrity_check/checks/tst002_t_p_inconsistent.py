"""TST002 t-p-inconsistent: a printed p that the printed t and the two arms' n do not give.

What it checks
    For two-group comparisons printed without df (clinical style: "(t=4.327, P<0.001)", a "T
    value" and a "P value" column under arm columns "(n=38)"), the p of the printed t on
    df = n1 + n2 - 2 (Student), or on the Welch-Satterthwaite df the printed SDs allow, must
    agree with the printed p. A two-group F is read as F(1, df). Tests that print their df are
    PVL001's.

Why it matters
    The p is what the conclusion rests on. A printed p that the printed statistic cannot give on
    any legitimate df means one of the two is wrong.

Example
    "Operation Time | 185.6 ± 32.4 | 178.9 ± 29.5 | 0.952 | 0.144" with n = 38 per arm: t = 0.952
    on 74 df gives P = 0.344.

Tolerance
    The t is an interval at its printed precision and the p interval its image (stats.pvalue);
    the printed p is an interval at its precision ("<0.001" is [0, 0.001]); truncated digits are
    accepted too. Student's df is exact; the Welch df is the exact range over the rounding of the
    SDs. significance_flip when the printed p and every recomputed p are on opposite sides of
    alpha. One-tailed when the sentence says so (or, when the paper mentions one-sided tests anywhere, a
    p matching the one-tailed p is accepted); an adjusted p only needs to be at least the
    unadjusted p.

Known limitations
    n comes from the arms (column header or prose); with missing data the real df is smaller,
    which makes p slightly larger. Paired tests (df = n - 1) are not recognised.

References
    Nuijten MB et al. Behav Res Methods 2016;48:1205-1226. Welch BL. Biometrika 1947;34:28-35.
"""
from __future__ import annotations

from ..numeric.rounding import Interval, format_at
from ..stats.ttest import welch_df_interval
from .base import rule
from .pvl001_p_inconsistent import fmt_interval, p_agreement, p_text, test_label
from .tst001_t_inconsistent_with_summaries import best_confidence, comparison_evidence, grouped_comparisons


@rule("TST002", "t-p-inconsistent", "error")
def check(doc, facts, ctx):
    out = []
    for cs in grouped_comparisons(facts):
        c = cs[0]
        t = c.test
        if t.df is not None:
            continue  # a printed df: PVL001
        student_df = c.a.n + c.b.n - 2
        try:
            welch = welch_df_interval(c.a.sd, c.a.n, c.b.sd, c.b.n, ctx.rounding)
        except (ValueError, ArithmeticError, ZeroDivisionError):
            welch = None
        readings = [("Student", float(student_df))]
        if welch is not None:
            readings.append(("Welch", welch))
        results = []
        for name, df in readings:
            if t.test == "t":
                res = p_agreement(t, df, None, ctx)
            else:
                res = p_agreement(t, 1.0, df, ctx)
            if res is not None:
                results.append((name, df, res))
        if not results or any(r[2][0] for r in results):
            continue
        checks = [r[2][1] for r in results]
        hull = Interval(min(x.recomputed.lo for x in checks), max(x.recomputed.hi for x in checks))
        flip = all(x.decision_flip for x in checks)
        welch_note = ""
        if welch is not None:
            welch_note = f" (Welch df {format_at(welch.lo, 1)} to {format_at(welch.hi, 1)})"
        label = test_label(t)
        message = (f"{label} with n = {c.a.n} and {c.b.n} (df = {student_df}{welch_note}) gives p = "
                   f"{fmt_interval(hull)}, but p {p_text(t)} is printed")
        if flip:
            message += f"; the decision at alpha = {checks[0].alpha:g} flips"
        out.append(check.rule.finding(
            message, comparison_evidence(doc, cs), confidence=best_confidence(cs), significance_flip=flip,
            reported={"test": t.test, "statistic": t.statistic, "p": t.p, "p_relation": t.p_relation,
                      "n1": c.a.n, "n2": c.b.n},
            recomputed={"df": student_df, "welch_df_low": welch.lo if welch else None,
                        "welch_df_high": welch.hi if welch else None, "p_low": hull.lo, "p_high": hull.hi},
            tolerance={"method": ctx.rounding, "also_accepted": "truncate"},
        ))
    return out
