"""Design statements (randomized, retrospective, single-centre, open-label ...) and timing statements
(interval between an intervention and surgery) that the paper makes about ITSELF.

The vocabulary (terms, negations, the words that mark a sentence as being about this study, about
other studies, or about future work) is rules/vocabulary/design.toml, so it can be extended
without code. A design term counts only when
- its sentence speaks about this study: "this study", "our", "we", "this was a", "patients were",
  a limitations sentence (or one of the three sentences after "This study has limitations"), or
  any sentence of the Methods section; and
- its clause (the text between , ; : and parentheses around it) names no other study (a
  citation, "meta-analysis", "previous studies", a named trial such as "AVF2107g") and no future
  work ("verification through multi-center studies is required").
Judges nothing: DSN001 and DSN002 compare the statements.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..model import Document


@lru_cache(maxsize=1)
def load_vocabulary() -> dict:
    from ..config import packs_dir  # late: config imports the checks

    path = packs_dir() / "vocabulary" / "design.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _alt(patterns, flags=re.IGNORECASE, bound=True) -> re.Pattern:
    body = "|".join(f"(?:{p})" for p in patterns) or r"(?!x)x"
    return re.compile(rf"\b(?:{body})\b" if bound else f"(?:{body})", flags)


@dataclass(frozen=True)
class DesignStatement:
    """A design term the paper applies to itself, e.g. "a randomized controlled design"."""

    kind: str  # "design"
    cls: str  # class name in the vocabulary: randomized, retrospective, single-centre ...
    start: int  # the quote: the term with its article and head noun ("as a retrospective study")
    end: int
    term: str  # the term as printed
    sentence_start: int
    sentence_end: int
    scope: str  # why it is about this study: "self", "methods", "limitations"
    section: str
    secondary_analysis: bool  # its sentence calls the study a secondary / post hoc analysis


@dataclass(frozen=True)
class TimingStatement:
    """An interval between an intervention and an anchor event, as a range of days."""

    kind: str  # "interval" (a stated constraint) or "start" (when it was given)
    interventions: tuple[str, ...]  # keys: vocabulary classes ("targeted") and drug names ("bevacizumab")
    anchor: str  # "surgery"
    low_days: float
    high_days: Optional[float]  # None = no upper bound
    relation: str  # ">=", ">", "<=", "<", "=", "range"
    value_raw: str  # "no less than 4 weeks"
    direction: str  # "before", "after", "either"
    restart: bool  # "resumed", "restarted" (a later course, not the first)
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    section: str


# ------------------------------------------------------------------------------ helpers

@lru_cache(maxsize=1)
def _compiled():
    v = load_vocabulary()
    d, scope, t = v["design"], v["design"]["scope"], v["timing"]
    classes = {name: (_alt(c["patterns"]), c.get("negated", "")) for name, c in d["classes"].items()}
    neg = re.compile(r"(?:" + "|".join(d.get("negations", [])) + r")$", re.IGNORECASE)
    ignore = _alt(d.get("ignore", {}).get("phrases", []))
    self_ = _alt(scope["self"])
    other = _alt(scope["other"])
    future = _alt(scope["future"])
    citation = _alt(scope["citation"], bound=False)
    secondary = _alt(scope["secondary_analysis"])
    negating = _alt(scope.get("negating", []))
    anchors = {k: _alt([p]) for k, p in t["anchors"].items()}
    interventions = {k: _alt([p]) for k, p in t["interventions"].items()}
    drug = re.compile(r"\b[a-z]{3,}(?:" + "|".join(t["drug_suffixes"]) + r")\b", re.IGNORECASE)
    t_exclude = _alt(t["exclude"])
    restart = _alt(t["restart_verbs"])
    return dict(classes=classes, neg=neg, ignore=ignore, self=self_, other=other, future=future, citation=citation,
                secondary=secondary, negating=negating, anchors=anchors, interventions=interventions, drug=drug, t_exclude=t_exclude,
                restart=restart)


_CLAUSE_BREAK = re.compile(r"[,;:()\[\]]|\s[–—]\s|\bwhich\b|\bwhereas\b|\bwhile\b|\balthough\b|\bbut\b")
_LEFT = {"a", "an", "the", "this", "our", "as"}
_HEAD = re.compile(r"(?:[\s,]+(?:[\w-]+)){0,3}?\s+(?:study|studies|trial|design|analysis|cohort|investigation|research)\b",
                   re.IGNORECASE)


def _clause(text: str, lo: int, hi: int, s_lo: int, s_hi: int) -> tuple[int, int]:
    a = s_lo
    for m in _CLAUSE_BREAK.finditer(text, s_lo, lo):
        a = m.end()
    m = _CLAUSE_BREAK.search(text, hi, s_hi)
    return a, (m.start() if m else s_hi)


def _quote(text: str, lo: int, hi: int, s_lo: int, s_hi: int) -> tuple[int, int]:
    """The term with up to two articles before it ("as a") and its head noun after it ("study")."""
    m = _HEAD.match(text, hi, s_hi)
    if m and not re.search(r"[.;:()]", m.group()):
        hi = m.end()
    start = lo
    for _ in range(2):
        w = re.search(r"(\w+)\s+$", text[max(s_lo, start - 12):start])
        if not w or w.group(1).lower() not in _LEFT:
            break
        start = start - len(w.group(0))
    return start, hi


def _design_sentences(text: str):
    """All sentences (no boilerplate removal: design terms are in the Methods' first lines), with part."""
    from .passages import _split_block, headings

    heads = headings(text)
    hk, section, part = 0, "", "front"
    out = []
    for m in re.finditer(r"(?:[^\n\f]|\n(?![ \t]*\n)(?!\f))+", text):
        for lo, hi in _split_block(text, m.start(), m.end()):
            seg = text[lo:hi]
            if not seg.strip():
                continue
            lo += len(seg) - len(seg.lstrip())
            hi = lo + len(seg.strip())
            while hk < len(heads) and heads[hk].start <= lo:
                section = heads[hk].title
                if heads[hk].part:
                    part = heads[hk].part
                hk += 1
            if part == "references":
                continue
            if text[lo:hi].startswith("\t"):
                continue
            out.append((lo, hi, section, part))
    return out


def _scope(text: str, k: int, sents, c) -> Optional[str]:
    lo, hi, section, part = sents[k]
    s = text[lo:hi]
    if re.search(r"limitation", s, re.IGNORECASE) or any(
            re.search(r"limitation", text[sents[j][0]:sents[j][1]], re.IGNORECASE)
            and c["self"].search(text[sents[j][0]:sents[j][1]]) for j in range(max(0, k - 3), k)):
        return "limitations"
    if part == "methods":
        return "methods"
    if c["self"].search(s):
        return "self"
    return None


def extract_design(doc: Document, facts, registry) -> None:
    text = doc.text
    c = _compiled()
    sents = _design_sentences(text)
    for k, (lo, hi, section, part) in enumerate(sents):
        s = text[lo:hi]
        if len(s) > 2000:
            continue
        scope = _scope(text, k, sents, c)
        secondary = bool(c["secondary"].search(s))
        masked = c["ignore"].sub(lambda m: " " * len(m.group()), s)
        if scope is not None:
            facts.design_statements.extend(_design_terms(text, masked, lo, hi, section, scope, secondary, c))
        facts.design_statements.extend(_timing(text, lo, hi, section, scope, c))


def _design_terms(text, masked, lo, hi, section, scope, secondary, c):
    found = []
    taken: list[tuple[int, int]] = []
    for name, (pat, negated) in c["classes"].items():
        for m in pat.finditer(masked):
            a, b = lo + m.start(), lo + m.end()
            if any(x < b and a < y for x, y in taken):
                continue
            before = masked[max(0, m.start() - 12):m.start()]
            cls = name
            if c["neg"].search(before):
                if not negated:
                    continue
                cls = negated
                a = lo + m.start() - len(c["neg"].search(before).group())
            ca, cb = _clause(text, a, b, lo, hi)
            clause = text[ca:cb]
            if c["other"].search(clause) or c["future"].search(clause) or c["negating"].search(text[ca:a]):
                continue
            sentence = text[lo:hi]
            if c["citation"].search(sentence) and not c["self"].search(clause):
                continue
            qa, qb = _quote(text, a, b, lo, hi)
            taken.append((a, b))
            found.append(DesignStatement("design", cls, qa, qb, text[a:b], lo, hi, scope, section, secondary))
    return found


_NUM = r"(?P<v>\d+(?:\.\d+)?)(?:\s*(?:–|-|to)\s*(?P<v2>\d+(?:\.\d+)?))?"
_UNIT = r"(?P<u>days?|weeks?|months?)"
_REL = (r"(?P<rel>no\s+less\s+than|not\s+less\s+than|at\s+least|more\s+than|greater\s+than|longer\s+than|over|exceeding|"
        r"no\s+more\s+than|not\s+more\s+than|at\s+most|less\s+than|shorter\s+than|within|up\s+to|≥|>=|>|≤|<=|<)?")
_INTERVAL = re.compile(r"\binterval\s+between\s+(?P<x>[^.;\d]{3,90}?)\s+(?:and|to)\s+(?P<y>[^.;\d]{3,60}?)"
                       r"(?P<gap>[^.;\d]{0,45}?)" + _REL + r"\s*" + _NUM + r"[\s-]*" + _UNIT, re.IGNORECASE)
_START_PASSIVE = re.compile(r"(?P<x>[A-Za-z][\w\- ]{2,60}?)\s+(?:was|were)\s+(?:first\s+)?(?P<verb>initiated|started|begun|"
                            r"commenced|administered|given|resumed|restarted|reintroduced|re-?initiated)\b"
                            r"(?P<mid>[^.;\d]{0,90}?)\(?" + _NUM + r"[\s-]*" + _UNIT +
                            r"\s+(?:after|following|post)\s*(?P<y>[\w\- ]{3,40})", re.IGNORECASE)
_START_ACTIVE = re.compile(r"\b(?P<verb>initiated|started|began|commenced|resumed|restarted)\s+(?P<x>[^.;\d]{3,90}?)\s+"
                           + _NUM + r"[\s-]*" + _UNIT + r"\s+(?:after|following|post)\s*(?P<y>[\w\- ]{3,40})",
                           re.IGNORECASE)

_DAYS = {"day": (1, 1), "week": (7, 7), "month": (28, 31)}


def _days(value: str, unit: str) -> tuple[float, float]:
    lo, hi = _DAYS[unit.lower().rstrip("s")]
    return float(value) * lo, float(value) * hi


def _interventions(text: str, c) -> tuple[str, ...]:
    keys = [k for k, p in c["interventions"].items() if p.search(text)]
    keys += [m.group().lower() for m in c["drug"].finditer(text)]
    return tuple(dict.fromkeys(keys))


def _anchor(text: str, c) -> Optional[str]:
    for k, p in c["anchors"].items():
        if p.search(text):
            return k
    return None


def _timing(text, lo, hi, section, scope, c):
    s = text[lo:hi]
    out = []
    if scope is None:
        return out
    for m in _INTERVAL.finditer(s):
        a, b = lo + m.start(), lo + m.end()
        ca, cb = _clause(text, a, b, lo, hi)
        if c["t_exclude"].search(text[max(lo, ca):a + 20]) or re.search(r"\b(?:when|if)\s+(?:the\s+)?$", s[:m.start()]):
            continue
        anchor = _anchor(m.group("y") + m.group("gap"), c)
        keys = _interventions(m.group("x"), c)
        if not anchor or not keys:
            continue
        rel = re.sub(r"\s+", " ", (m.group("rel") or "").lower())
        v_lo, v_hi = _days(m.group("v"), m.group("u"))
        if m.group("v2"):
            low, high, relation = v_lo, _days(m.group("v2"), m.group("u"))[1], "range"
        elif rel in ("no less than", "not less than", "at least", "≥", ">="):
            low, high, relation = v_lo, None, ">="
        elif rel in ("more than", "greater than", "longer than", "over", "exceeding", ">"):
            low, high, relation = v_lo, None, ">"
        elif rel in ("no more than", "not more than", "at most", "within", "up to", "≤", "<="):
            low, high, relation = 0.0, v_hi, "<="
        elif rel in ("less than", "shorter than", "<"):
            low, high, relation = 0.0, v_hi, "<"
        else:
            low, high, relation = v_lo, v_hi, "="
        direction = "before" if re.search(r"\blast\s+(?:dose|administration|infusion|cycle)", m.group("x"), re.I) else "either"
        raw = s[m.start("rel") if m.group("rel") else m.start("v"):m.end("u")]
        qa = lo + m.start()
        if s[max(0, m.start() - 4):m.start()].lower() == "the ":
            qa -= 4
        out.append(TimingStatement("interval", keys, anchor, low, high, relation, raw, direction, False,
                                   qa, b, lo, hi, section))
    for pat in (_START_PASSIVE, _START_ACTIVE):
        for m in pat.finditer(s):
            a, b = lo + m.start(), lo + m.end()
            anchor = _anchor(m.group("y"), c)
            if not anchor or m.group("v2"):
                continue
            ca, cb = _clause(text, lo + m.start("v"), lo + m.end("u"), lo, hi)
            if c["t_exclude"].search(text[a:lo + m.end("u")]):
                continue
            keys = _interventions(m.group("x"), c)
            if not keys:
                continue
            # a class term whose drug is named in the same sentence ("targeted therapy ..., using bevacizumab")
            drugs = [d.group().lower() for d in c["drug"].finditer(s)]
            if any(k in c["interventions"] for k in keys) and len(set(drugs)) == 1:
                keys = tuple(dict.fromkeys(keys + (drugs[0],)))
            v_lo, v_hi = _days(m.group("v"), m.group("u"))
            verb = m.group("verb").lower()
            end = lo + m.end("y")
            y = m.group("y")
            am = _anchor_span(y, c)
            if am is not None:
                end = lo + m.start("y") + am
            if any(t.kind == "start" and t.start <= a < t.end for t in out):
                continue
            out.append(TimingStatement("start", keys, anchor, v_lo, v_hi, "=", s[m.start("v"):m.end("u")] + " after " + anchor,
                                       "after", bool(c["restart"].search(verb)), a, end, lo, hi, section))
    return out


def _anchor_span(y: str, c) -> Optional[int]:
    for p in c["anchors"].values():
        m = p.search(y)
        if m:
            return m.end()
    return None
