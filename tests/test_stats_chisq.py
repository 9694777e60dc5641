import pytest

from integrity_check.stats import chisq as cs


def test_two_by_two_from_events():
    assert cs.two_by_two_from_events(26, 38, 18, 38) == [[26, 12], [18, 20]]
    with pytest.raises(ValueError):
        cs.two_by_two_from_events(40, 38, 18, 38)


def test_variants_of_26_of_38_vs_18_of_38():
    t = cs.chi_square_tests(cs.two_by_two_from_events(26, 38, 18, 38))
    assert t.df == 1
    # Pearson 3.455 (p = 0.063). (The brief quoted 3.413, p = 0.065; 3.455 is the exact Pearson
    # value: 76 * (26*20 - 12*18)^2 / (38 * 38 * 44 * 32) = 3.4545...)
    assert t.pearson == pytest.approx(76 * (26 * 20 - 12 * 18) ** 2 / (38 * 38 * 44 * 32))
    assert t.pearson == pytest.approx(3.4545, abs=1e-4)
    assert t.pearson_p == pytest.approx(0.0631, abs=1e-4)
    # Yates: N (|ad - bc| - N/2)^2 / (row and column totals)
    assert t.yates == pytest.approx(76 * (304 - 38) ** 2 / (38 * 38 * 44 * 32))
    assert t.lr == pytest.approx(3.484, abs=1e-3)
    assert t.fisher_p == pytest.approx(0.1032, abs=1e-4)
    assert t.min_expected == pytest.approx(16.0)


def test_printed_4287_is_inconsistent_with_counts_and_flips():
    res = cs.check_chi_square("4.287", cs.two_by_two_from_events(26, 38, 18, 38), "0.038")
    assert res.statistic_variants == ()
    assert not res.statistic_consistent
    assert res.p_variants == () and res.p_consistent is False
    assert res.significance_flip  # printed p = 0.038 < 0.05, every variant and Fisher >= 0.05
    assert res.printed_pair.consistent  # 4.287 and 0.038 agree with each other at df = 1


def test_printed_3947_is_inconsistent_with_counts_and_flips():
    res = cs.check_chi_square("3.947", cs.two_by_two_from_events(34, 38, 29, 38), "0.047")
    assert res.tests.pearson == pytest.approx(2.320, abs=1e-3)
    assert res.tests.pearson_p == pytest.approx(0.128, abs=1e-3)
    assert res.statistic_variants == () and res.p_variants == ()
    assert res.significance_flip
    assert res.printed_pair.consistent


def test_pathological_differentiation_row_fits_df_two():
    # "29/38 vs 30/38, chi2 = 0.419, P = 0.811": the printed pair agrees only at df = 2,
    # and as a 2 x 2 table the counts give chi2 = 0.076 (Yates 0), not 0.419.
    res = cs.check_chi_square("0.419", cs.two_by_two_from_events(29, 38, 30, 38), "0.811")
    assert not res.printed_pair.consistent
    assert res.printed_pair.recomputed_point == pytest.approx(0.517, abs=5e-4)
    assert res.statistic_variants == ()
    assert res.tests.yates == 0.0
    assert not res.significance_flip
    assert cs.dfs_explaining_printed_pair("0.419", "0.811") == (2,)


def test_matching_variants():
    table = cs.two_by_two_from_events(26, 38, 18, 38)
    assert cs.check_chi_square("3.45", table).statistic_variants == ("pearson",)
    assert cs.check_chi_square("2.64", table).statistic_variants == ("yates",)
    assert cs.check_chi_square("3.48", table).statistic_variants == ("lr",)
    res = cs.check_chi_square("2.645", table, "0.104")
    assert res.p_variants == ("yates",)  # Fisher 0.1032 prints as 0.103
    assert res.p_consistent and res.printed_pair.consistent
    assert cs.check_chi_square("3.455", table, "0.10").p_variants == ("yates", "fisher")


def test_no_p_printed():
    res = cs.check_chi_square("3.455", cs.two_by_two_from_events(26, 38, 18, 38))
    assert res.p_consistent is None and res.printed_pair is None and not res.significance_flip


def test_reverse_flip():
    # Pearson p = 0.0013 for 30/38 vs 15/38; printed "p = 0.12" claims non-significance
    res = cs.check_chi_square("10.3", cs.two_by_two_from_events(30, 38, 15, 38), "0.12")
    assert all(p < 0.05 for p in res.tests.available_ps().values())
    assert res.significance_flip


def test_larger_table_has_no_yates_or_fisher():
    t = cs.chi_square_tests([[10, 20, 30], [20, 15, 5]])
    assert t.df == 2
    assert t.yates is None and t.yates_p is None and t.fisher_p is None
    assert set(t.available_ps()) == {"pearson", "lr"}
    assert len(t.expected) == 2 and len(t.expected[0]) == 3


def test_bad_tables():
    with pytest.raises(ValueError):
        cs.chi_square_tests([[1, 2]])
    with pytest.raises(ValueError):
        cs.chi_square_tests([[0, 0], [3, 4]])
    with pytest.raises(ValueError):
        cs.chi_square_tests([[1, -2], [3, 4]])
