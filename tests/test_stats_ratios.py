import math

import pytest
from scipy import stats

from integrity_check.stats import ratios as rt

Z95 = stats.norm.ppf(0.975)


def test_z_for_level():
    assert rt.z_for_level() == pytest.approx(1.959964, abs=1e-6)
    assert rt.z_for_level(0.90) == pytest.approx(1.644854, abs=1e-6)
    with pytest.raises(ValueError):
        rt.z_for_level(95)


def test_point_formulas():
    assert rt.ratio_from_coefficient(-0.854) == pytest.approx(0.4257, abs=1e-4)
    lo, hi = rt.ci_from_coefficient(-0.854, 0.312)
    assert lo == pytest.approx(math.exp(-0.854 - Z95 * 0.312))
    assert hi == pytest.approx(math.exp(-0.854 + Z95 * 0.312))
    assert rt.wald(-0.854, 0.312) == pytest.approx((0.854 / 0.312) ** 2)
    assert rt.wald_p(3.841459) == pytest.approx(0.05, abs=1e-6)
    assert rt.se_from_ci(lo, hi) == pytest.approx(0.312)
    assert rt.p_from_ci(math.exp(-0.854), lo, hi) == pytest.approx(2 * stats.norm.sf(0.854 / 0.312))


def test_altman_bland_worked_example():
    # estimate 0.81, 95% CI 0.70 to 0.94: SE = (ln 0.94 - ln 0.70) / 3.92 = 0.0752,
    # z = ln 0.81 / 0.0752 = -2.80, P = 0.005
    assert rt.se_from_ci(0.70, 0.94) == pytest.approx(0.0752, abs=5e-4)
    assert rt.p_from_ci(0.81, 0.70, 0.94) == pytest.approx(0.005, abs=1e-3)
    assert rt.p_interval_from_ci("0.81", "0.70", "0.94").contains(0.005)


def test_ci_includes_one():
    assert rt.ci_includes_one("0.90", "2.30") is True
    assert rt.ci_includes_one("1.01", "2.30") is False
    assert rt.ci_includes_one("0.231", "0.787") is False
    assert rt.ci_includes_one("1.00", "2.30") is None  # 0.995..1.005: either reading


def test_log_symmetry():
    assert rt.ci_is_log_symmetric("0.426", "0.231", "0.787")
    assert not rt.ci_is_log_symmetric("0.426", "0.231", "0.900")


# --- Cox regression rows from the clinical paper

def test_cox_row_treatment():
    # b = -0.854, SE = 0.312, Wald 7.526, p = 0.006, HR 0.426, 95% CI 0.231-0.787
    row = rt.check_coefficient_row(b="-0.854", se="0.312", wald_stat="7.526", p="0.006",
                                   ratio="0.426", ci_lo="0.231", ci_hi="0.787")
    # HR = exp(-0.854) = 0.4257: consistent
    assert row.ratio_matches
    # CI lower exp(b - z SE) in [0.2306, 0.2313] contains 0.231: consistent
    assert row.ci_lower_matches
    # CI upper exp(b + z SE) is at most exp(-0.8535 + 1.96 * 0.3125) = 0.7858 < 0.7865:
    # the printed 0.787 cannot come from the printed b and SE (it misses by 0.0007)
    assert row.ci_upper.hi == pytest.approx(0.78583, abs=1e-5)
    assert row.ci_upper_matches is False
    # Wald (b/SE)^2 is at most (0.8545 / 0.3115)^2 = 7.52503 < 7.5255: 7.526 is (just) not
    # attainable from the printed b and SE; point value 7.492
    assert row.wald.hi == pytest.approx(7.52503, abs=1e-5)
    assert row.wald_matches is False
    # p = 0.006 agrees with the printed Wald, with b/SE and with the HR and CI (Altman & Bland)
    assert row.p_vs_wald.consistent
    assert row.p_vs_coefficient.consistent
    assert row.p_vs_ci.consistent
    # the CI is log-symmetric around 0.426 within rounding, and excludes 1 like p < 0.05
    assert row.ci_log_symmetric
    assert row.ci_includes_one is False
    assert row.ci_contradicts_p is False
    assert not row.significance_flip


def test_cox_row_age():
    # b = 0.213, SE = 0.302, Wald 0.491, p = 0.483, HR 1.237, 95% CI 0.685-2.236.
    row = rt.check_coefficient_row(b="0.213", se="0.302", wald_stat="0.491", p="0.483",
                                   ratio="1.237", ci_lo="0.685", ci_hi="2.236")
    # HR and CI follow from b and SE; the CI is log-symmetric and includes 1 (p >= 0.05)
    assert row.ratio_matches and row.ci_lower_matches and row.ci_upper_matches
    assert row.ci_log_symmetric and row.ci_includes_one is True and row.ci_contradicts_p is False
    # But the row is NOT fully consistent: (b/SE)^2 is at least (0.2125/0.3025)^2 = 0.4935 > 0.4915,
    # so the printed Wald 0.491 cannot come from b and SE (point value 0.497).
    assert row.wald.lo == pytest.approx(0.49348, abs=1e-5)
    assert row.wald_matches is False
    # p = 0.483 agrees with the printed Wald (chi2(0.491, 1) = 0.4835) ...
    assert row.p_vs_wald.consistent
    # ... but not with b/SE (p in [0.4789, 0.4824], point 0.481) nor with HR and CI (Altman &
    # Bland: [0.4798, 0.4822]); the discrepancy is small and changes no decision.
    assert not row.p_vs_coefficient.consistent
    assert row.p_vs_coefficient.recomputed_point == pytest.approx(0.4806, abs=1e-4)
    assert not row.p_vs_ci.consistent
    assert not row.significance_flip


def test_ci_contradicting_p_is_a_flip():
    row = rt.check_coefficient_row(ratio="1.50", ci_lo="0.90", ci_hi="2.50", p="0.01")
    assert row.ci_includes_one is True
    assert row.ci_contradicts_p is True
    assert row.significance_flip
    assert row.wald is None and row.wald_matches is None and row.p_vs_coefficient is None


def test_intervals_are_boxes():
    lower, upper = rt.ci_intervals_from_coefficient("0.213", "0.302")
    assert lower.lo == pytest.approx(math.exp(0.2125 - Z95 * 0.3025))
    assert lower.hi == pytest.approx(math.exp(0.2135 - Z95 * 0.3015))
    assert upper.lo == pytest.approx(math.exp(0.2125 + Z95 * 0.3015))
    assert upper.hi == pytest.approx(math.exp(0.2135 + Z95 * 0.3025))
    assert rt.ratio_interval_from_coefficient("0.213").contains(math.exp(0.213))
    assert rt.ratio_matches_coefficient("1.237", "0.213")
    assert not rt.ratio_matches_coefficient("1.240", "0.213")


def test_zero_lower_bound_does_not_crash():
    iv = rt.se_interval_from_ci("0.00", "2.50")
    assert iv.hi == float("inf")
    assert rt.p_interval_from_ci("1.20", "0.00", "2.50").hi == 1.0
