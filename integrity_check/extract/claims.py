"""Prose arithmetic: stated differences and ratios, with the two values they compare.

Forms recognised (case-insensitive; the stated number keeps its printed precision):

- comparatives: "21.1% higher than ...", "8.6 months longer than ...", "18.7 percentage points
  higher", "10.0 percentage points more often", "12 points lower";
- verbs with "by": "improved 5-year OS by 11% (36% vs. 25%)", "increased by 20%", "reduced ... by 3
  months", "prolonged the median OS by 4.7 months";
- differences: "a difference of 15.7 percentage points", "an absolute difference of 12%";
- ratios: "a 1.8-fold increase", "2.3 times higher", "2.3 times as high as".

The two values compared are looked for, in this order: a parenthesis after the claim ("(36% vs.
25%)", "(35.6 months vs 27.0 months)"); "from 23.8% to 42.5%" in the sentence; a reference after
"than" that contains the number itself ("12% higher than 30%") or names something whose value is
in this or the previous sentence ("12.1% higher than the EPOC chemotherapy arm", where "the EPOC
trial reported a 3-year OS of 36%"); an arm named after "than" whose value for the same endpoint
and time point is in ``facts.quantities`` ("21.1% higher than that in the control group"); and
finally exactly two values of the claim's unit in the sentence before the claim.

Claims whose number is part of a range ("reduce the risk by 12%-15%"), approximate ("by
approximately 20%", "nearly twice"), or words ("twice", "double") are recorded with
``approximate`` or without a pair; "N times less" and "reduced to N times" are not recorded (no
checkable arithmetic). Extraction judges nothing: the check decides whether the numbers agree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Optional

from ..model import Document, Facts
from .groups import ArmRegistry

NUM = r"(?<![\d.])\d+(?:\.\d+)?(?![\d])(?!\.\d)"
APPROX = (r"(?:approximately|approx\.?|about|around|nearly|almost|roughly|some|circa|ca\.|~|≈|over|more\s+than|"
          r"less\s+than|at\s+least|up\s+to|as\s+much\s+as|>|<|≥|≤)")
POINTS_UNIT = r"(?:\s*%\s*|\s+)(?:percentage[- ]points?|percent(?:age)?\s+points?|pp\b|points?\b)"
PCT_UNIT = r"(?:\s*%|\s+percent\b)"
TIME_UNIT = r"\s*(?P<tunit>months?|mo\b|weeks?|wks?\b|days?|years?|yrs?\b|hours?|h\b|minutes?|min\b)"
UNIT = rf"(?P<unit>{POINTS_UNIT}|{PCT_UNIT}|{TIME_UNIT})"
COMP = (r"(?P<comp>higher|lower|greater|larger|smaller|more|less|fewer|longer|shorter|better|worse|"
        r"increase|decrease|reduction|improvement|gain|benefit|rise|drop|decline)")
VERB = (r"(?P<verb>increas\w*|reduc\w*|decreas\w*|improv\w*|prolong\w*|extend\w*|shorten\w*|lower\w*|rais\w*|"
        r"declin\w*|dropp?\w*|fell|rose|grew|boost\w*|enhanc\w*|elevat\w*|diminish\w*|cut|lengthen\w*)")

COMPARATIVE = re.compile(rf"(?P<approx>{APPROX}\s*)?(?P<num>{NUM}){UNIT}\s+(?:(?:relative|absolute)\s+)?{COMP}\b",
                         re.IGNORECASE)
BY_VERB = re.compile(rf"\b{VERB}\b(?P<obj>[^.;()\[\]]{{0,80}}?)\bby\s+(?P<approx>{APPROX}\s*)?(?P<num>{NUM}){UNIT}",
                     re.IGNORECASE)
DIFFERENCE = re.compile(rf"\b(?P<kind>(?:absolute|relative)\s+)?(?:difference|gap)(?:\s+between\s+[^.;()\[\]]{{0,60}}?)?"
                        rf"\s+(?:of|was|is|were|amounted\s+to)\s+(?P<approx>{APPROX}\s*)?"
                        rf"(?P<num>{NUM}){UNIT}", re.IGNORECASE)
RATIO = re.compile(rf"(?P<approx>{APPROX}\s*)?(?P<num>{NUM})\s*[-‐]?\s*(?P<unit>fold|times)\b(?P<after>[^.;,()]{{0,25}})",
                   re.IGNORECASE)
RATIO_WORDS = re.compile(r"\b(?:twice|double[ds]?|two-fold|twofold|three-fold|threefold|triple[ds]?|half)\b", re.IGNORECASE)

RANGE_BEFORE = re.compile(r"\d\s*%?\s*(?:-|–|—|~|to)\s*$")
RANGE_AFTER = re.compile(r"^\s*%?\s*(?:-|–|—|~|to)\s*\d")
RELATIVE_WORD = re.compile(r"\brelative\b|\bproportional", re.IGNORECASE)
ABSOLUTE_WORD = re.compile(r"\babsolute\b", re.IGNORECASE)

PAIR_PAREN = re.compile(
    rf"^\s*[(\[]\s*(?P<a>{NUM})\s*(?P<ua>%|{TIME_UNIT.replace('?P<tunit>', '?:')})?\s*"
    rf"(?:vs\.?|versus|v\.|and|compared\s+with|compared\s+to|to)\s*(?P<b>{NUM})\s*(?P<ub>%|{TIME_UNIT.replace('?P<tunit>', '?:')})?",
    re.IGNORECASE)
FROM_TO = re.compile(rf"\bfrom\s+(?P<a>{NUM})\s*(?:%|{TIME_UNIT.replace('?P<tunit>', '?:')})?\s+to\s+(?P<b>{NUM})", re.IGNORECASE)
THAN = re.compile(r"^[^.;()]{0,40}?\bthan\s+(?P<ref>[^,.;()\[\]]{1,70})", re.IGNORECASE)
STOP = frozenset("""the that those this these in of for with to a an group groups arm arms patients participants subjects
cohort cohorts cases our their its study trial value values rate rates observed reported by at on was were""".split())

ABBREVIATIONS = re.compile(r"(?:\b(?:vs|e\.g|i\.e|al|fig|figs|no|nos|approx|ca|cf|etc|ref|refs|resp|dr|mr|ms|st|vol|"
                           r"eq|eqs|sec|min|max|mo|yr|yrs)|\b[A-Z])\.$", re.IGNORECASE)


@dataclass(frozen=True)
class Claim:
    """A stated difference or ratio in prose and, when found, the two values it compares.

    ``wording``: "points" (percentage points), "relative" ("relative reduction of ..."),
    "comparative" ("X% higher than"), "by" ("increased by X%"), "difference" ("a difference of X%"),
    "time" (months, days ...), "ratio" ("1.8-fold", "2.3 times"). ``a`` is the value the sentence is
    about (when known) and ``b`` the reference; ``pairing`` says how they were found.
    """

    start: int  # the stated difference: "12.1% higher"
    end: int
    stated: str  # "12.1"
    unit: str  # "%", "points", "months", "days", "fold", "times" ...
    wording: str
    direction: str  # the comparative or verb as printed ("higher", "increased")
    approximate: bool
    sentence_start: int
    sentence_end: int
    a: Optional[str] = None
    a_start: int = -1
    a_end: int = -1
    b: Optional[str] = None
    b_start: int = -1
    b_end: int = -1
    quote_end: int = -1  # end of the phrase to quote: through "than <reference>" when there is one
    pairing: str = ""  # "parenthesis", "from-to", "than-number", "than-reference", "quantity-lookup", "sentence"
    reference: str = ""  # the words after "than"
    ratio_tail: str = ""  # "higher", "as high as", "increase": what followed "N times"
    confidence: str = "high"


# ---------------------------------------------------------------------------------------------- sentences

def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences as (start, end) offsets: split at . ! ? followed by space and a capital or an
    opening bracket, at blank lines, form feeds and table-cell lines (tab-prefixed)."""
    spans: list[tuple[int, int]] = []
    # first cut into blocks at blank lines / form feeds / tab lines
    block_re = re.compile(r"\n[ \t]*\n|\f|\n(?=\t)|(?<=\n)\t[^\n]*")
    pos = 0
    blocks = []
    for m in block_re.finditer(text):
        if m.start() > pos:
            blocks.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        blocks.append((pos, len(text)))
    end_re = re.compile(r"[.!?](?=[\"”’)\]]?\s+[\"“(\[]?[A-Z0-9])|(?<=[a-z)\]])\.(?=[A-Z][a-z])")
    for bs, be in blocks:
        chunk = text[bs:be]
        start = 0
        for m in end_re.finditer(chunk):
            head = chunk[max(0, m.start() - 8): m.end()]
            if ABBREVIATIONS.search(head):
                continue
            if re.search(r"\d\.$", chunk[:m.end()]) and m.end() < len(chunk) and chunk[m.end()].isdigit():
                continue
            spans.append(_strip(text, bs + start, bs + m.end()))
            start = m.end()
        spans.append(_strip(text, bs + start, be))
    return [s for s in spans if s[1] > s[0]]


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


