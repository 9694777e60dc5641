"""ARI002 same-quantity-two-values: one quantity printed with two different values in places of the
same kind (two sentences of the text, two tables), or the study's total sample size stated as two
different numbers.

What it checks
    (1) The same endpoint, statistic, time point and arm (the 3-year OS rate of the observation
    group, the control arm's median OS) printed twice with values whose rounding intervals do not
    meet, where the other arm's value printed alongside agrees (the anchor that it is the same
    quantity); printings in different kinds of place (abstract vs text vs table vs figure) are
    XRF001 instead. (2) The total sample size in statements of the same kind ("76 patients were
    randomly ...", "a total of 76 patients", "a total sample size of 76") with different numbers,
    in the abstract, methods and results.

Why it matters
    Two values for one number mean that at least one is wrong; when it is an effect size or the
    sample size, the reader cannot tell which one the conclusions rest on.

Example
    Results "The median OS was 35.6 months ... in the observation group and 27.0 months ... in the
    control group"; Conclusion "(36.5 months vs 27.0 months)": 27.0 agrees, 35.6 vs 36.5 does not
    (warning). "A total of 76 patients were randomized" vs "78 patients were randomized".

Tolerance
    Values agree when their rounding intervals meet (numeric.rounding); sample sizes are integers
    and must be equal.

Known limitations
    Sample-size statements are compared only within one verb class (randomized / included /
    analysed / "a total of"), since enrolled, randomized and analysed numbers legitimately differ;
    sentences that cite other studies are left out. A paper that reports two analysis sets (ITT and
    per-protocol) in sentences without those words may still be flagged; hence a warning.

References
    Pitkin RM, Branagan MA, Burmeister LF. Accuracy of data in abstracts of published research
    articles. JAMA 1999;281:1110-1111.
"""
from __future__ import annotations

from collections import defaultdict

from ..findings import evidence
from .base import rule
from .xrf001_cross_reference_mismatch import make_finding, mismatches

N_NAMES = {"n-randomized": "randomized", "n-included": "included/enrolled", "n-analysed": "analysed", "n-total": "in total"}


@rule("ARI002", "same-quantity-two-values", "warning")
def check(doc, facts, ctx):
    out = []
    for key, x, y, anchor in mismatches(facts, ctx.rounding):
        if x.place != y.place:
            continue  # XRF001
        out.append(make_finding(doc, check.rule, key, x, y, anchor))
    by_stat = defaultdict(list)
    for q in facts.quantities:
        if q.endpoint == "N":
            by_stat[q.statistic].append(q)
    for stat, qs in by_stat.items():
        values = {}
        for q in qs:
            values.setdefault(int(q.value), q)
        if len(values) < 2:
            continue
        firsts = sorted(values.values(), key=lambda q: q.start)
        listed = ", ".join(f"{q.value} ({q.section})" for q in firsts)
        out.append(check.rule.finding(
            f"the number of patients {N_NAMES.get(stat, stat)} is stated as {listed}",
            [evidence(doc, q.start, q.end) for q in firsts[:3]], confidence="medium",
            reported={"statistic": stat, "values": [q.value for q in firsts]}, recomputed={},
            tolerance={"method": "exact"},
        ))
    return out
