"""PVL001 p-inconsistent: a printed p that does not follow from its printed test statistic and df.

What it checks
    For every reported t, F, χ2, r and z with a p (statcheck semantics), whether the p computed
    from the statistic and its degrees of freedom agrees with the printed p. The df is the printed
    one ("t(58)", "F(2, 87)", "χ2(1, N = 120)", "χ2 = 3.1, df = 2"); for a chi-square printed
    without df next to its table of counts ("χ2=4.287 | 0.038" in a row of a 2 x 2 comparison, or the
    same χ2 and P quoted in the text) the df is the table's (r - 1)(c - 1). A t without printed df
    is checked by TST002 (its df comes from the arms' n). When the decision at alpha flips, PVL002
    reports the case instead; when the printed pair fits another df than the design's, PVL003.

Why it matters
    The statistic and its p are two statements of one result. When they disagree, at least one
    of them was mistyped, copied from another analysis or altered, and a reader cannot know which
    of them the conclusion rests on.

Example
    "t(28) = 2.20, p = .010": t(28) = 2.20 gives p = .036. "χ2(1, N = 90) = 2.10, p = .021": 2.10
    on 1 df gives p = .147.

Tolerance
    The statistic is an interval at its printed precision and the recomputed p is the hull over
    it (stats.pvalue.check_p); the printed p is an interval at its own precision ("0.038" is
    [0.0375, 0.0385]; "<0.001" is [0, 0.001]; "ns" is p >= alpha). Rounding follows the run's
    method (up_or_down by default); a printed p that agrees when the digits were cut off instead of
    rounded (truncation, common in hand-typed results) is also accepted. One-tailed p is used when
    the sentence says "one-tailed"/"one-sided"; when the paper mentions one-sided tests (or TOST
    equivalence tests) anywhere, a p that matches the one-tailed p is accepted too (statcheck's
    OneTailedTxt); a p stated as adjusted (Bonferroni, Holm, FDR,
    "adjusted") only has to be at least the unadjusted p.

Known limitations
    A chi-square quoted in the text without df is checked only when a table of counts with the
    same χ2 and P gives its df. Tests whose p comes from another method than the statistic's
    distribution (exact, permutation, mixed models with Kenward-Roger df) agree only approximately;
    a stated Fisher's exact test is skipped. r needs its df (n - 2) printed.

References
    Nuijten MB, Hartgerink CHJ, van Assen MALM, Epskamp S, Wicherts JM. The prevalence of
    statistical reporting errors in psychology (1985-2013). Behav Res Methods 2016;48:1205-1226.
    Epskamp S, Nuijten MB. statcheck: Extract statistics from articles and recompute p values
    (R package).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..findings import evidence
from ..numeric.rounding import Interval, format_at
from ..stats.chisq import chi_square_tests, dfs_explaining_printed_pair
from ..stats.pvalue import PCheck, check_p, compare_p, reported_p_interval
from .base import rule

TEST_NAMES = {"t": "t", "f": "F", "chi2": "χ2", "r": "r", "z": "z"}


# --------------------------------------------------------------------------- shared helpers
# (used by PVL002, PVL003, CHI001, CHI002, TST001 and TST002 as well)

def alpha_of(test, ctx) -> float:
    """The paper's stated significance level when it states one, else the run's alpha."""
    a = getattr(test, "alpha", None)
    if a:
        try:
            value = float("0" + a if a.startswith(".") else a)
        except ValueError:
            return ctx.alpha
        if 0 < value < 1:
            return value
    return ctx.alpha


def printed_p(test, alpha: float) -> Optional[tuple[str, str]]:
    """(p string, relation) for the library; "ns" becomes "> alpha"; None when no p was printed."""
    if test.p_relation == "ns":
        return repr(alpha), ">"
    if test.p is None or test.p_relation not in ("=", "<", ">"):
        return None
    return test.p, test.p_relation


def p_text(test) -> str:
    if test.p_relation == "ns":
        return "ns"
    return f"{'=' if test.p_relation == '=' else test.p_relation} {test.p}"


def test_label(test) -> str:
    name = TEST_NAMES.get(test.test, test.test)
    if test.df and test.df2:
        return f"{name}({test.df}, {test.df2}) = {test.statistic}"
    if test.df:
        return f"{name}({test.df}) = {test.statistic}"
    return f"{name} = {test.statistic}"


def test_evidence(doc, test) -> list:
    """The statistic (the whole report in prose; the statistic and the p cells in tables)."""
    if test.context == "table":
        out = [evidence(doc, test.start, test.end, test.table, test.row, test.col)]
        if test.p_start >= 0:
            out.append(evidence(doc, test.p_start, test.p_end, test.table, test.row, test.p_col))
        return out
    return [evidence(doc, test.start, test.end)]


def _pcheck(kind, stat, p, rel, df, df2, tails, alpha, method) -> PCheck:
    return check_p(kind, stat, p, df=df, df2=df2, relation=rel, tails=tails, alpha=alpha, method=method)


def p_agreement(test, df, df2, ctx, *, tails: Optional[int] = None) -> Optional[tuple[bool, PCheck]]:
    """Does the printed p agree with the statistic at (df, df2)? (consistent, check at ctx.rounding).

    Accepts the run's rounding and truncation of the printed digits; an adjusted p only has to be
    at least the unadjusted one. None when there is nothing to check.
    """
    alpha = alpha_of(test, ctx)
    pp = printed_p(test, alpha)
    if pp is None:
        return None
    p, rel = pp
    if tails is None:
        tails = test.tails if test.test in ("t", "z", "r") else 2
    try:
        main = _pcheck(test.test, test.statistic, p, rel, df, df2, tails, alpha, ctx.rounding)
    except (ValueError, ArithmeticError):
        return None
    if main.consistent:
        return True, main
    try:
        trunc = _pcheck(test.test, test.statistic, p, rel, df, df2, tails, alpha, "truncate")
        if trunc.consistent:
            return True, main
    except (ValueError, ArithmeticError):
        pass
    if tails == 2 and test.test in ("t", "z", "r") and getattr(test, "one_tailed_in_doc", False):
        try:
            if _pcheck(test.test, test.statistic, p, rel, df, df2, 1, alpha, ctx.rounding).consistent:
                return True, main
        except (ValueError, ArithmeticError):
            pass
    if test.adjusted:
        reported = reported_p_interval(p, rel, ctx.rounding)
        if reported.meets(Interval(main.recomputed.lo, 1.0)):
            return True, main
    return False, main


def flip_check(test, recomputed: Interval, point: float, ctx) -> Optional[PCheck]:
    alpha = alpha_of(test, ctx)
    pp = printed_p(test, alpha)
    if pp is None:
        return None
    return compare_p(pp[0], recomputed, point, pp[1], alpha=alpha, method=ctx.rounding)


def fmt_p(value: float) -> str:
    if value < 0.001:
        return "< 0.001"
    return format_at(value, 3)


def fmt_interval(iv: Interval) -> str:
    lo, hi = fmt_p(iv.lo), fmt_p(iv.hi)
    return lo if lo == hi else f"{lo} to {hi}"


def _key(test):
    return (test.test, test.statistic.lstrip("-"), test.df, test.df2, test.p_relation, test.p, test.tails)


@dataclass
class PRecord:
    """One test (with its duplicates elsewhere in the paper) and how its p compares."""

    tests: list
    df: Optional[str]
    df2: Optional[str]
    df_source: str  # "printed", "table of counts"
    check: PCheck
    consistent: bool
    other_dfs: tuple[int, ...] = ()  # chi-square: df under which the printed pair agrees

    @property
    def test(self):
        return self.tests[0]

    @property
    def confidence(self) -> str:
        best = min(({"high": 0, "medium": 1, "low": 2}.get(t.confidence, 2) for t in self.tests), default=2)
        return ("high", "medium", "low")[best]


def usable_counts(ct):
    """The counts of a CountTable without all-zero rows and columns; None when less than 2 x 2."""
    rows = [list(r) for r in ct.counts if any(r)]
    if len(rows) < 2:
        return None
    keep = [j for j in range(len(rows[0])) if any(r[j] for r in rows)]
    if len(keep) < 2:
        return None
    return [[r[j] for j in keep] for r in rows]


def design_dfs(facts) -> tuple[dict, dict]:
    """Chi-square df from the tables of counts: by (table, row) and by printed (χ2, P) strings."""
    by_cell, by_strings = {}, {}
    for ct in facts.count_tables:
        if ct.confidence == "low":
            continue
        by_cell[(ct.test.table, ct.test.row)] = ct
        by_strings.setdefault((ct.test.statistic, ct.test.p_relation, ct.test.p), []).append(ct)
    return by_cell, by_strings


def _counts_explain_p(test, cts, ctx) -> bool:
    """The printed p is one of the p values the counts give (Pearson, Yates, LR, Fisher): the pair is
    then the counts' business (CHI001), not a p-from-statistic error."""
    alpha = alpha_of(test, ctx)
    pp = printed_p(test, alpha)
    if pp is None:
        return False
    for ct in cts:
        counts = usable_counts(ct)
        if counts is None:
            continue
        try:
            ps = chi_square_tests(counts).available_ps()
            allowed = reported_p_interval(pp[0], pp[1], ctx.rounding)
        except (ValueError, ArithmeticError):
            continue
        if any(allowed.meets(Interval.point(p)) for p in ps.values()):
            return True
    return False