# ---------------------------------------------------------------------------------------------- values

@dataclass(frozen=True)
class _Value:
    raw: str
    start: int
    end: int
    unit: str  # "%", a time unit, ""


VALUE_WITH_UNIT = re.compile(rf"(?P<num>{NUM})\s*(?P<unit>%|{TIME_UNIT.replace('?P<tunit>', '?:')})?", re.IGNORECASE)


CI_LEVEL_AFTER = re.compile(r"\s*(?:CI|C\.I\.|confidence|credible)", re.IGNORECASE)
CI_BOUND_BEFORE = re.compile(r"(?:CI|interval)\s*[:,]?\s*[\[(]?\s*$", re.IGNORECASE)
STATISTIC_BEFORE = re.compile(r"\b[pPtFzZ]\s*[=<>≤≥]\s*$|χ2\s*[=<>]\s*$")


def not_a_plain_value(text: str, end: int, unit: str, before: str, after: str) -> bool:
    """A number that is a range end, a confidence level ("95% CI"), a CI bound, or a test statistic
    or p value, judged from the text ``before`` and ``after`` it (``end``: where the number ends)."""
    return bool(RANGE_BEFORE.search(before) or RANGE_AFTER.match(text[end:end + 12])
                or (unit == "%" and CI_LEVEL_AFTER.match(after)) or CI_BOUND_BEFORE.search(before)
                or STATISTIC_BEFORE.search(before))


