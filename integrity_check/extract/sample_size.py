"""Sample-size statements: the assumptions of a power calculation and the dropout arithmetic.

Goes to ``facts.sample_sizes`` (``SampleSizeStatement``). A statement is anchored on the required
sample size ("each group required at least 34 patients", "the normal-approximation formula ...
gave 36 patients per arm", "a sample size of 59 per group was needed"); the passage around it
(back to the paragraph start, at most ~1500 characters, and ~500 characters on) is read for

* alpha ("the α value (type I error rate) was 0.05 (two-sided)", "a two-sided alpha of 0.05"),
  sidedness, power ("a power of 80%", "test power (1-β) of 80%") or beta ("β = 0.2");
* the effect: two proportions or ranges ("an ORR of 15% ... and of 45%", "3-year OS was
  approximately 25%-30% ... reaching 47%-50%"; increments such as "increase by 20%" are skipped),
  or a mean difference and SD ("a standard deviation of 2.5 days ... a difference of 1.5 days"),
  an effect size (d) or a hazard ratio; whether the endpoint is survival; method words
  (continuity correction, normal approximation, PASS);
* the dropout rate ("Considering a 20% dropout rate", "a dropout rate of 15%", "10% loss to
  follow-up") and the final sample size after it, per group ("38 patients were finally determined
  to be included in each group", "40 patients per arm") and in total ("a total sample size of 76",
  "(80 in total)").

Extraction judges nothing: every number keeps its printed string and span.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ..model import Document, Facts

Span = tuple[int, int]


@dataclass(frozen=True)
class SampleSizeStatement:
    start: int  # the passage read
    end: int
    n_required: Optional[str]  # per group unless ``required_level`` == "total"
    required_span: Optional[Span]
    required_level: str  # "group" or "total"
    dropout: Optional[str]  # percent as printed ("20")
    dropout_span: Optional[Span]
    n_final: Optional[str]  # per group after the dropout allowance
    final_span: Optional[Span]
    total: Optional[str]
    total_span: Optional[Span]
    alpha: Optional[str]  # as printed, "0.05" or "5%"
    alpha_span: Optional[Span]
    sided: Optional[int]  # 1, 2, None when not stated
    power: Optional[str]  # as printed: "80%", "0.8", or beta ("0.2") when ``power_from`` == "beta"
    power_from: str  # "power", "beta", ""
    power_span: Optional[Span]
    p1: Optional[tuple[str, str]]  # percent range as printed (lo, hi); lo == hi for a single value
    p2: Optional[tuple[str, str]]
    p_spans: tuple[Span, ...]
    delta: Optional[str]
    sd: Optional[str]
    effect_size: Optional[str]
    hr: Optional[str]
    mean_spans: tuple[Span, ...]
    survival: bool  # the passage is about survival (OS, PFS, log-rank, hazard)
    continuity_correction: bool
    quote_start: int  # the anchor: the required n statement
    quote_end: int


WORDS = r"(?:patients|participants|subjects|cases|individuals|women|men|children|eyes|infants)"
GROUP = r"(?:group|arm)"
REQUIRED = [
    re.compile(rf"\b(?:each|per)\s+{GROUP}\s+(?:would\s+)?(?:required?|needed?|needs|should\s+(?:include|have|enrol+))\s+"
               rf"(?:at\s+least\s+|a\s+minimum\s+of\s+)?(?P<n>\d{{1,5}})(?:\s+{WORDS})?", re.IGNORECASE),
    re.compile(rf"\b(?:requir\w*|need\w*|gave|giv\w+|yield\w*|result\w*\s+in|calculated\s+(?:as|to\s+be)|estimated\s+(?:as|to\s+be)|"
               rf"minimum\s+of|at\s+least)\s+(?:that\s+)?(?:a\s+(?:minimum\s+)?(?:sample\s+(?:size\s+)?)?of\s+)?(?:at\s+least\s+|a\s+minimum\s+of\s+)?"
               rf"(?P<n>\d{{1,5}})\s+(?:{WORDS}\s+)?(?:per|in\s+each|for\s+each|each)\s+{GROUP}", re.IGNORECASE),
    re.compile(rf"\b(?P<n>\d{{1,5}})\s+(?:{WORDS}\s+)?(?:per|in\s+each|for\s+each|each)\s+{GROUP}\s+(?:were|was|would\s+be|are|is|will\s+be)\s+"
               rf"(?:required|needed|necessary|sufficient)", re.IGNORECASE),
    re.compile(rf"\bsample\s+size\s+(?:of|was|=)\s+(?P<n>\d{{1,5}})\s+(?:{WORDS}\s+)?(?:per|in\s+each|for\s+each|each)\s+{GROUP}", re.IGNORECASE),
]
REQUIRED_TOTAL = re.compile(rf"\b(?:requir\w*|need\w*)\s+(?:a\s+total\s+(?:sample\s+size\s+)?of\s+)(?P<n>\d{{1,5}})(?:\s+{WORDS})?", re.IGNORECASE)
FINAL = re.compile(rf"\b(?P<n>\d{{1,5}})\s+(?:{WORDS}\s*)?(?:(?:were|was|would\s+be|will\s+be|are|to\s+be|should\s+be)\s+(?:[a-z]+\s+){{0,5}}?)?"
                   rf"(?:per|in\s+each|for\s+each|each|to\s+each|in\s+every)\s+{GROUP}", re.IGNORECASE)
TOTAL = re.compile(rf"\btotal\s+(?:sample\s+size\s+)?of\s+(?P<n>\d{{1,5}})|\(\s*(?P<n2>\d{{1,5}})\s+in\s+total\s*\)|\b(?P<n3>\d{{1,5}})\s+{WORDS}\s+in\s+total", re.IGNORECASE)
DROPOUT_WORD = r"(?:drop[-\s]?outs?|attrition|loss\s+to\s+follow[-\s]?up|lost\s+to\s+follow[-\s]?up|withdrawals?|non-?response|loss)"
DROPOUT = re.compile(
    rf"(?P<d>\d{{1,2}}(?:\.\d+)?)\s*%\s*(?:\w+\s+){{0,2}}?{DROPOUT_WORD}|"
    rf"{DROPOUT_WORD}\s+(?:rate\s+)?(?:of|was|=|:|at|is)?\s*(?:about\s+|approximately\s+|up\s+to\s+)?(?P<d2>\d{{1,2}}(?:\.\d+)?)\s*%",
    re.IGNORECASE)
ALPHA = re.compile(r"(?:α|\balpha\b|type\s+I\s+error(?:\s+rate)?|significance\s+level|level\s+of\s+significance)"
                   r"(?P<gap>[^;\d]{0,40}?)(?P<a>0?\.\d+|\d{1,2}(?:\.\d+)?\s*%)", re.IGNORECASE)
POWER = re.compile(r"\bpower\b(?:\s*\(\s*1\s*[-−–]\s*(?:β|beta)\s*\))?[^;\d%]{0,30}?(?P<pw>\d{2}(?:\.\d+)?\s*%|0?\.\d+)"
                   r"|(?P<pw2>\d{2}(?:\.\d+)?\s*%)\s+power\b", re.IGNORECASE)
BETA = re.compile(r"(?:β|\bbeta\b|type\s+II\s+error(?:\s+rate)?)(?!\s*\))(?P<gap>[^;\d]{0,40}?)(?P<b>0?\.\d+|\d{1,2}(?:\.\d+)?\s*%)", re.IGNORECASE)
TWO_SIDED = re.compile(r"two[-\s]?(?:sided|tailed)|bilateral|2-sided|2-tailed", re.IGNORECASE)
ONE_SIDED = re.compile(r"one[-\s]?(?:sided|tailed)|unilateral|1-sided|1-tailed", re.IGNORECASE)
PCT_OR_RANGE = re.compile(r"(?<![\d.])(?P<lo>\d{1,3}(?:\.\d+)?)\s*%?\s*(?:(?:-|–|~|to)\s*(?P<hi>\d{1,3}(?:\.\d+)?)\s*)?%")
INCREMENT_BEFORE = re.compile(r"(?:\bby|\bof\s+an?\s+(?:absolute|relative)|increase\s+of|reduction\s+of|difference\s+of|\bCI|±|\bP\s*[=<>]?)\s*(?:about\s+|approximately\s+)?$", re.IGNORECASE)
SD = re.compile(r"(?:standard\s+deviation|\bSD)\s*(?:\([^)]*\)\s*)?(?:of|was|=|:|is)?\s*(?P<sd>\d+(?:\.\d+)?)", re.IGNORECASE)
DELTA = re.compile(r"\b(?:difference|reduction|decrease|increase)\s+(?:of|in\s+(?:the\s+)?[a-z]+(?:\s+[a-z]+){0,3}\s+of)\s+(?P<d>\d+(?:\.\d+)?)(?!\s*%|\.\d)", re.IGNORECASE)
EFFECT_SIZE = re.compile(r"\beffect\s+size\s*(?:\([^)]*\)\s*)?(?:of|=|was|:)?\s*(?:d\s*=\s*)?(?P<es>\d*\.\d+)|Cohen'?s\s+d\s*(?:of|=)\s*(?P<es2>\d*\.\d+)", re.IGNORECASE)
HR = re.compile(r"(?:hazard\s+ratio|\bHR)\s*(?:\([^)]*\)\s*)?(?:of|=|was|:)?\s*(?P<hr>\d*\.\d+)", re.IGNORECASE)
SURVIVAL = re.compile(r"surviv|\bOS\b|\bPFS\b|\bDFS\b|log-?rank|hazard|time[-\s]to[-\s]event", re.IGNORECASE)
CC = re.compile(r"continuity\s+correct|Yates", re.IGNORECASE)


def extract_sample_sizes(doc: Document, facts: Facts, registry=None) -> None:
    facts.sample_sizes.extend(sample_size_statements(doc))


def sample_size_statements(doc: Document) -> list[SampleSizeStatement]:
    text = doc.text
    anchors: list[tuple[int, int, str, str]] = []  # start, end, n, level
    for pattern in REQUIRED:
        for m in pattern.finditer(text):
            anchors.append((m.start(), m.end(), m.group("n"), "group"))
    for m in REQUIRED_TOTAL.finditer(text):
        anchors.append((m.start(), m.end(), m.group("n"), "total"))
    anchors.sort()
    out = []
    taken: list[Span] = []
    for a_start, a_end, n, level in anchors:
        if any(s < a_end and a_start < e for s, e in taken):
            continue
        taken.append((a_start, a_end))
        out.append(_statement(text, a_start, a_end, n, level))
    return out


def _paragraph_bounds(text: str, start: int, end: int) -> Span:
    lo = text.rfind("\n\n", max(0, start - 1500), start)
    lo = lo + 2 if lo >= 0 else max(0, start - 1200)
    hi = text.find("\n\n", end, end + 600)
    hi = hi if hi >= 0 else min(len(text), end + 500)
    return lo, hi


def _statement(text: str, a_start: int, a_end: int, n: str, level: str) -> SampleSizeStatement:
    lo, hi = _paragraph_bounds(text, a_start, a_end)
    before = text[lo:a_start]
    after_start = a_end
    drop = DROPOUT.search(text, after_start, min(hi, after_start + 300))
    dropout = dropout_span = None
    final = final_span = None
    total = total_span = None
    if drop:
        g = "d" if drop.group("d") else "d2"
        dropout, dropout_span = drop.group(g), (drop.start(g), drop.end(g))
        f = FINAL.search(text, drop.end(), min(hi, drop.end() + 250))
        if f:
            final, final_span = f.group("n"), (f.start(), f.end())
        t = TOTAL.search(text, drop.end(), min(hi, drop.end() + 300))
        if t:
            g = next(k for k in ("n", "n2", "n3") if t.group(k))
            total, total_span = t.group(g), (t.start(g), t.end(g))
    alpha = alpha_span = None
    m = ALPHA.search(text, lo, hi)
    if m:
        alpha, alpha_span = m.group("a"), (m.start("a"), m.end("a"))
    power = power_span = None
    power_from = ""
    m = POWER.search(text, lo, hi)
    excluded: list[Span] = []
    if m:
        g = "pw" if m.group("pw") else "pw2"
        power, power_from, power_span = m.group(g), "power", (m.start(g), m.end(g))
        excluded.append(power_span)
    b = BETA.search(text, lo, hi)
    if b:
        excluded.append((b.start("b"), b.end("b")))
        if power is None:
            power, power_from, power_span = b.group("b"), "beta", (b.start("b"), b.end("b"))
    if alpha_span:
        excluded.append(alpha_span)
    if dropout_span:
        excluded.append(dropout_span)
    passage = text[lo:hi]
    sided = 2 if TWO_SIDED.search(passage) else 1 if ONE_SIDED.search(passage) else None
    rates = []
    for r in PCT_OR_RANGE.finditer(text, lo, a_start):
        if any(s < r.end() and r.start() < e for s, e in excluded):
            continue
        if INCREMENT_BEFORE.search(text[max(0, r.start() - 30):r.start()]):
            continue
        if DROPOUT.match(text, r.start()):
            continue
        rates.append(r)
    p1 = p2 = None
    p_spans: tuple[Span, ...] = ()
    if len(rates) == 2:
        p1, p2 = ((r.group("lo"), r.group("hi") or r.group("lo")) for r in rates)
        p_spans = tuple((r.start(), r.end()) for r in rates)
    sd_m = SD.search(before)
    delta_m = DELTA.search(before)
    es_m = EFFECT_SIZE.search(before)
    hr_m = HR.search(before)
    mean_spans = tuple((lo + m.start(), lo + m.end()) for m in (sd_m, delta_m, es_m) if m)
    return SampleSizeStatement(
        start=lo, end=hi, n_required=n, required_span=(a_start, a_end), required_level=level,
        dropout=dropout, dropout_span=dropout_span, n_final=final, final_span=final_span,
        total=total, total_span=total_span, alpha=alpha, alpha_span=alpha_span, sided=sided,
        power=power, power_from=power_from, power_span=power_span, p1=p1, p2=p2, p_spans=p_spans,
        delta=delta_m.group("d") if delta_m else None, sd=sd_m.group("sd") if sd_m else None,
        effect_size=(es_m.group("es") or es_m.group("es2")) if es_m else None,
        hr=hr_m.group("hr") if hr_m else None, mean_spans=mean_spans,
        survival=bool(SURVIVAL.search(passage)), continuity_correction=bool(CC.search(passage)),
        quote_start=a_start, quote_end=a_end,
    )