def p_records(doc, facts, ctx) -> list[PRecord]:
    """Every test whose p can be recomputed from a printed or design df (t without df excluded)."""
    by_cell, by_strings = design_dfs(facts)
    groups: dict = {}
    for t in facts.tests:
        if t.confidence == "low" or t.method == "fisher":
            continue
        df, df2, source = t.df, t.df2, "printed"
        cts: list = []
        if t.test == "chi2" and df is None:
            cts = [by_cell[(t.table, t.row)]] if (t.table, t.row) in by_cell else \
                by_strings.get((t.statistic, t.p_relation, t.p), [])
            dfs = {ct.df for ct in cts}
            if len(dfs) != 1 or 0 in dfs:
                continue
            df, source = str(dfs.pop()), "table of counts"
        elif t.test in ("t", "r") and df is None:
            continue
        elif t.test == "f" and (df is None or df2 is None):
            continue
        groups.setdefault((_key(t), df, df2, source), ([], []))
        groups[(_key(t), df, df2, source)][0].append(t)
        groups[(_key(t), df, df2, source)][1].extend(cts)
    out = []
    for (key, df, df2, source), (tests, cts) in groups.items():
        tests.sort(key=lambda t: t.start)
        res = p_agreement(tests[0], df, df2, ctx)
        if res is None:
            continue
        consistent, check = res
        if not consistent and cts and _counts_explain_p(tests[0], cts, ctx):
            continue
        other: tuple[int, ...] = ()
        if not consistent and tests[0].test == "chi2":
            pp = printed_p(tests[0], alpha_of(tests[0], ctx))
            try:
                other = dfs_explaining_printed_pair(tests[0].statistic, pp[0], relation=pp[1], method=ctx.rounding,
                                                    max_df=max(4, int(df) + 2))
            except ValueError:
                other = ()
        out.append(PRecord(tests, df, df2, source, check, consistent, other))
    return out


