"""Survival arithmetic: medians against landmark rates, PFS against OS, k/n attainability of
Kaplan-Meier estimates, follow-up windows, and the exponential-survival hazard ratio.

Pure functions on numbers and reported strings; they know nothing of documents. Reported values
are read as intervals through ``numeric.rounding`` (never compared as points).

Facts used
    * The Kaplan-Meier estimate S(t) is a right-continuous, non-increasing step function and the
      median is ``inf{t : S(t) <= 0.5}`` (Brookmeyer & Crowley 1982; Collett 2015, ch. 2). Hence
      S(t) < 0.5 implies median <= t, and S(t) > 0.5 implies median > t; S(t) = 0.5 says nothing.
      "Median not reached" means S stayed above 0.5 over the whole follow-up, so no landmark
      within the follow-up can be below 0.5.
    * Without censoring before t, the Kaplan-Meier estimate equals the empirical survival
      fraction: S(t) = (n - d(t)) / n, a multiple of 1/n (Kaplan & Meier 1958).
    * When deaths are events of both endpoints (PFS, DFS, EFS count death from any cause),
      {alive and event-free at t} is a subset of {alive at t}, so S_PFS(t) <= S_OS(t) and
      median PFS <= median OS for the same patients.
    * Under exponential (proportional-hazards) survival, S_i(t) = exp(-lambda_i t), so the hazard
      ratio is HR = lambda_2 / lambda_1 = ln S_2(t) / ln S_1(t) at any landmark t.

Time units: months are the common unit; a year is 12 months, a week 7/30.4375 months and a day
1/30.4375 months (30.4375 = 365.25/12 days).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

from ..numeric.rounding import DEFAULT_METHOD, Interval, counts_matching_percent, nearest_counts, unround

DAYS_PER_MONTH = 365.25 / 12
MONTHS_PER_UNIT = {"months": 1.0, "years": 12.0, "weeks": 7.0 / DAYS_PER_MONTH, "days": 1.0 / DAYS_PER_MONTH}
# Authors convert between days, months and years with 30, 30.4, 30.44 or 31 days a month and
# 360/365/365.25-day years; landmark times are widened by this relative amount before comparing
# them with a median (24 months of 30 days = 720 days vs 2 years = 730.5 days: 1.4%).
TIME_CONVENTION_TOLERANCE = 0.03


def unit_name(raw: str) -> Optional[str]:
    """"months", "mo", "yrs", "weeks", "d" -> canonical unit, None when unknown."""
    s = raw.lower().rstrip(".")
    if s.startswith(("mo", "mth")):
        return "months"
    if s.startswith(("y", "yr")):
        return "years"
    if s.startswith(("w", "wk")):
        return "weeks"
    if s.startswith("d"):
        return "days"
    return None


def months_interval(reported: str, unit: str, method: str = DEFAULT_METHOD) -> Interval:
    """The interval of true times, in months, that print as ``reported`` ``unit``."""
    return unround(reported, method).scaled(MONTHS_PER_UNIT[unit])


def to_months(value: float, unit: str) -> float:
    return value * MONTHS_PER_UNIT[unit]


def percent_interval(reported: str, method: str = DEFAULT_METHOD) -> Interval:
    """A printed survival percentage as an interval of percentages, clipped to [0, 100]."""
    return unround(reported, method).clipped(0.0, 100.0)


@dataclass(frozen=True)
class MedianLandmarkVerdict:
    consistent: bool
    reason: str  # "" when consistent; otherwise a short explanation


def median_vs_landmark(median_months: Optional[Interval], landmark_months: float, survival_percent: Interval,
                       tolerance: float = TIME_CONVENTION_TOLERANCE) -> MedianLandmarkVerdict:
    """Can a Kaplan-Meier curve have this median (None = not reached) and S(t) in ``survival_percent``?

    * S(t) certainly below 50% (upper end < 50) requires median <= t: impossible when every
      reading of the median exceeds t (allowing ``tolerance`` on t for day/month conventions),
      and impossible when the median was not reached.
    * S(t) certainly above 50% (lower end > 50) requires median > t: impossible when every reading
      of the median is below t (again with the tolerance).
    * An interval that contains 50% is consistent with any median.
    """
    t_lo = landmark_months * (1 - tolerance)
    t_hi = landmark_months * (1 + tolerance)
    below = not survival_percent.meets(Interval(50.0, 100.0))
    above = not survival_percent.meets(Interval(0.0, 50.0))
    if median_months is None:
        if below:
            return MedianLandmarkVerdict(False, "median not reached, but S(t) < 50% at this landmark")
        return MedianLandmarkVerdict(True, "")
    if below and not median_months.meets(Interval(0.0, t_hi)):
        return MedianLandmarkVerdict(False, "S(t) < 50% puts the median at or before t")
    if above and not median_months.meets(Interval(t_lo, math.inf)):
        return MedianLandmarkVerdict(False, "S(t) > 50% puts the median after t")
    return MedianLandmarkVerdict(True, "")


def certainly_above(a: Interval, b: Interval) -> bool:
    """Every value of ``a`` exceeds every value of ``b`` (the reported intervals do not meet)."""
    return not a.meets(b) and a.lo > b.hi


def attainable_survival_counts(percent: str, n: int, method: str = DEFAULT_METHOD) -> list[int]:
    """Survivor counts k with 100 k / n printing as ``percent`` (empty: not a multiple of 1/n)."""
    return counts_matching_percent(percent, n, method)


def nearest_survival_fractions(percent: str, n: int) -> list[tuple[int, float]]:
    """The two counts k nearest to ``percent`` of n, with 100 k / n (for messages)."""
    return [(k, 100.0 * k / n) for k in nearest_counts(percent, n)]


def months_between(start: tuple[int, int], end: tuple[int, int]) -> int:
    """Whole calendar months from (year, month) ``start`` to (year, month) ``end``."""
    return (end[0] * 12 + end[1]) - (start[0] * 12 + start[1])


def hazard_ratio_exponential(s1: float, s2: float) -> float:
    """HR of arm 2 vs arm 1 from survival proportions at the same landmark: ln S2 / ln S1.

    Exponential survival; S in (0, 1). Used by the Schoenfeld sample size (stats.sample_size).
    """
    if not (0.0 < s1 < 1.0 and 0.0 < s2 < 1.0):
        raise ValueError("survival proportions must lie strictly between 0 and 1")
    return math.log(s2) / math.log(s1)
