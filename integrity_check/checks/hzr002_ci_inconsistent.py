"""HZR002 ci-inconsistent: a ratio's confidence interval that its coefficient and SE (or its own estimate) cannot produce.

What it checks
    1. Regression rows that print b, SE and the CI of the ratio: whether the CI is
       [exp(b - z SE), exp(b + z SE)] with z for the stated level (1.96 for 95%), for some b and
       SE that print as the printed ones.
    2. Ratios printed with a CI but without b and SE (prose "HR 0.43 (0.23 to 0.79)", a table
       "HR (95% CI)" column): whether the estimate lies inside its CI, and whether the CI is
       symmetric around the estimate on the log scale (ln hi + ln lo = 2 ln est), as every Wald
       CI of a ratio is.

Why it matters
    The CI is what readers use to judge precision and significance. A CI that does not follow
    from the printed coefficient and SE means one of them was changed, mistyped or taken from
    another model; an estimate outside its own CI is impossible.

Example
    Cox row "0.125 | 0.287 | ... | 1.133 | 0.654~1.962": exp(0.125 -/+ 1.96 x 0.287) =
    0.646 to 1.989, not 0.654 to 1.962; the printed CI implies SE = 0.280, not 0.287.
    "OR 1.52 (1.30-2.10)" is not log-symmetric: ln 1.30 + ln 2.10 = 1.004 but 2 ln 1.52 = 0.837.

Tolerance
    b, SE, the estimate and both bounds are intervals at their printed precision
    (numeric.rounding, up_or_down by default); each recomputed bound is an interval over the
    rounding box and must meet the printed bound's interval. Discrepancies beyond the box that
    stay within ``relative_tolerance`` (default 1%) of the recomputed bounds are reported as a
    ``note`` (a different rounding path when the table was typeset), beyond it as an ``error``.
    The asymmetry-only case (no b and SE) is a ``warning``, not an error, because profile
    likelihood, exact (Clopper-Pearson, Cornfield, mid-p) and bootstrap CIs are legitimately
    asymmetric; it is not reported at all when the text or table says the CI is of such a kind,
    and it is a note when the log-scale asymmetry exceeds the rounding box by at most
    ``relative_tolerance``. An estimate outside its own CI is always an error. When the level is
    not stated, 95% is assumed and the confidence is medium.

Known limitations
    Only Wald CIs follow from b and SE; a table that prints profile-likelihood CIs next to Wald
    SEs without saying so will be reported. Ratios from meta-analyses or from other papers
    quoted in the Discussion are checked like the paper's own (they should be consistent too).

References
    Altman DG, Bland JM. How to obtain the P value from a confidence interval. BMJ 2011;343:d2304.
    Altman DG, Bland JM. How to obtain the confidence interval from a P value. BMJ 2011;343:d2090.
"""
from __future__ import annotations

from ..numeric.rounding import Interval, decimals_of, format_at, parse_decimal
from ..stats.ratios import (
    ci_from_coefficient,
    ci_intervals_from_coefficient,
    se_interval,
    se_interval_from_ci,
    z_for_level,
    log_asymmetry_interval,
    ratio_interval,
    se_from_ci,
)
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

OTHER_LEVELS = (("90", 0.90), ("99", 0.99), ("95", 0.95))


@rule("HZR002", "ci-inconsistent", "error", options={"relative_tolerance": DEFAULT_RELATIVE_TOLERANCE})
def check(doc, facts, ctx):
    out = []
    tol = relative_tolerance(ctx)
    for item in ratio_items(facts):
        if item.ci_lo is None or item.ci_hi is None:
            continue
        lo_iv, hi_iv = ratio_interval(item.ci_lo, ctx.rounding), ratio_interval(item.ci_hi, ctx.rounding)
        if not lo_iv.meets(Interval(0.0, hi_iv.hi)):
            continue  # bounds swapped or misread: not a CI we can reason about
        if item.b is not None and item.se is not None:
            finding = _check_from_coefficient(doc, item, lo_iv, hi_iv, tol, ctx)
        elif item.ratio is not None:
            finding = _check_symmetry(doc, item, lo_iv, hi_iv, tol, ctx)
        else:
            finding = None
        if finding:
            out.append(finding)
    return out