def is_df_mismatch(rec: PRecord) -> bool:
    """A design-df chi-square whose printed pair fits another df (PVL003's case)."""
    return (not rec.consistent and rec.test.test == "chi2" and rec.df_source != "printed"
            and bool(rec.other_dfs) and int(rec.df) not in rec.other_dfs)


def p_finding(info, doc, rec: PRecord, ctx, **kw):
    t = rec.test
    c = rec.check
    df_note = "" if rec.df_source == "printed" or t.test != "chi2" else f" on {rec.df} df (from its table of counts)"
    tail_note = " (one-tailed)" if t.tails == 1 and t.test in ("t", "z", "r") else ""
    message = (f"{test_label(t)}{df_note} gives p = {fmt_interval(c.recomputed)}{tail_note}, "
               f"but p {p_text(t)} is printed")
    if kw.pop("flip", False):
        message += (f"; at alpha = {c.alpha:g} the printed p says "
                    f"{'significant' if c.reported_significant else 'not significant'}, the statistic says "
                    f"{'significant' if c.recomputed_significant else 'not significant'}")
    ev = []
    for x in rec.tests:
        ev.extend(test_evidence(doc, x))
    return info.finding(
        message, ev, confidence=rec.confidence,
        reported={"test": t.test, "statistic": t.statistic, "df": rec.df, "df2": rec.df2, "df_source": rec.df_source,
                  "p": t.p, "p_relation": t.p_relation, "tails": t.tails, "adjusted": t.adjusted},
        recomputed={"p": fmt_p(c.recomputed_point), "p_low": c.recomputed.lo, "p_high": c.recomputed.hi,
                    "significant": c.recomputed_significant},
        tolerance={"method": ctx.rounding, "also_accepted": "truncate", "alpha": c.alpha},
        **kw,
    )


@rule("PVL001", "p-inconsistent", "error")
def check(doc, facts, ctx):
    out = []
    for rec in p_records(doc, facts, ctx):
        if rec.consistent or rec.check.decision_flip or is_df_mismatch(rec):
            continue
        out.append(p_finding(check.rule, doc, rec, ctx))
    return out
