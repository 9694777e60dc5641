import math

import pytest

from integrity_check.stats import grim as gr


def test_grim_brown_heathers_style():
    # n = 28: attainable means step by 1/28; 145/28 = 5.179, 146/28 = 5.214
    bad = gr.grim("5.19", 28)
    assert not bad.consistent and bad.informative
    assert bad.nearest == ("5.18", "5.21")
    ok = gr.grim("5.18", 28)
    assert ok.consistent and ok.totals == (145,)


def test_grim_percentage_example_from_design():
    # 26/38 = 0.684 -> mean of a 0/1 item; 0.689 is not attainable with n = 38
    assert gr.grim("0.684", 38).consistent
    assert not gr.grim("0.689", 38).consistent


def test_grim_with_items():
    # 3 items, n = 10: granularity 1/30 and 104/30 = 3.467 prints as 3.47; with one item the
    # granularity is 1/10 and 3.47 is not attainable
    assert gr.grim("3.47", 10, items=3).consistent
    assert gr.grim("3.47", 10).consistent is False
    assert gr.grim("3.47", 10, items=3).granularity == pytest.approx(1 / 30)


def test_grim_uninformative_when_n_large():
    res = gr.grim("3.5", 100)
    assert res.consistent and not res.informative


def test_grim_negative_means():
    assert gr.grim("-0.50", 10).consistent
    assert not gr.grim("-0.55", 10).consistent


def test_grimmer():
    # 1, 2, 3, 4, 5: mean 3.00, SD 1.58
    assert gr.grimmer("3.00", "1.58", 5).consistent
    assert gr.grimmer("3.00", "1.58", 5).pairs == ((15, 55),)
    # no integer sum of squares gives SD 1.59
    assert not gr.grimmer("3.00", "1.59", 5).consistent
    # SD 1.66 needs Q = 56, even, while T = 15 is odd: impossible by parity
    assert not gr.grimmer("3.00", "1.66", 5).consistent
    # GRIM failure is a GRIMMER failure
    res = gr.grimmer("5.19", "1.00", 28)
    assert not res.consistent and not res.grim.consistent


def test_grimmer_with_items_matches_brute_force():
    # two people, two items: item sums 3 and 6 -> scores 1.5 and 3.0, mean 2.25, SD 1.06
    assert gr.grimmer("2.25", "1.06", 2, items=2).consistent
    assert not gr.grimmer("2.25", "1.10", 2, items=2).consistent


def test_max_sd_at_sum_vertex():
    # 3 values in [0, 1] with mean 0.5: (1, 0.5, 0) -> SD 0.5 (Bhatia-Davis would allow 0.612)
    assert gr.max_sd_at_sum(1.5, 3, 0, 1) == pytest.approx(0.5)
    bd = math.sqrt(3 / 2 * 0.25)
    assert gr.max_sd_at_sum(1.5, 3, 0, 1) < bd


def test_sd_bounds():
    assert gr.sd_bounds("0.5", 2, 0, 1).hi == pytest.approx(math.sqrt(0.5))
    assert gr.sd_bounds(0.5, 3, 0, 1).hi == pytest.approx(0.5)
    assert gr.sd_bounds("7", 3, 0, 5) is None
    # Likert 1..5, n = 20, mean 4.80 (sum 96): the extreme data are 19 x 5 and 1 x 1,
    # SS = 19 * 0.2^2 + 3.8^2 = 15.2, SD = sqrt(15.2 / 19) = 0.894 (Bhatia-Davis: 0.919)
    b = gr.sd_bounds("4.80", 20, 1, 5)
    assert b.hi == pytest.approx(math.sqrt(0.8))
    assert gr.sd_possible("0.89", "4.80", 20, 1, 5)
    assert not gr.sd_possible("0.90", "4.80", 20, 1, 5)


def test_sd_bounds_is_max_over_mean_interval():
    # a printed mean "3" covers 2.5..3.5 and reaches the centre of 1..5; "2" covers 1.5..2.5 and
    # is most spread at its end nearest the centre
    centre = gr.sd_bounds(3.0, 10, 1, 5).hi
    assert gr.sd_bounds("3", 10, 1, 5).hi == pytest.approx(centre)
    assert gr.sd_bounds("2", 10, 1, 5).hi == pytest.approx(gr.sd_bounds(2.5, 10, 1, 5).hi)
