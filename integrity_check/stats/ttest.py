"""t (and F = t^2) recomputed from group summaries (mean, SD, n), over the rounding box.

Formulas (group 1 minus group 2; n exact, means and SDs are printed strings):

- Student (pooled): sp^2 = ((n1-1)s1^2 + (n2-1)s2^2) / (n1+n2-2), SE = sp*sqrt(1/n1 + 1/n2),
  t = (m1 - m2) / SE, df = n1 + n2 - 2.
- Welch: SE = sqrt(s1^2/n1 + s2^2/n2), t = (m1 - m2) / SE, Welch-Satterthwaite
  df = (a + b)^2 / (a^2/(n1-1) + b^2/(n2-1)) with a = s1^2/n1, b = s2^2/n2.
- One sample: t = (m - mu0) / (s / sqrt(n)), df = n - 1.
- Two groups in a one-way ANOVA: F(1, n1+n2-2) = Student t^2; Welch's ANOVA with two groups:
  F(1, Welch df) = Welch t^2.
- p is two-sided from scipy.stats.t (see :mod:`pvalue`).

The rounding box (exact, not sampled): |t| = |m1 - m2| / SE factorises into a part that depends
only on the means and a part that depends only on the SDs, and both SE formulas increase in each
SD. So over the box

    max |t| = max |m1 - m2| / SE(lowest SDs),   min |t| = min |m1 - m2| / SE(highest SDs),

where min |m1 - m2| is 0 when the interval of the mean difference contains 0 (SDs are clipped at 0;
an SE that can reach 0 makes max |t| infinite). The Welch df depends on the SDs only through
x = a / (a + b): df(x) = 1 / (x^2/(n1-1) + (1-x)^2/(n2-1)) is unimodal with its maximum
n1 + n2 - 2 at x = (n1-1)/(n1+n2-2), and x is monotone in each SD, so the df interval is exact too.
The Welch p interval is the hull over (|t|, df) corners; p decreases in both, so it is an exact
outer bound (the extreme |t| and extreme df need not occur at the same SDs).

A printed t agrees with a method when the interval of |printed t| meets that method's |t| interval
(absolute values: the sign of a printed t depends on the order the groups were entered).

References: Welch (1947) Biometrika 34:28; Satterthwaite (1946); for recomputing tests from
summary statistics over rounding intervals, Brown & Heathers (2017) and Nuijten et al. (2016).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from integrity_check.numeric.rounding import DEFAULT_METHOD, Interval, parse_decimal, unround
from integrity_check.stats.pvalue import abs_interval, p_from_t, p_interval


@dataclass(frozen=True)
class TStatistic:
    """A t statistic recomputed from summaries: point value (signed), |t| over the box, df, p."""

    name: str
    t: float
    abs_t: Interval
    df: float
    df_interval: Interval
    p: float
    p_interval: Interval

    def as_f(self) -> "FStatistic":
        """The equivalent F(1, df) = t^2 (a two-group ANOVA)."""
        return FStatistic(
            name=self.name,
            f=self.t * self.t,
            f_interval=Interval(self.abs_t.lo ** 2, self.abs_t.hi ** 2),
            df1=1,
            df2=self.df,
            df2_interval=self.df_interval,
            p=self.p,
            p_interval=self.p_interval,
        )


@dataclass(frozen=True)
class FStatistic:
    """F(1, df2) = t^2 for two groups; p equals the two-sided t test's p."""

    name: str
    f: float
    f_interval: Interval
    df1: int
    df2: float
    df2_interval: Interval
    p: float
    p_interval: Interval


@dataclass(frozen=True)
class TwoSampleT:
    student: TStatistic
    welch: TStatistic


@dataclass(frozen=True)
class TCheck:
    """A printed t compared with Student's and Welch's t from the group summaries."""

    reported_abs: Interval
    student: TStatistic
    welch: TStatistic
    student_consistent: bool
    welch_consistent: bool

    @property
    def consistent(self) -> bool:
        return self.student_consistent or self.welch_consistent


@dataclass(frozen=True)
class FCheck:
    """A printed two-group F compared with Student t^2 (ANOVA) and Welch t^2 (Welch ANOVA)."""

    reported: Interval
    anova: FStatistic
    welch: FStatistic
    anova_consistent: bool
    welch_consistent: bool

    @property
    def consistent(self) -> bool:
        return self.anova_consistent or self.welch_consistent


@dataclass(frozen=True)
class OneSampleCheck:
    reported_abs: Interval
    statistic: TStatistic
    consistent: bool