def values_in(text: str, lo: int, hi: int) -> list[_Value]:
    """Numbers with a unit (% or time) in text[lo:hi], leaving out ranges, CI bounds, confidence
    levels ("95% CI"), p values and test statistics."""
    out = []
    seg = text[lo:hi]
    for m in VALUE_WITH_UNIT.finditer(seg):
        unit = (m.group("unit") or "").strip().lower()
        if not unit:
            continue
        s, e = lo + m.start("num"), lo + m.end("num")
        if not_a_plain_value(text, e, unit, text[max(0, s - 40):s], text[lo + m.end(): lo + m.end() + 25]):
            continue
        out.append(_Value(m.group("num"), s, e, _unit_key(unit)))
    return out


def _unit_key(unit: str) -> str:
    u = unit.strip().lower()
    if "point" in u or u == "pp":
        return "points"
    if u.startswith("%") or u.startswith("percent"):
        return "%"
    for key, forms in (("months", ("month", "mo")), ("weeks", ("week", "wk")), ("days", ("day",)),
                       ("years", ("year", "yr")), ("hours", ("hour", "h")), ("minutes", ("minute", "min"))):
        if any(u.startswith(f) for f in forms):
            return key
    if "point" in u or u == "pp":
        return "points"
    return u


# ---------------------------------------------------------------------------------------------- extraction

def extract_claims(doc: Document, facts: Facts, registry: ArmRegistry) -> None:
    text = doc.text
    spans = sentence_spans(text)
    seen: set[int] = set()
    for idx, (ss, se) in enumerate(spans):
        sentence = text[ss:se]
        prev_start = spans[idx - 1][0] if idx > 0 and _same_block(text, spans[idx - 1][1], ss) else ss
        found = []
        for m in COMPARATIVE.finditer(sentence):
            found.append(("comparative", m))
        for m in BY_VERB.finditer(sentence):
            found.append(("by", m))
        for m in DIFFERENCE.finditer(sentence):
            found.append(("difference", m))
        for m in RATIO.finditer(sentence):
            found.append(("ratio", m))
        for form, m in sorted(found, key=lambda t: t[1].start("num")):
            num_start = ss + m.start("num")
            if num_start in seen:
                continue
            claim = _claim(doc, facts, registry, form, m, ss, se, prev_start)
            if claim is not None:
                seen.add(num_start)
                facts.claims.append(claim)


