"""DUP003 reused-statistic: the same test statistic and p printed for comparisons whose data differ.

What it checks
    Table rows that print the same statistic and the same p (e.g. "χ2 = 3.927, P = 0.047") for
    two or more comparisons. The data behind each row (the count table, or the two groups'
    mean ± SD and n) are compared: rows whose data are different and cannot both give the
    printed statistic are reported. Rows whose data are the same table up to the order of rows,
    columns or arms (the same comparison printed in two tables, or mirror-image tables such as
    3 vs 4 and 4 vs 3 of 38, which give the same Pearson chi-square) are a note at most.

Why it matters
    A statistic with three significant digits and its p repeating for different data is rarely a
    coincidence: it usually means a row was copied and its statistic not recomputed, so the test
    the conclusion rests on was never run on those data.

Example
    Table 4 "OS 1 year 33 (86.7) | 27 (71.1) | 3.927 | 0.047" and Table 7 "Intrahepatic
    recurrence 8 (21.1) | 15 (39.5) | 3.927 | 0.047": the counts give Pearson chi-square 2.85
    and 3.06, and neither is 3.927.

Tolerance
    Statistics and p are compared as printed strings (same kind, same digits, same relation).
    Only statistics with at least three significant digits and not 0 are considered (a
    "χ2 = 0.000, P = 1.000" repeats legitimately whenever two arms are identical). A repeat is
    not reported when every row's own data reproduce the printed statistic (Pearson, Yates or
    likelihood-ratio chi-square; Student or Welch t; numeric.rounding, up_or_down): then it is a
    coincidence the data allow.

Known limitations
    Only table rows whose data were extracted (count tables, mean comparisons) are compared;
    repeats in prose are not reported, because the same result is often restated in the
    abstract, the results and the discussion.

References
    Bishop DVM. Fallibility in science: responding to errors in the work of oneself and others.
    Adv Meth Pract Psychol Sci 2018;1:432-438.
    Heathers J. The GRIM test and data forensics (statistical forensics of duplicated values), 2016.
"""
from __future__ import annotations

from itertools import permutations

from ..findings import evidence
from ..numeric.rounding import parse_decimal
from ..stats.chisq import check_chi_square
from ..stats.ttest import t_consistent
from .base import rule


def _significant_digits(s: str) -> int:
    digits = str(parse_decimal(s).copy_abs()).replace(".", "").lstrip("0")
    return len(digits)


def _canonical(counts) -> tuple:
    """The table up to permutation of rows and columns and transposition (what chi-square ignores)."""
    rows = [tuple(r) for r in counts if any(r)]
    if not rows:
        return ()
    forms = []
    for table in (rows, [tuple(c) for c in zip(*rows)]):
        if len(table[0]) > 5 or len(table) > 6:
            forms.append(tuple(sorted(tuple(sorted(r)) for r in table)))
            continue
        for perm in permutations(range(len(table[0]))):
            forms.append(tuple(sorted(tuple(r[i] for i in perm) for r in table)))
    return min(forms)


def _data_of(facts):
    """test start offset -> (kind, canonical data, reproduces(statistic) callable, description)."""
    out = {}
    for ct in getattr(facts, "count_tables", []) or []:
        counts = ct.counts
        desc = "; ".join(f"{arm}: {', '.join(str(r[i]) for r in counts)}" for i, arm in enumerate(ct.arms)) \
            if ct.kind == "categories" else "; ".join(f"{arm}: {r[0]}/{ct.arm_n[i]}" for i, (arm, r) in enumerate(zip(ct.arms, counts)))
        out[ct.test.start] = ("counts", _canonical(counts), _chi_reproduces(counts), desc, ct)
    for mc in getattr(facts, "means", []) or []:
        if getattr(mc, "kind", "") != "comparison" or mc.test.test != "t":
            continue
        a, b = mc.a, mc.b
        if not (a.n and b.n):
            continue
        key = tuple(sorted([(a.mean, a.sd, a.n), (b.mean, b.sd, b.n)]))
        desc = f"{a.mean} ± {a.sd} (n={a.n}) vs {b.mean} ± {b.sd} (n={b.n})"
        out[mc.test.start] = ("means", key, _t_reproduces(a, b), desc, mc)
    return out


def _chi_reproduces(counts):
    def test(statistic: str, method: str) -> bool:
        try:
            return check_chi_square(statistic, counts, method=method).statistic_consistent
        except ValueError:
            return False
    return test


def _t_reproduces(a, b):
    def test(statistic: str, method: str) -> bool:
        try:
            r = t_consistent(statistic, a.mean, a.sd, a.n, b.mean, b.sd, b.n, method)
        except ValueError:
            return False
        return r.consistent
    return test


def _label(test, fact) -> str:
    variable = getattr(fact, "variable", "") or getattr(fact, "row_label", "")
    return (variable or test.row_label or "").strip()


@rule("DUP003", "reused-statistic", "warning")
def check(doc, facts, ctx):
    data = _data_of(facts)
    groups: dict[tuple, list] = {}
    for t in facts.tests:
        if t.context != "table" or t.p is None or t.adjusted:
            continue
        try:
            if parse_decimal(t.statistic) == 0 or _significant_digits(t.statistic) < 3:
                continue
        except ValueError:
            continue
        groups.setdefault((t.test, t.statistic.lstrip("-"), t.p_relation, t.p), []).append(t)
    out = []
    for (kind, stat, rel, p), tests in groups.items():
        places = [(t, data[t.start]) for t in tests if t.start in data]
        if len(places) < 2:
            continue
        classes = {d[1] for _, d in places}
        if len(classes) == 1:
            same = len({d[3] for _, d in places}) == 1
            severity = "note"
            why = ("the rows hold the same data (the same comparison printed twice)" if same else
                   "the tables are mirror images of each other (arms or categories swapped), which give the "
                   "same statistic")
        elif all(d[2](stat, ctx.rounding) for _, d in places):
            continue  # each row's own data give the printed statistic: a coincidence the data allow
        else:
            severity, why = "warning", "the data differ and do not all give this statistic"
        kinds = {"chi2": "χ2", "t": "t", "f": "F", "z": "z", "r": "r"}
        rel_s = "=" if rel == "=" else rel
        where = "; ".join(f"{t.table} \"{_label(t, d[4])[:40]}\" ({d[3]})" for t, d in places)
        msg = f"{kinds.get(kind, kind)} = {stat}, P {rel_s} {p} is printed for {len(places)} comparisons: {where}; {why}"
        ev = [evidence(doc, t.start, t.end, t.table, t.row, t.col) for t, _ in places]
        out.append(check.rule.finding(
            msg, ev, severity=severity, confidence="high" if all(t.confidence == "high" for t, _ in places) else "medium",
            reported={"statistic": stat, "p": f"{'' if rel == '=' else rel}{p}", "test": kind,
                      "places": [f"{t.table} row {t.row}" for t, _ in places]},
            recomputed={"data": [d[3] for _, d in places],
                        "reproduces_statistic": [d[2](stat, ctx.rounding) for _, d in places]},
            tolerance={"method": ctx.rounding, "min_significant_digits": 3},
        ))
    return out