# --------------------------------------------------------------------------- point formulas

def pooled_se(s1: float, n1: int, s2: float, n2: int) -> float:
    """Student's SE of m1 - m2: sp * sqrt(1/n1 + 1/n2)."""
    sp2 = ((n1 - 1) * s1 * s1 + (n2 - 1) * s2 * s2) / (n1 + n2 - 2)
    return math.sqrt(sp2 * (1 / n1 + 1 / n2))


def welch_se(s1: float, n1: int, s2: float, n2: int) -> float:
    """Welch's SE of m1 - m2: sqrt(s1^2/n1 + s2^2/n2)."""
    return math.sqrt(s1 * s1 / n1 + s2 * s2 / n2)


def welch_df(s1: float, n1: int, s2: float, n2: int) -> float:
    """Welch-Satterthwaite df (nan when both SDs are 0)."""
    a, b = s1 * s1 / n1, s2 * s2 / n2
    if a + b == 0:
        return math.nan
    return _welch_df_of_share(a / (a + b), n1, n2)


def _welch_df_of_share(x: float, n1: int, n2: int) -> float:
    return 1.0 / (x * x / (n1 - 1) + (1 - x) * (1 - x) / (n2 - 1))


def student_t(m1: float, s1: float, n1: int, m2: float, s2: float, n2: int) -> float:
    """Student's pooled t of m1 - m2."""
    return _ratio(m1 - m2, pooled_se(s1, n1, s2, n2))


def welch_t(m1: float, s1: float, n1: int, m2: float, s2: float, n2: int) -> float:
    """Welch's t of m1 - m2."""
    return _ratio(m1 - m2, welch_se(s1, n1, s2, n2))


def _ratio(numerator: float, denominator: float) -> float:
    if denominator == 0:
        return math.copysign(math.inf, numerator) if numerator else math.nan
    return numerator / denominator


# --------------------------------------------------------------------------- rounding box

def mean_difference_interval(m1: str, m2: str, method: str = DEFAULT_METHOD) -> Interval:
    """The interval of m1 - m2 over the rounding of both printed means."""
    a, b = unround(m1, method), unround(m2, method)
    return Interval(a.lo - b.hi, a.hi - b.lo)


def sd_interval(sd: str, method: str = DEFAULT_METHOD) -> Interval:
    """The interval of a printed SD, clipped at 0."""
    return unround(sd, method).clipped(0.0, math.inf)


def _abs_t_interval(abs_diff: Interval, se_low: float, se_high: float) -> Interval:
    lo = _ratio(abs_diff.lo, se_high) if abs_diff.lo else 0.0
    hi = _ratio(abs_diff.hi, se_low) if abs_diff.hi else 0.0
    return Interval(lo, hi)


def student_abs_t_interval(m1: str, s1: str, n1: int, m2: str, s2: str, n2: int,
                           method: str = DEFAULT_METHOD) -> Interval:
    """|Student t| attainable over the rounding box of the four printed summaries."""
    d = abs_interval(mean_difference_interval(m1, m2, method))
    a, b = sd_interval(s1, method), sd_interval(s2, method)
    return _abs_t_interval(d, pooled_se(a.lo, n1, b.lo, n2), pooled_se(a.hi, n1, b.hi, n2))


def welch_abs_t_interval(m1: str, s1: str, n1: int, m2: str, s2: str, n2: int,
                         method: str = DEFAULT_METHOD) -> Interval:
    """|Welch t| attainable over the rounding box of the four printed summaries."""
    d = abs_interval(mean_difference_interval(m1, m2, method))
    a, b = sd_interval(s1, method), sd_interval(s2, method)
    return _abs_t_interval(d, welch_se(a.lo, n1, b.lo, n2), welch_se(a.hi, n1, b.hi, n2))


def welch_df_interval(s1: str, n1: int, s2: str, n2: int, method: str = DEFAULT_METHOD) -> Interval:
    """Welch-Satterthwaite df attainable over the rounding of the two printed SDs (exact)."""
    a_iv = sd_interval(s1, method)
    b_iv = sd_interval(s2, method)
    a_lo, a_hi = a_iv.lo ** 2 / n1, a_iv.hi ** 2 / n1
    b_lo, b_hi = b_iv.lo ** 2 / n2, b_iv.hi ** 2 / n2
    share = Interval(a_lo / (a_lo + b_hi), a_hi / (a_hi + b_lo))
    ends = [_welch_df_of_share(share.lo, n1, n2), _welch_df_of_share(share.hi, n1, n2)]
    peak = (n1 - 1) / (n1 + n2 - 2)
    if share.contains(peak):
        ends.append(float(n1 + n2 - 2))
    return Interval.hull(ends)


