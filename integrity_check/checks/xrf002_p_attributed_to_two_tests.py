"""XRF002 p-attributed-to-two-tests: the same p values credited to one test in one place and to a
different test elsewhere.

What it checks
    A run of two or more p values that a figure caption or a sentence attributes to a named test
    ("Log-rank p=0.044, 0.046, 0.042") and that appears, in the same order, as the p values of
    consecutive rows of a table whose statistic column is another test (the chi-square values of
    the 1-, 2- and 3-year landmark rows of Table 4), or of the prose reports of that test
    ("χ2=4.063, P = 0.044"). Reported once per figure (or sentence) and table pair, quoting both.

Why it matters
    Each test answers a different question: a log-rank test compares whole survival curves and
    gives one p per comparison, a chi-square on landmark counts compares proportions at one time
    and ignores censoring. P values that are both at once were computed by one of the two and
    relabelled, so the inference the caption invites is not the one that was made.

Example
    Figure 1 caption "A: PFS ... Log-rank p=0.044, 0.046, 0.042" and Table 4 rows "PFS 1 Year
    Post-Operative ... χ2 value 4.063, P 0.044", "2 Years ... 3.982, 0.046", "3 Years ... 4.125,
    0.042"; Results "(χ2=4.063, P = 0.044)" (warning).

Tolerance
    The p values must be printed identically (same digits) and in the same order; a single shared
    p value is not enough (coincidences are common at three decimals).

Known limitations
    Tests named: log-rank, Breslow/Wilcoxon (Gehan), Tarone-Ware, chi-square, Fisher, t test,
    Mann-Whitney, Cox/Wald. A log-rank statistic is itself chi-square distributed; a table column
    "χ2" holding log-rank statistics of whole curves is not this rule's target, which is why the
    p values must line up with per-row (landmark or per-category) tests of the table.

References
    Bland JM, Altman DG. The logrank test. BMJ 2004;328:1073. Klein JP, Logan B, Harhoff M,
    Andersen PK. Analyzing survival curves at a fixed point in time. Stat Med 2007;26:4505-4519.
"""
from __future__ import annotations

import re
from collections import defaultdict

from ..findings import evidence
from .base import rule

P_NUM = r"(?:0?\.\d+|[01](?:\.0+)?)(?!\d)(?!\.\d)"
TEST_NAME = (r"(?P<test>log[- ]?\s*rank|Breslow|Gehan|Tarone[- ]Ware|generali[sz]ed\s+Wilcoxon|chi[- ]?squared?|χ2|"
             r"Fisher(?:'s|’s)?(?:\s+exact)?|Mann[- ]Whitney|Wilcoxon|Student(?:'s|’s)?\s+t|t[- ]test|Wald|Cox)")
LABELLED_P_LIST = re.compile(
    rf"{TEST_NAME}(?:\s+tests?)?\s*[,:]?\s*(?:P|p)(?:\s*-?\s*values?)?\s*[=:]\s*(?P<list>{P_NUM}(?:\s*(?:,|;|and)\s*{P_NUM})+)",
    re.IGNORECASE)


def canonical(test: str) -> str:
    t = re.sub(r"[\s'’-]", "", test.lower())
    if t.startswith("logrank"):
        return "logrank"
    if t.startswith(("breslow", "gehan", "generalizedwilcoxon", "generalisedwilcoxon")):
        return "breslow"
    if t.startswith("taroneware"):
        return "tarone-ware"
    if t.startswith(("chi", "χ2")):
        return "chi2"
    if t.startswith("fisher"):
        return "fisher"
    if t.startswith(("mannwhitney", "wilcoxon")):
        return "rank-sum"
    if t.startswith(("student", "ttest")) or t == "t":
        return "t"
    if t.startswith(("wald", "cox")):
        return "wald"
    return t


TEST_WORDS = {"logrank": "log-rank", "breslow": "Breslow", "tarone-ware": "Tarone-Ware", "chi2": "chi-square",
              "fisher": "Fisher", "rank-sum": "rank-sum", "t": "t", "f": "F", "wald": "Wald", "z": "z", "r": "r"}


def _figure_label(doc, offset: int) -> str:
    m = re.search(r"(?:Figure|Fig\.?)\s*(\d+[A-Za-z]?)", doc.text[offset:offset + 1500])
    if m and doc.text[offset:offset + m.start()].count("\n\n") == 0 and "]" in doc.text[offset:offset + m.start()]:
        return f"Figure {m.group(1)}"
    back = list(re.finditer(r"(?:Figure|Fig\.?)\s*(\d+[A-Za-z]?)\s*[|.:]", doc.text[max(0, offset - 400):offset]))
    if back:
        return f"Figure {back[-1].group(1)}"
    return "a figure caption" if "[image:" in doc.text[max(0, offset - 1500):offset] else "the text"


@rule("XRF002", "p-attributed-to-two-tests", "warning")
def check(doc, facts, ctx):
    out = []
    table_runs = defaultdict(list)  # table -> [(p, test, row, TestResult)] in row order
    for t in facts.tests:
        if t.context == "table" and t.p and t.p_relation == "=":
            table_runs[t.table].append(t)
    for rows in table_runs.values():
        rows.sort(key=lambda t: (t.row if t.row is not None else 0))
    prose_by_p = defaultdict(list)
    for t in facts.tests:
        if t.context == "prose" and t.p and t.p_relation == "=":
            prose_by_p[(t.p, t.test)].append(t)
    reported = set()
    for m in LABELLED_P_LIST.finditer(doc.text):
        test = canonical(m.group("test"))
        ps = [(pm.group(0), m.start("list") + pm.start(), m.start("list") + pm.end())
              for pm in re.finditer(P_NUM, m.group("list"))]
        if len(ps) < 2:
            continue
        where = _figure_label(doc, m.start())
        strings = [p for p, _, _ in ps]
        for table, rows in table_runs.items():
            seq = [t.p for t in rows]
            for i in range(len(seq) - len(strings) + 1):
                if seq[i:i + len(strings)] != strings:
                    continue
                run = rows[i:i + len(strings)]
                kinds = {t.test for t in run}
                if len(kinds) != 1:
                    continue
                other = kinds.pop()
                if canonical(other) == test:
                    continue
                if (where, table) in reported:
                    break
                reported.add((where, table))
                first = run[0]
                ev = [evidence(doc, m.start(), m.end()),
                      evidence(doc, first.start, first.end, first.table, first.row, first.col)]
                if first.p_start >= 0:
                    ev.append(evidence(doc, first.p_start, first.p_end, first.table, first.row, first.p_col))
                prose = prose_by_p.get((first.p, first.test), [])
                prose = [t for t in prose if t.statistic == first.statistic]
                if prose:
                    ev.append(evidence(doc, prose[0].start, prose[0].end))
                label = TEST_WORDS.get(test, test)
                other_label = TEST_WORDS.get(canonical(other), other)
                rows_txt = ", ".join(f"{t.row_label or 'row ' + str(t.row)} ({other_label} {t.statistic}, P {t.p})" for t in run)
                out.append(check.rule.finding(
                    f"{where} gives {label} p = {', '.join(strings)}, but the same p values are the {other_label} tests of "
                    f"{table}: {rows_txt}",
                    ev, confidence="high",
                    reported={"caption_test": label, "p_values": strings, "table": table, "table_test": other_label},
                    recomputed={}, tolerance={"method": "identical strings"},
                ))
                break
    return out
