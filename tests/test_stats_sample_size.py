"""Sample size, power, dropout and survival arithmetic (stats.sample_size, stats.survival)."""
from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from integrity_check.numeric.rounding import Interval
from integrity_check.stats import sample_size as ss
from integrity_check.stats import survival as sv


def test_two_proportions_known_values():
    # Fleiss (2003) normal approximation, 15% vs 45%, alpha 0.05 two-sided, power 80%: 35.4 -> 36
    assert ss.n_two_proportions(0.15, 0.45, 0.05, 0.8) == pytest.approx(35.43, abs=0.01)
    assert ss.ceil_n(ss.n_two_proportions(0.15, 0.45, 0.05, 0.8)) == 36
    assert ss.ceil_n(ss.n_two_proportions(0.15, 0.45, 0.05, 0.8, method="fleiss_cc")) == 42
    # Cohen's h = 0.2 needs 392.4 per group (Cohen 1988, table 6.4.1: 392)
    p2 = 0.5
    p1 = math.sin((2 * math.asin(math.sqrt(p2)) - 0.2) / 2) ** 2
    assert ss.n_two_proportions(p1, p2, 0.05, 0.8, method="arcsine") == pytest.approx(392.4, abs=0.1)


def test_power_inverts_n():
    n = ss.n_two_proportions(0.25, 0.5, 0.05, 0.8)
    assert ss.power_two_proportions(n, 0.25, 0.5, 0.05) == pytest.approx(0.8, abs=1e-6)
    n = ss.n_two_means(1.5, 2.5, 0.05, 0.9, method="t")
    assert ss.power_two_means(n, 1.5, 2.5, 0.05, method="t") == pytest.approx(0.9, abs=1e-6)
    ev = ss.events_logrank(0.5, 0.05, 0.8)
    assert ss.power_logrank(ev, 0.5, 0.05) == pytest.approx(0.8, abs=1e-6)


def test_two_means_normal_and_t():
    assert ss.n_two_means(1.5, 2.5, 0.05, 0.9) == pytest.approx(58.37, abs=0.01)
    assert ss.ceil_n(ss.n_two_means(1.5, 2.5, 0.05, 0.9, method="t")) == 60


def test_schoenfeld_events():
    # HR 0.5 from S1 = 25%, S2 = 50%: 4 (1.96 + 0.8416)^2 / ln(0.5)^2 = 65.3 events
    assert sv.hazard_ratio_exponential(0.25, 0.5) == pytest.approx(0.5)
    assert ss.events_logrank(0.5, 0.05, 0.8) == pytest.approx(65.34, abs=0.05)
    assert ss.n_survival(0.25, 0.5, 0.05, 0.8) == pytest.approx(65.34 / 0.625 / 2, abs=0.05)


def test_seed_sample_size_needs_far_more_than_34():
    rec = ss.recompute_proportions(Interval(0.25, 0.30), Interval(0.47, 0.50), 0.05, 0.8, 2, n_values=[34, 38])
    assert rec.reading == (0.25, 0.5)
    assert ss.ceil_n(rec.n) == 53 and rec.method == "schoenfeld"
    assert ss.ceil_n(ss.n_two_proportions(0.275, 0.485, 0.05, 0.8)) == 83
    assert rec.power_at[34] < 0.65 and rec.power_at[38] < 0.7


def test_dropout_inflation():
    seed = ss.check_dropout(34, Interval(0.195, 0.205), 38)
    assert seed.matches == "" and seed.correct.stop - 1 == 43 and seed.naive.stop - 1 == 41
    assert ss.check_dropout(34, Interval(0.095, 0.105), 38).matches == "correct"
    assert ss.check_dropout(50, Interval(0.2, 0.2), 60).matches == "naive"
    assert ss.check_dropout(59, Interval(0.1, 0.1), 66).matches == "correct"


def test_median_vs_landmark():
    pct = sv.percent_interval
    # control: median 27.0 months, 2-year OS 42.2%: impossible
    assert not sv.median_vs_landmark(sv.months_interval("27.0", "months"), 24, pct("42.2")).consistent
    # observation: median 35.6, 3-year OS 48.9%: fine
    assert sv.median_vs_landmark(sv.months_interval("35.6", "months"), 36, pct("48.9")).consistent
    # exactly 50% is consistent with any median
    assert sv.median_vs_landmark(sv.months_interval("40", "months"), 24, pct("50.0")).consistent
    # S(12) > 50% but median 10.2 months: impossible
    assert not sv.median_vs_landmark(sv.months_interval("10.2", "months"), 12, pct("58.3")).consistent
    # not reached with a landmark below 50%
    assert not sv.median_vs_landmark(None, 36, pct("46.0")).consistent
    assert sv.median_vs_landmark(None, 36, pct("56.0")).consistent
    # day/month convention tolerance: 24.3 months vs 2-year 49%
    assert sv.median_vs_landmark(sv.months_interval("24.3", "months"), 24, pct("49.0")).consistent


def test_follow_up_and_attainability():
    assert sv.months_between((2022, 2), (2025, 2)) == 36
    assert sv.attainable_survival_counts("72.2", 38) == []
    assert sv.attainable_survival_counts("71.1", 38) == [27]


def test_no_round_calls():
    pattern = re.compile(r"(?<![\w.])round\(")
    root = Path(ss.__file__).parents[1]
    files = [root / "stats" / "sample_size.py", root / "stats" / "survival.py"] + sorted(
        (root / "checks").glob("s[mr][pv]00*.py"))
    assert [f.name for f in files if pattern.search(f.read_text())] == []
