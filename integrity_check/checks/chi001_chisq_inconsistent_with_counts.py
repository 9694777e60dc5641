"""CHI001 chisq-inconsistent-with-counts: a printed chi-square that the table's counts do not give.

What it checks
    For every table of counts with a printed chi-square (a variable's category rows under the two
    arms, or a binary outcome row "ORR 26 (68.9) | 18 (46.7) | 4.287 | 0.038" read as
    [[26, 12], [18, 20]] from the arms' n), the chi-square is recomputed from the counts as
    Pearson's X2, with Yates' continuity correction (2 x 2) and as the likelihood-ratio G2, and
    Fisher's exact p is computed (2 x 2). The printed chi-square must match one of the three.

Why it matters
    The counts are the data; the chi-square and its p are derived from them. A chi-square that no
    standard variant reproduces means the counts, the statistic or the p were mistyped, altered or
    copied from elsewhere, and the significance claim cannot be trusted.

Example
    "Objective Response Rate (ORR) | 26 (68.9) | 18 (46.7) | 4.287 | 0.038" with n = 38 per arm:
    [[26, 12], [18, 20]] gives Pearson 3.455 (P = 0.063), Yates 2.645 (P = 0.104), likelihood
    ratio 3.484 (P = 0.062), Fisher P = 0.103: the printed P = 0.038 claims a significance no
    variant supports (significance_flip).

Tolerance
    Counts are exact; a variant matches when it prints as the reported chi-square at its
    precision (numeric.rounding, the run's method; truncation accepted too). significance_flip
    when no variant's p (Pearson, Yates, LR, Fisher) agrees with the printed p and all of them are
    on the other side of alpha from it (stats.chisq.check_chi_square). Alpha is the paper's stated
    level, else the run's.

Known limitations
    Counts come from "n (%)" cells and the arm's n from its column header; a row whose n differs
    (missing data) gives a wrong 2 x 2 table. Grade tables where the chi-square sits on one grade
    row are read as the event's Total row (confidence medium). Rows marked as tested with Fisher's
    exact test are skipped. A chi-square quoted in the text with the same χ2 and P as a table row is
    added as evidence of the same comparison.

References
    Pearson K (1900); Yates F (1934); Agresti A. Categorical Data Analysis, 3rd ed., 2013, 3.2.
    Fisher RA (1922).
"""
from __future__ import annotations

from ..findings import evidence
from ..numeric.rounding import format_at, decimals_of, rounds_to
from ..stats.chisq import check_chi_square
from .base import rule
from .pvl001_p_inconsistent import alpha_of, fmt_p, p_text, printed_p, test_evidence, usable_counts

RANK = {"high": 0, "medium": 1, "low": 2}


def _canonical(counts):
    rows = tuple(tuple(r) for r in counts)
    cols = tuple(zip(*rows))
    return min(tuple(sorted(rows)), tuple(sorted(cols)))


def grouped_count_tables(facts):
    """Count tables grouped by (counts, printed χ2, printed P): Table 5 and Table 6 of one event."""
    groups = {}
    for ct in facts.count_tables:
        if ct.confidence == "low" or ct.test.method == "fisher":
            continue
        counts = usable_counts(ct)
        if counts is None:
            continue
        key = (_canonical(counts), ct.test.statistic, ct.test.p_relation, ct.test.p)
        groups.setdefault(key, []).append(ct)
    for key, cts in groups.items():
        cts.sort(key=lambda c: (RANK.get(c.confidence, 2), c.start))
        yield usable_counts(cts[0]), cts


def prose_mentions(facts, cts):
    """Chi-squares in the text with the same χ2 and P, when no other table has that pair."""
    t0 = cts[0].test
    others = [c for c in facts.count_tables if (c.test.statistic, c.test.p) == (t0.statistic, t0.p)
              and _canonical(usable_counts(c) or [[0]]) != _canonical(usable_counts(cts[0]))]
    if others:
        return []
    return [t for t in facts.tests if t.context == "prose" and t.test == "chi2" and t.df is None
            and (t.statistic, t.p_relation, t.p) == (t0.statistic, t0.p_relation, t0.p)]


