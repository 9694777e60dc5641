"""Percentages of integer counts: GRIM for percentages, count/percent agreement, sums of parts, and
the denominators a set of percentages implies.

A percentage p printed with d decimals is attainable with denominator n when some integer k in
[0, n] has 100*k/n inside the rounding interval of p (numeric.rounding.unround). This is the GRIM
test (Brown & Heathers 2017) applied to proportions.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from ..numeric.rounding import (
    Interval,
    counts_matching_percent,
    decimals_of,
    format_at,
    interval_agrees,
    nearest_counts,
    rounds_to,
    unround,
)


def attainable_counts(percent: str, n: int, method: str = "up_or_down") -> list[int]:
    return counts_matching_percent(percent, n, method)


def is_attainable(percent: str, n: int, method: str = "up_or_down") -> bool:
    return bool(counts_matching_percent(percent, n, method))


def percent_of(count: int, n: int) -> float:
    return 100.0 * count / n


def describe_neighbours(percent: str, n: int) -> list[str]:
    """["26/38 = 68.4%", "27/38 = 71.1%"]: the nearest fractions, printed at the percent's precision."""
    d = decimals_of(percent)
    return [f"{k}/{n} = {format_at(percent_of(k, n), d)}%" for k in nearest_counts(percent, n)]


def count_agrees(count: int, percent: str, n: int, method: str = "up_or_down") -> bool:
    return n > 0 and rounds_to(percent_of(count, n), percent, method)


def sum_of_percents(percents: Iterable[str], method: str = "up_or_down") -> Interval:
    lo = hi = 0.0
    for p in percents:
        iv = unround(p, method)
        lo += max(iv.lo, 0.0)
        hi += iv.hi
    return Interval(lo, hi)


def percents_agree_with_sum(parts: Iterable[str], total: str, method: str = "up_or_down") -> bool:
    return interval_agrees(total, sum_of_percents(parts, method), method)


@dataclass(frozen=True)
class ImpliedDenominator:
    n: int
    explained: tuple[str, ...]  # the percentages (impossible with the stated n) attainable with this n
    unexplained: tuple[str, ...]


def implied_denominators(percents: Iterable[str], stated_n: int, *, low: Optional[int] = None,
                         high: Optional[int] = None, method: str = "up_or_down",
                         max_alternatives: int = 3) -> list[ImpliedDenominator]:
    """Denominators under which the most of ``percents`` are attainable, best first.

    Only n in [low, high] (default [stated_n // 2, 2 * stated_n + 10]) are tried: with a large
    enough n every one-decimal percentage is attainable, so the search is bounded near the stated
    n. Ties are broken by the smaller n, so multiples of the best n are not listed.
    """
    pcts = sorted(set(percents), key=float)
    if not pcts:
        return []
    low = max(2, stated_n // 2) if low is None else low
    high = 2 * stated_n + 10 if high is None else high
    scored = []
    for n in range(low, high + 1):
        if n == stated_n:
            continue
        ok = tuple(p for p in pcts if is_attainable(p, n, method))
        if ok:
            scored.append((len(ok), n, ok))
    scored.sort(key=lambda t: (-t[0], t[1]))
    out: list[ImpliedDenominator] = []
    seen_sets = []
    for score, n, ok in scored:
        if any(set(ok) <= s and n % m == 0 for s, m in seen_sets):
            continue  # a multiple of a listed n that explains nothing more
        out.append(ImpliedDenominator(n, ok, tuple(p for p in pcts if p not in ok)))
        seen_sets.append((set(ok), n))
        if len(out) > max_alternatives:
            break
    return out