def _same_block(text: str, prev_end: int, start: int) -> bool:
    gap = text[prev_end:start]
    return "\n\n" not in gap and "\f" not in gap and "\t" not in gap and len(gap) < 5


def _claim(doc, facts, registry, form, m, ss, se, prev_start) -> Optional[Claim]:
    text = doc.text
    ns, ne = ss + m.start("num"), ss + m.end("num")
    stated = m.group("num")
    before = text[max(ss, ns - 12):ns]
    after_num = text[ne:ne + 14]
    if RANGE_BEFORE.search(before) or RANGE_AFTER.match(after_num):
        return None  # "by 12%-15%": a range, no single stated difference
    approximate = bool(m.group("approx")) or bool(re.search(rf"{APPROX}\s*$", text[max(ss, ns - 16):ns], re.IGNORECASE))
    if form == "ratio":
        tail = m.group("after").strip().lower()
        if re.match(r"(?:less|lower|fewer|smaller|shorter|reduc|decreas)", tail):
            return None  # "1.8 times less": no defined arithmetic
        if re.search(r"\bto\s*$", text[max(ss, ns - 8):ns], re.IGNORECASE):
            return None  # "reduced to 1.2 times (95% CI ...)": a ratio estimate, not a comparison of two values
        unit = m.group("unit").lower()
        wording, direction = "ratio", tail.split(" ")[0] if tail else ""
    else:
        unit_raw = m.group("unit")
        unit = _unit_key(unit_raw)
        if unit == "points":
            wording = "points"
        elif unit == "%":
            wording = {"comparative": "comparative", "by": "by", "difference": "difference"}[form]
            kind = (m.groupdict().get("kind") or "")
            if RELATIVE_WORD.search(kind) or RELATIVE_WORD.search(m.group(0)):
                wording = "relative"
            elif ABSOLUTE_WORD.search(kind) or ABSOLUTE_WORD.search(m.group(0)):
                wording = "points"
        else:
            wording = "time"
        direction = (m.groupdict().get("comp") or m.groupdict().get("verb") or "difference").lower()
        tail = ""
        if form == "comparative" and direction in ("increase", "decrease", "reduction", "improvement", "gain",
                                                    "benefit", "rise", "drop", "decline") and unit == "%":
            wording = "by"
    claim_end = ss + m.end("unit")
    claim = Claim(start=ns, end=claim_end, stated=stated, unit=unit, wording=wording, direction=direction,
                  approximate=approximate, sentence_start=ss, sentence_end=se, ratio_tail=tail)
    return _with_pair(doc, facts, registry, claim, form, m, prev_start)


def _replace(claim: Claim, a: _Value, b: _Value, pairing: str, confidence: str, reference: str = "") -> Claim:
    return replace(claim, a=a.raw, a_start=a.start, a_end=a.end, b=b.raw, b_start=b.start, b_end=b.end,
                   pairing=pairing, confidence=confidence, reference=reference)


def _value_unit_ok(claim: Claim, v: _Value) -> bool:
    if claim.unit in ("%", "points"):
        return v.unit == "%"
    if claim.unit in ("fold", "times"):
        return v.unit != ""
    return v.unit == claim.unit


ANAPHORIC_DIFFERENCE = re.compile(r"\s*(?:The|This|That)\s+(?:absolute\s+|relative\s+)?(?:difference|gap|increase|"
                                  r"reduction|improvement|gain|benefit)\b", re.IGNORECASE)


