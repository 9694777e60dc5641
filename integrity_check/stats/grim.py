"""GRIM, GRIMMER and the largest SD bounded data can have.

GRIM (Brown & Heathers 2017, Soc Psychol Personal Sci 8:363): the mean of n integer responses
on a scale of ``items`` integer items is T / (n * items) for an integer total T, so means come in
steps of 1 / (n * items). A printed mean is consistent when some integer T gives a mean that
prints as it (:func:`rounding.rounds_to`, default ``up_or_down``). The test is informative only
when n * items < 10^decimals; above that every printed mean is attainable (``informative`` False).

GRIMMER (Anaya 2016, PeerJ Preprints 4:e2400; analytic form after Allard 2018): with person
scores y_i = S_i / items, S_i integer, T = sum S_i and Q = sum S_i^2 are integers and

    SD^2 = (Q - T^2 / n) / (items^2 * (n - 1))          (sample SD, n - 1)

so for every GRIM-consistent T, the SD's rounding interval [sd_lo, sd_hi] maps to
Q in [items^2 (n-1) sd_lo^2 + T^2/n, items^2 (n-1) sd_hi^2 + T^2/n]. The pair is consistent when an
integer Q in that range has the parity of T (S^2 = S mod 2, Anaya's parity rule) and its SD prints
as the reported SD. These are necessary conditions only: bounds of the scale, and whether n
integers can realise (T, Q), are not checked (``sd_bounds`` covers the bounds).

Maximum SD of bounded data (for MSD003): with n values in [lo, hi] and sum S = n * mean,
sum (x - mean)^2 = sum x^2 - S^2/n is convex, so its maximum is at a vertex of the polytope
{lo <= x_i <= hi, sum x_i = S}: k values at hi, n - k - 1 at lo and one value r in between, with
k = floor((S - n lo) / (hi - lo)). Between consecutive k that maximum is convex in S, so over the
rounding interval of a printed mean it is attained at an end of the interval or at a breakpoint
S = n lo + j (hi - lo). The result is exact for real-valued data and an upper bound for integer
data; it never exceeds the Bhatia-Davis bound sqrt(n/(n-1) (hi - mean)(mean - lo)).

References: Brown & Heathers (2017); Anaya (2016); Allard (2018) "Analytic-GRIMMER" (blog,
aurelienallard.netlify.app); Bhatia & Davis (2000) Amer Math Monthly 107:353.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR

from integrity_check.numeric.rounding import (
    DEFAULT_METHOD,
    Interval,
    decimals_of,
    format_at,
    integer_range,
    parse_decimal,
    rounds_to,
    unround,
)


@dataclass(frozen=True)
class GrimResult:
    """``totals``: integer sums T (in item units) whose mean T / (n * items) prints as the mean.
    ``nearest``: the attainable means just below and above the printed one, at its decimals."""

    consistent: bool
    informative: bool
    granularity: float
    totals: tuple[int, ...]
    nearest: tuple[str, ...]


@dataclass(frozen=True)
class GrimmerResult:
    """``pairs``: (T, Q) integer sum and sum of squares (in item units) reproducing mean and SD."""

    consistent: bool
    grim: GrimResult
    pairs: tuple[tuple[int, int], ...]


def _check_sizes(n: int, items: int, minimum_n: int = 1) -> None:
    if int(n) != n or n < minimum_n:
        raise ValueError(f"n must be an integer >= {minimum_n}, not {n!r}")
    if int(items) != items or items < 1:
        raise ValueError(f"items must be a positive integer, not {items!r}")


def grim(mean: str, n: int, items: int = 1, method: str = DEFAULT_METHOD) -> GrimResult:
    """GRIM: can n integer responses (on ``items`` integer items) have a mean that prints as ``mean``?"""
    _check_sizes(n, items)
    cells = n * items
    band = unround(mean, method).scaled(cells)
    totals = tuple(t for t in integer_range(band) if rounds_to(t / cells, mean, method))
    informative = cells < 10 ** decimals_of(mean)
    return GrimResult(bool(totals), informative, 1 / cells, totals, _nearest_means(mean, cells))


def _nearest_means(mean: str, cells: int) -> tuple[str, ...]:
    target = parse_decimal(mean) * cells
    below = int(target.to_integral_value(rounding=ROUND_FLOOR))
    above = int(target.to_integral_value(rounding=ROUND_CEILING))
    d = decimals_of(mean)
    return tuple(dict.fromkeys(format_at(t / cells, d) for t in (below, above)))


def grimmer(mean: str, sd: str, n: int, items: int = 1, method: str = DEFAULT_METHOD) -> GrimmerResult:
    """GRIMMER: is there an integer sum and sum of squares reproducing both printed mean and SD?"""
    _check_sizes(n, items, minimum_n=2)
    g = grim(mean, n, items, method)
    sd_iv = unround(sd, method).clipped(0.0, math.inf)
    pairs = tuple(
        (t, q)
        for t in g.totals
        for q in _sums_of_squares(t, n, items, sd_iv)
        if q % 2 == t % 2 and rounds_to(_sd_of(t, q, n, items), sd, method)
    )
    return GrimmerResult(bool(pairs), g, pairs)


def _sums_of_squares(total: int, n: int, items: int, sd_iv: Interval) -> range:
    scale = items * items * (n - 1)
    floor_q = total * total / n
    return integer_range(Interval(scale * sd_iv.lo ** 2 + floor_q, scale * sd_iv.hi ** 2 + floor_q))


def _sd_of(total: int, squares: int, n: int, items: int) -> float:
    variance = (squares - total * total / n) / (items * items * (n - 1))
    return math.sqrt(max(variance, 0.0))


# --------------------------------------------------------------------------- bounded data

def max_sd_at_sum(total: float, n: int, lo: float, hi: float) -> float:
    """Largest sample SD of n values in [lo, hi] summing to ``total`` (vertex of the polytope)."""
    width = hi - lo
    if width == 0:
        return 0.0
    units = (total - n * lo) / width
    k = min(max(math.floor(units), 0), n)
    if k == n:
        return 0.0
    mu = total / n
    r = total - k * hi - (n - k - 1) * lo
    ss = k * (hi - mu) ** 2 + (n - k - 1) * (lo - mu) ** 2 + (r - mu) ** 2
    return math.sqrt(ss / (n - 1))


def sd_bounds(mean: str | float, n: int, lo: float, hi: float, method: str = DEFAULT_METHOD) -> Interval | None:
    """[0, largest sample SD] of n values in [lo, hi] whose mean prints as ``mean``.

    None when no such data exist (the mean's interval misses [lo, hi]).
    """
    _check_sizes(n, 1, minimum_n=2)
    if hi < lo:
        raise ValueError(f"empty range [{lo}, {hi}]")
    mean_iv = unround(mean, method) if isinstance(mean, str) else Interval.point(float(mean))
    if not mean_iv.meets(Interval(lo, hi)):
        return None
    means = mean_iv.clipped(lo, hi)
    sums = Interval(n * means.lo, n * means.hi)
    candidates = [sums.lo, sums.hi]
    if hi > lo:
        units = Interval((sums.lo - n * lo) / (hi - lo), (sums.hi - n * lo) / (hi - lo))
        candidates += [n * lo + j * (hi - lo) for j in integer_range(units)]
    return Interval(0.0, max(max_sd_at_sum(s, n, lo, hi) for s in candidates))


def sd_possible(sd: str, mean: str | float, n: int, lo: float, hi: float, method: str = DEFAULT_METHOD) -> bool:
    """Could n values in [lo, hi] with that mean have an SD that prints as ``sd``?"""
    bounds = sd_bounds(mean, n, lo, hi, method)
    return bounds is not None and unround(sd, method).meets(bounds)
