import re
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from integrity_check.numeric.rounding import Interval
from integrity_check.stats import pvalue as pv


# --------------------------------------------------------------------------- point p values

def test_p_from_t_matches_scipy_two_and_one_sided():
    assert pv.p_from_t(2.0, 20) == pytest.approx(2 * stats.t.sf(2.0, 20))
    assert pv.p_from_t(-2.0, 20) == pytest.approx(2 * stats.t.sf(2.0, 20))
    assert pv.p_from_t(2.0, 20, tails=1) == pytest.approx(stats.t.sf(2.0, 20))


def test_p_from_z_chi2_f():
    assert pv.p_from_z(1.959964) == pytest.approx(0.05, abs=1e-6)
    assert pv.p_from_chi2(3.841459, 1) == pytest.approx(0.05, abs=1e-6)
    assert pv.p_from_f(4.0, 1, 30) == pytest.approx(pv.p_from_t(2.0, 30))


def test_p_from_r_agrees_with_scipy_pearsonr():
    rng = np.random.default_rng(7)
    x = rng.normal(size=20)
    y = x + rng.normal(size=20) * 2
    res = stats.pearsonr(x, y)
    assert pv.p_from_r(res.statistic, 18) == pytest.approx(res.pvalue, rel=1e-9)


def test_r_of_one_has_p_zero():
    assert pv.p_from_r(1.0, 10) == 0.0
    assert pv.p_value("r", -1.0, 10) == 0.0


def test_one_sided_rejected_for_f_and_chi2():
    with pytest.raises(ValueError):
        pv.p_value("chi2", 3.0, 1, tails=1)
    with pytest.raises(ValueError):
        pv.p_value("F", 3.0, 1, 20, tails=1)


def test_missing_df_rejected():
    with pytest.raises(ValueError):
        pv.p_value("t", 2.0)
    with pytest.raises(ValueError):
        pv.p_value("F", 2.0, 3)


def test_test_aliases():
    assert pv.normalize_test("\u03c72") == "chi2"
    assert pv.normalize_test("F") == "f"


# --------------------------------------------------------------------------- intervals

def test_p_interval_is_taken_at_statistic_ends():
    iv = pv.p_interval("t", Interval(2.405, 2.415), 28)
    assert iv.lo == pytest.approx(pv.p_from_t(2.415, 28))
    assert iv.hi == pytest.approx(pv.p_from_t(2.405, 28))


def test_p_interval_of_signed_statistic_straddling_zero_reaches_one():
    iv = pv.p_interval("t", Interval(-0.05, 0.05), 10)
    assert iv.hi == 1.0


def test_welch_df_with_decimals_is_widened():
    exact = pv.p_interval("t", Interval(2.0, 2.0), 37.8)
    widened = pv.p_interval("t", Interval(2.0, 2.0), "37.8")
    assert widened.lo < exact.lo <= exact.hi < widened.hi
    assert pv.df_interval("38") == Interval.point(38.0)


def test_reported_p_intervals():
    assert pv.reported_p_interval("0.038") == Interval(0.0375, 0.0385)
    assert pv.reported_p_interval("0.000") == Interval(0.0, 0.0005)
    assert pv.reported_p_interval("0.001", "<") == Interval(0.0, 0.001)
    assert pv.reported_p_interval("<.001") == Interval(0.0, 0.001)
    assert pv.reported_p_interval("0.05", ">") == Interval(0.05, 1.0)
    with pytest.raises(ValueError):
        pv.reported_p_interval("1.5")


def test_reported_significance():
    assert pv.reported_significance("0.038") is True
    assert pv.reported_significance("0.05") is True  # statcheck pEqualAlphaSig default
    assert pv.reported_significance("0.05", p_equal_alpha_significant=False) is False
    assert pv.reported_significance("0.065") is False
    assert pv.reported_significance("0.001", "<") is True
    assert pv.reported_significance("0.10", "<") is None
    assert pv.reported_significance("0.05", ">") is False
    assert pv.reported_significance("0.01", ">") is None
    assert pv.reported_significance("0.000") is True


# --------------------------------------------------------------------------- statcheck

def test_consistent_t():
    # t(28) = 2.41 gives p = 0.0228 -> "0.023" agrees, "0.038" does not
    ok = pv.check_p("t", "2.41", "0.023", df=28)
    assert ok.consistent and not ok.decision_flip
    bad = pv.check_p("t", "2.41", "0.038", df=28)
    assert not bad.consistent and not bad.decision_flip  # both significant
    assert bad.recomputed.contains(bad.recomputed_point)


def test_chi2_with_df_two_not_one():
    # Table row "29/38 vs 30/38, chi2 = 0.419, P = 0.811": 0.811 is chi2(0.419) at df = 2.
    assert pv.check_p("chi2", "0.419", "0.811", df=2).consistent
    at_one = pv.check_p("chi2", "0.419", "0.811", df=1)
    assert not at_one.consistent
    assert at_one.recomputed_point == pytest.approx(0.517, abs=5e-4)


def test_p_reported_as_zero():
    assert pv.check_p("t", "4.5", "0.000", df=30).consistent
    assert not pv.check_p("t", "2.5", "0.000", df=30).consistent


def test_less_than_bounds():
    assert pv.check_p("t", "4.5", "0.001", df=30, relation="<").consistent
    assert pv.check_p("t", "2.1", "<.05", df=30).consistent
    flip = pv.check_p("t", "1.9", "<.05", df=30)
    assert not flip.consistent and flip.decision_flip


def test_greater_than_bound():
    assert pv.check_p("F", "1.2", ">0.05", df=2, df2=57).consistent
    flip = pv.check_p("F", "4.5", "0.05", df=2, df2=57, relation=">")
    assert not flip.consistent and flip.decision_flip


def test_decision_flip_reverse_direction():
    # t(30) = 2.1 -> p in [0.040, 0.049]; printed "0.06" claims non-significance
    res = pv.check_p("t", "2.1", "0.06", df=30)
    assert not res.consistent and res.decision_flip


def test_no_flip_when_recomputed_interval_straddles_alpha():
    # t(30) = 2.0 -> p in [0.0495, 0.0615] (the rounding of "2.0" straddles alpha)
    res = pv.check_p("t", "2.0", "0.20", df=30)
    assert not res.consistent
    assert res.recomputed_significant is None and not res.decision_flip


def test_one_tailed_option():
    assert not pv.check_p("z", "1.70", "0.045").consistent
    assert pv.check_p("z", "1.70", "0.045", tails=1).consistent


def test_correlation():
    # r(18) = .45 -> t = 2.144, p = 0.046
    assert pv.check_p("r", ".45", "0.046", df=18).consistent
    assert not pv.check_p("r", ".45", "0.030", df=18).consistent


def test_split_relation():
    assert pv.split_relation("<.001") == ("<", ".001")
    assert pv.split_relation("\u2264 0.05") == ("<", "0.05")
    assert pv.split_relation("0.038") == ("=", "0.038")


def test_stats_modules_never_call_round():
    package = Path(pv.__file__).parent
    modules = ("pvalue.py", "chisq.py", "ttest.py", "ratios.py", "grim.py")
    pattern = re.compile(r"(?<![\w.])round\(")
    offenders = [m for m in modules if pattern.search((package / m).read_text())]
    assert offenders == []