# --------------------------------------------------------------------------- results

def _n_at_least_two(*ns: int) -> None:
    for n in ns:
        if int(n) != n or n < 2:
            raise ValueError(f"group size must be an integer >= 2, not {n!r}")


def _point(reported: str) -> float:
    return float(parse_decimal(reported))


def two_sample_t(m1: str, s1: str, n1: int, m2: str, s2: str, n2: int,
                 method: str = DEFAULT_METHOD) -> TwoSampleT:
    """Student and Welch t from printed summaries: point values, |t| over the box, df and p."""
    _n_at_least_two(n1, n2)
    pm1, ps1, pm2, ps2 = _point(m1), _point(s1), _point(m2), _point(s2)
    student_df = float(n1 + n2 - 2)
    t_s = student_t(pm1, ps1, n1, pm2, ps2, n2)
    abs_s = student_abs_t_interval(m1, s1, n1, m2, s2, n2, method)
    student = TStatistic("student", t_s, abs_s, student_df, Interval.point(student_df),
                         p_from_t(t_s, student_df), p_interval("t", abs_s, student_df))
    t_w = welch_t(pm1, ps1, n1, pm2, ps2, n2)
    df_w = welch_df(ps1, n1, ps2, n2)
    df_w_iv = welch_df_interval(s1, n1, s2, n2, method)
    abs_w = welch_abs_t_interval(m1, s1, n1, m2, s2, n2, method)
    welch = TStatistic("welch", t_w, abs_w, df_w, df_w_iv,
                       p_from_t(t_w, df_w), p_interval("t", abs_w, df_w_iv))
    return TwoSampleT(student, welch)


def t_consistent(reported_t: str, m1: str, s1: str, n1: int, m2: str, s2: str, n2: int,
                 method: str = DEFAULT_METHOD) -> TCheck:
    """Does a printed t agree with Student's and/or Welch's t from the printed summaries?

    ``t_consistent("0.952", "185.6", "32.4", 38, "178.9", "29.5", 38).consistent is True``
    """
    both = two_sample_t(m1, s1, n1, m2, s2, n2, method)
    reported = abs_interval(unround(reported_t, method))
    return TCheck(reported, both.student, both.welch,
                  reported.meets(both.student.abs_t), reported.meets(both.welch.abs_t))


def f_consistent(reported_f: str, m1: str, s1: str, n1: int, m2: str, s2: str, n2: int,
                 method: str = DEFAULT_METHOD) -> FCheck:
    """Does a printed two-group F agree with Student t^2 (ANOVA) or Welch t^2 (Welch ANOVA)?"""
    both = two_sample_t(m1, s1, n1, m2, s2, n2, method)
    reported = unround(reported_f, method).clipped(0.0, math.inf)
    anova, welch = both.student.as_f(), both.welch.as_f()
    return FCheck(reported, anova, welch, reported.meets(anova.f_interval), reported.meets(welch.f_interval))


def one_sample_t(mean: str, sd: str, n: int, mu0: float = 0.0, method: str = DEFAULT_METHOD) -> TStatistic:
    """t = (m - mu0) / (s / sqrt(n)), df = n - 1, with |t| over the rounding of mean and SD."""
    _n_at_least_two(n)
    m_iv = unround(mean, method)
    d = abs_interval(Interval(m_iv.lo - mu0, m_iv.hi - mu0))
    s = sd_interval(sd, method)
    root_n = math.sqrt(n)
    abs_t = _abs_t_interval(d, s.lo / root_n, s.hi / root_n)
    t = _ratio(_point(mean) - mu0, _point(sd) / root_n)
    df = float(n - 1)
    return TStatistic("one-sample", t, abs_t, df, Interval.point(df), p_from_t(t, df), p_interval("t", abs_t, df))


def one_sample_t_consistent(reported_t: str, mean: str, sd: str, n: int, mu0: float = 0.0,
                            method: str = DEFAULT_METHOD) -> OneSampleCheck:
    """Does a printed one-sample t agree with the printed mean, SD and n?"""
    statistic = one_sample_t(mean, sd, n, mu0, method)
    reported = abs_interval(unround(reported_t, method))
    return OneSampleCheck(reported, statistic, reported.meets(statistic.abs_t))