def _with_pair(doc, facts, registry, claim: Claim, form, m, prev_start) -> Claim:
    text = doc.text
    ss, se = claim.sentence_start, claim.sentence_end
    after = text[claim.end:se]
    # 1. a parenthesis after the claim (possibly after a "than ..." phrase)
    for pm in re.finditer(r"[(\[]", after[:120]):
        pp = PAIR_PAREN.match(after[pm.start():])
        if pp:
            base = claim.end + pm.start()
            ua, ub = pp.group("ua"), pp.group("ub")
            unit = _unit_key(ua or ub or "")
            a = _Value(pp.group("a"), base + pp.start("a"), base + pp.end("a"), unit)
            b = _Value(pp.group("b"), base + pp.start("b"), base + pp.end("b"), unit)
            if unit and _value_unit_ok(claim, a):
                return _replace(claim, a, b, "parenthesis", "high")
            break
    sentence = text[ss:se]
    # 2. "from X% to Y%" in the sentence
    ft = [f for f in FROM_TO.finditer(sentence)]
    if len(ft) == 1:
        f = ft[0]
        b = _Value(f.group("b"), ss + f.start("b"), ss + f.end("b"), "")
        a = _Value(f.group("a"), ss + f.start("a"), ss + f.end("a"), "")
        vals = {v.start: v for v in values_in(text, ss, se)}
        unit = (vals.get(b.start) or vals.get(a.start))
        if unit is not None and _value_unit_ok(claim, unit):
            return _replace(claim, b, a, "from-to", "high")
    candidates = [v for v in values_in(text, ss, se) if _value_unit_ok(claim, v) and not (claim.start <= v.start < claim.end)]
    before = [v for v in candidates if v.end <= claim.start]
    # 3. "than ..." reference
    th = THAN.match(text[claim.end:se])
    if th:
        ref = th.group("ref").strip()
        claim = replace(claim, quote_end=claim.end + th.start("ref") + len(th.group("ref").rstrip()))
        ref_start = claim.end + th.start("ref")
        ref_end = claim.end + th.end("ref")
        in_ref = [v for v in candidates if ref_start <= v.start < ref_end]
        subject = before[-1] if before else None
        if in_ref and subject is not None:
            return _replace(claim, subject, in_ref[0], "than-number", "high", ref)
        if subject is not None:
            tokens = [w for w in re.findall(r"[A-Za-z][\w-]*", ref) if w.lower() not in STOP]
            if tokens:
                window = [v for v in values_in(text, prev_start, claim.start)
                          if _value_unit_ok(claim, v) and v.start != subject.start]
                hits = [v for v in window if _names_before(text, v, tokens, prev_start)]
                if len(hits) == 1:
                    return _replace(claim, subject, hits[0], "than-reference", "medium", ref)
                if len(hits) > 1:
                    return claim
            arms = registry.mentions(ref)
            if arms:
                hit = _quantity_lookup(doc, facts, registry, claim, subject, arms[0][1])
                if hit is not None:
                    return _replace(claim, subject, hit, "quantity-lookup", "medium", ref)
            return claim
    # 4. exactly two values in the sentence, both before the claim
    if len(candidates) == 2 and len(before) == 2:
        return _replace(claim, before[0], before[1], "sentence", "medium")
    # 5. "The difference was 11.6 points." right after the sentence that gives the two values
    if not candidates and prev_start < ss and ANAPHORIC_DIFFERENCE.match(sentence):
        previous = [v for v in values_in(text, prev_start, ss) if _value_unit_ok(claim, v)]
        if len(previous) == 2:
            return _replace(claim, previous[0], previous[1], "previous-sentence", "medium")
    return claim


def _names_before(text: str, v: _Value, tokens: list[str], floor: int) -> bool:
    """Does the clause leading up to value ``v`` name one of ``tokens``?"""
    lo = max(floor, v.start - 70)
    seg = text[lo:v.start]
    # only the text after the previous number or clause bracket
    cut = max(seg.rfind(")"), seg.rfind("("), seg.rfind(";"), seg.rfind(", while"), seg.rfind(" vs"))
    last_num = [mm.end() for mm in re.finditer(r"\d\s*%|\d\s+(?:months?|days?|weeks?)", seg)]
    if last_num:
        cut = max(cut, last_num[-1])
    seg = seg[cut + 1:] if cut >= 0 else seg
    low = seg.lower()
    return any(re.search(rf"\b{re.escape(t.lower())}\b", low) for t in tokens)


def _quantity_lookup(doc, facts, registry, claim: Claim, subject: Optional[_Value], arm) -> Optional[_Value]:
    """The named arm's value for the endpoint and time point of the subject value, when the paper
    reports it everywhere with one value."""
    if subject is None:
        return None
    from .quantities import arm_of, quantity_at
    q = quantity_at(facts, subject.start)
    if q is None:
        return None
    target = arm_of(registry, arm.label)
    others = [o for o in facts.quantities if o.key == q.key and o.arm == target and o.arm and o.arm != q.arm]
    raws = {o.value for o in others}
    if len(raws) != 1:
        return None
    o = others[0]
    return _Value(o.value, o.start, o.end, subject.unit)
