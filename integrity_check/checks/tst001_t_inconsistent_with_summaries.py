"""TST001 t-inconsistent-with-summaries: a t (or F) that the groups' means, SDs and n do not give.

What it checks
    For every two-group comparison with the arms' mean ± SD and n and a printed t (or F) —
    a table row "Age (years) | 56.8 ± 8.3 | 58.2 ± 7.9 | t=0.725 | 0.471" under arm columns
    "(n=38)", or a paragraph giving both arms' "(185.6 ± 32.4) minutes" followed by "(t=0.952,
    P = 0.344)" — whether Student's pooled t or Welch's t (F = t^2 for two groups) computed from the
    summaries can print as the reported value.

Why it matters
    The test statistic is determined by the summary statistics the paper reports. If neither
    variant of the t-test reproduces it, the means, SDs, n or the statistic are wrong, and so is
    the p derived from it.

Example
    "Serum VEGF Level | 356.2 ± 89.5 | 362.8 ± 92.3 | t=0.328 | 0.744" with n = 38 per arm: the
    summaries give |t| between 0.311 and 0.321 over their rounding (Student and Welch), not 0.328.

Tolerance
    Means and SDs are intervals at their printed precision and |t| is evaluated exactly over that
    box (stats.ttest.t_consistent: Student and Welch); n is exact. The sign of t is ignored (group
    order). significance_flip when the printed p and every p the summaries allow (both variants)
    fall on opposite sides of alpha.

Known limitations
    Only two arms; n comes from the arm's column header or the arm named in the sentence (a row
    with missing data has a smaller n, which makes |t| smaller, so a wrong n errs towards
    silence only when the real n is smaller). Paired designs (t from the SD of differences) are not
    recognizable from the group summaries and would be misread; they are rare in arm tables.
    Mean (SD) cells are read only when the table says "mean (SD)".

References
    Welch BL. The generalization of "Student's" problem. Biometrika 1947;34:28-35.
    Brown NJL, Heathers JAJ. The GRIM test. Soc Psychol Personal Sci 2017;8:363-369 (recomputing from
    summaries over rounding intervals).
"""
from __future__ import annotations

from ..findings import evidence
from ..numeric.rounding import Interval, decimals_of, format_at
from ..stats.ttest import f_consistent, t_consistent
from .base import rule
from .pvl001_p_inconsistent import flip_check, fmt_interval, p_text, test_evidence

RANK = {"high": 0, "medium": 1, "low": 2}


def grouped_comparisons(facts):
    """Comparisons grouped by their numbers: a table row and the paragraph that repeats it."""
    groups = {}
    for c in facts.means:
        if getattr(c, "kind", "") != "comparison" or c.confidence == "low":
            continue
        if c.a.n is None or c.b.n is None or c.a.n < 2 or c.b.n < 2:
            continue
        if c.test.test not in ("t", "f") or c.test.confidence == "low":
            continue
        key = (c.test.test, c.test.statistic.lstrip("-"), c.test.p_relation, c.test.p,
               frozenset({(c.a.mean, c.a.sd, c.a.n), (c.b.mean, c.b.sd, c.b.n)}))
        groups.setdefault(key, []).append(c)
    for cs in groups.values():
        cs.sort(key=lambda c: (c.start, RANK.get(c.confidence, 2)))
        yield cs


def comparison_evidence(doc, cs):
    ev = []
    for c in cs:
        ev.extend(test_evidence(doc, c.test)[:1])
    c = cs[0]
    for m in (c.a, c.b):
        ev.append(evidence(doc, m.start, m.end, m.table, m.row, m.col))
    for c in cs:
        if c.test.context == "table":
            ev.extend(test_evidence(doc, c.test)[1:])
    return ev


def best_confidence(cs) -> str:
    return ("high", "medium", "low")[min(RANK.get(c.confidence, 2) for c in cs)]


def summaries(c) -> str:
    return f"{c.a.mean} ± {c.a.sd} (n = {c.a.n}) vs {c.b.mean} ± {c.b.sd} (n = {c.b.n})"


@rule("TST001", "t-inconsistent-with-summaries", "error")
def check(doc, facts, ctx):
    out = []
    for cs in grouped_comparisons(facts):
        c = cs[0]
        t = c.test
        args = (t.statistic, c.a.mean, c.a.sd, c.a.n, c.b.mean, c.b.sd, c.b.n)
        try:
            if t.test == "t":
                res = t_consistent(*args, method=ctx.rounding)
                s_iv, w_iv = res.student.abs_t, res.welch.abs_t
                s_p, w_p = res.student.p_interval, res.welch.p_interval
                s_pt, w_pt = abs(res.student.t), abs(res.welch.t)
                ok = res.consistent
            else:
                res = f_consistent(*args, method=ctx.rounding)
                s_iv, w_iv = res.anova.f_interval, res.welch.f_interval
                s_p, w_p = res.anova.p_interval, res.welch.p_interval
                s_pt, w_pt = res.anova.f, res.welch.f
                ok = res.consistent
        except (ValueError, ArithmeticError):
            continue
        if ok:
            continue
        d = decimals_of(t.statistic)
        name = "t" if t.test == "t" else "F"
        hull = Interval(min(s_p.lo, w_p.lo), max(s_p.hi, w_p.hi))
        fc = flip_check(t, hull, min(s_pt, w_pt), ctx)
        flip = bool(fc and fc.reported_significant is not None and fc.recomputed_significant is not None
                    and fc.reported_significant != fc.recomputed_significant)
        message = (f"{name} = {t.statistic} does not follow from {summaries(c)}: Student gives {name} = "
                   f"{format_at(s_pt, d)} ({format_at(s_iv.lo, d)} to {format_at(s_iv.hi, d)} over the rounding), "
                   f"Welch {format_at(w_pt, d)} ({format_at(w_iv.lo, d)} to {format_at(w_iv.hi, d)})")
        if t.p is not None or t.p_relation == "ns":
            message += f"; p = {fmt_interval(hull)} (printed p {p_text(t)})"
        if flip:
            message += f", on the other side of alpha = {fc.alpha:g}"
        out.append(check.rule.finding(
            message, comparison_evidence(doc, cs), confidence=best_confidence(cs), significance_flip=flip,
            reported={"test": t.test, "statistic": t.statistic, "p": t.p, "p_relation": t.p_relation,
                      "group1": {"mean": c.a.mean, "sd": c.a.sd, "n": c.a.n, "arm": c.a.arm},
                      "group2": {"mean": c.b.mean, "sd": c.b.sd, "n": c.b.n, "arm": c.b.arm}},
            recomputed={"student": format_at(s_pt, d + 1), "student_low": s_iv.lo, "student_high": s_iv.hi,
                        "welch": format_at(w_pt, d + 1), "welch_low": w_iv.lo, "welch_high": w_iv.hi,
                        "p_low": hull.lo, "p_high": hull.hi},
            tolerance={"method": ctx.rounding, "box": "means and SDs at printed precision"},
        ))
    return out
