"""PVL003 df-mismatch: a statistic and p that agree only under another df than the design's.

What it checks
    For a chi-square printed next to its table of counts without df (clinical tables: "χ2=0.419 |
    0.811" on a variable with two categories in two arms), the design gives df = (r - 1)(c - 1).
    When the printed χ2 and P do not agree at that df but do agree at another df (1 to 10), the
    test reported was not the test of this table: the wrong df was used, or the row was copied
    from another analysis.

Why it matters
    A p computed with the wrong df is the wrong p: with more df a chi-square gives a larger p, so
    the error can hide a real difference (or, with fewer df, manufacture one). A pair that fits
    another df is also a hint that the value belongs to another table or variable.

Example
    "Pathological differentiation | χ2=0.419 | 0.811" with two categories (2 x 2 table, df = 1):
    0.419 on 1 df gives P = 0.517; 0.811 is the P of 0.419 on 2 df.

Tolerance
    The printed pair is compared at each df with stats.pvalue.check_p (rounding intervals of the
    statistic and the p, as PVL001). Reported only when the design df fails and another df fits.

Known limitations
    Only chi-squares tied to a table of counts are checked; a printed df is taken as the design's
    (a "χ2(2) = ..." for a 2 x 2 table is not compared with its table). A chi-square that fits
    neither df is reported by PVL001/PVL002; whether the counts support the chi-square is CHI001's
    question, not this rule's.

References
    Agresti A. Categorical Data Analysis, 3rd ed. Wiley 2013, section 3.2 (df of an r x c test).
    Nuijten MB et al. Behav Res Methods 2016;48:1205-1226.
"""
from __future__ import annotations

from .base import rule
from .pvl001_p_inconsistent import fmt_interval, is_df_mismatch, p_records, p_text, test_evidence, test_label


@rule("PVL003", "df-mismatch", "warning")
def check(doc, facts, ctx):
    out = []
    for rec in p_records(doc, facts, ctx):
        if not is_df_mismatch(rec):
            continue
        t = rec.test
        others = ", ".join(str(d) for d in rec.other_dfs)
        message = (f"{test_label(t)} with p {p_text(t)}: the table of counts gives df = {rec.df}, under which p = "
                   f"{fmt_interval(rec.check.recomputed)}; the printed pair fits df = {others} instead")
        ev = []
        for x in rec.tests:
            ev.extend(test_evidence(doc, x))
        out.append(check.rule.finding(
            message, ev, confidence=rec.confidence,
            reported={"test": t.test, "statistic": t.statistic, "p": t.p, "p_relation": t.p_relation,
                      "design_df": rec.df},
            recomputed={"p_at_design_df": fmt_interval(rec.check.recomputed), "dfs_fitting_printed_pair": list(rec.other_dfs)},
            tolerance={"method": ctx.rounding},
        ))
    return out