def _check_from_coefficient(doc, item, lo_iv, hi_iv, tol, ctx):
    level = item.level_value
    lower, upper = ci_intervals_from_coefficient(item.b, item.se, level, ctx.rounding)
    lo_ok, hi_ok = lo_iv.meets(lower), hi_iv.meets(upper)
    if lo_ok and hi_ok:
        return None
    implied_se = se_interval_from_ci(item.ci_lo, item.ci_hi, level, ctx.rounding)
    se_iv = se_interval(item.se, ctx.rounding)
    minor = (within_relative(lo_iv, lower, tol) and within_relative(hi_iv, upper, tol)
             and within_relative(se_iv, implied_se, tol))
    d_lo, d_hi, d_se = decimals_of(item.ci_lo), decimals_of(item.ci_hi), decimals_of(item.se)
    b, se = float(parse_decimal(item.b)), float(parse_decimal(item.se))
    point_lo, point_hi = ci_from_coefficient(b, se, level)
    se_point = se_from_ci(float(parse_decimal(item.ci_lo)), float(parse_decimal(item.ci_hi)), level)
    z = format_at(z_for_level(level), 2)
    msg = (f"{item.level_text} CI {item.ci_lo} to {item.ci_hi} is not exp(b -/+ {z}*SE) = "
           f"{format_at(point_lo, d_lo)} to {format_at(point_hi, d_hi)} with b = {item.b}, SE = {item.se} "
           f"({where(item)}); the printed CI implies SE = {format_at(se_point, d_se)}")
    alt = _other_level(item, lo_iv, hi_iv, ctx)
    if alt:
        msg += f"; it matches a {alt}% CI"
    if minor:
        msg += f"; the gap is within {format_at(tol * 100, 1)}% (a rounding-path difference is possible)"
    return check.rule.finding(
        msg, item_evidence(doc, item, "ci", "b", "se"), severity="note" if minor else "error",
        confidence=item.confidence,
        reported={"ci_lower": item.ci_lo, "ci_upper": item.ci_hi, "b": item.b, "se": item.se,
                  "level": item.level or "95 (assumed)"},
        recomputed={"ci_lower": describe(lower, d_lo), "ci_upper": describe(upper, d_hi),
                    "se_implied_by_ci": describe(implied_se, d_se + 1)},
        tolerance={"method": ctx.rounding, "relative_note_zone": tol},
    )


def _other_level(item, lo_iv, hi_iv, ctx):
    for name, level in OTHER_LEVELS:
        if name == (item.level or "95"):
            continue
        lower, upper = ci_intervals_from_coefficient(item.b, item.se, level, ctx.rounding)
        if lo_iv.meets(lower) and hi_iv.meets(upper):
            return name
    return None


def _check_symmetry(doc, item, lo_iv, hi_iv, tol, ctx):
    est_iv = ratio_interval(item.ratio, ctx.rounding)
    if not est_iv.meets(Interval(lo_iv.lo, max(hi_iv.hi, lo_iv.lo))):
        return check.rule.finding(
            f"{item.kind} {item.ratio} lies outside its own CI {item.ci_lo} to {item.ci_hi} ({where(item)})",
            item_evidence(doc, item, "ratio", "ci"), severity="error", confidence=item.confidence,
            reported={"ratio": item.ratio, "ci_lower": item.ci_lo, "ci_upper": item.ci_hi},
            recomputed={}, tolerance={"method": ctx.rounding},
        )
    if item.ci_method:
        return None  # the paper says the CI is exact / profile / bootstrap: asymmetry is expected
    asym = log_asymmetry_interval(item.ratio, item.ci_lo, item.ci_hi, ctx.rounding)
    if asym.contains(0.0):
        return None
    minor = Interval(asym.lo - tol, asym.hi + tol).contains(0.0)
    lo, hi = float(parse_decimal(item.ci_lo)), float(parse_decimal(item.ci_hi))
    # the estimate a log-symmetric CI would have: the geometric mean of the bounds
    centre = (lo * hi) ** 0.5
    msg = (f"the CI {item.ci_lo} to {item.ci_hi} is not symmetric around {item.kind} {item.ratio} on the log scale "
           f"(a Wald CI with these bounds has its estimate at {format_at(centre, decimals_of(item.ratio))}) "
           f"({where(item)}); exact or profile-likelihood CIs can be asymmetric, Wald CIs cannot")
    return check.rule.finding(
        msg, item_evidence(doc, item, "ci", "ratio"), severity="note" if minor else "warning",
        confidence=item.confidence,
        reported={"ratio": item.ratio, "ci_lower": item.ci_lo, "ci_upper": item.ci_hi},
        recomputed={"log_asymmetry": [asym.lo, asym.hi], "wald_centre": format_at(centre, decimals_of(item.ratio))},
        tolerance={"method": ctx.rounding, "relative_note_zone": tol},
    )
