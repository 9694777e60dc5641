"""HZR003 wald-inconsistent: a Wald statistic that is not (b/SE)^2, or a p that is not its chi-square(1) p.

What it checks
    In regression table rows:
    1. Wald printed with b and SE: whether Wald = (b / SE)^2 for some b and SE that print as the
       printed ones.
    2. Wald printed with p: whether p = P(chi2(1) > Wald) (the p SPSS, SAS and R print for a
       single coefficient).
    3. No Wald column, b, SE and p printed: whether p = 2 P(Z > |b| / SE).

Why it matters
    b, SE, Wald and p are four prints of one computation. When they disagree the row was edited
    or assembled from different models, and the p that supports the conclusion may not be the
    one the data give.

Example
    "-0.667 | 0.305 | 4.732 | 0.026": P(chi2(1) > 4.732) = 0.030, not 0.026 (error); and
    (0.667/0.305)^2 = 4.78, not 4.732 (0.6% beyond the rounding box: a note).

Tolerance
    b, SE, Wald and p are intervals at their printed precision (numeric.rounding, up_or_down by
    default); recomputed values are intervals over the rounding box, p is compared with
    stats.pvalue.compare_p. Software computes Wald from the unrounded b and SE, which the box
    covers; but published tables are often typeset through another rounding path (cells rounded
    twice, values copied from an output with more decimals, or from a slightly different model
    run), so a discrepancy beyond the box that is within ``relative_tolerance`` (default 1%) of
    the recomputed value (Wald, or p) and changes no significance decision is reported as a
    ``note``, not an error. Example: the Age row of a Cox table "0.213 | 0.302 | 0.491 | 0.483":
    (0.2125/0.3025)^2 = 0.4935 > 0.4915, 0.4% beyond the box, and 0.483 is exactly the p of the
    printed Wald: a note. Beyond 1%, or when the decision at alpha changes, it is an error (with
    ``significance_flip`` when the decision changes). p values stated as adjusted (Bonferroni,
    Holm, FDR) are not compared.

Known limitations
    A row whose p comes from a likelihood-ratio or score test while the Wald column is printed
    will be reported when the two tests differ. Robust (sandwich) SEs give Wald = (b/SE_robust)^2
    and are consistent as long as the printed SE is the robust one.

References
    Wald A. Tests of statistical hypotheses concerning several parameters when the number of
    observations is large. Trans Am Math Soc 1943;54:426-482.
    Nuijten MB et al. The prevalence of statistical reporting errors in psychology (1985-2013).
    Behav Res Methods 2016;48:1205-1226.
"""
from __future__ import annotations

from ..numeric.rounding import decimals_of, format_at, unround
from ..stats.ratios import check_coefficient_row, p_interval_from_coefficient, wald_interval, wald_p_interval
from .base import rule
from .hzr001_ratio_not_exp_coefficient import (
    DEFAULT_RELATIVE_TOLERANCE,
    describe,
    item_evidence,
    ratio_items,
    relative_tolerance,
    where,
    within_relative,
)

ADJUSTED = ("bonferroni", "holm", "benjamini", "fdr", "false discovery", "adjusted p", "p adj", "corrected")


def p_is_adjusted(item) -> bool:
    return any(word in (item.p_test or "") for word in ADJUSTED)


@rule("HZR003", "wald-inconsistent", "error", options={"relative_tolerance": DEFAULT_RELATIVE_TOLERANCE})
def check(doc, facts, ctx):
    out = []
    tol = relative_tolerance(ctx)
    for item in ratio_items(facts):
        if item.source != "table":
            continue
        has_b_se = item.b is not None and item.se is not None
        # 1. Wald vs (b/SE)^2
        if has_b_se and item.wald is not None:
            recomputed = wald_interval(item.b, item.se, ctx.rounding)
            printed = unround(item.wald, ctx.rounding)
            if not printed.meets(recomputed):
                minor = within_relative(printed, recomputed, tol)
                d = decimals_of(item.wald)
                msg = (f"Wald {item.wald} is not (b/SE)^2 = ({item.b}/{item.se})^2 = {describe(recomputed, d)} "
                       f"({where(item)})")
                if minor:
                    msg += f"; the gap is within {format_at(tol * 100, 1)}% (a rounding-path difference is possible)"
                out.append(check.rule.finding(
                    msg, item_evidence(doc, item, "wald", "b", "se"), severity="note" if minor else "error",
                    confidence=item.confidence,
                    reported={"wald": item.wald, "b": item.b, "se": item.se},
                    recomputed={"wald": describe(recomputed, d), "wald_interval": [recomputed.lo, recomputed.hi]},
                    tolerance={"method": ctx.rounding, "decimals": d, "relative_note_zone": tol},
                ))
        if item.p is None or p_is_adjusted(item):
            continue
        # 2. p vs the printed Wald; 3. p vs b/SE when no Wald is printed
        row = check_coefficient_row(b=item.b if has_b_se else None, se=item.se if has_b_se else None,
                                    wald_stat=item.wald, p=item.p, p_relation=item.p_relation,
                                    alpha=ctx.alpha, method=ctx.rounding)
        if item.wald is not None:
            pc, basis, recomputed = row.p_vs_wald, f"Wald {item.wald}", wald_p_interval(unround(item.wald, ctx.rounding).clipped(0.0, float("inf")))
        elif has_b_se:
            pc, basis, recomputed = row.p_vs_coefficient, f"b/SE = {item.b}/{item.se}", p_interval_from_coefficient(item.b, item.se, ctx.rounding)
        else:
            continue
        if pc is None or pc.consistent:
            continue
        minor = (not pc.decision_flip) and item.p_relation == "=" and within_relative(pc.reported, recomputed, tol)
        d = max(decimals_of(item.p), 3)
        rel = "" if item.p_relation == "=" else item.p_relation
        msg = (f"P {rel}{item.p} is not the chi-square(1) p of {basis}: p = {describe(pc.recomputed, d)} ({where(item)})")
        if pc.decision_flip:
            msg += f"; the significance decision at alpha = {ctx.alpha} changes"
        elif minor:
            msg += f"; the gap is within {format_at(tol * 100, 1)}% (a rounding-path difference is possible)"
        out.append(check.rule.finding(
            msg, item_evidence(doc, item, "p", "wald", "b", "se"), severity="note" if minor else "error",
            confidence=item.confidence, significance_flip=pc.decision_flip,
            reported={"p": f"{rel}{item.p}", "wald": item.wald, "b": item.b, "se": item.se},
            recomputed={"p": describe(pc.recomputed, d), "p_point": format_at(pc.recomputed_point, d + 1)},
            tolerance={"method": ctx.rounding, "relative_note_zone": tol, "alpha": ctx.alpha},
        ))
    return out
