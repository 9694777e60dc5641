"""Chi-square and Fisher tests recomputed from an r x c table of counts.

Formulas (computed with scipy; counts are exact integers, so every statistic is a point value):

- Pearson: X^2 = sum (O - E)^2 / E with E = row total * column total / N,
  df = (r - 1)(c - 1); ``scipy.stats.chi2_contingency(correction=False)``.
- Yates (2 x 2 only): X^2 = sum (|O - E| - 0.5)^2 / E, with the correction capped at |O - E| so it
  never overshoots (scipy's convention; SPSS's "Continuity Correction" row);
  ``chi2_contingency(correction=True)``.
- Likelihood ratio: G = 2 * sum O * ln(O / E), uncorrected;
  ``chi2_contingency(correction=False, lambda_="log-likelihood")``.
- Fisher's exact test, two-sided, 2 x 2 only (``scipy.stats.fisher_exact``); None for larger tables.
- Expected counts from ``scipy.stats.contingency.expected_freq``; the minimum is reported because
  the chi-square approximation is doubtful when an expected count is below 5.

Consistency with a printed chi-square and p:

- A variant's statistic agrees when it could be printed as the reported string
  (:func:`rounding.rounds_to`, default ``up_or_down``).
- A variant's p (pearson, yates, lr, fisher) agrees when it lies in the interval the printed p
  allows (:func:`pvalue.reported_p_interval`: "0.038" -> [0.0375, 0.0385], "<0.001" -> [0, 0.001]).
- ``significance_flip``: the printed p states a decision at alpha (see :mod:`pvalue`), no variant's
  p agrees with the printed p, and every variant (Pearson, Yates, LR and Fisher where defined)
  gives the opposite decision.
- The printed pair itself (chi-square and p) is checked with :func:`pvalue.check_p` at the table's
  df; :func:`dfs_explaining_printed_pair` lists the df under which the pair agrees (a printed
  p that fits df = 2 for a 2 x 2 table points to a copied or mislabelled row).

References: Pearson (1900); Yates (1934); Agresti, Categorical Data Analysis (3rd ed., 2013), 3.2;
Fisher (1922).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy import stats
from scipy.stats import contingency

from integrity_check.numeric.rounding import DEFAULT_METHOD, Interval, rounds_to
from integrity_check.stats.pvalue import (
    DEFAULT_ALPHA,
    PCheck,
    check_p,
    interval_significance,
    reported_p_interval,
    reported_significance,
)

STATISTIC_VARIANTS = ("pearson", "yates", "lr")
P_VARIANTS = ("pearson", "yates", "lr", "fisher")

Table = tuple[tuple[int, ...], ...]


def two_by_two_from_events(k1: int, n1: int, k2: int, n2: int) -> list[list[int]]:
    """Counts of a binary outcome in two groups: [[k1, n1 - k1], [k2, n2 - k2]]."""
    for k, n in ((k1, n1), (k2, n2)):
        if not 0 <= k <= n:
            raise ValueError(f"events {k} not within group size {n}")
    return [[k1, n1 - k1], [k2, n2 - k2]]


@dataclass(frozen=True)
class ChiSquareTests:
    """Every test variant for one table. Yates and Fisher are None unless the table is 2 x 2."""

    table: Table
    df: int
    pearson: float
    pearson_p: float
    yates: float | None
    yates_p: float | None
    lr: float
    lr_p: float
    fisher_p: float | None
    expected: tuple[tuple[float, ...], ...]
    min_expected: float

    def statistic(self, variant: str) -> float | None:
        """The statistic of "pearson", "yates" or "lr"."""
        if variant not in STATISTIC_VARIANTS:
            raise ValueError(f"unknown variant {variant!r}; expected one of {STATISTIC_VARIANTS}")
        return getattr(self, variant)

    def p(self, variant: str) -> float | None:
        """The p of "pearson", "yates", "lr" or "fisher"."""
        if variant not in P_VARIANTS:
            raise ValueError(f"unknown variant {variant!r}; expected one of {P_VARIANTS}")
        return getattr(self, f"{variant}_p")

    def available_ps(self) -> dict[str, float]:
        """The p of every variant defined for this table."""
        return {v: self.p(v) for v in P_VARIANTS if self.p(v) is not None}


def chi_square_tests(table: Sequence[Sequence[int]]) -> ChiSquareTests:
    """Pearson, Yates (2 x 2), likelihood-ratio and Fisher (2 x 2) tests of an r x c count table."""
    observed = _as_count_array(table)
    return _chi_square_tests_cached(tuple(tuple(int(x) for x in row) for row in observed))


@functools.lru_cache(maxsize=1024)
def _chi_square_tests_cached(key: tuple[tuple[int, ...], ...]) -> ChiSquareTests:
    """Several rules test the same table (CHI001, CHI002, DUP003, PVL): compute it once."""
    observed = np.asarray(key, dtype=np.int64)
    pearson = stats.chi2_contingency(observed, correction=False)
    lr = stats.chi2_contingency(observed, correction=False, lambda_="log-likelihood")
    expected = contingency.expected_freq(observed)
    is_2x2 = observed.shape == (2, 2)
    yates = stats.chi2_contingency(observed, correction=True) if is_2x2 else None
    fisher_p = float(stats.fisher_exact(observed).pvalue) if is_2x2 else None
    return ChiSquareTests(
        table=tuple(tuple(int(x) for x in row) for row in observed),
        df=int(pearson.dof),
        pearson=float(pearson.statistic),
        pearson_p=float(pearson.pvalue),
        yates=float(yates.statistic) if yates is not None else None,
        yates_p=float(yates.pvalue) if yates is not None else None,
        lr=float(lr.statistic),
        lr_p=float(lr.pvalue),
        fisher_p=fisher_p,
        expected=tuple(tuple(float(x) for x in row) for row in expected),
        min_expected=float(expected.min()),
    )


def _as_count_array(table: Sequence[Sequence[int]]) -> np.ndarray:
    rows = [list(r) for r in table]
    if len(rows) < 2 or len({len(r) for r in rows}) != 1 or len(rows[0]) < 2:
        raise ValueError("a contingency table needs at least 2 rows and 2 columns of equal length")
    if any(int(x) != x or x < 0 for r in rows for x in r):
        raise ValueError("counts must be non-negative integers")
    observed = np.array(rows, dtype=np.int64)
    if (observed.sum(axis=0) == 0).any() or (observed.sum(axis=1) == 0).any():
        raise ValueError("a row or column of the table is all zeros; expected counts would be 0")
    return observed


@dataclass(frozen=True)
class ChiSquareCheck:
    """A printed chi-square (and p) compared with the tests recomputed from the counts.

    ``statistic_variants``: variants whose statistic prints as the reported chi-square.
    ``p_variants``: variants (including fisher) whose p agrees with the printed p.
    ``printed_pair``: the printed chi-square and p checked against each other at ``tests.df``.
    """

    tests: ChiSquareTests
    statistic_variants: tuple[str, ...]
    p_variants: tuple[str, ...]
    significance_flip: bool
    printed_pair: PCheck | None

    @property
    def statistic_consistent(self) -> bool:
        return bool(self.statistic_variants)

    @property
    def p_consistent(self) -> bool | None:
        """None when no p was printed."""
        return None if self.printed_pair is None else bool(self.p_variants)


def check_chi_square(reported_chi2: str, table: Sequence[Sequence[int]], reported_p: str | None = None,
                     *, relation: str = "=", alpha: float = DEFAULT_ALPHA,
                     p_equal_alpha_significant: bool = True, method: str = DEFAULT_METHOD) -> ChiSquareCheck:
    """Which test variants reproduce a printed chi-square (and p) from the counts."""
    tests = chi_square_tests(table)
    statistic_variants = tuple(
        v for v in STATISTIC_VARIANTS
        if tests.statistic(v) is not None and rounds_to(tests.statistic(v), reported_chi2, method)
    )
    if reported_p is None:
        return ChiSquareCheck(tests, statistic_variants, (), False, None)
    allowed = reported_p_interval(reported_p, relation, method)
    ps = tests.available_ps()
    p_variants = tuple(v for v, p in ps.items() if allowed.meets(Interval.point(p)))
    said = reported_significance(reported_p, relation, alpha, p_equal_alpha_significant)
    found = {interval_significance(Interval.point(p), alpha) for p in ps.values()}
    flip = not p_variants and said is not None and found == {not said}
    pair = check_p("chi2", reported_chi2, reported_p, df=tests.df, relation=relation, alpha=alpha,
                   p_equal_alpha_significant=p_equal_alpha_significant, method=method)
    return ChiSquareCheck(tests, statistic_variants, p_variants, flip, pair)


def dfs_explaining_printed_pair(reported_chi2: str, reported_p: str, *, relation: str = "=",
                                max_df: int = 10, method: str = DEFAULT_METHOD) -> tuple[int, ...]:
    """The df in 1..max_df under which a printed chi-square and printed p agree.

    ``dfs_explaining_printed_pair("0.419", "0.811") == (2,)``: p(0.419, df=1) = 0.517.
    """
    return tuple(
        df for df in range(1, max_df + 1)
        if check_p("chi2", reported_chi2, reported_p, df=df, relation=relation, method=method).consistent
    )
