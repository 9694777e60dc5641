"""HZR004 p-inconsistent-with-ci: a p value that the ratio's own confidence interval contradicts.

What it checks
    For a ratio printed with its CI and p (prose or table):
    1. Whether the p is "significant" while the CI includes 1, or "not significant" while the CI
       excludes 1, at alpha = 1 - CI level (``significance_flip``).
    2. When the coefficient and SE are not printed: whether the p agrees with the p the CI
       implies (Altman & Bland 2011): SE = (ln hi - ln lo) / (2 z), z = ln(est) / SE,
       p = 2 P(Z > |z|). (When b and SE are printed, HZR002 and HZR003 test the CI and p against
       them; this rule then only tests the significance contradiction.)

Why it matters
    The CI and the p are two views of one test. A p that the CI contradicts is a typo, a p from
    another analysis, or a CI from another model; when the contradiction changes significance,
    the conclusion rests on a number the data do not support.

Example
    "HR 0.85 (95% CI 0.70 to 1.03), P = 0.01": the CI includes 1 but P < 0.05 (error, flip).
    "OR 2.10, 95% CI 1.30-3.40, P = 0.20": the CI implies p = 0.0025 (error, flip).

Tolerance
    The estimate, both bounds and p are intervals at their printed precision (numeric.rounding,
    up_or_down by default); the implied p is an interval over the rounding box of all three
    (stats.ratios.p_interval_from_ci) and is compared with stats.pvalue.compare_p. A CI bound
    that prints as 1 (e.g. "1.00") states no decision. Discrepancies beyond the box within
    ``relative_tolerance`` (default 1%) of the implied p that change no decision are notes. When
    the sentence or table names a test other than Wald (log-rank, likelihood ratio, score,
    Fisher's exact, Mantel-Haenszel) or a non-Wald CI (exact, profile, bootstrap), the
    Altman-Bland p is only approximate and a discrepancy is a warning, unless the significance
    decision changes. p values stated as adjusted (Bonferroni, Holm, FDR, "adjusted p") are not
    compared at all: an adjusted p and an unadjusted CI need not agree.

Known limitations
    A p from a different model than the CI (e.g. an unadjusted p next to an adjusted HR) is
    reported; check the text before concluding. The CI level is taken as 95% when not stated.

References
    Altman DG, Bland JM. How to obtain the P value from a confidence interval. BMJ 2011;343:d2304.
    Altman DG, Bland JM. How to obtain the confidence interval from a P value. BMJ 2011;343:d2090.
"""
from __future__ import annotations

from ..numeric.rounding import decimals_of, format_at
from ..stats.ratios import check_coefficient_row
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
from .hzr003_wald_inconsistent import p_is_adjusted

NON_WALD_TESTS = ("log-rank", "log rank", "likelihood", "score", "fisher", "mantel", "cochran", "permutation",
                  "one-sided", "one sided", "one-tailed", "one tailed")


@rule("HZR004", "p-inconsistent-with-ci", "error", options={"relative_tolerance": DEFAULT_RELATIVE_TOLERANCE})
def check(doc, facts, ctx):
    out = []
    tol = relative_tolerance(ctx)
    for item in ratio_items(facts):
        if item.p is None or item.ci_lo is None or item.ci_hi is None or p_is_adjusted(item):
            continue
        has_b_se = item.b is not None and item.se is not None
        row = check_coefficient_row(ratio=item.ratio, ci_lo=item.ci_lo, ci_hi=item.ci_hi, p=item.p,
                                    p_relation=item.p_relation, level=item.level_value, alpha=ctx.alpha,
                                    method=ctx.rounding)
        rel = "" if item.p_relation == "=" else item.p_relation
        if row.ci_contradicts_p:
            includes = row.ci_includes_one
            said = "significant" if includes else "not significant"
            msg = (f"P {rel or '= '}{item.p} says {said} but the {item.level_text} CI {item.ci_lo} to {item.ci_hi} "
                   f"{'includes' if includes else 'excludes'} 1 ({where(item)})")
            out.append(check.rule.finding(
                msg, item_evidence(doc, item, "ci_p", "p", "ci", "ratio"), severity="error", confidence=item.confidence,
                significance_flip=True,
                reported={"p": f"{rel}{item.p}", "ratio": item.ratio, "ci_lower": item.ci_lo, "ci_upper": item.ci_hi,
                          "level": item.level or "95 (assumed)"},
                recomputed={"ci_includes_one": includes},
                tolerance={"method": ctx.rounding},
            ))
            continue
        if has_b_se or item.ratio is None or row.p_vs_ci is None or row.p_vs_ci.consistent:
            continue
        pc = row.p_vs_ci
        minor = (not pc.decision_flip) and item.p_relation == "=" and within_relative(pc.reported, pc.recomputed, tol)
        other = any(t in (item.p_test or "") for t in NON_WALD_TESTS) or bool(item.ci_method)
        if pc.decision_flip:
            severity = "error"
        elif minor:
            severity = "note"
        elif other:
            severity = "warning"
        else:
            severity = "error"
        d = max(decimals_of(item.p), 3)
        msg = (f"P {rel or '= '}{item.p} does not match the p implied by {item.kind} {item.ratio} "
               f"({item.level_text} CI {item.ci_lo} to {item.ci_hi}): p = {describe(pc.recomputed, d)} ({where(item)})")
        if pc.decision_flip:
            msg += f"; the significance decision at alpha = {ctx.alpha} changes"
        elif minor:
            msg += f"; the gap is within {format_at(tol * 100, 1)}%"
        elif other:
            msg += f"; the p may come from a {item.p_test or 'different'} test or the CI may be {item.ci_method or 'non-Wald'}"
        out.append(check.rule.finding(
            msg, item_evidence(doc, item, "ci_p", "p", "ci", "ratio"), severity=severity, confidence=item.confidence,
            significance_flip=pc.decision_flip,
            reported={"p": f"{rel}{item.p}", "ratio": item.ratio, "ci_lower": item.ci_lo, "ci_upper": item.ci_hi,
                      "level": item.level or "95 (assumed)"},
            recomputed={"p": describe(pc.recomputed, d), "p_point": format_at(pc.recomputed_point, d + 1)},
            tolerance={"method": ctx.rounding, "relative_note_zone": tol, "alpha": ctx.alpha},
        ))
    return out
