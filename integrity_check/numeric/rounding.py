"""The one tolerance module: every check asks it whether numbers agree; none rounds by itself.

A reported number is a string ("68.9", "0.050", "<0.001"); its printed decimals define the
interval of true values that could have produced it. Recomputed values are compared against that
interval, never against the printed point value.

Rounding methods (what the authors' software may have done):

- ``up_or_down`` (default): either neighbour is accepted, i.e. the closed interval
  [x - h, x + h] with h = half a unit in the last printed place. This covers half-up,
  half-even, half-down and the float representation noise of spreadsheets.
- ``half_up``: [x - h, x + h) for positives (ties round away from zero).
- ``half_even``: like up_or_down but a tie is accepted only if it rounds to an even digit.
- ``truncate``: [x, x + 2h) for positives (digits cut off, not rounded).

``FLOAT_DUST`` is the only float-noise constant in the package: binary floating point cannot
represent most decimals exactly, so interval ends are widened by it before any comparison.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Iterable

FLOAT_DUST = 1e-9
METHODS = ("up_or_down", "half_up", "half_even", "truncate")
DEFAULT_METHOD = "up_or_down"


class NotANumber(ValueError):
    """Raised when a reported string cannot be read as a decimal number."""


@dataclass(frozen=True)
class Interval:
    """A closed interval of real numbers [lo, hi]."""

    lo: float
    hi: float

    def __post_init__(self) -> None:
        if self.lo > self.hi:
            raise ValueError(f"empty interval [{self.lo}, {self.hi}]")

    @classmethod
    def point(cls, x: float) -> "Interval":
        return cls(x, x)

    @classmethod
    def hull(cls, values: Iterable[float]) -> "Interval":
        vals = [v for v in values if not math.isnan(v)]
        return cls(min(vals), max(vals))

    @property
    def mid(self) -> float:
        return (self.lo + self.hi) / 2

    def contains(self, x: float) -> bool:
        return self.lo - FLOAT_DUST <= x <= self.hi + FLOAT_DUST

    def meets(self, other: "Interval") -> bool:
        """True when the two intervals share at least one point (up to float dust)."""
        return self.lo - FLOAT_DUST <= other.hi and other.lo - FLOAT_DUST <= self.hi

    def scaled(self, factor: float) -> "Interval":
        a, b = self.lo * factor, self.hi * factor
        return Interval(min(a, b), max(a, b))

    def clipped(self, lo: float, hi: float) -> "Interval":
        return Interval(max(self.lo, lo), min(max(self.hi, lo), hi)) if self.lo <= hi else Interval(hi, hi)


def parse_decimal(reported: str) -> Decimal:
    """Read a reported number string exactly ("68.9", "-0.667", ".038", "1,234" is not accepted)."""
    s = reported.strip().replace("\u2212", "-")
    if s.startswith("."):
        s = "0" + s
    elif s.startswith("-."):
        s = "-0" + s[1:]
    try:
        d = Decimal(s)
    except InvalidOperation as exc:
        raise NotANumber(reported) from exc
    if not d.is_finite():
        raise NotANumber(reported)
    return d


def decimals_of(reported: str) -> int:
    """Number of printed decimals, trailing zeros included: "68.90" -> 2, "38" -> 0."""
    exp = parse_decimal(reported).as_tuple().exponent
    return max(0, -int(exp))


def half_unit(reported: str) -> Decimal:
    return Decimal(1).scaleb(-decimals_of(reported)) / 2


def unround(reported: str, method: str = DEFAULT_METHOD) -> Interval:
    """The interval of true values that print as ``reported`` under ``method``.

    unround("68.9") -> [68.85, 68.95]; unround("38") -> [37.5, 38.5].
    Open ends are treated as closed: the tie itself is decided by ``rounds_to``.
    """
    if method not in METHODS:
        raise ValueError(f"unknown rounding method {method!r}; expected one of {METHODS}")
    x = parse_decimal(reported)
    h = half_unit(reported)
    if method == "truncate":
        unit = 2 * h
        if x >= 0:
            return Interval(float(x), float(x + unit))
        return Interval(float(x - unit), float(x))
    return Interval(float(x - h), float(x + h))


def rounds_to(value: float, reported: str, method: str = DEFAULT_METHOD) -> bool:
    """Could the true ``value`` have been printed as ``reported``?"""
    if math.isnan(value):
        return False
    if method == "up_or_down":
        return unround(reported, method).contains(value)
    x = parse_decimal(reported)
    d = decimals_of(reported)
    try:
        exact = Decimal(repr(value))
    except InvalidOperation:
        return False
    candidates = {exact}
    quantum = Decimal(1).scaleb(-d)
    for c in candidates:
        if method == "half_up":
            r = c.quantize(quantum, rounding="ROUND_HALF_UP")
        elif method == "half_even":
            r = c.quantize(quantum, rounding="ROUND_HALF_EVEN")
        elif method == "truncate":
            r = c.quantize(quantum, rounding="ROUND_DOWN")
        else:  # pragma: no cover - guarded by unround's method check
            raise ValueError(method)
        if r == x:
            return True
    return False


def interval_agrees(reported: str, recomputed: Interval, method: str = DEFAULT_METHOD) -> bool:
    """True when some value in ``recomputed`` could have been printed as ``reported``."""
    return unround(reported, method).meets(recomputed)


def format_at(value: float, decimals: int) -> str:
    """A recomputed value printed at a reported precision, for messages only (half-up)."""
    if math.isnan(value) or math.isinf(value):
        return str(value)
    q = Decimal(1).scaleb(-decimals)
    return str(Decimal(repr(value)).quantize(q, rounding="ROUND_HALF_UP"))


def integer_range(interval: Interval) -> range:
    """The integers k with k in ``interval`` (widened by float dust)."""
    lo = math.ceil(interval.lo - FLOAT_DUST)
    hi = math.floor(interval.hi + FLOAT_DUST)
    return range(lo, hi + 1) if hi >= lo else range(0)


def counts_matching_percent(percent: str, n: int, method: str = DEFAULT_METHOD) -> list[int]:
    """All integers k in [0, n] such that 100*k/n could be printed as ``percent``."""
    if n <= 0:
        return []
    band = unround(percent, method).scaled(n / 100.0)
    return [k for k in integer_range(band) if 0 <= k <= n and rounds_to(100.0 * k / n, percent, method)]


def nearest_counts(percent: str, n: int, how_many: int = 2) -> list[int]:
    """The counts k whose percentage of n is nearest to ``percent`` (for messages)."""
    if n <= 0:
        return []
    target = float(parse_decimal(percent)) * n / 100.0
    ks = sorted(range(0, n + 1), key=lambda k: (abs(k - target), k))[:how_many]
    return sorted(ks)
