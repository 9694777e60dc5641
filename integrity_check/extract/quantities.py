"""Quantities reported in several places: an endpoint's rate or median per arm and time point, and
the study's total sample size, each with where it was printed (abstract, text, table, figure).

Sections are found from heading lines ("Abstract", "1 Introduction", "2 Research methods",
"Results", "4 Discussion", "5 Conclusion", "References"). A paper without an "Abstract" heading
whose heading sequence starts again ("Introduction ... Results ... 1 Introduction") has its first
run taken as the abstract; text before the first heading counts as abstract too ("front").
Figure captions are "[image: ...]" lines and "Figure 1 | ..." / "Fig. 2." caption lines.

What is recorded (narrow on purpose):

- endpoints ORR, DCR, pCR, PFS, OS, DFS, RFS, EFS; statistic "rate" (values with %) or "median"
  (values with a time unit, "median" before the endpoint); the time point of a landmark rate
  ("3-year OS", "At 1 year after surgery, the PFS rate", "1-, 2-, 3-year PFS (72.2%/45.6%/31.1%
  vs. ...)", "(1-3y)", table rows "1 Year Post-Operative");
- tables: cells "26 (68.9)" of an arm column in a row whose label (with the carried-down group
  label) names an endpoint; the arm comes from the column;
- prose: values in the abstract, results, discussion and conclusion sentences that name an
  endpoint, grouped per sentence (``group``); ranges, CIs, p values, approximate values
  ("approximately 20%"), differences ("8.6 months longer") and values attributed to other studies
  ("the EPOC trial reported a 3-year OS of 36%", a citation "(15)") are left out; the arm when the
  value is followed by "in the <arm>" or preceded by "<arm> ... was";
- the total sample size: "a total of 76 patients", "76 patients were randomly ...", "total sample
  size of 76", per verb class (randomized / included / analysed / total), in the abstract, methods
  and results only.

Extraction judges nothing: the XRF and ARI002 checks compare the values.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ..model import Document, Facts, Table
from .cells import parse_arm_header, parse_count_percent
from .claims import APPROX, COMP, NUM, TIME_UNIT, VALUE_WITH_UNIT, _unit_key, not_a_plain_value, sentence_spans
from .groups import ArmRegistry, arm_key

HEADING = re.compile(
    r"^[ \t]*(?:(?:\d+(?:\.\d+)*\.?|[IVX]+\.)[ \t]+)?(?P<name>abstract|summary|introduction|background|"
    r"methods?|materials?\s+and\s+methods|patients\s+and\s+methods|subjects\s+and\s+methods|research\s+methods|"
    r"methodology|study\s+design|results?|findings|discussion|conclusions?|references|bibliography|"
    r"acknowledge?ments?)[ \t]*:?[ \t]*$", re.IGNORECASE | re.MULTILINE)
SECTION_OF = {"abstract": "abstract", "summary": "abstract", "introduction": "introduction", "background": "introduction",
              "results": "results", "result": "results", "findings": "results", "discussion": "discussion",
              "conclusion": "conclusion", "conclusions": "conclusion", "references": "references",
              "bibliography": "references"}

ENDPOINTS = [
    ("ORR", re.compile(r"\bORRs?\b|\bobjective\s+response(?:\s+rates?)?|\boverall\s+response\s+rates?", re.IGNORECASE)),
    ("DCR", re.compile(r"\bDCRs?\b|\bdisease\s+control(?:\s+rates?)?", re.IGNORECASE)),
    ("pCR", re.compile(r"\bpCR\b|\bpathologic(?:al)?\s+complete\s+response", re.IGNORECASE)),
    ("PFS", re.compile(r"\bPFS\b|\bprogression[- ]free\s+survival", re.IGNORECASE)),
    ("DFS", re.compile(r"\bDFS\b|\bdisease[- ]free\s+survival", re.IGNORECASE)),
    ("RFS", re.compile(r"\bRFS\b|\b(?:recurrence|relapse)[- ]free\s+survival", re.IGNORECASE)),
    ("EFS", re.compile(r"\bEFS\b|\bevent[- ]free\s+survival", re.IGNORECASE)),
    ("OS", re.compile(r"\bOS\b|\boverall\s+survival", re.IGNORECASE)),
]
SURVIVAL = {"PFS", "DFS", "RFS", "EFS", "OS"}
ANY_ENDPOINT = re.compile("|".join(f"(?:{p.pattern})" for _, p in ENDPOINTS), re.IGNORECASE)
TIMEPOINT = re.compile(r"(?<![\d.])(?P<n>\d{1,2})(?:\s*-\s*|\s+)(?P<u>years?|yrs?|y\b|months?|mo\b)", re.IGNORECASE)
AT_TIME = re.compile(r"\bat\s+(?P<n>\d{1,2})\s+(?P<u>years?|months?)\b", re.IGNORECASE)
TIME_LIST = re.compile(r"(?P<list>(?:\d{1,2}\s*-?\s*,\s*(?:and\s+)?)+\d{1,2})\s*-\s*(?P<u>years?|months?)\b|"
                       r"\(\s*(?P<a>\d)\s*[-–]\s*(?P<b>\d)\s*(?P<u2>y|yr|years?)\s*\)", re.IGNORECASE)
SLASH_LIST = re.compile(rf"(?P<list>{NUM}\s*%(?:\s*/\s*{NUM}\s*%)+)")
FOREIGN = re.compile(r"\b(?:trials?|reported|reporting|reports|previous(?:ly)?|prior\s+stud\w+|literature|meta-analys[ie]s|"
                     r"et\s+al|guidelines?|studies|registry|historical)\b|[\[(]\d{1,3}(?:\s*[,–-]\s*\d{1,3})*[\])]",
                     re.IGNORECASE)
OURS = re.compile(r"\b(?:our|we|this\s+study|the\s+present\s+study|the\s+current\s+study)\b", re.IGNORECASE)
N_STATEMENT = re.compile(
    r"\b(?P<lead>a\s+total\s+of|total\s+sample\s+size\s+(?:was|of)|in\s+total,?|overall,?)?\s*(?P<n>\d{2,6})\s+"
    r"(?:(?:eligible|consecutive|adult|[A-Z]{2,6})\s+)?(?P<who>patients|participants|subjects|cases|women|men|children|individuals)\b"
    r"(?P<rest>[^.;]{0,80})", re.IGNORECASE)
FIRST_VERB = re.compile(r"\b(?:were|was)\s+(?:then\s+|subsequently\s+|finally\s+)?\w+", re.IGNORECASE)
VERB_CLASS = [
    ("randomized", re.compile(r"\b(?:were|was)?\s*(?:randomi[sz]ed|randomly|allocated|assigned)\b", re.IGNORECASE)),
    ("included", re.compile(r"\b(?:were|was)\s+(?:enrolled|included|recruited|selected)\b", re.IGNORECASE)),
    ("analysed", re.compile(r"\b(?:were|was)\s+analy[sz]ed\b", re.IGNORECASE)),
]


@dataclass(frozen=True)
class Quantity:
    """One printed value of a quantity: ``key`` = (endpoint, time point in months or None, statistic)."""

    endpoint: str  # "OS", "ORR", "N"
    timepoint: Optional[int]  # months; None when not a landmark
    statistic: str  # "rate", "median", "n-randomized", "n-included", "n-analysed", "n-total"
    value: str  # as printed
    unit: str  # "%", "months", "" (counts)
    start: int  # the value (prose) or the cell (tables)
    end: int
    place: str  # "abstract", "text", "table", "figure"
    section: str  # "abstract", "methods", "results", "discussion", "conclusion", "table", "figure", ""
    group: int  # values printed together (one sentence, one caption, one table row) share a group id
    arm: Optional[str] = None  # arm_key of the arm, when known
    table: Optional[str] = None
    row: Optional[int] = None
    col: Optional[int] = None
    label: str = ""  # the table row label or the endpoint words

    @property
    def key(self) -> tuple:
        return (self.endpoint, self.timepoint, self.statistic)


# ---------------------------------------------------------------------------------------------- sections

def sections(doc: Document) -> list[tuple[int, str]]:
    """(offset, section name) for each heading, with the first run of a repeated heading sequence
    renamed "abstract"; the text before the first heading is "abstract" ("front matter")."""
    heads = []
    for m in HEADING.finditer(doc.text):
        name = re.sub(r"\s+", " ", m.group("name").lower())
        if "method" in name or name == "study design":
            sec = "methods"
        elif name.startswith("acknowledg"):
            sec = "references"
        else:
            sec = SECTION_OF.get(name, name)
        heads.append((m.start(), sec))
    if not heads:
        return [(0, "text")]
    out = [(0, "abstract")] if heads[0][0] > 0 else []
    names = [h[1] for h in heads]
    abstract_end = None
    if "abstract" in names:
        i = names.index("abstract")
        nxt = [h for h in heads[i + 1:] if h[1] == "introduction"]
        abstract_end = nxt[0][0] if nxt else (heads[i + 1][0] if i + 1 < len(heads) else None)
    else:
        for i, (off, sec) in enumerate(heads):
            if sec in ("introduction", "results") and sec in names[:i] and "results" in names[:i]:
                # the heading run starts again: the first run was a structured abstract
                intro = [j for j in range(i + 1) if names[j] == "introduction" and j > names.index(sec)]
                abstract_end = heads[intro[0]][0] if intro else off
                break
    for off, sec in heads:
        out.append((off, "abstract" if abstract_end is not None and off < abstract_end else sec))
    if abstract_end is not None and all(o != abstract_end for o, _ in out):
        out.append((abstract_end, "introduction"))
    return sorted(out)


def section_at(secs: list[tuple[int, str]], offset: int) -> str:
    name = secs[0][1] if secs else "text"
    for off, sec in secs:
        if off <= offset:
            name = sec
        else:
            break
    return name


def figure_regions(doc: Document) -> list[tuple[int, int, str]]:
    """Figure captions: "[image: ...]" and "Figure N | ..." / "Fig. N." lines (to the first blank
    line, at most 600 chars). Returns (start, end, label)."""
    text = doc.text
    out = []
    for m in re.finditer(r"\[image:", text):
        end = text.find("]", m.end())
        end = len(text) if end < 0 else end + 1
        nxt = re.search(r"(?:Figure|Fig\.?)\s*(\d+[A-Za-z]?)", text[end:end + 40])
        out.append((m.start(), end, f"Figure {nxt.group(1)}" if nxt else "figure"))
    for m in re.finditer(r"(?m)^[ \t]*(?:Figure|Fig\.?)\s*(?P<n>\d+[A-Za-z]?)\s*[|.:]", text):
        stop = re.search(r"\n[ \t]*\n|\f", text[m.start():m.start() + 600])
        end = m.start() + (stop.start() if stop else min(600, len(text) - m.start()))
        out.append((m.start(), end, f"Figure {m.group('n')}"))
    return sorted(out)


# ---------------------------------------------------------------------------------------------- helpers

def arm_of(registry: ArmRegistry, label: str) -> Optional[str]:
    arm = registry.find(label)
    return arm_key(arm.label) if arm else None


def quantity_at(facts: Facts, offset: int) -> Optional[Quantity]:
    for q in facts.quantities:
        if q.start <= offset < q.end:
            return q
    return None


def _months(n: str, unit: str) -> int:
    return int(n) * (12 if unit.lower().startswith("y") else 1)


def _endpoint_of(label: str) -> Optional[str]:
    found = {name for name, pat in ENDPOINTS if pat.search(label)}
    if len(found) != 1:
        return None
    return found.pop()


def _timepoint_of(label: str) -> Optional[int]:
    tps = {_months(m.group("n"), m.group("u")) for m in TIMEPOINT.finditer(label)}
    tps |= {_months(m.group("n"), m.group("u")) for m in AT_TIME.finditer(label)}
    return tps.pop() if len(tps) == 1 else None


# ---------------------------------------------------------------------------------------------- extraction

def extract_quantities(doc: Document, facts: Facts, registry: ArmRegistry) -> None:
    group = 0
    for table in doc.tables:
        group = _table_quantities(doc, table, facts, group)
    secs = sections(doc)
    figs = figure_regions(doc)
    spans = sentence_spans(doc.text)
    tables = [(t.start, t.end) for t in doc.tables]
    for ss, se in spans:
        if any(a <= ss < b for a, b in tables):
            continue
        fig = next((f for f in figs if f[0] <= ss < f[1]), None)
        section = "figure" if fig else section_at(secs, ss)
        group += 1
        if section in ("abstract", "results", "discussion", "conclusion", "figure", "text"):
            _prose_quantities(doc, facts, registry, ss, se, section, group)
        if section in ("abstract", "methods", "results", "text"):
            _n_statements(doc, facts, ss, se, section, group)
    # a figure caption that spans several "sentences" is one group
    for f0, f1, _ in figs:
        ids = sorted({q.group for q in facts.quantities if f0 <= q.start < f1 and q.place == "figure"})
        if len(ids) > 1:
            facts.quantities[:] = [_regroup(q, ids[0]) if q.group in ids else q for q in facts.quantities]


def _regroup(q: Quantity, gid: int) -> Quantity:
    from dataclasses import replace
    return replace(q, group=gid)


def _table_quantities(doc: Document, table: Table, facts: Facts, group: int) -> int:
    arm_cols = {}
    for col in range(table.n_cols):
        parsed = parse_arm_header(table.header_text(col))
        if parsed:
            arm_cols[col] = arm_key(parsed[0])
    if len(arm_cols) < 1:
        return group
    first_arm = min(arm_cols)
    carry = ""
    for row in table.body():
        lead = [c for c in row if c.col < first_arm]
        first = " ".join(lead[0].text.split()) if lead else ""
        if first and len(lead) > 1:
            carry = first
        label = " ".join(" ".join(c.text.split()) for c in lead if c.text.strip())
        if len(lead) > 1 and not first:
            label = (carry + " " + label).strip()
        endpoint = _endpoint_of(label)
        if endpoint is None:
            continue
        if re.search(r"\b(?:median|mean|hazard|HR|events?)\b", label, re.IGNORECASE):
            continue
        tp = _timepoint_of(label)
        if endpoint in SURVIVAL and tp is None:
            continue
        group += 1
        for c in row:
            if c.col in arm_cols:
                cp = parse_count_percent(c.text)
                if cp and cp.percent:
                    facts.quantities.append(Quantity(endpoint, tp, "rate", cp.percent, "%", c.start, c.end, "table",
                                                     "table", group, arm_cols[c.col], table.label, c.row, c.col, label))
    return group


RATIO_BEFORE = re.compile(r"\b(?:HR|OR|RR)\s*[=:]?\s*$")


def _prose_values(text: str, lo: int, hi: int) -> list[tuple[str, int, int, str]]:
    out = []
    for m in VALUE_WITH_UNIT.finditer(text, lo, hi):
        s, e = m.start("num"), m.end("num")
        unit = _unit_key(m.group("unit") or "") if m.group("unit") else ""
        before = text[max(lo, s - 30):s]
        if not_a_plain_value(text, e, unit, before, text[m.end():m.end() + 30]) or RATIO_BEFORE.search(before):
            continue
        if re.search(rf"{APPROX}\s*$", before, re.IGNORECASE):
            continue
        if re.match(rf"\s*(?:%|{TIME_UNIT.replace('?P<tunit>', '?:')})?\s*(?:relative\s+|absolute\s+)?{COMP}\b", text[e:e + 30],
                    re.IGNORECASE):
            continue  # "8.6 months longer": a difference, not a value
        if re.search(r"\bby\s*$", before, re.IGNORECASE):
            continue
        if re.match(r"\s*[-‐]?\s*(?:years?|months?|y\b)", text[e:e + 10], re.IGNORECASE) and re.match(r"\s*-", text[e:e + 3]):
            continue  # "3-year": a time point
        out.append((m.group("num"), s, e, unit))
    return out


def _prose_quantities(doc, facts, registry, ss, se, section, group) -> None:
    text = doc.text
    sentence = text[ss:se]
    mentions = [(m.start(), m.end(), name) for name, pat in ENDPOINTS for m in pat.finditer(sentence)]
    if not mentions:
        return
    mentions.sort()
    # drop mentions nested in a longer one ("overall survival" vs "OS" inside it never overlaps; keep first)
    place = "figure" if section == "figure" else ("abstract" if section == "abstract" else "text")
    inherited_tps: Optional[list[int]] = None
    for i, (ms, me, name) in enumerate(mentions):
        seg_lo = ss + me
        seg_hi = ss + mentions[i + 1][0] if i + 1 < len(mentions) else se
        if seg_hi <= seg_lo:
            continue
        head = text[max(ss, ss + ms - 45):ss + ms]
        clause_head = re.split(r"[;]|,\s+(?:and|while|whereas)\s", head)[-1]
        median = bool(re.search(r"\bmedian\b", clause_head + text[ss + me:ss + me + 12], re.IGNORECASE))
        values = _prose_values(text, seg_lo, seg_hi)
        if not values:
            continue
        seg_text = text[seg_lo:seg_hi]
        # time points: a list "1-, 2-, 3-year" / "(1-3y)", or one time point before or in the segment
        tlist = _time_list(clause_head + " " + seg_text[:60]) or None
        if tlist is None and inherited_tps and SLASH_LIST.search(seg_text):
            tlist = inherited_tps
        if tlist is None and name in SURVIVAL and SLASH_LIST.search(seg_text):
            tlist = _time_list(seg_text)
        if tlist:
            inherited_tps = tlist
            lists = list(SLASH_LIST.finditer(text, seg_lo, seg_hi))
            for lm in lists:
                nums = [(x.group(0), lm.start() + x.start(), lm.start() + x.end())
                        for x in re.finditer(NUM, lm.group("list"))]
                if len(nums) != len(tlist):
                    continue
                for (raw, s, e), tp in zip(nums, tlist):
                    if not _foreign(text, ss, s):
                        facts.quantities.append(Quantity(name, tp, "rate", raw, "%", s, e, place, section, group,
                                                         _arm_near(text, registry, s, e, seg_lo, seg_hi), label=name))
            continue
        if median:
            unit_ok = [v for v in values if v[3] in ("months", "weeks", "days", "years")]
            stat, tp = "median", None
        else:
            unit_ok = [v for v in values if v[3] == "%"]
            stat = "rate"
            tp = _timepoint_of(clause_head + " " + text[ss + ms:ss + me + 25]) if name in SURVIVAL else None
            if tp is None and name in SURVIVAL:
                # "At 1 year after surgery, the PFS rate was ...": a time point earlier in the sentence
                tp = _timepoint_of(text[ss:ss + ms]) if len(mentions) == 1 else None
            if name in SURVIVAL and tp is None:
                continue
        if not unit_ok or len(unit_ok) > 2:
            continue
        if _other_qualifier(clause_head):
            continue
        for raw, s, e, unit in unit_ok:
            if _foreign(text, ss, s):
                continue
            facts.quantities.append(Quantity(name, tp, stat, raw, unit, s, e, place, section, group,
                                             _arm_near(text, registry, s, e, seg_lo, seg_hi), label=name))


def _other_qualifier(head: str) -> bool:
    """Subgroups and other qualifiers before the endpoint: "grade 1", "among patients with ..."."""
    return bool(re.search(r"\b(?:subgroup|among|grade|patients\s+with|in\s+those|stratum|strata)\b", head, re.IGNORECASE))


def _time_list(s: str) -> Optional[list[int]]:
    m = TIME_LIST.search(s)
    if not m:
        return None
    if m.group("list"):
        nums = re.findall(r"\d{1,2}", m.group("list"))
        return [_months(n, m.group("u")) for n in nums]
    a, b = int(m.group("a")), int(m.group("b"))
    if b <= a or b - a > 5:
        return None
    return [_months(str(k), "y") for k in range(a, b + 1)]


def _foreign(text: str, sentence_start: int, value_start: int) -> bool:
    """Is the value attributed to another study (the clause before it names a trial, the
    literature, a citation)?"""
    seg = text[sentence_start:value_start]
    hits = list(FOREIGN.finditer(seg))
    if not hits:
        return False
    return not OURS.search(seg, hits[-1].end())


def _arm_near(text: str, registry: ArmRegistry, s: int, e: int, lo: int, hi: int) -> Optional[str]:
    """The arm named right after the value ("48.9% in the observation group") or right before it
    ("in the observation group was 48.9%")."""
    after = text[e:min(hi, e + 40)]
    m = re.match(r"\s*%?\s*(?:\([^)]*\)\s*)?(?:months?\s*)?(?:\([^)]*\)\s*)?(?:in|of|for|with)\s+(?:the\s+)?(?P<arm>[^,;.()]{3,40})",
                 after, re.IGNORECASE)
    if m:
        hits = registry.mentions(m.group("arm"))
        if hits and hits[0][0] < 3:
            return arm_key(hits[0][1].label)
    before = text[max(lo - 60, s - 60):s]
    hits = registry.mentions(before)
    if hits:
        pos, arm = hits[-1]
        between = before[pos:]
        if not re.search(r"\d", between) and re.search(r"\b(?:was|were|reached|of)\s*$", before):
            return arm_key(arm.label)
    return None


def _n_statements(doc, facts, ss, se, section, group) -> None:
    text = doc.text
    sentence = text[ss:se]
    if FOREIGN.search(sentence) and not re.search(r"\b(?:this|our|the\s+present)\s+(?:study|trial)\b", sentence, re.IGNORECASE):
        return
    for m in N_STATEMENT.finditer(sentence):
        rest = m.group("rest")
        stat = None
        first_verb = FIRST_VERB.search(rest)  # "120 patients were screened and 100 were randomized": screened
        if first_verb and first_verb.start() < 30:
            for name, pat in VERB_CLASS:
                if pat.match(first_verb.group(0)):
                    stat = name
                    break
            else:
                continue
        if stat is None:
            if m.group("lead") and ("total" in m.group("lead").lower()
                                    or re.match(r"\s*(?:with|admitted|from|in|who|were|was|,)", rest, re.IGNORECASE)):
                lead = m.group("lead").lower()
                stat = "total" if "total" in lead else None
            if stat is None:
                continue
        if re.match(r"\s*(?:in|per)\s+(?:each|both|the\s+(?:\w+\s+)?(?:group|arm))", rest, re.IGNORECASE):
            continue  # "38 patients in each group": an arm, not the total
        before = text[max(ss, ss + m.start("n") - 12):ss + m.start("n")]
        if (re.search(r"\b(?:of|to|with|first|last|the)\s*$|(?<![\d.])(?!(?:19|20)\d\d\b)\d{1,4}\s*(?:and|or|,)\s*$", before, re.IGNORECASE)
                and not m.group("lead")):
            continue  # "14 of 132 patients", "the first 38 patients"
        s, e = ss + m.start("n"), ss + m.end("n")
        place = "abstract" if section == "abstract" else "text"
        facts.quantities.append(Quantity("N", None, f"n-{stat}", m.group("n"), "", s, e, place, section, group,
                                         label=" ".join(m.group(0).split())[:80]))
