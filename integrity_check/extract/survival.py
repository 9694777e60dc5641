"""Survival facts: medians and landmark rates of an endpoint and arm; the enrolment period and the
follow-up cut-off. All go to ``facts.survival`` (three dataclasses, told apart by type).

Endpoints: PFS, OS, DFS, RFS, EFS, TTP, DSS, CSS, MFS, DMFS, LRFS, FFS and their spelled-out forms
("progression-free survival"); a bare "survival" ("median survival", "2-year survival rate") is
read as OS with medium confidence.

Medians (prose): "median OS was 35.6 months (95% CI: 31.2–40.0 months) in the observation group
and 27.0 months (95% CI ...) in the control group", "median PFS of 30.4 (95% CI ...) months",
"median OS was not reached in ...", "Median OS was 30.4 versus 17.9 months". The first value's
quote runs from "median" to its unit, later values quote the value and unit. Values followed by
"longer", "shorter", "more" ... (differences) or preceded by "by" are not medians.

Landmark rates (prose): a time point ("1-year", "1-, 2-, 3-year", "24-month", "at 2 years",
"five-year") near an endpoint, then percentages: "the 2-year OS rate was 64.4% (vs 42.2% in the
control group)", "1-, 2-, 3-year PFS (72.2%/45.6%/31.1% vs. 51.1%/26.7%/15.6%)", "At 2 years after
surgery, the OS rate was 64.4% in the observation group and 42.2% in the control group". With k
time points, values come in groups of k ("72.2%/45.6%/31.1%").

Arms: a value (or group) directly followed by "in/for/among the <arm>" takes that arm (high);
values followed by "respectively" take the arms named in the sentence in order when their number
matches (medium); otherwise the arm is None (checks that compare arms skip those).

Tables: rows whose label cells (or the nearest heading row above, or the caption) name an endpoint
and a time point reuse ``facts.proportions`` of that row ("OS | 2 Years Post-Operative | 24 (64.4)
| 16 (42.2)"); rows labelled "Median OS (months)" give medians in the arm columns.

Flags (checks skip flagged facts): "external" (citation markers, "et al", "previous(ly)",
"reported", "literature", another trial named), "assumption" (sample-size assumptions: "assumed",
"expected", "would", "sample size", "power"), "subgroup" ("subgroup", "patients with", "among
those"), "range" ("25%-30%").

Study period: "From January 2019 to February 2022 ..." / "between March 2020 and August 2022" in a
sentence about enrolment (enrolled, admitted, recruited, randomized, included, treated, patients)
and a follow-up cut-off ("The follow-up deadline was February 2025", "followed up until ...",
"data cut-off ...", "last follow-up ...").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional

from ..model import Document, Facts, Table
from .cells import parse_arm_header, split_sentences
from .groups import ArmRegistry, arm_key

# ------------------------------------------------------------------------------------------- facts


@dataclass(frozen=True)
class SurvivalMedian:
    """A median survival time of an endpoint and arm ("median OS was 35.6 months")."""

    endpoint: str  # "OS", "PFS", ...
    arm: Optional[str]  # arm key ("control group"), None when not tied to an arm
    value: Optional[str]  # the number as printed; None when not reached
    unit: str  # "months", "years", "weeks", "days"
    not_reached: bool
    start: int  # the quote
    end: int
    value_start: int
    value_end: int
    confidence: str
    source: str  # "prose" or "table"
    flags: tuple[str, ...] = ()
    table: Optional[str] = None
    row: Optional[int] = None
    col: Optional[int] = None


@dataclass(frozen=True)
class LandmarkRate:
    """A survival rate at a time point ("the 2-year OS rate was 64.4%")."""

    endpoint: str
    arm: Optional[str]
    time_raw: str  # "2-year", "2 Years Post-Operative"
    months: float  # the time point in months
    percent: str
    count: Optional[str]  # when printed with the rate ("24 (64.4)")
    n: Optional[int]  # the arm's n when known
    start: int
    end: int
    confidence: str
    source: str
    flags: tuple[str, ...] = ()
    table: Optional[str] = None
    row: Optional[int] = None
    col: Optional[int] = None


@dataclass(frozen=True)
class StudyPeriod:
    """An enrolment period ("From January 2019 to February 2022") or a follow-up cut-off."""

    kind: str  # "enrolment" or "cutoff"
    first: Optional[tuple[int, int]]  # (year, month) of the start; None for a cut-off
    last: tuple[int, int]  # (year, month) of the end or cut-off
    raw: str
    start: int
    end: int


# ------------------------------------------------------------------------------------------- words

ENDPOINT_LONG = [
    (r"overall\s+survival", "OS"),
    (r"progression[-\s]?free\s+survival", "PFS"),
    (r"disease[-\s]?free\s+survival", "DFS"),
    (r"(?:recurrence|relapse)[-\s]?free\s+survival", "RFS"),
    (r"event[-\s]?free\s+survival", "EFS"),
    (r"time\s+to\s+(?:tumou?r\s+)?progression", "TTP"),
    (r"disease[-\s]?specific\s+survival", "DSS"),
    (r"cancer[-\s]?specific\s+survival", "CSS"),
    (r"(?:distant\s+)?metastasis[-\s]?free\s+survival", "MFS"),
    (r"failure[-\s]?free\s+survival", "FFS"),
]
ENDPOINT_ABBR = ("OS", "PFS", "DFS", "RFS", "EFS", "TTP", "DSS", "CSS", "MFS", "DMFS", "LRFS", "FFS")
ENDPOINT = re.compile(
    "|".join([f"(?P<L{i}>{p})(?:\\s*[(\\[]\\s*[A-Z]{{2,5}}\\s*[)\\]])?" for i, (p, _) in enumerate(ENDPOINT_LONG)]
             + [r"(?<![\w-])(?P<abbr>" + "|".join(ENDPOINT_ABBR) + r")(?![\w-])",
                r"(?P<bare>\bsurvival)(?!\s+(?:curves?|analys[ie]s|benefit|data|time\s+to))"]),
    re.IGNORECASE,
)
WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10}
TNUM = r"(?:\d{1,3}(?:\.\d)?|one|two|three|four|five|six|seven|eight|nine|ten)"
TUNIT = r"(?P<unit>years?|yrs?|months?|mos?)\b"
# "1-, 2-, 3-year", "1-, 2- and 3-year", "3-year", "24-month", "five-year"
TIME_HYPHEN = re.compile(rf"(?<![\w.])(?P<nums>(?:{TNUM}\s*-\s*(?:,\s*)?(?:(?:and|or|&)\s+)?)*{TNUM})\s*-\s*{TUNIT}", re.IGNORECASE)
# "at 2 years", "at 1, 2 and 3 years", "at 24 months"
TIME_AT = re.compile(rf"\b(?:at|after)\s+(?P<nums>(?:{TNUM}\s*(?:,|and|or|&)\s*(?:and\s+)?)*{TNUM})\s+{TUNIT}", re.IGNORECASE)
TIME_LABEL = re.compile(rf"(?<![\w.])(?P<nums>{TNUM})\s*[-\s]?\s*{TUNIT}", re.IGNORECASE)

PCT = re.compile(r"(?<![\d.])(?P<v>\d{1,3}(?:\.\d+)?)\s*%")
RANGE_PCT = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d+)?\s*%?\s*(?:-|–|~|to)\s*\d{1,3}(?:\.\d+)?\s*%")
NOT_A_RATE_BEFORE = re.compile(r"(?:\bby|\babout|\bapproximately|\bnearly|\baround|\bover|\bunder|\bup\s+to|\bCI|confidence|interval|±|\bP|\bp|[<>≤≥]|\bHR|\bOR|increase[ds]?|decrease[ds]?|improve[ds]?|reduc\w*)\s*:?\s*$", re.IGNORECASE)
NOT_A_RATE_AFTER = re.compile(r"^\s*(?:CI|confidence|higher|lower|more|less|increase|decrease|reduction|improvement|points?|of\s+(?:the\s+)?patients)", re.IGNORECASE)

DURATION = re.compile(r"(?<![\d.])(?P<v>\d{1,4}(?:\.\d+)?)(?:\s*(?P<unit>months?|mos?\.?|years?|yrs?|weeks?|wks?|days?)\b)?")
NOT_REACHED = re.compile(r"\b(?:was\s+|were\s+|had\s+)?(?:not\s+(?:yet\s+)?(?:been\s+)?reached|NR\b)", re.IGNORECASE)
DIFFERENCE_AFTER = re.compile(r"^\s*(?:months?|years?|weeks?|days?)?\s*(?:longer|shorter|more|less|higher|lower|greater|gain|improvement|extension|difference|prolong)", re.IGNORECASE)
DIFFERENCE_BEFORE = re.compile(r"(?:\bby|\bof\s+only|\bdifference\s+of|\bgain\s+of|[<>≤≥±]|\bCI:?|\bHR|–|-|\bto)\s*$", re.IGNORECASE)
MASK_PAREN = re.compile(r"[(\[][^()\[\]]*(?:CI|confiden|HR\b|hazard|P\s*[=<>]|p\s*[=<>]|range|IQR|interquartile|log-?rank|χ|chi)[^()\[\]]*[)\]]", re.IGNORECASE)

EXTERNAL = re.compile(
    r"\bet\s+al\b|\(\s*\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\s*\)|\[\s*\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\s*\]|\bprevious(?:ly)?\b|"
    r"\breported\b|\bliterature\b|\bmeta-?analys|\bother\s+stud|\bprior\s+stud|\bphase\s+(?:I{1,3}|[123])\b|\btrial\s+(?:showed|reported|found)",
    re.IGNORECASE)
ASSUMPTION = re.compile(r"\bassum|\bexpected\b|\bwould\b|\bsample\s+size\b|\bpower\b|\banticipat|\bhypothes|\bestimated\s+to\b", re.IGNORECASE)
SUBGROUP = re.compile(r"\bsubgroups?\b|\bpatients\s+with\b|\bthose\s+with\b|\bamong\s+(?:patients|those)\b|\bstratified\b|\bsubset\b", re.IGNORECASE)
SENTENCE_SPLIT = re.compile(r"(?<=[.;!?])\s+(?=[A-Z(\[])|\n\s*\n|\n(?=\t)|\n(?=\d+(?:\.\d+)+\s+[A-Z][a-z])|\n(?=(?:Figure|Fig\.|Table)\s*S?\d)")
ARM_AFTER = re.compile(r"^\s*(?:[(\[][^()\[\]]{0,120}[)\]]\s*)?,?\s*(?:in|for|among|with|of)\s+(?:the\s+|our\s+|this\s+)?", re.IGNORECASE)

MONTHS = {m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
DATE = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?P<M>{MONTH})\s*(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s*)?(?P<Y>(?:19|20)\d\d)"
PERIOD = re.compile(
    rf"\b(?:from|between)\s+{DATE.replace('<M>', '<m1>').replace('<Y>', '<y1>')}\s*(?:to|and|until|till|through|-|–)\s*"
    rf"{DATE.replace('<M>', '<m2>').replace('<Y>', '<y2>')}", re.IGNORECASE)
ENROLMENT_WORDS = re.compile(r"\benrol+(?:ed|ment)?\b|\badmitted\b|\brecruit|\brandomi[sz]|\bincluded\b|\bselected\b|\btreated\b|\bpatients\b|\bparticipants\b|\bcases\b|\bunderwent\b|\baccrual\b|\bscreened\b", re.IGNORECASE)
NOT_ENROLMENT = re.compile(r"\bfollow(?:ed)?[-\s]?up\b|\bcut-?off\b|\bdeadline\b", re.IGNORECASE)
CUTOFF = re.compile(
    rf"(?:\bfollow(?:ed)?[-\s]?up\b|\bdata\s+cut-?off\b|\bcut-?off\s+date\b|\bdatabase\s+lock\b|\blast\s+follow-?up\b)"
    rf"[^.;]{{0,60}}?\b(?:deadline|until|till|ended|end|through|to|on|in|was|cut-?off|date)\b[^.;\d]{{0,20}}?{DATE}", re.IGNORECASE)


# ------------------------------------------------------------------------------------------- entry


def extract_survival(doc: Document, facts: Facts, registry: ArmRegistry) -> None:
    facts.survival.extend(prose_medians(doc, registry))
    facts.survival.extend(prose_landmarks(doc, registry))
    for table in doc.tables:
        facts.survival.extend(table_survival(doc, table, facts.proportions, registry))
    facts.survival.extend(study_periods(doc))


def endpoint_of(match: re.Match) -> str:
    for i, (_, name) in enumerate(ENDPOINT_LONG):
        if match.group(f"L{i}"):
            return name
    if match.group("abbr"):
        return match.group("abbr").upper()
    return "OS"


def endpoint_in(text: str) -> Optional[str]:
    m = ENDPOINT.search(text)
    return endpoint_of(m) if m else None


def time_months(nums: str, unit: str) -> list[float]:
    """"1-, 2-, 3", "year" -> [12, 24, 36]."""
    factor = 12.0 if unit.lower().startswith("y") else 1.0
    out = []
    for tok in re.findall(r"\d+(?:\.\d)?|[A-Za-z]+", nums):
        if tok.lower() in WORD_NUMBERS:
            out.append(WORD_NUMBERS[tok.lower()] * factor)
        elif tok[0].isdigit():
            out.append(float(tok) * factor)
    return out


def _sentences(text: str) -> Iterable[tuple[int, str]]:
    return split_sentences(text, SENTENCE_SPLIT)


def _flags(sentence: str) -> tuple[str, ...]:
    out = []
    if EXTERNAL.search(sentence):
        out.append("external")
    if ASSUMPTION.search(sentence):
        out.append("assumption")
    if SUBGROUP.search(sentence):
        out.append("subgroup")
    return tuple(out)


def _mask(sentence: str) -> str:
    """Blank out parentheticals holding CIs, p values, ratios, ranges (offsets are kept)."""
    prev = None
    s = sentence
    while prev != s:
        prev = s
        s = MASK_PAREN.sub(lambda m: " " * len(m.group(0)), s)
    return s


def _prose_sentences(doc: Document):
    spans = [(t.start, t.end) for t in doc.tables]
    for s_start, sentence in _sentences(doc.text):
        if any(a <= s_start < b for a, b in spans) or "[image:" in sentence:
            continue
        yield s_start, sentence


def _arm_after(sentence: str, pos: int, registry: ArmRegistry) -> Optional[str]:
    """The arm named right after position ``pos`` ("... in the control group")."""
    m = ARM_AFTER.match(sentence[pos:pos + 160])
    if not m:
        return None
    rest = sentence[pos + m.end(): pos + m.end() + 80]
    for offset, arm in registry.mentions(rest):
        if offset == 0:
            return arm_key(arm.label)
    return None


def _arms_in_order(sentence: str, registry: ArmRegistry, before: int) -> list[str]:
    """Distinct arms named in ``sentence[:before]``, in order of first mention; overlapping
    mentions ("observation group" inside "point observation group") count once."""
    seen: list[str] = []
    last_end = -1
    for pos, arm in registry.mentions(sentence[:before]):
        key = arm_key(arm.label)
        if pos < last_end:
            continue
        last_end = pos + len(key)
        if key not in seen:
            seen.append(key)
    return seen


def _assign_arms(sentence: str, groups: list[tuple[int, int]], registry: ArmRegistry) -> list[tuple[Optional[str], str]]:
    """Arms (and confidence) for value groups given as (start, end) in ``sentence``."""
    direct = [_arm_after(sentence, end, registry) for _, end in groups]
    if all(direct):
        return [(a, "high") for a in direct]
    last_end = groups[-1][1]
    if re.match(r"^[^.;]{0,60}?\brespectively\b", sentence[last_end:], re.IGNORECASE):
        arms = _arms_in_order(sentence, registry, groups[0][0])
        if len(arms) == len(groups):
            return [(a, "medium") for a in arms]
    return [(a, "high") if a else (None, "low") for a in direct]


# ------------------------------------------------------------------------------------------- medians


def prose_medians(doc: Document, registry: ArmRegistry) -> list[SurvivalMedian]:
    out: list[SurvivalMedian] = []
    for s_start, sentence in _prose_sentences(doc):
        masked = _mask(sentence)
        flags = _flags(sentence)
        for head in re.finditer(r"\bmedian\b", masked, re.IGNORECASE):
            ep = ENDPOINT.match(masked, _skip_spaces(masked, head.end()))
            if not ep:
                continue
            endpoint = endpoint_of(ep)
            if ep.group("bare") and re.match(r"\s*(?:time\s+)?(?:of|was|were|is|:)", masked[ep.end():]) is None:
                continue
            clause_end = _clause_end(masked, ep.end())
            values = _durations(masked, ep.end(), clause_end)
            if not values:
                continue
            groups = [(v[0], v[1]) for v in values]
            arms = _assign_arms(masked, groups, registry)
            for i, ((v_start, v_end, value, unit, nr), (arm, conf)) in enumerate(zip(values, arms)):
                if unit is None and not nr:
                    continue
                q_start = head.start() if i == 0 else v_start
                conf = "medium" if conf == "high" and ep.group("bare") else conf
                out.append(SurvivalMedian(
                    endpoint=endpoint, arm=arm, value=value, unit=unit or "months", not_reached=nr,
                    start=s_start + q_start, end=s_start + v_end, value_start=s_start + v_start,
                    value_end=s_start + v_end, confidence=conf, source="prose", flags=flags))
    return out


def _skip_spaces(s: str, pos: int) -> int:
    m = re.compile(r"\s*(?:(?:time|duration)\s+(?:of|for)\s+|\b(?:the|of)\s+)?").match(s, pos)
    return m.end() if m else pos


def _clause_end(masked: str, pos: int) -> int:
    """End of the run of values after a median head: before the next median, landmark time point,
    percentage, or semicolon."""
    ends = [len(masked)]
    for pattern in (re.compile(r"\bmedian\b", re.IGNORECASE), TIME_HYPHEN, TIME_AT, re.compile(r"%|;|\bwhereas\b|\bwhile\b")):
        m = pattern.search(masked, pos)
        if m:
            ends.append(m.start())
    return min(ends)


def _durations(masked: str, start: int, end: int) -> list[tuple[int, int, Optional[str], Optional[str], bool]]:
    """(start, end, value, unit, not_reached) for the time values in masked[start:end]; values
    without a unit take the unit of the next value when joined by vs/and/or."""
    items = []
    for m in re.finditer(rf"{NOT_REACHED.pattern}|{DURATION.pattern}", masked[:end], re.IGNORECASE):
        if m.start() < start:
            continue
        text = m.group(0)
        if m.groupdict().get("v") is None:
            s_off = m.start() + len(text) - len(text.lstrip())
            items.append([s_off, m.end(), None, None, True])
            continue
        before = masked[max(0, m.start() - 14):m.start()]
        if DIFFERENCE_BEFORE.search(before) or DIFFERENCE_AFTER.match(masked[m.end():m.end() + 30]):
            return []  # "median OS was 8.6 months longer", "prolonged median OS by 4.7 months": a difference
        if re.match(r"\s*(?:%|patients|participants|cases|events|deaths|cycles)", masked[m.end():]):
            continue
        unit = _unit(m.group("unit")) if m.group("unit") else None
        items.append([m.start(), m.end(), m.group("v"), unit, False])
    for i in range(len(items) - 2, -1, -1):
        if items[i][3] is None and not items[i][4] and items[i + 1][3] is not None:
            gap = masked[items[i][1]:items[i + 1][0]]
            if re.fullmatch(r"\s*(?:vs\.?|versus|and|or|,|to)\s*", gap, re.IGNORECASE):
                items[i][3] = items[i + 1][3]
    return [tuple(it) for it in items]


def _unit(raw: str) -> Optional[str]:
    s = raw.lower()
    if s.startswith("mo"):
        return "months"
    if s.startswith("y"):
        return "years"
    if s.startswith("w"):
        return "weeks"
    if s.startswith("d"):
        return "days"
    return None


# ------------------------------------------------------------------------------------------- landmarks


def prose_landmarks(doc: Document, registry: ArmRegistry) -> list[LandmarkRate]:
    out: list[LandmarkRate] = []
    for s_start, sentence in _prose_sentences(doc):
        if "%" not in sentence:
            continue
        masked = _mask(sentence)
        flags = _flags(sentence)
        times = sorted(list(TIME_HYPHEN.finditer(masked)) + list(TIME_AT.finditer(masked)), key=lambda m: m.start())
        times = [t for i, t in enumerate(times) if not any(o.start() <= t.start() < o.end() for o in times[:i])]
        endpoints = list(ENDPOINT.finditer(masked))
        value_at = list(VALUE_AT.finditer(masked))
        if value_at:  # "27.6% at 1 year, 17.7% at 2 years": the time point follows its value
            out.extend(_values_at_times(registry, masked, s_start, value_at, endpoints, flags))
            continue
        for i, t in enumerate(times):
            seg_end = min(times[i + 1].start() if i + 1 < len(times) else len(masked), t.end() + SEGMENT_LIMIT)
            months = time_months(t.group("nums"), t.group("unit"))
            if not months:
                continue
            out.extend(_landmark_segment(doc, registry, sentence, masked, s_start, t, months, endpoints, seg_end, flags))
    return out


SEGMENT_LIMIT = 220  # rates farther than this from their time point are not read
VALUE_AT = re.compile(rf"(?<![\d.])(?P<v>\d{{1,3}}(?:\.\d+)?)\s*%\s*,?\s*(?:at|after)\s+(?P<nums>{TNUM})\s+{TUNIT}", re.IGNORECASE)


def _values_at_times(registry, masked, s_start, matches, endpoints, flags):
    out = []
    for m in matches:
        before = [e for e in endpoints if m.start() - 150 <= e.end() <= m.start()]
        if not before:
            continue
        ep = before[-1]
        months = time_months(m.group("nums"), m.group("unit"))
        if len(months) != 1:
            continue
        ((arm, conf),) = _assign_arms(masked, [(m.start(), m.end())], registry)
        if ep.group("bare") and conf == "high":
            conf = "medium"
        out.append(LandmarkRate(
            endpoint=endpoint_of(ep), arm=arm, time_raw=" ".join(m.group(0)[m.end("v") - m.start():].split()).lstrip("% ,"),
            months=months[0], percent=m.group("v"), count=None, n=_arm_n(registry, arm), start=s_start + m.start("v"),
            end=s_start + m.end("v") + 1 if masked[m.end("v"):m.end("v") + 1] == "%" else s_start + m.end("v"),
            confidence=conf, source="prose", flags=flags))
    return out


def _landmark_segment(doc, registry, sentence, masked, s_start, t, months, endpoints, seg_end, flags):
    """Rates after time phrase ``t`` up to ``seg_end``, split where another endpoint is named."""
    near = [e for e in endpoints if t.end() <= e.start() <= t.end() + 40 or t.start() - 40 <= e.end() <= t.start()]
    if not near:
        return []
    first = min(near, key=lambda e: abs(e.start() - t.end()) if e.start() >= t.end() else abs(t.start() - e.end()) + 5)
    pieces = []  # (endpoint match, start, end)
    later = [e for e in endpoints if max(t.end(), first.end()) <= e.start() < seg_end and e is not first]
    cur, cur_start = first, max(t.end(), first.end())
    for e in later:
        if PCT.search(masked, cur_start, e.start()):
            pieces.append((cur, cur_start, e.start()))
            cur, cur_start = e, e.end()
    pieces.append((cur, cur_start, seg_end))
    out = []
    for ep, a, b in pieces:
        seg = masked[a:b]
        local_flags = flags + (("range",) if RANGE_PCT.search(seg) else ())
        values = [m for m in PCT.finditer(masked, a, b)
                  if not NOT_A_RATE_BEFORE.search(masked[max(0, m.start() - 20):m.start()])
                  and not NOT_A_RATE_AFTER.match(masked[m.end():m.end() + 25])]
        if not values:
            continue
        k = len(months)
        if len(values) % k:
            continue
        groups = [values[j:j + k] for j in range(0, len(values), k)]
        if k > 1 and any(not re.fullmatch(r"\s*(?:/|,|;|and|,\s*and)\s*", masked[g[j].end():g[j + 1].start()])
                         for g in groups for j in range(k - 1)):
            continue
        arms = _assign_arms(masked, [(g[0].start(), g[-1].end()) for g in groups], registry)
        endpoint = endpoint_of(ep)
        for g, (arm, conf) in zip(groups, arms):
            if ep.group("bare"):
                conf = "medium" if conf == "high" else conf
            for m, mo in zip(g, months):
                out.append(LandmarkRate(
                    endpoint=endpoint, arm=arm, time_raw=" ".join(t.group(0).split()), months=mo, percent=m.group("v"),
                    count=None, n=_arm_n(registry, arm), start=s_start + m.start(), end=s_start + m.end(),
                    confidence=conf, source="prose", flags=local_flags))
    return out


def _arm_n(registry: ArmRegistry, arm: Optional[str]) -> Optional[int]:
    if not arm:
        return None
    found = registry.find(arm)
    return found.n if found else None


# ------------------------------------------------------------------------------------------- tables


def table_survival(doc: Document, table: Table, proportions, registry: ArmRegistry) -> list:
    out: list = []
    caption_ep = _single_endpoint(table.caption)
    arm_cols = _arm_columns(table, registry)
    if not arm_cols:
        return _arms_as_rows(table, registry, caption_ep)
    current_ep: Optional[str] = None
    by_row: dict[int, list] = {}
    for p in proportions:
        if p.table == table.label and p.row is not None and p.percent is not None:
            by_row.setdefault(p.row, []).append(p)
    for row in table.body():
        if not row:
            continue
        labels = [c for c in row if c.col not in arm_cols and not _is_value(c.text)]
        label_text = " ".join(" ".join(c.text.split()) for c in labels)
        first = " ".join(row[0].text.split())
        ep_here = endpoint_in(label_text)
        if first and not _is_value(first):
            current_ep = ep_here
        endpoint = ep_here or current_ep or caption_ep
        if not endpoint:
            continue
        if re.search(r"\bmedian\b", label_text, re.IGNORECASE):
            out.extend(_table_medians(table, row, arm_cols, endpoint, label_text))
            continue
        tm = TIME_LABEL.search(label_text)
        if not tm:
            continue
        months = time_months(tm.group("nums"), tm.group("unit"))
        if len(months) != 1:
            continue
        if row[0].row not in by_row and re.search(r"%|\brates?\b", label_text + " " + table.caption):
            out.extend(_bare_rates(table, row, arm_cols, endpoint, tm, months[0], registry))
            continue
        for p in by_row.get(row[0].row, []):
            if p.arm is None:
                continue
            out.append(LandmarkRate(
                endpoint=endpoint, arm=arm_key(p.arm), time_raw=" ".join(tm.group(0).split()), months=months[0],
                percent=p.percent, count=p.count, n=p.n, start=p.start, end=p.end, confidence=p.confidence,
                source="table", flags=_caption_flags(table),
                table=table.label, row=p.row, col=p.col))
    return out


BARE_RATE = re.compile(r"\s*(?P<v>\d{1,3}(?:\.\d+)?)\s*%?\s*(?:[(\[][^)\]]*[)\]])?\s*$")


MEDIAN_CELL = re.compile(r"\s*(?:(?P<nr>NR|not\s+(?:yet\s+)?reached)|(?P<v>\d{1,4}(?:\.\d+)?))", re.IGNORECASE)
DURATION_UNIT = re.compile(r"\b(months?|years?|weeks?|days?|mo)\b", re.IGNORECASE)


def _caption_flags(table: Table) -> tuple[str, ...]:
    return _flags(table.caption) if SUBGROUP.search(table.caption) else ()


def _median_cell(table: Table, cell, endpoint: str, arm: str, unit: Optional[str],
                 flags: tuple[str, ...] = ()) -> Optional[SurvivalMedian]:
    """A median (or "NR") printed in a table cell; a number needs a known unit."""
    m = MEDIAN_CELL.match(cell.text)
    if not m or (m.group("v") and not unit):
        return None
    g = "nr" if m.group("nr") else "v"
    return SurvivalMedian(
        endpoint=endpoint, arm=arm, value=m.group("v"), unit=unit or "months", not_reached=bool(m.group("nr")),
        start=cell.start, end=cell.end, value_start=cell.start + m.start(g), value_end=cell.start + m.end(g),
        confidence="high", source="table", flags=flags, table=table.label, row=cell.row, col=cell.col)


def _rate_cell(table: Table, cell, endpoint: str, arm: str, n: Optional[int], tm, months: float) -> Optional[LandmarkRate]:
    """A landmark rate printed without its count ("45.0", "45.0%", "45.0 (38.2-51.6)")."""
    m = BARE_RATE.match(cell.text)
    if not m or float(m.group("v")) > 100:
        return None
    return LandmarkRate(
        endpoint=endpoint, arm=arm, time_raw=" ".join(tm.group(0).split()), months=months,
        percent=m.group("v"), count=None, n=n, start=cell.start + m.start("v"), end=cell.start + m.end("v"),
        confidence="high", source="table", flags=_caption_flags(table), table=table.label, row=cell.row, col=cell.col)


def _bare_rates(table: Table, row, arm_cols, endpoint, tm, months: float, registry: ArmRegistry) -> list:
    """"2-year OS, % | 45.0 | 40.0": landmark rates printed without counts (Kaplan-Meier estimates)."""
    rates = (_rate_cell(table, cell, endpoint, arm_cols[cell.col], _arm_n(registry, arm_cols[cell.col]), tm, months)
             for cell in row if cell.col in arm_cols)
    return [r for r in rates if r is not None]


def _arms_as_rows(table: Table, registry: ArmRegistry, caption_ep: Optional[str]) -> list:
    """Tables with one row per arm and one column per measure: "Arm A (n=50) | 30.2 | 80.0 | 45.0"
    under "Median OS (months) | 1-year OS (%) | 2-year OS (%)"."""
    columns = {}
    for col in range(1, table.n_cols):
        header = " ".join(table.header_text(col).split())
        endpoint = endpoint_in(header) or caption_ep
        if not endpoint:
            continue
        if re.search(r"\bmedian\b", header, re.IGNORECASE):
            um = DURATION_UNIT.search(header + " " + table.caption)
            if um:
                columns[col] = ("median", endpoint, _unit(um.group(1)), None, None)
            continue
        tm = TIME_LABEL.search(header)
        if tm and re.search(r"%|\brates?\b", header + " " + table.caption):
            months = time_months(tm.group("nums"), tm.group("unit"))
            if len(months) == 1:
                columns[col] = ("rate", endpoint, None, tm, months[0])
    if not columns:
        return []
    out: list = []
    for row in table.body():
        if not row or not row[0].text.strip():
            continue
        label = " ".join(row[0].text.split())
        parsed = parse_arm_header(label)
        arm_fact = None if parsed else registry.find(label)
        if parsed is None and arm_fact is None:
            continue
        arm = arm_key(parsed[0] if parsed else arm_fact.label)
        n = int(parsed[1]) if parsed else arm_fact.n
        for cell in row:
            spec = columns.get(cell.col)
            if spec is None:
                continue
            kind, endpoint, unit, tm, months = spec
            fact = (_median_cell(table, cell, endpoint, arm, unit, _caption_flags(table)) if kind == "median"
                    else _rate_cell(table, cell, endpoint, arm, n, tm, months))
            if fact is not None:
                out.append(fact)
    return out


def _single_endpoint(text: str) -> Optional[str]:
    found = {endpoint_of(m) for m in ENDPOINT.finditer(text)}
    return found.pop() if len(found) == 1 else None


def _is_value(text: str) -> bool:
    """A cell holding a number ("27 (72.2)", "35.6 (31.2-40.0)") or "NR", not a label."""
    if re.fullmatch(r"\s*(?:NR|not\s+(?:yet\s+)?reached)\s*", text, re.IGNORECASE):
        return True
    return bool(re.search(r"\d", text)) and not re.search(r"[A-Za-z]{2,}", text)


def _arm_columns(table: Table, registry: ArmRegistry) -> dict[int, str]:
    out = {}
    for col in range(1, table.n_cols):
        header = table.header_text(col)
        parsed = parse_arm_header(header)
        if parsed:
            out[col] = arm_key(parsed[0])
        elif header:
            arm = registry.find(header)
            if arm:
                out[col] = arm_key(arm.label)
    return out


def _table_medians(table: Table, row, arm_cols, endpoint, label_text) -> list[SurvivalMedian]:
    um = DURATION_UNIT.search(label_text + " " + table.caption)
    unit = _unit(um.group(1)) if um else None
    medians = (_median_cell(table, cell, endpoint, arm_cols[cell.col], unit) for cell in row if cell.col in arm_cols)
    return [m for m in medians if m is not None]


# ------------------------------------------------------------------------------------------- study period


def _month(raw: str) -> int:
    return MONTHS[raw.lower()[:3]]


def study_periods(doc: Document) -> list[StudyPeriod]:
    out = []
    for s_start, sentence in _sentences(doc.text):
        for m in PERIOD.finditer(sentence):
            context = sentence[max(0, m.start() - 120): m.end() + 160]
            if not ENROLMENT_WORDS.search(context) or NOT_ENROLMENT.search(sentence[max(0, m.start() - 60):m.start()]):
                continue
            first = (int(m.group("y1")), _month(m.group("m1")))
            last = (int(m.group("y2")), _month(m.group("m2")))
            if last < first:
                continue
            out.append(StudyPeriod("enrolment", first, last, m.group(0), s_start + m.start(), s_start + m.end()))
        for m in CUTOFF.finditer(sentence):
            out.append(StudyPeriod("cutoff", None, (int(m.group("Y")), _month(m.group("M"))), m.group(0),
                                   s_start + m.start(), s_start + m.end()))
    return out


# ------------------------------------------------------------------------------------------- lookups for checks

UNRELIABLE_FLAGS = frozenset({"external", "assumption", "subgroup", "range"})


def reliable(fact) -> bool:
    """Tied to an arm of this study with at least medium confidence, and not a cited, assumed,
    subgroup or range value."""
    return fact.arm is not None and fact.confidence in ("high", "medium") and not (set(fact.flags) & UNRELIABLE_FLAGS)


def medians(facts: Facts) -> list[SurvivalMedian]:
    return [f for f in facts.survival if isinstance(f, SurvivalMedian)]


def landmarks(facts: Facts) -> list[LandmarkRate]:
    return [f for f in facts.survival if isinstance(f, LandmarkRate)]


def periods(facts: Facts) -> list[StudyPeriod]:
    return [f for f in facts.survival if isinstance(f, StudyPeriod)]


def time_label(months: float) -> str:
    """12 -> "1-year", 18 -> "18-month" (for messages)."""
    if months % 12 == 0:
        return f"{int(months // 12)}-year"
    return f"{months:g}-month"
