"""Ratio measures (HR, OR, RR) from model coefficients, their CIs, Wald tests and p values.

Every function that takes printed strings returns the interval of values attainable over the
rounding box of its inputs, so a caller can say "consistent under every legitimate reading"
(the intervals meet) or "inconsistent under every reading" (they do not).

Formulas (z_level = norm.ppf(1 - (1 - level)/2), 1.959964 for level = 0.95):

- Ratio from a Cox/logistic/log-binomial coefficient b: ratio = exp(b), increasing in b.
- Wald CI from b and SE: [exp(b - z*SE), exp(b + z*SE)]. Lower bound: increasing in b, decreasing
  in SE; upper bound: increasing in both, so each bound's interval comes from two box corners.
- Wald statistic: W = (b / SE)^2 with p = chi2.sf(W, 1) (= 2 * norm.sf(|b| / SE)).
  W is increasing in |b| and decreasing in SE.
- SE recovered from a ratio CI: SE = (ln hi - ln lo) / (2 z).
- p from an estimate and its CI (Altman & Bland 2011, BMJ 343:d2090): SE as above,
  z = ln(est) / SE, p = 2 * norm.sf(|z|). Over the box |z| ranges from min|ln est| / max SE to
  max|ln est| / min SE (the estimate and the CI bounds are treated as independently rounded).
- Log-symmetry of a Wald CI around the estimate: asymmetry = (ln hi - ln est) - (ln est - ln lo)
  = ln hi + ln lo - 2 ln est, which must be 0 for a CI computed as exp(b +/- z SE). Its interval
  over the rounding of all three printed numbers must contain 0. (Profile-likelihood or exact CIs
  are legitimately asymmetric: callers should word such a finding as a warning, not an error.)
- A CI includes 1 under every reading when lo <= 1 <= hi for all rounded values, excludes it
  under every reading when hi < 1 or lo > 1 for all of them; otherwise (e.g. a printed bound
  of "1.00") the answer is None.

Tolerances: intervals come from :func:`rounding.unround` (default ``up_or_down``); agreement is
:meth:`Interval.meets` (up to ``FLOAT_DUST``); p agreement uses :func:`pvalue.compare_p`.
Ratios and CI bounds are clipped at 0 (a printed "0.00" lower bound has ln = -inf).

References: Altman & Bland (2011) BMJ 343:d2090 and d2304; Wald (1943).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from scipy import stats

from integrity_check.numeric.rounding import DEFAULT_METHOD, Interval, parse_decimal, unround
from integrity_check.stats.pvalue import (
    DEFAULT_ALPHA,
    PCheck,
    abs_interval,
    check_p,
    compare_p,
    reported_significance,
)

DEFAULT_LEVEL = 0.95


def z_for_level(level: float = DEFAULT_LEVEL) -> float:
    """The two-sided normal quantile of a confidence level: norm.ppf(1 - (1 - level)/2)."""
    if not 0 < level < 1:
        raise ValueError(f"confidence level must be in (0, 1), not {level!r}")
    return float(stats.norm.ppf(1 - (1 - level) / 2))


def _ln(x: float) -> float:
    return math.log(x) if x > 0 else -math.inf


def _exp_interval(iv: Interval) -> Interval:
    return Interval(math.exp(iv.lo), math.exp(iv.hi))


def _ln_interval(iv: Interval) -> Interval:
    return Interval(_ln(iv.lo), _ln(iv.hi))


def _divide(numerator: float, denominator: float) -> float:
    if denominator == 0:
        return math.inf if numerator else 0.0
    return numerator / denominator


def ratio_interval(reported: str, method: str = DEFAULT_METHOD) -> Interval:
    """A printed ratio or CI bound as an interval, clipped at 0."""
    return unround(reported, method).clipped(0.0, math.inf)


def se_interval(reported_se: str, method: str = DEFAULT_METHOD) -> Interval:
    """A printed SE as an interval, clipped at 0."""
    return unround(reported_se, method).clipped(0.0, math.inf)


# --------------------------------------------------------------------------- from b and SE

def ratio_from_coefficient(b: float) -> float:
    """HR/OR/RR = exp(b)."""
    return math.exp(b)


def ratio_interval_from_coefficient(b: str, method: str = DEFAULT_METHOD) -> Interval:
    """exp(b) over the rounding of the printed coefficient."""
    return _exp_interval(unround(b, method))


def ci_from_coefficient(b: float, se: float, level: float = DEFAULT_LEVEL) -> tuple[float, float]:
    """Wald CI of the ratio: (exp(b - z*SE), exp(b + z*SE))."""
    z = z_for_level(level)
    return math.exp(b - z * se), math.exp(b + z * se)


def ci_intervals_from_coefficient(b: str, se: str, level: float = DEFAULT_LEVEL,
                                  method: str = DEFAULT_METHOD) -> tuple[Interval, Interval]:
    """Intervals of the lower and the upper CI bound over the rounding of b and SE."""
    z = z_for_level(level)
    bi, si = unround(b, method), se_interval(se, method)
    lower = Interval(math.exp(bi.lo - z * si.hi), math.exp(bi.hi - z * si.lo))
    upper = Interval(math.exp(bi.lo + z * si.lo), math.exp(bi.hi + z * si.hi))
    return lower, upper


def wald(b: float, se: float) -> float:
    """Wald chi-square (b / SE)^2."""
    return _divide(b, se) ** 2


def wald_interval(b: str, se: str, method: str = DEFAULT_METHOD) -> Interval:
    """(b / SE)^2 over the rounding of b and SE."""
    abs_b = abs_interval(unround(b, method))
    si = se_interval(se, method)
    return Interval(_divide(abs_b.lo, si.hi) ** 2, _divide(abs_b.hi, si.lo) ** 2)


def wald_p(w: float) -> float:
    """p of a Wald chi-square with 1 df: chi2.sf(W, 1)."""
    return float(stats.chi2.sf(w, 1))


def wald_p_interval(w: Interval) -> Interval:
    """p over an interval of Wald statistics (decreasing in W)."""
    return Interval(wald_p(w.hi), wald_p(max(w.lo, 0.0)))


def p_interval_from_coefficient(b: str, se: str, method: str = DEFAULT_METHOD) -> Interval:
    """Two-sided p of z = b / SE over the rounding of b and SE."""
    return wald_p_interval(wald_interval(b, se, method))


# --------------------------------------------------------------------------- from a printed CI

def se_from_ci(lo: float, hi: float, level: float = DEFAULT_LEVEL) -> float:
    """SE of ln(ratio) recovered from a ratio CI: (ln hi - ln lo) / (2 z)."""
    return (_ln(hi) - _ln(lo)) / (2 * z_for_level(level))


def se_interval_from_ci(lo: str, hi: str, level: float = DEFAULT_LEVEL, method: str = DEFAULT_METHOD) -> Interval:
    """SE of ln(ratio) over the rounding of the printed CI bounds (increasing in hi, decreasing in lo)."""
    two_z = 2 * z_for_level(level)
    ln_lo, ln_hi = _ln_interval(ratio_interval(lo, method)), _ln_interval(ratio_interval(hi, method))
    return Interval((ln_hi.lo - ln_lo.hi) / two_z, (ln_hi.hi - ln_lo.lo) / two_z).clipped(0.0, math.inf)


def p_from_ci(est: float, lo: float, hi: float, level: float = DEFAULT_LEVEL) -> float:
    """Altman & Bland (2011): z = ln(est) / SE with SE from the CI, p = 2 * norm.sf(|z|)."""
    z = _divide(abs(_ln(est)), se_from_ci(lo, hi, level))
    return float(2 * stats.norm.sf(z))


def p_interval_from_ci(est: str, lo: str, hi: str, level: float = DEFAULT_LEVEL,
                       method: str = DEFAULT_METHOD) -> Interval:
    """Altman & Bland p over the rounding box of the printed estimate and CI bounds."""
    abs_ln_est = abs_interval(_ln_interval(ratio_interval(est, method)))
    se = se_interval_from_ci(lo, hi, level, method)
    z_lo = _divide(abs_ln_est.lo, se.hi)
    z_hi = _divide(abs_ln_est.hi, se.lo)
    return Interval(float(2 * stats.norm.sf(z_hi)), float(2 * stats.norm.sf(z_lo)))


def log_asymmetry_interval(est: str, lo: str, hi: str, method: str = DEFAULT_METHOD) -> Interval:
    """ln hi + ln lo - 2 ln est over the rounding box (0 for a CI symmetric on the log scale)."""
    e = _ln_interval(ratio_interval(est, method))
    a = _ln_interval(ratio_interval(lo, method))
    b = _ln_interval(ratio_interval(hi, method))
    return Interval(b.lo + a.lo - 2 * e.hi, b.hi + a.hi - 2 * e.lo)


def ci_is_log_symmetric(est: str, lo: str, hi: str, method: str = DEFAULT_METHOD) -> bool:
    """Could the printed CI be exp(ln est +/- c) for some c, given the rounding of all three?"""
    return log_asymmetry_interval(est, lo, hi, method).contains(0.0)


def ci_includes_one(lo: str, hi: str, method: str = DEFAULT_METHOD) -> bool | None:
    """True if the CI includes 1 under every reading, False if it excludes 1 under every reading."""
    lo_iv, hi_iv = ratio_interval(lo, method), ratio_interval(hi, method)
    if lo_iv.contains(1.0) or hi_iv.contains(1.0):
        return None
    return lo_iv.hi < 1.0 < hi_iv.lo


def ratio_matches_coefficient(ratio: str, b: str, method: str = DEFAULT_METHOD) -> bool:
    """Could the printed ratio be exp of the printed coefficient?"""
    return ratio_interval(ratio, method).meets(ratio_interval_from_coefficient(b, method))


# --------------------------------------------------------------------------- a whole table row

@dataclass(frozen=True)
class CoefficientRowCheck:
    """Every relation of a regression table row that its printed cells allow one to test.

    Booleans are None when the cells needed for that relation were not given. Intervals are the
    recomputed values (for messages). ``p_vs_*`` are full :class:`pvalue.PCheck` results.
    ``ci_contradicts_p``: the CI includes (excludes) 1 under every reading but the printed p is
    significant (not significant) at alpha = 1 - level.
    """

    ratio: Interval | None
    ratio_matches: bool | None
    ci_lower: Interval | None
    ci_lower_matches: bool | None
    ci_upper: Interval | None
    ci_upper_matches: bool | None
    wald: Interval | None
    wald_matches: bool | None
    ci_log_symmetric: bool | None
    ci_includes_one: bool | None
    p_vs_wald: PCheck | None
    p_vs_coefficient: PCheck | None
    p_vs_ci: PCheck | None
    ci_contradicts_p: bool | None

    @property
    def significance_flip(self) -> bool:
        checks = (self.p_vs_coefficient, self.p_vs_ci, self.p_vs_wald)
        return any(c.decision_flip for c in checks if c is not None) or bool(self.ci_contradicts_p)


def check_coefficient_row(b: str | None = None, se: str | None = None, ratio: str | None = None,
                          ci_lo: str | None = None, ci_hi: str | None = None, wald_stat: str | None = None,
                          p: str | None = None, *, p_relation: str = "=", level: float = DEFAULT_LEVEL,
                          alpha: float = DEFAULT_ALPHA, method: str = DEFAULT_METHOD) -> CoefficientRowCheck:
    """Check a row "b, SE, Wald, p, HR, CI" (any subset) for internal consistency."""
    has_b_se = b is not None and se is not None
    has_ci = ci_lo is not None and ci_hi is not None
    ratio_iv = ratio_interval_from_coefficient(b, method) if b is not None else None
    lower, upper = ci_intervals_from_coefficient(b, se, level, method) if has_b_se else (None, None)
    wald_iv = wald_interval(b, se, method) if has_b_se else None
    return CoefficientRowCheck(
        ratio=ratio_iv,
        ratio_matches=_meets(ratio, ratio_iv, method),
        ci_lower=lower,
        ci_lower_matches=_meets(ci_lo, lower, method),
        ci_upper=upper,
        ci_upper_matches=_meets(ci_hi, upper, method),
        wald=wald_iv,
        wald_matches=_meets(wald_stat, wald_iv, method, clip=False),
        ci_log_symmetric=ci_is_log_symmetric(ratio, ci_lo, ci_hi, method) if has_ci and ratio else None,
        ci_includes_one=ci_includes_one(ci_lo, ci_hi, method) if has_ci else None,
        p_vs_wald=_p_vs_wald(p, wald_stat, p_relation, alpha, method),
        p_vs_coefficient=_p_vs_coefficient(p, b, se, p_relation, alpha, method) if has_b_se else None,
        p_vs_ci=_p_vs_ci(p, ratio, ci_lo, ci_hi, p_relation, level, alpha, method) if has_ci else None,
        ci_contradicts_p=_ci_contradicts_p(p, ci_lo, ci_hi, p_relation, level, method) if has_ci else None,
    )


def _meets(reported: str | None, recomputed: Interval | None, method: str, clip: bool = True) -> bool | None:
    if reported is None or recomputed is None:
        return None
    printed = ratio_interval(reported, method) if clip else unround(reported, method)
    return printed.meets(recomputed)


def _p_vs_wald(p, wald_stat, relation, alpha, method) -> PCheck | None:
    if p is None or wald_stat is None:
        return None
    return check_p("chi2", wald_stat, p, df=1, relation=relation, alpha=alpha, method=method)


def _p_vs_coefficient(p, b, se, relation, alpha, method) -> PCheck | None:
    if p is None:
        return None
    point = wald_p(wald(float(parse_decimal(b)), float(parse_decimal(se))))
    return compare_p(p, p_interval_from_coefficient(b, se, method), point, relation, alpha, method=method)


def _p_vs_ci(p, ratio, ci_lo, ci_hi, relation, level, alpha, method) -> PCheck | None:
    if p is None or ratio is None:
        return None
    point = p_from_ci(*(float(parse_decimal(x)) for x in (ratio, ci_lo, ci_hi)), level=level)
    return compare_p(p, p_interval_from_ci(ratio, ci_lo, ci_hi, level, method), point, relation, alpha,
                     method=method)


def _alpha_of_level(level: float) -> float:
    """1 - level computed in decimal (0.95 -> 0.05 exactly, not 0.050000000000000044)."""
    return float(Decimal(1) - Decimal(repr(level)))


def _ci_contradicts_p(p, ci_lo, ci_hi, relation, level, method) -> bool | None:
    if p is None:
        return None
    includes = ci_includes_one(ci_lo, ci_hi, method)
    said = reported_significance(p, relation, alpha=_alpha_of_level(level))
    if includes is None or said is None:
        return None
    return said == includes  # significant <=> the CI excludes 1
