from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integrity_check.numeric.rounding import (
    Interval, counts_matching_percent, decimals_of, format_at, interval_agrees, rounds_to, unround,
)


def test_unround_one_decimal():
    iv = unround("68.9")
    assert iv.lo == pytest.approx(68.85) and iv.hi == pytest.approx(68.95)


def test_trailing_zeros_matter():
    assert decimals_of("68.90") == 2
    assert unround("0.050").hi == pytest.approx(0.0505)
    assert unround("38").lo == pytest.approx(37.5)


def test_leading_dot_and_minus():
    assert decimals_of(".038") == 3
    assert unround("-0.667").lo == pytest.approx(-0.6675)
    assert unround("\u22120.5").hi == pytest.approx(-0.45)


def test_boundaries_both_directions():
    # 68.85 rounds up to 68.9 (half-up) and 68.95 down to 68.9 (half-down): both accepted by default
    assert rounds_to(68.85, "68.9")
    assert rounds_to(68.95, "68.9")
    assert not rounds_to(68.96, "68.9")


def test_half_up_and_half_even_and_truncate():
    assert rounds_to(0.125, "0.13", "half_up")
    assert not rounds_to(0.125, "0.13", "half_even")
    assert rounds_to(0.125, "0.12", "half_even")
    assert rounds_to(2.79, "2.7", "truncate")
    assert not rounds_to(2.79, "2.8", "truncate")


def test_percent_grim():
    assert counts_matching_percent("68.4", 38) == [26]
    assert counts_matching_percent("68.9", 38) == []
    assert counts_matching_percent("0.0", 38) == [0]
    assert counts_matching_percent("100", 38) == [38]


def test_interval_meets():
    assert interval_agrees("0.038", Interval(0.0384, 0.04))
    assert not interval_agrees("0.038", Interval(0.0386, 0.04))


def test_format_at():
    assert format_at(68.421, 1) == "68.4"
    assert format_at(2.5, 0) == "3"


@given(st.decimals(min_value=-1000, max_value=1000, places=3, allow_nan=False, allow_infinity=False))
def test_round_trip(d):
    s = str(d)
    iv = unround(s)
    assert iv.contains(float(d))
    assert rounds_to(float(d), s)
    assert rounds_to(iv.lo, s) and rounds_to(iv.hi, s)


def test_checks_never_round_by_themselves():
    """Only numeric/rounding.py rounds; checks and stats ask it."""
    root = Path(__file__).resolve().parents[1] / "integrity_check"
    offenders = []
    for folder in ("checks", "stats"):
        for path in (root / folder).glob("*.py"):
            text = path.read_text(encoding="utf-8")
            if re.search(r"(?<![\w.])round\(", text):
                offenders.append(path.name)
    assert not offenders, offenders