def chi_check(ct, counts, ctx):
    t = ct.test
    alpha = alpha_of(t, ctx)
    pp = printed_p(t, alpha)
    try:
        if pp is None:
            return check_chi_square(t.statistic, counts, None, alpha=alpha, method=ctx.rounding)
        return check_chi_square(t.statistic, counts, pp[0], relation=pp[1], alpha=alpha, method=ctx.rounding)
    except (ValueError, ArithmeticError):
        return None


def describe_counts(ct) -> str:
    if ct.kind.startswith("binary"):
        return " vs ".join(f"{r[0]}/{sum(r)}" for r in ct.counts)
    return "; ".join(f"{lab}: {', '.join(str(x) for x in r)}" for lab, r in zip(ct.row_labels, ct.counts))


def all_evidence(doc, facts, cts):
    ev = []
    for ct in cts:
        ev.extend(test_evidence(doc, ct.test))
    for ct in cts[:1]:
        for s, e in ct.cells:
            ev.append(evidence(doc, s, e, ct.table))
    for t in prose_mentions(facts, cts):
        ev.extend(test_evidence(doc, t))
    return ev


@rule("CHI001", "chisq-inconsistent-with-counts", "error")
def check(doc, facts, ctx):
    out = []
    for counts, cts in grouped_count_tables(facts):
        ct = cts[0]
        t = ct.test
        res = chi_check(ct, counts, ctx)
        if res is None or res.statistic_consistent:
            continue
        tests = res.tests
        if any(rounds_to(tests.statistic(v), t.statistic, "truncate") for v in ("pearson", "yates", "lr")
               if tests.statistic(v) is not None):
            continue
        d = decimals_of(t.statistic)
        parts = [f"Pearson {format_at(tests.pearson, d)} (P = {fmt_p(tests.pearson_p)})"]
        if tests.yates is not None:
            parts.append(f"Yates {format_at(tests.yates, d)} (P = {fmt_p(tests.yates_p)})")
        parts.append(f"likelihood ratio {format_at(tests.lr, d)} (P = {fmt_p(tests.lr_p)})")
        if tests.fisher_p is not None:
            parts.append(f"Fisher's exact P = {fmt_p(tests.fisher_p)}")
        where = f"{ct.variable}: " if ct.variable else ""
        message = (f"{where}χ2 = {t.statistic} (P {p_text(t)}) does not match the counts {describe_counts(ct)}; "
                   f"they give " + ", ".join(parts))
        if res.significance_flip:
            message += f"; no variant is {'significant' if res.printed_pair and res.printed_pair.reported_significant else 'non-significant'} at alpha = {alpha_of(t, ctx):g}"
        conf = ct.confidence
        out.append(check.rule.finding(
            message, all_evidence(doc, facts, cts), confidence=conf, significance_flip=res.significance_flip,
            reported={"chi2": t.statistic, "p": t.p, "p_relation": t.p_relation, "counts": [list(r) for r in counts],
                      "kind": ct.kind, "variable": ct.variable},
            recomputed={"df": tests.df, "pearson": format_at(tests.pearson, d + 1), "pearson_p": fmt_p(tests.pearson_p),
                        "yates": format_at(tests.yates, d + 1) if tests.yates is not None else None,
                        "yates_p": fmt_p(tests.yates_p) if tests.yates_p is not None else None,
                        "lr": format_at(tests.lr, d + 1), "lr_p": fmt_p(tests.lr_p),
                        "fisher_p": fmt_p(tests.fisher_p) if tests.fisher_p is not None else None,
                        "min_expected": format_at(tests.min_expected, 2)},
            tolerance={"method": ctx.rounding, "also_accepted": "truncate", "decimals": d, "alpha": alpha_of(t, ctx)},
        ))
    return out
