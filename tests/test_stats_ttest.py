import pytest
from scipy import stats

from integrity_check.stats import ttest as tt


def test_point_values_agree_with_scipy():
    for equal_var, fn in ((True, tt.student_t), (False, tt.welch_t)):
        ref = stats.ttest_ind_from_stats(10.2, 2.1, 30, 12.5, 2.6, 45, equal_var=equal_var)
        assert fn(10.2, 2.1, 30, 12.5, 2.6, 45) == pytest.approx(ref.statistic)
    both = tt.two_sample_t("10.2", "2.1", 30, "12.5", "2.6", 45)
    welch_ref = stats.ttest_ind_from_stats(10.2, 2.1, 30, 12.5, 2.6, 45, equal_var=False)
    assert both.welch.p == pytest.approx(welch_ref.pvalue)
    student_ref = stats.ttest_ind_from_stats(10.2, 2.1, 30, 12.5, 2.6, 45, equal_var=True)
    assert both.student.p == pytest.approx(student_ref.pvalue)
    assert both.student.df == 73


def test_welch_df_formula():
    a, b = 2.1 ** 2 / 30, 2.6 ** 2 / 45
    expected = (a + b) ** 2 / (a * a / 29 + b * b / 44)
    assert tt.welch_df(2.1, 30, 2.6, 45) == pytest.approx(expected)


def test_welch_df_interval_contains_peak_when_reachable():
    # equal n and SDs that can be equal: the df maximum n1 + n2 - 2 is inside the box
    iv = tt.welch_df_interval("2.0", 20, "2.0", 20)
    assert iv.hi == pytest.approx(38.0)
    assert iv.lo < 38.0


def test_box_is_exact_at_corners():
    iv = tt.student_abs_t_interval("56.8", "8.3", 38, "58.2", "7.9", 38)
    se = lambda s1, s2: tt.pooled_se(s1, 38, s2, 38)  # noqa: E731
    assert iv.lo == pytest.approx(1.3 / se(8.35, 7.95))
    assert iv.hi == pytest.approx(1.5 / se(8.25, 7.85))


def test_mean_difference_containing_zero_gives_min_abs_t_zero():
    iv = tt.welch_abs_t_interval("10.1", "2.0", 20, "10.1", "2.0", 20)
    assert iv.lo == 0.0 and iv.hi > 0.0
    assert tt.t_consistent("0.00", "10.1", "2.0", 20, "10.1", "2.0", 20).consistent


# --- the clinical paper, n = 38 per group. With equal n, Student and Welch t coincide (df differs).
# The paper is known to have t = 0.328 and t = 0.398 wrong and t = 0.725, 0.952, 4.327 right; the
# rounding box reproduces exactly that.

def test_t_0725_consistent_over_the_box():
    # Point t = 0.753 from the printed summaries, but the box (mean difference 1.3..1.5, SDs
    # 8.25..8.35 and 7.85..7.95) gives |t| in [0.695, 0.812], which contains 0.725.
    res = tt.t_consistent("0.725", "56.8", "8.3", 38, "58.2", "7.9", 38)
    assert abs(res.student.t) == pytest.approx(0.753, abs=5e-4)
    assert res.student.abs_t.lo == pytest.approx(0.695, abs=5e-4)
    assert res.student.abs_t.hi == pytest.approx(0.812, abs=5e-4)
    assert res.student_consistent and res.welch_consistent and res.consistent


def test_t_0328_inconsistent():
    # |t| at most 6.7 / SE(89.45, 92.25) = 0.3214 < 0.3275
    res = tt.t_consistent("0.328", "356.2", "89.5", 38, "362.8", "92.3", 38)
    assert abs(res.student.t) == pytest.approx(0.316, abs=5e-4)
    assert res.student.abs_t.hi == pytest.approx(0.3214, abs=1e-4)
    assert not res.consistent


def test_t_0398_inconsistent():
    # |t| at most 4.6 / SE(56.65, 51.15) = 0.3715 < 0.3975
    res = tt.t_consistent("0.398", "210.3", "56.7", 38, "205.8", "51.2", 38)
    assert abs(res.student.t) == pytest.approx(0.363, abs=5e-4)
    assert res.welch.abs_t.hi == pytest.approx(0.3715, abs=1e-4)
    assert not res.student_consistent and not res.welch_consistent


def test_t_0952_consistent():
    # point 0.943, box up to 0.958
    res = tt.t_consistent("0.952", "185.6", "32.4", 38, "178.9", "29.5", 38)
    assert abs(res.student.t) == pytest.approx(0.943, abs=5e-4)
    assert res.consistent


def test_t_4327_consistent_sign_ignored():
    # point -4.242 (group 1 lower), box |t| in [3.97, 4.52]
    res = tt.t_consistent("4.327", "10.2", "2.1", 38, "12.5", "2.6", 38)
    assert res.student.t == pytest.approx(-4.242, abs=5e-4)
    assert res.consistent
    assert tt.t_consistent("-4.327", "10.2", "2.1", 38, "12.5", "2.6", 38).consistent


def test_student_and_welch_can_disagree():
    # unequal n and SDs: Student |t| = 1.03, Welch |t| = 1.75
    res = tt.t_consistent("1.75", "10.0", "1.0", 10, "11.0", "3.0", 40)
    assert abs(res.student.t) == pytest.approx(1.033, abs=1e-3)
    assert abs(res.welch.t) == pytest.approx(1.754, abs=1e-3)
    assert res.welch_consistent and not res.student_consistent
    assert res.welch.df < res.student.df


def test_f_from_two_groups():
    res = tt.f_consistent("0.567", "56.8", "8.3", 38, "58.2", "7.9", 38)
    assert res.anova.f == pytest.approx(0.753 ** 2, abs=2e-3)
    assert res.anova.df1 == 1 and res.anova.df2 == 74
    assert res.consistent
    assert not tt.f_consistent("0.107", "356.2", "89.5", 38, "362.8", "92.3", 38).consistent
    assert res.anova.p == pytest.approx(tt.two_sample_t("56.8", "8.3", 38, "58.2", "7.9", 38).student.p)


def test_one_sample():
    s = tt.one_sample_t("1.2", "2.0", 25)
    assert s.t == pytest.approx(3.0)
    assert s.df == 24
    assert s.p == pytest.approx(2 * stats.t.sf(3.0, 24))
    assert s.abs_t.lo == pytest.approx(1.15 / 0.41)
    assert s.abs_t.hi == pytest.approx(1.25 / 0.39)
    assert tt.one_sample_t_consistent("3.1", "1.2", "2.0", 25).consistent
    assert not tt.one_sample_t_consistent("3.3", "1.2", "2.0", 25).consistent


def test_zero_sd_gives_infinite_upper_bound():
    iv = tt.welch_abs_t_interval("5", "0", 10, "3", "0", 10)
    assert iv.hi == float("inf")


def test_group_size_validated():
    with pytest.raises(ValueError):
        tt.two_sample_t("1.0", "1.0", 1, "2.0", "1.0", 10)
