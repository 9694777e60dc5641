"""Sample size, power and dropout arithmetic for two-group comparisons (1:1 allocation).

Pure functions; ``alpha`` is the total type I error, ``sided`` 1 or 2, ``power`` = 1 - beta as a
proportion. ``n`` is always per group. z_q = scipy.stats.norm.ppf(q).

Two proportions p1, p2, d = |p1 - p2|, pbar = (p1 + p2) / 2, z_a = z_{1 - alpha/sided}, z_b = z_power:
    pooled (Fleiss 2003, eq. 4.14; the usual "normal approximation", no continuity correction)
        n = [z_a sqrt(2 pbar (1 - pbar)) + z_b sqrt(p1 (1 - p1) + p2 (1 - p2))]^2 / d^2
    unpooled  n = (z_a + z_b)^2 [p1 (1 - p1) + p2 (1 - p2)] / d^2
    arcsine   n = 2 (z_a + z_b)^2 / h^2,  h = 2 asin(sqrt p1) - 2 asin(sqrt p2)  (Cohen 1988, ch. 6)
    fleiss_cc (Fleiss, Tytun & Ury 1980) n' = n/4 [1 + sqrt(1 + 4 / (n d))]^2 with n the pooled n
Two means, common SD sigma, difference delta:
    normal    n = 2 (z_a + z_b)^2 sigma^2 / delta^2
    t         the smallest n whose noncentral-t power (df = 2n - 2, ncp = delta / (sigma sqrt(2/n)))
              reaches the target
Survival (log-rank), hazard ratio HR (from landmark rates under exponential survival,
HR = ln S2 / ln S1, see stats.survival):
    Schoenfeld (1981, 1983) events  D = 4 (z_a + z_b)^2 / (ln HR)^2
    Freedman (1982) events          D = (z_a + z_b)^2 (1 + HR)^2 / (1 - HR)^2
    patients  N = D / P(event), P(event) = 1 - (S1 + S2) / 2 when every patient is followed to
    the landmark; n = N / 2 per group.
Dropout: the enrolled n that leaves n_required after a fraction d drops out is n / (1 - d),
rounded up (Chow, Shao & Wang 2008, sec. 1.3; Julious 2010); the common n (1 + d) under-inflates.

A reported range ("25%-30%") is evaluated over a grid of the box it spans, corners included, so a
verdict can be made to hold under every reading.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

import numpy as np
from scipy import optimize, stats

from ..numeric.rounding import FLOAT_DUST, Interval

PROPORTION_METHODS = ("pooled", "unpooled", "arcsine", "fleiss_cc")
MEANS_METHODS = ("normal", "t")
SURVIVAL_METHODS = ("schoenfeld", "freedman")
FORMULAS = {
    "pooled": "two proportions, normal approximation with pooled variance under H0 (Fleiss), no continuity correction",
    "unpooled": "two proportions, normal approximation with unpooled variance",
    "arcsine": "two proportions, arcsine (Cohen's h) approximation",
    "fleiss_cc": "two proportions, normal approximation with Fleiss' continuity correction",
    "normal": "two means, normal approximation n = 2 (z_a + z_b)^2 SD^2 / delta^2",
    "t": "two means, noncentral t (Student)",
    "schoenfeld": "log-rank, Schoenfeld events 4 (z_a + z_b)^2 / ln(HR)^2 with HR = ln S2 / ln S1, "
                  "patients = events / P(event by the landmark)",
    "freedman": "log-rank, Freedman events (z_a + z_b)^2 (1 + HR)^2 / (1 - HR)^2, patients = events / P(event)",
}


@functools.lru_cache(maxsize=256)
def z_alpha(alpha: float, sided: int = 2) -> float:
    if sided not in (1, 2):
        raise ValueError("sided must be 1 or 2")
    if not 0.0 < alpha < 1.0:
        raise ValueError("alpha must lie in (0, 1)")
    return float(stats.norm.ppf(1.0 - alpha / sided))


@functools.lru_cache(maxsize=256)
def z_power(power: float) -> float:
    if not 0.0 < power < 1.0:
        raise ValueError("power must lie in (0, 1)")
    return float(stats.norm.ppf(power))


def ceil_n(x: float) -> int:
    """Rounded-up sample size, ignoring float dust (35.0000000001 -> 35)."""
    return int(math.ceil(x - FLOAT_DUST))


# ------------------------------------------------------------------------------ two proportions

def n_two_proportions(p1: float, p2: float, alpha: float, power: float, sided: int = 2, method: str = "pooled") -> float:
    """Per-group n (not rounded) to detect p1 vs p2; see the module docstring for the formulas."""
    _check_p(p1, p2)
    za, zb = z_alpha(alpha, sided), z_power(power)
    d = abs(p1 - p2)
    var = p1 * (1 - p1) + p2 * (1 - p2)
    if method == "unpooled":
        return (za + zb) ** 2 * var / d ** 2
    if method == "arcsine":
        h = 2 * math.asin(math.sqrt(p1)) - 2 * math.asin(math.sqrt(p2))
        return 2 * (za + zb) ** 2 / h ** 2
    pbar = (p1 + p2) / 2
    n = (za * math.sqrt(2 * pbar * (1 - pbar)) + zb * math.sqrt(var)) ** 2 / d ** 2
    if method == "pooled":
        return n
    if method == "fleiss_cc":
        return n / 4 * (1 + math.sqrt(1 + 4 / (n * d))) ** 2
    raise ValueError(f"unknown method {method!r}")


def power_two_proportions(n: float, p1: float, p2: float, alpha: float, sided: int = 2, method: str = "pooled") -> float:
    """Power with n per group (the inverse of ``n_two_proportions``; two-sided power ignores the
    negligible opposite tail)."""
    _check_p(p1, p2)
    za = z_alpha(alpha, sided)
    d = abs(p1 - p2)
    var = p1 * (1 - p1) + p2 * (1 - p2)
    if method == "unpooled":
        return float(stats.norm.cdf(d * math.sqrt(n / var) - za))
    if method == "arcsine":
        h = abs(2 * math.asin(math.sqrt(p1)) - 2 * math.asin(math.sqrt(p2)))
        return float(stats.norm.cdf(h * math.sqrt(n / 2) - za))
    if method == "fleiss_cc":
        n = max((n - 1 / d) ** 2 / n, 0.0) if n > 1 / d else 0.0
    elif method != "pooled":
        raise ValueError(f"unknown method {method!r}")
    pbar = (p1 + p2) / 2
    return float(stats.norm.cdf((d * math.sqrt(n) - za * math.sqrt(2 * pbar * (1 - pbar))) / math.sqrt(var)))


def _check_p(p1: float, p2: float) -> None:
    if not (0.0 < p1 < 1.0 and 0.0 < p2 < 1.0):
        raise ValueError("proportions must lie strictly between 0 and 1")
    if math.isclose(p1, p2):
        raise ValueError("the two proportions are equal: no effect to detect")


# ------------------------------------------------------------------------------ two means

def n_two_means(delta: float, sd: float, alpha: float, power: float, sided: int = 2, method: str = "normal") -> float:
    """Per-group n to detect a mean difference ``delta`` with common SD ``sd``."""
    if delta == 0 or sd <= 0:
        raise ValueError("need a non-zero difference and a positive SD")
    za, zb = z_alpha(alpha, sided), z_power(power)
    n_normal = 2 * (za + zb) ** 2 * sd ** 2 / delta ** 2
    if method == "normal":
        return n_normal
    if method == "t":
        f = lambda n: power_two_means(n, delta, sd, alpha, sided, "t") - power  # noqa: E731
        hi = max(n_normal * 2 + 10, 4.0)
        return float(optimize.brentq(f, 2.0, hi)) if f(2.0) < 0 else 2.0
    raise ValueError(f"unknown method {method!r}")


def power_two_means(n: float, delta: float, sd: float, alpha: float, sided: int = 2, method: str = "normal") -> float:
    ncp = abs(delta) / (sd * math.sqrt(2 / n))
    if method == "normal":
        return float(stats.norm.cdf(ncp - z_alpha(alpha, sided)))
    df = 2 * n - 2
    crit = float(stats.t.ppf(1 - alpha / sided, df))
    return float(stats.nct.sf(crit, df, ncp))


# ------------------------------------------------------------------------------ survival

def events_logrank(hr: float, alpha: float, power: float, sided: int = 2, method: str = "schoenfeld") -> float:
    """Total events needed (both groups, 1:1) to detect ``hr`` with the log-rank test."""
    if hr <= 0 or math.isclose(hr, 1.0):
        raise ValueError("HR must be positive and differ from 1")
    za, zb = z_alpha(alpha, sided), z_power(power)
    if method == "schoenfeld":
        return 4 * (za + zb) ** 2 / math.log(hr) ** 2
    if method == "freedman":
        return (za + zb) ** 2 * (1 + hr) ** 2 / (1 - hr) ** 2
    raise ValueError(f"unknown method {method!r}")


def power_logrank(events: float, hr: float, alpha: float, sided: int = 2, method: str = "schoenfeld") -> float:
    za = z_alpha(alpha, sided)
    if method == "schoenfeld":
        return float(stats.norm.cdf(math.sqrt(events / 4) * abs(math.log(hr)) - za))
    if method == "freedman":
        return float(stats.norm.cdf(math.sqrt(events) * abs(1 - hr) / (1 + hr) - za))
    raise ValueError(f"unknown method {method!r}")


def n_survival(s1: float, s2: float, alpha: float, power: float, sided: int = 2, method: str = "schoenfeld") -> float:
    """Per-group n for landmark survival s1 vs s2 (exponential survival, follow-up to the landmark)."""
    hr = math.log(s2) / math.log(s1)
    p_event = 1 - (s1 + s2) / 2
    return events_logrank(hr, alpha, power, sided, method) / p_event / 2


def power_survival(n: float, s1: float, s2: float, alpha: float, sided: int = 2, method: str = "schoenfeld") -> float:
    hr = math.log(s2) / math.log(s1)
    events = 2 * n * (1 - (s1 + s2) / 2)
    return power_logrank(events, hr, alpha, sided, method)


# ------------------------------------------------------------------------------ dropout

@dataclass(frozen=True)
class DropoutCheck:
    correct: range  # enrolled n accepted for n / (1 - d): floor..ceil over the rounding box of d
    naive: range  # the same for n (1 + d)
    correct_value: Interval
    naive_value: Interval
    matches: str  # "correct", "naive", "" (neither)


def inflate_for_dropout(n_required: int, dropout: Interval) -> tuple[Interval, Interval]:
    """(n / (1 - d), n (1 + d)) over the interval of dropout fractions ``dropout`` (0 <= d < 1)."""
    if not (0.0 <= dropout.lo and dropout.hi < 1.0):
        raise ValueError("dropout fraction must lie in [0, 1)")
    correct = Interval(n_required / (1 - dropout.lo), n_required / (1 - dropout.hi))
    naive = Interval(n_required * (1 + dropout.lo), n_required * (1 + dropout.hi))
    return correct, naive


def check_dropout(n_required: int, dropout: Interval, n_enrolled: int) -> DropoutCheck:
    """Does ``n_enrolled`` follow from ``n_required`` and the dropout fraction? Accepts rounding
    up or to the nearest integer (floor..ceil of the inflated value over the box of d)."""
    correct, naive = inflate_for_dropout(n_required, dropout)
    c = range(int(math.floor(correct.lo + FLOAT_DUST)), ceil_n(correct.hi) + 1)
    v = range(int(math.floor(naive.lo + FLOAT_DUST)), ceil_n(naive.hi) + 1)
    matches = "correct" if n_enrolled in c else "naive" if n_enrolled in v else ""
    return DropoutCheck(c, v, correct, naive, matches)


# ------------------------------------------------------------------------------ recomputation over readings

@dataclass(frozen=True)
class Recomputed:
    """The smallest per-group n over all readings and methods, and what gives it."""

    n: float
    method: str
    reading: tuple[float, ...]  # (p1, p2) or (delta, sd) giving that n
    n_midpoint: Optional[float] = None  # same method at the midpoint of every range
    by_method: dict = field(default_factory=dict)  # method -> minimal n over the readings
    power_at: dict = field(default_factory=dict)  # per-group n -> highest power over readings and methods


def _grid(iv: Interval, points: int = 11) -> np.ndarray:
    return np.unique(np.linspace(iv.lo, iv.hi, points)) if iv.hi > iv.lo else np.array([iv.lo])


def recompute_proportions(p1: Interval, p2: Interval, alpha: float, power: float, sided: int = 2,
                          methods: Sequence[str] = PROPORTION_METHODS + SURVIVAL_METHODS,
                          n_values: Iterable[int] = ()) -> Recomputed:
    """Minimal per-group n for p1 vs p2 (proportions, each an interval of readings) over the grid of
    readings and the given methods (two-proportion and, for landmark survival, log-rank ones),
    and the best power achievable with each of ``n_values`` per group."""
    best: Optional[tuple[float, str, tuple[float, ...]]] = None
    by_method: dict[str, float] = {}
    power_at = {n: 0.0 for n in n_values}
    for a in map(float, _grid(p1)):
        for b in map(float, _grid(p2)):
            if math.isclose(a, b) or not (0 < a < 1 and 0 < b < 1):
                continue
            for m in methods:
                n = n_survival(a, b, alpha, power, sided, m) if m in SURVIVAL_METHODS else \
                    n_two_proportions(a, b, alpha, power, sided, m)
                n = float(n)
                by_method[m] = min(by_method.get(m, math.inf), n)
                if best is None or n < best[0]:
                    best = (n, m, (float(a), float(b)))
                for k in power_at:
                    pw = power_survival(k, a, b, alpha, sided, m) if m in SURVIVAL_METHODS else \
                        power_two_proportions(k, a, b, alpha, sided, m)
                    power_at[k] = max(power_at[k], float(pw))
    if best is None:
        raise ValueError("no reading of the proportions gives an effect")
    mid = None
    if not math.isclose(p1.mid, p2.mid):
        m = best[1]
        mid = n_survival(p1.mid, p2.mid, alpha, power, sided, m) if m in SURVIVAL_METHODS else \
            n_two_proportions(p1.mid, p2.mid, alpha, power, sided, m)
    return Recomputed(best[0], best[1], best[2], mid, by_method, power_at)


def recompute_means(delta: Interval, sd: Interval, alpha: float, power: float, sided: int = 2,
                    methods: Sequence[str] = MEANS_METHODS, n_values: Iterable[int] = ()) -> Recomputed:
    """Minimal per-group n for a mean difference and SD (intervals of readings): n falls with
    |delta| and rises with SD, so the corner (largest |delta|, smallest SD) is the minimum."""
    d = max(abs(delta.lo), abs(delta.hi))
    s = sd.lo
    by_method = {m: n_two_means(d, s, alpha, power, sided, m) for m in methods}
    m = min(by_method, key=by_method.get)
    power_at = {k: max(power_two_means(k, d, s, alpha, sided, mm) for mm in methods) for k in n_values}
    mid = n_two_means(delta.mid, sd.mid, alpha, power, sided, m) if delta.mid else None
    return Recomputed(by_method[m], m, (d, s), mid, by_method, power_at)
