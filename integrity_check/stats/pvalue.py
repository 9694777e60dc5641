"""P values from test statistics, and statcheck-style consistency of printed (statistic, df, p).

Formulas (scipy.stats survival functions, never ``1 - cdf``; no hand-rolled approximations):

- ``t``:    p = 2 * t.sf(|t|, df)           one-sided: t.sf(|t|, df)
- ``z``:    p = 2 * norm.sf(|z|)            one-sided: norm.sf(|z|)
- ``r``:    t = r * sqrt(df / (1 - r^2)) with df = n - 2 (the df printed in APA ``r(df)``), then as
  ``t``; |r| = 1 gives p = 0. This is the conversion statcheck uses.
- ``F``:    p = f.sf(F, df1, df2)           (upper tail; an F test has no sides)
- ``chi2``: p = chi2.sf(x, df)              (upper tail; a chi-square test has no sides)

One-sided p is taken in the direction of the observed effect (half the two-sided p), as
statcheck does when a test is declared one-tailed.

Consistency (statcheck: Nuijten et al. 2016, Behav Res Methods 48:1205; Epskamp & Nuijten,
R package ``statcheck``):

- The printed statistic is widened to its rounding interval (``unround("2.41") = [2.405, 2.415]``).
  p is monotone in |statistic|, so the recomputed p interval is the hull of p at the interval ends.
  p is also monotone in df for t (the t family is ordered in peakedness, Birnbaum 1948) and for
  chi2, so a df printed with decimals (Welch) is widened too and evaluated at its corners. A df
  given as a number, or as a string without decimals, is exact (integer df are counts). For F with
  non-integer df the corners are used as well (there df is nearly always exact).
- The printed p is read at its own precision: ``"0.038"`` with ``"="`` is [0.0375, 0.0385];
  ``"0.000"`` is [0, 0.0005] (i.e. p < 0.0005); ``"<" "0.001"`` is [0, 0.001]; ``">" "0.05"`` is
  [0.05, 1]. All p intervals are clipped to [0, 1].
- Consistent when the reported p interval and the recomputed p interval meet
  (:meth:`Interval.meets`, i.e. up to ``FLOAT_DUST``).

Significance decisions at ``alpha`` (default 0.05):

- Reported ``p = x`` is significant when x < alpha; x == alpha counts as significant by default
  (statcheck's ``pEqualAlphaSig = TRUE``). ``p < b`` with b <= alpha is significant, ``p > b`` with
  b >= alpha is not; other bounds (``p < 0.10``, ``p > 0.01``) state no decision.
- A recomputed p interval is significant only if every value in it is below alpha, non-significant
  only if every value is above alpha; an interval that touches alpha states no decision.
- ``decision_flip`` is True only when the printed p is inconsistent with the recomputation and its
  decision differs from the decision under every value of the recomputed interval. (A printed p
  that is consistent with the recomputation never flips: some legitimate reading gives it.)
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from scipy import stats

from integrity_check.numeric.rounding import (
    DEFAULT_METHOD,
    Interval,
    decimals_of,
    parse_decimal,
    unround,
)

DEFAULT_ALPHA = 0.05
TESTS = ("t", "f", "chi2", "z", "r")
_TEST_ALIASES = {
    "t": "t",
    "f": "f",
    "chi2": "chi2",
    "chi-square": "chi2",
    "chisq": "chi2",
    "x2": "chi2",
    "\u03c72": "chi2",
    "\u03c7\u00b2": "chi2",
    "z": "z",
    "r": "r",
}
_RELATIONS = {"=": "=", "==": "=", "<": "<", "<=": "<", "\u2264": "<", ">": ">", ">=": ">", "\u2265": ">"}
_TWO_SIDED_CAPABLE = ("t", "z", "r")


# --------------------------------------------------------------------------- interval helpers

def abs_interval(interval: Interval) -> Interval:
    """The interval of |x| for x in ``interval`` (contains 0 -> starts at 0)."""
    if interval.lo <= 0 <= interval.hi:
        return Interval(0.0, max(-interval.lo, interval.hi))
    if interval.hi < 0:
        return Interval(-interval.hi, -interval.lo)
    return interval


def df_interval(df: float | int | str | Interval, method: str = DEFAULT_METHOD) -> Interval:
    """Degrees of freedom as an interval.

    Numbers are exact; a string without decimals ("38") is an exact integer df; a string with
    decimals ("45.3", a Welch df) is widened by its rounding.
    """
    if isinstance(df, Interval):
        return df
    if isinstance(df, str):
        if decimals_of(df) == 0:
            return Interval.point(float(parse_decimal(df)))
        return unround(df, method).clipped(0.0, math.inf)
    return Interval.point(float(df))


def _df_point(df: float | int | str | Interval | None) -> float | None:
    if df is None:
        return None
    if isinstance(df, Interval):
        return df.mid
    if isinstance(df, str):
        return float(parse_decimal(df))
    return float(df)


def normalize_test(test: str) -> str:
    """Canonical test name: one of ``TESTS`` ("t", "f", "chi2", "z", "r")."""
    key = test.strip().lower()
    if key not in _TEST_ALIASES:
        raise ValueError(f"unknown test {test!r}; expected one of {TESTS}")
    return _TEST_ALIASES[key]


def normalize_relation(relation: str) -> str:
    """Canonical relation: "=", "<" (also for <=, ≤) or ">" (also for >=, ≥)."""
    key = relation.strip()
    if key not in _RELATIONS:
        raise ValueError(f"unknown relation {relation!r}")
    return _RELATIONS[key]


def split_relation(reported_p: str) -> tuple[str, str]:
    """Split a printed p such as "<.001" or "= 0.038" into (relation, number string)."""
    s = reported_p.strip()
    for token in sorted(_RELATIONS, key=len, reverse=True):
        if s.startswith(token):
            return _RELATIONS[token], s[len(token):].strip()
    return "=", s


# --------------------------------------------------------------------------- point p values

def p_from_t(t: float, df: float, tails: int = 2) -> float:
    """p of a t statistic: 2 * t.sf(|t|, df), or t.sf(|t|, df) one-sided."""
    _check_tails(tails)
    return float(tails * stats.t.sf(abs(t), df))


def p_from_z(z: float, tails: int = 2) -> float:
    """p of a z statistic: 2 * norm.sf(|z|), or norm.sf(|z|) one-sided."""
    _check_tails(tails)
    return float(tails * stats.norm.sf(abs(z)))


def t_from_r(r: float, df: float) -> float:
    """t = r * sqrt(df / (1 - r^2)) with df = n - 2; |r| >= 1 gives an infinite t."""
    r2 = r * r
    if r2 >= 1.0:
        return math.copysign(math.inf, r)
    return r * math.sqrt(df / (1.0 - r2))


def p_from_r(r: float, df: float, tails: int = 2) -> float:
    """p of a correlation r with df = n - 2, via its t statistic."""
    return p_from_t(t_from_r(r, df), df, tails)


def p_from_f(f: float, df1: float, df2: float) -> float:
    """p of an F statistic: f.sf(F, df1, df2)."""
    return float(stats.f.sf(f, df1, df2))


def p_from_chi2(x: float, df: float) -> float:
    """p of a chi-square statistic: chi2.sf(x, df)."""
    return float(stats.chi2.sf(x, df))


def p_value(test: str, statistic: float, df: float | None = None, df2: float | None = None,
            tails: int = 2) -> float:
    """p of ``statistic`` for ``test`` in TESTS (``df`` is df1 for F, n - 2 for r)."""
    kind = normalize_test(test)
    _check_arguments(kind, df, df2, tails)
    if kind == "t":
        return p_from_t(statistic, df, tails)
    if kind == "z":
        return p_from_z(statistic, tails)
    if kind == "r":
        return p_from_r(statistic, df, tails)
    if kind == "f":
        return p_from_f(statistic, df, df2)
    return p_from_chi2(statistic, df)


def p_interval(test: str, statistic: Interval, df: float | str | Interval | None = None,
               df2: float | str | Interval | None = None, tails: int = 2,
               method: str = DEFAULT_METHOD) -> Interval:
    """The p values attainable for a statistic anywhere in ``statistic`` (and df in its interval).

    p is monotone in |statistic| and (for t, chi2) in df, so the corners give the exact hull.
    """
    kind = normalize_test(test)
    _check_arguments(kind, df, df2, tails)
    stat = _statistic_domain(kind, statistic)
    df1s = _ends(df_interval(df, method)) if df is not None else (None,)
    df2s = _ends(df_interval(df2, method)) if df2 is not None else (None,)
    values = [p_value(kind, s, a, b, tails) for s in _ends(stat) for a in df1s for b in df2s]
    return Interval.hull(values).clipped(0.0, 1.0)


def _statistic_domain(kind: str, statistic: Interval) -> Interval:
    if kind in ("t", "z"):
        return abs_interval(statistic)
    if kind == "r":
        return abs_interval(statistic).clipped(0.0, 1.0)
    return statistic.clipped(0.0, math.inf)  # F and chi2 cannot be negative


def _ends(interval: Interval) -> tuple[float, ...]:
    return (interval.lo,) if interval.lo == interval.hi else (interval.lo, interval.hi)


def _check_tails(tails: int) -> None:
    if tails not in (1, 2):
        raise ValueError(f"tails must be 1 or 2, not {tails!r}")


def _check_arguments(kind: str, df, df2, tails: int) -> None:
    _check_tails(tails)
    if tails == 1 and kind not in _TWO_SIDED_CAPABLE:
        raise ValueError(f"a {kind} test has no sides; one-sided p applies to t, z and r")
    if kind in ("t", "r", "chi2", "f") and df is None:
        raise ValueError(f"a {kind} test needs df")
    if kind == "f" and df2 is None:
        raise ValueError("an F test needs df2")


# --------------------------------------------------------------------------- reported p

def reported_p_interval(reported_p: str, relation: str = "=", method: str = DEFAULT_METHOD) -> Interval:
    """The true p values a printed p allows.

    "=" "0.038" -> [0.0375, 0.0385]; "=" "0.000" -> [0, 0.0005]; "<" "0.001" -> [0, 0.001];
    ">" "0.05" -> [0.05, 1]. A relation embedded in the string ("<.001") is honoured.
    """
    relation, number = _relation_and_number(reported_p, relation)
    bound = parse_decimal(number)
    if not Decimal(0) <= bound <= Decimal(1):
        raise ValueError(f"a p value must lie in [0, 1]: {reported_p!r}")
    if relation == "<":
        return Interval(0.0, float(bound))
    if relation == ">":
        return Interval(float(bound), 1.0)
    return unround(number, method).clipped(0.0, 1.0)


def reported_significance(reported_p: str, relation: str = "=", alpha: float = DEFAULT_ALPHA,
                          p_equal_alpha_significant: bool = True) -> bool | None:
    """The significance decision a printed p states at ``alpha`` (None when it states none)."""
    relation, number = _relation_and_number(reported_p, relation)
    x = parse_decimal(number)
    a = Decimal(repr(alpha))
    if relation == "=":
        return x < a or (x == a and p_equal_alpha_significant)
    if relation == "<":
        return True if x <= a else None
    return False if x >= a else None


def interval_significance(p: Interval, alpha: float = DEFAULT_ALPHA) -> bool | None:
    """True if every p in the interval is below alpha, False if every p is above it, else None."""
    if Interval.point(alpha).meets(p):
        return None
    return p.hi < alpha


def _relation_and_number(reported_p: str, relation: str) -> tuple[str, str]:
    embedded, number = split_relation(reported_p)
    given = normalize_relation(relation)
    if embedded != "=" and given != "=" and embedded != given:
        raise ValueError(f"conflicting relations {relation!r} and {reported_p!r}")
    return (embedded if embedded != "=" else given), number


# --------------------------------------------------------------------------- consistency

@dataclass(frozen=True)
class PCheck:
    """Outcome of comparing a printed p with a recomputed p.

    ``recomputed`` is the p interval over the rounding of the inputs, ``recomputed_point`` the p at
    the printed point values, ``reported`` the interval the printed p allows.
    """

    consistent: bool
    recomputed: Interval
    recomputed_point: float
    decision_flip: bool
    reported: Interval
    reported_significant: bool | None
    recomputed_significant: bool | None
    alpha: float


def compare_p(reported_p: str, recomputed: Interval, recomputed_point: float, relation: str = "=",
              alpha: float = DEFAULT_ALPHA, p_equal_alpha_significant: bool = True,
              method: str = DEFAULT_METHOD) -> PCheck:
    """Compare a printed p with any recomputed p interval (used by all stats modules)."""
    reported = reported_p_interval(reported_p, relation, method)
    consistent = reported.meets(recomputed)
    said = reported_significance(reported_p, relation, alpha, p_equal_alpha_significant)
    found = interval_significance(recomputed, alpha)
    flip = (not consistent) and said is not None and found is not None and said != found
    return PCheck(consistent, recomputed, recomputed_point, flip, reported, said, found, alpha)


def check_p(test: str, statistic: str, reported_p: str, df: float | str | None = None,
            df2: float | str | None = None, *, relation: str = "=", tails: int = 2,
            alpha: float = DEFAULT_ALPHA, p_equal_alpha_significant: bool = True,
            method: str = DEFAULT_METHOD) -> PCheck:
    """statcheck: does the printed p agree with the printed statistic and df?

    ``check_p("t", "2.41", "0.038", df=28)``; ``check_p("chi2", "0.419", "0.811", df=2)``;
    ``check_p("F", "4.1", "<.05", df=2, df2=57)``.
    """
    kind = normalize_test(test)
    recomputed = p_interval(kind, unround(statistic, method), df, df2, tails, method)
    point = p_value(kind, float(parse_decimal(statistic)), _df_point(df), _df_point(df2), tails)
    return compare_p(reported_p, recomputed, point, relation, alpha, p_equal_alpha_significant, method)
