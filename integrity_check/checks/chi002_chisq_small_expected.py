"""CHI002 chisq-small-expected: a chi-square test used where an expected count is below 5.

What it checks
    For every table of counts with a printed chi-square (see CHI001 for how counts are read), the
    expected counts E = row total x column total / N. When the smallest is below 5 and the
    printed p is not Fisher's exact p, the finding gives the smallest expected count and, for
    2 x 2 tables, Fisher's exact p.

Why it matters
    The chi-square distribution approximates the test statistic poorly when expected counts are
    small; the p can be far off (usually too small). Guidelines (Cochran 1954; most journals'
    statistical checklists) ask for Fisher's exact test, or at least a continuity correction, in
    that case.

Example
    "Other Sites | 2 (5.3) | 1 (2.6) | 0.341 | 0.559" with n = 38 per arm: [[2, 36], [1, 37]] has
    expected counts 1.5 in the event column; Fisher's exact P = 1.000.

Tolerance
    Expected counts are exact (counts and n are integers); the threshold is an option
    (``min_expected``, default 5). No finding when the printed p agrees with Fisher's exact p (the
    authors used it) or when the row or the caption says Fisher's exact test was used.

Known limitations
    Counts and n as in CHI001. Cochran's rule for larger tables (no more than 20% of cells below
    5, none below 1) is not applied: any cell below the threshold is reported, as a warning.

References
    Cochran WG. Some methods for strengthening the common χ2 tests. Biometrics 1954;10:417-451.
    Agresti A. Categorical Data Analysis, 3rd ed., 2013, 3.5.
"""
from __future__ import annotations

from ..numeric.rounding import format_at
from .base import rule
from .chi001_chisq_inconsistent_with_counts import all_evidence, chi_check, describe_counts, grouped_count_tables
from .pvl001_p_inconsistent import fmt_p, p_text


@rule("CHI002", "chisq-small-expected", "warning", options={"min_expected": 5.0})
def check(doc, facts, ctx):
    threshold = float(ctx.options.get("min_expected", 5.0))
    out = []
    for counts, cts in grouped_count_tables(facts):
        ct = cts[0]
        t = ct.test
        if t.method in ("fisher",):
            continue
        res = chi_check(ct, counts, ctx)
        if res is None:
            continue
        tests = res.tests
        if not tests.min_expected < threshold:
            continue
        if "fisher" in res.p_variants:
            continue
        where = f"{ct.variable}: " if ct.variable else ""
        message = (f"{where}χ2 = {t.statistic} (P {p_text(t)}) for counts {describe_counts(ct)}, whose smallest "
                   f"expected count is {format_at(tests.min_expected, 2)} (< {threshold:g})")
        if tests.fisher_p is not None:
            message += f"; Fisher's exact P = {fmt_p(tests.fisher_p)}"
        out.append(check.rule.finding(
            message, all_evidence(doc, facts, cts), confidence=ct.confidence,
            reported={"chi2": t.statistic, "p": t.p, "p_relation": t.p_relation, "counts": [list(r) for r in counts]},
            recomputed={"min_expected": format_at(tests.min_expected, 2),
                        "fisher_p": fmt_p(tests.fisher_p) if tests.fisher_p is not None else None},
            tolerance={"min_expected": threshold},
        ))
    return out
