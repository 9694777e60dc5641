"""DSN001 design-contradiction: the paper describes its own design in ways that cannot both be true.

What it checks
    Design terms the paper applies to itself (rules/vocabulary/design.toml): randomized vs
    retrospective, randomized vs non-randomized/observational, prospective vs retrospective,
    single-centre vs multicentre, double-blind vs open-label. A term counts only in a sentence
    about this study ("this study", "our", "we", "this was a", "patients were", the limitations,
    any sentence of the Methods) and in a clause that cites no other study (citations,
    "meta-analysis", "previous studies", named trials such as "AVF2107g") and speaks of no future
    work ("verification through multi-center studies is required"). One finding per contradicting
    pair of classes, quoting the Methods' statement first when there is one.

Why it matters
    The design decides how much the results can be trusted (a randomized comparison vs a
    retrospective one open to selection bias). When the Methods and the limitations describe
    different designs, at least one of them is wrong, and readers cannot tell which the numbers
    come from; it is also a known trace of text assembled from other papers.

Example
    Methods 2.1: "This study adopted a randomized controlled design"; limitations 4.5: "The
    single-center retrospective design may lead to selection bias". Not flagged: "the latest
    meta-analysis, which included 12 randomized controlled studies"; "the international
    multicenter phase III clinical trial AVF2107g"; "verification through multi-center,
    large-sample studies is required".

Tolerance
    Severity warning, not error: the contradiction is between words, and a design word can be
    used loosely (a "retrospective analysis" of a randomized trial's data is legitimate, so
    randomized vs retrospective is not reported when a sentence calls the study a post hoc,
    secondary or retrospective analysis of a trial or of data from a prospective or randomized
    study; no pair is reported when one sentence states both terms, which reconciles them:
    "we retrospectively analysed our prospective cohort"). Terms inside fixed phrases are ignored:
    "retrospectively registered", "prospectively collected data", "open-label extension",
    "random effects", "single-blind".

Known limitations
    Sentence-level scope: a design term in a sentence that mixes this study and another one
    ("unlike previous retrospective studies, ours was randomized") is dropped when the clause of
    the term cites the other study, and kept otherwise. Designs stated only in tables or in a
    trial registry are not read. Synonyms outside the vocabulary file are not seen; extend it.

References
    Schulz KF, Altman DG, Moher D. CONSORT 2010 statement. BMJ 2010;340:c332.
    von Elm E, et al. The STROBE statement. Lancet 2007;370:1453-1457.
"""
from __future__ import annotations

import re

from ..findings import evidence
from .base import rule


def _flat(s: str) -> str:
    return " ".join(s.split())

_SCOPE_RANK = {"methods": 0, "self": 1, "limitations": 2}
_WHERE = {"methods": "the Methods", "self": "the paper", "limitations": "the limitations"}


_NOUN_END = re.compile(r"(?:study|trial|design|analysis|cohort|investigation|research)$", re.IGNORECASE)


def _best(doc, statements):
    """The statement to quote: a design phrase ("a randomized controlled design") first, then the
    Methods' statement, then the first."""
    def key(s):
        noun = _NOUN_END.search(doc.text[s.start:s.end]) is not None
        return (0 if noun else 1, _SCOPE_RANK.get(s.scope, 3), s.start)
    return min(statements, key=key)


@rule("DSN001", "design-contradiction", "warning")
def check(doc, facts, ctx):
    from ..extract.design import load_vocabulary

    vocab = load_vocabulary()["design"]
    labels = {name: c.get("label", name) for name, c in vocab["classes"].items()}
    by_class: dict[str, list] = {}
    for s in facts.design_statements:
        if getattr(s, "kind", "") == "design":
            by_class.setdefault(s.cls, []).append(s)
    secondary = any(s.secondary_analysis for group in by_class.values() for s in group)
    out = []
    for pair in vocab.get("contradictions", []):
        a_list, b_list = by_class.get(pair["a"]), by_class.get(pair["b"])
        if not a_list or not b_list:
            continue
        if secondary and {pair["a"], pair["b"]} == {"randomized", "retrospective"}:
            continue
        a_sent = {x.sentence_start for x in a_list}
        if any(x.sentence_start in a_sent for x in b_list):
            continue  # one sentence states both ("a retrospective analysis of our prospective cohort"): reconciled
        a, b = _best(doc, a_list), _best(doc, b_list)
        first, second = sorted([a, b], key=lambda s: s.start)
        msg = (f"the study is described as {labels[a.cls]} (\"{_flat(doc.text[a.start:a.end])}\", {a.section or 'start'}) and as "
               f"{labels[b.cls]} (\"{_flat(doc.text[b.start:b.end])}\", {b.section or 'start'}): {pair['why']}")
        extra = len(a_list) + len(b_list) - 2
        if extra > 0:
            msg += f"; {extra} more statement{'s' if extra > 1 else ''} of either kind"
        out.append(check.rule.finding(
            msg, [evidence(doc, first.start, first.end), evidence(doc, second.start, second.end)],
            confidence="high" if {a.scope, b.scope} <= {"self", "methods"} else "medium",
            reported={pair["a"]: [doc.text[s.start:s.end] for s in a_list][:5],
                      pair["b"]: [doc.text[s.start:s.end] for s in b_list][:5]},
            recomputed={"contradiction": f"{pair['a']} vs {pair['b']}"},
            tolerance={"scope": "statements about this study only (rules/vocabulary/design.toml)"},
        ))
    return out
