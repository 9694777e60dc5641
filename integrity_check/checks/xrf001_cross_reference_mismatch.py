"""XRF001 cross-reference-mismatch: the same quantity printed with different values in the abstract,
the text, a table or a figure caption.

What it checks
    Quantities of the same endpoint, statistic and time point (ORR, DCR, pCR; the 1/2/3-year PFS,
    OS, DFS ... rates; median survival), as the paper prints them for its two arms: in a table row
    (arm columns), in a sentence of the abstract, results, discussion or conclusion ("ORR (68.9% vs.
    46.7%)", "the PFS rate was 72.2% in the observation group and 51.1% in the control group"), in
    a figure caption ("observation: 72.2%/45.6%/31.1% (1-3y)"). Two printings of the pair are
    compared: when one value agrees across both and the other does not, the other is reported.

Why it matters
    The abstract is what most readers (and meta-analysts) read; a value there that differs from the
    table leaves them not knowing which one the analysis used, and often betrays an edit that was
    not carried through.

Example
    Abstract "higher ORR (68.9% vs. 46.7%)", Table 3 "Objective Response Rate (ORR) 26 (66.7) 18
    (46.7)": 46.7 agrees, 68.9 vs 66.7 does not (error, XRF001). The same mismatch between two
    places of the same kind (two sentences of the text, two tables) is ARI002.

Tolerance
    Values agree when their rounding intervals meet (numeric.rounding), so "36" and "36.0" agree,
    and so do 27.8 and 27.78.

Known limitations
    Narrow on purpose: only printings with exactly two values (the two arms) are compared, and
    only when one of the two values agrees (an anchor that it is the same quantity); sentences
    naming subgroups, grades, per-protocol or other qualifiers, values attributed to other studies
    (a trial name, "reported", a citation), approximate values and ranges are left out. Trials
    with three or more arms are not compared.

References
    Pitkin RM, Branagan MA, Burmeister LF. Accuracy of data in abstracts of published research
    articles. JAMA 1999;281:1110-1111. Boutron I, Ravaud P. Misrepresentation and distortion of
    research in biomedical literature. PNAS 2018;115:2613-2619.
"""
from __future__ import annotations

from collections import defaultdict

from ..findings import evidence
from ..numeric.rounding import unround
from .base import rule

PLACE_ORDER = {"table": 0, "text": 1, "abstract": 2, "figure": 3}
ENDPOINT_WORDS = {"ORR": "ORR", "DCR": "DCR", "pCR": "pCR", "PFS": "PFS", "OS": "OS", "DFS": "DFS", "RFS": "RFS",
                  "EFS": "EFS"}


def _same(a: str, b: str, method: str) -> bool:
    try:
        return unround(a, method).meets(unround(b, method))
    except ValueError:
        return False


def _key_name(key) -> str:
    endpoint, tp, stat = key
    when = ""
    if tp:
        when = f"{tp // 12}-year " if tp % 12 == 0 else f"{tp}-month "
    return f"{'median ' if stat == 'median' else ''}{when}{endpoint}"


def _place_name(q) -> str:
    if q.place == "table":
        return q.table or "a table"
    if q.place == "figure":
        return "a figure caption"
    if q.place == "abstract":
        return "the abstract"
    return f"the {q.section}" if q.section not in ("text", "") else "the text"


def mismatches(facts, method: str):
    """Pairs of printings of the same quantity where one arm's value agrees and the other's does
    not: yields (key, odd value q1, other value q2, anchor values (a1, a2))."""
    by_key = defaultdict(lambda: defaultdict(list))
    for q in facts.quantities:
        if q.endpoint == "N":
            continue
        by_key[q.key][q.group].append(q)
    seen = set()
    for key, groups in by_key.items():
        obs = [(g, qs) for g, qs in groups.items() if len(qs) == 2]
        for i in range(len(obs)):
            for j in range(i + 1, len(obs)):
                (_, g1), (_, g2) = obs[i], obs[j]
                pairs = [((g1[0], g2[0]), (g1[1], g2[1])), ((g1[0], g2[1]), (g1[1], g2[0]))]
                matched = [p for p in pairs if _same(p[0][0].value, p[0][1].value, method) or
                           _same(p[1][0].value, p[1][1].value, method)]
                if any(_same(p[0][0].value, p[0][1].value, method) and _same(p[1][0].value, p[1][1].value, method)
                       for p in pairs):
                    continue  # consistent
                for first, second in matched:
                    anchor, odd = (first, second) if _same(first[0].value, first[1].value, method) else (second, first)
                    x, y = odd
                    if x.arm and y.arm and x.arm != y.arm:
                        continue  # the disagreeing values belong to different arms: not the same quantity
                    if anchor[0].arm and anchor[1].arm and anchor[0].arm != anchor[1].arm:
                        continue
                    if _same(x.value, anchor[0].value, method) or _same(y.value, anchor[1].value, method):
                        continue  # ambiguous: the odd value equals the other arm's
                    sig = (key, frozenset((x.value, y.value)), frozenset((anchor[0].value,)))
                    if sig in seen:
                        continue
                    seen.add(sig)
                    yield key, x, y, anchor
                    break


def make_finding(doc, info, key, x, y, anchor, severity=None):
    a, b = sorted((x, y), key=lambda q: (PLACE_ORDER.get(q.place, 9), q.start))
    message = (f"{_key_name(key)}: {b.value}{'%' if b.unit == '%' else ' ' + b.unit} in {_place_name(b)} but "
               f"{a.value}{'%' if a.unit == '%' else ' ' + a.unit} in {_place_name(a)}"
               f"{' (' + a.arm + ')' if a.arm else (' (' + b.arm + ')' if b.arm else '')}; the other arm's "
               f"{anchor[0].value} agrees in both")
    ev = [evidence(doc, b.start, b.end, b.table, b.row, b.col), evidence(doc, a.start, a.end, a.table, a.row, a.col)]
    kw = {"severity": severity} if severity else {}
    return info.finding(message, ev, confidence="medium" if "text" in (a.place, b.place) else "high",
                        reported={"quantity": _key_name(key), "values": [b.value, a.value],
                                  "places": [_place_name(b), _place_name(a)], "anchor": anchor[0].value},
                        recomputed={}, tolerance={"method": "up_or_down"}, **kw)


def _kind(q) -> str:
    return q.place  # abstract / text / table / figure


@rule("XRF001", "cross-reference-mismatch", "error")
def check(doc, facts, ctx):
    out = []
    for key, x, y, anchor in mismatches(facts, ctx.rounding):
        if _kind(x) == _kind(y):
            continue  # same kind of place: ARI002
        out.append(make_finding(doc, check.rule, key, x, y, anchor))
    return out
