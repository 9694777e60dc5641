"""Ratio estimates (HR, OR, RR, IRR) with their CIs and p, and rows of Cox/logistic regression tables.

Extraction judges nothing: it records the printed strings, their spans in ``Document.text`` and
how sure the reading is.

Prose (``facts.ratios``): a ratio label ("HR", "aOR", "hazard ratio", "relative risk [RR]", ...),
then the estimate, then optionally the CI and p, in the common forms:

    HR = 0.426, 95% CI: 0.231–0.787, P = 0.006
    (Hazard Ratio [HR] = 0.426, 95% Confidence Interval [CI]: 0.231–0.787, P = 0.006)
    HR 0.43 (0.23 to 0.79)      OR = 1.5 (1.1, 2.1)      RR = 1.12, 95% CI: 0.87~1.44
    OR 1.52 [1.10-2.10]         HR, 0.78; 95% CI 0.61–1.12; P = .04

Numbers without a ratio label ("weighted mean difference = 18.6, 95% CI ...", "1.2 times (95% CI
...)") are not ratios and are not extracted. Sentences inside tables are skipped (tables are read
cell by cell).

Tables (``facts.coefficient_rows``): a table is a regression table when its header names a ratio
column (HR, OR, RR, Exp(B), "HR value", "Odds ratio") or a Wald column together with a coefficient
and its SE. Column roles come from the headers: coefficient (B, β, b, Coef, "Regression
coefficient", Estimate), SE ("Standard error", S.E.), Wald ("Wald", "Wald χ2 value"), P ("P",
"Sig.", "P value"), ratio, CI ("95% CI" holding "0.654~1.962" / "0.65-1.96", or "Lower"/"Upper"
columns), or ratio and CI together ("HR (95% CI)" holding "1.13 (0.65–1.96)"). Linear regression
tables (a t column and no ratio or Wald column) are not read: their coefficients are not
log-ratios. Rows without a numeric estimate (reference categories, heading rows) are skipped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ..model import Document, Facts, Table

NUM = r"\d*\.?\d+"
SNUM = r"[-\u2013]?\s?\d*\.?\d+"  # a coefficient may be negative ("-0.667", "–0.667")


@dataclass(frozen=True)
class RatioEstimate:
    """A ratio (HR/OR/RR/IRR) printed in prose, with its CI and p when given."""

    kind: str  # "HR", "OR", "RR", "IRR"
    estimate: str
    ci_lo: Optional[str]
    ci_hi: Optional[str]
    level: Optional[str]  # the CI level as printed ("95"), None when not stated
    p: Optional[str]  # the number only
    p_relation: str  # "=", "<", ">"
    start: int  # the whole quote: label .. CI/p
    end: int
    est_start: int
    est_end: int
    label: str  # the label as printed ("Hazard Ratio [HR]", "aOR")
    adjusted: bool  # aHR, "adjusted", "multivariable"
    ci_method: str  # "exact", "profile", "bootstrap", ... when the sentence says so, else ""
    p_test: str  # "log-rank", "likelihood ratio", "adjusted" (Bonferroni ...) when said, else ""
    confidence: str
    source: str = "prose"
    table: Optional[str] = None
    row: Optional[int] = None
    col: Optional[int] = None
    ci_start: int = -1  # from the lower bound to the upper bound
    ci_end: int = -1
    p_start: int = -1  # the p number (with its relation sign when printed after the CI)
    p_end: int = -1


@dataclass(frozen=True)
class CoefficientRow:
    """One row of a Cox/logistic/Poisson regression table: the printed strings of its cells.

    ``cells`` maps each role present ("b", "se", "wald", "p", "ratio", "ci") to (start, end, col)
    of the cell in Document.text, as a tuple of (role, start, end, col).
    """

    table: str
    row: int
    label: str
    b: Optional[str]
    se: Optional[str]
    wald: Optional[str]
    p: Optional[str]
    p_relation: str
    ratio: Optional[str]
    ratio_kind: str  # "HR", "OR", "RR", "IRR", "Exp(B)"
    ci_lo: Optional[str]
    ci_hi: Optional[str]
    level: Optional[str]
    start: int  # span of the row's cells
    end: int
    cells: tuple[tuple[str, int, int, int], ...]
    caption: str
    ci_method: str  # "exact", "profile", ... when caption or header says so
    p_test: str
    confidence: str

    def cell(self, role: str) -> Optional[tuple[int, int, int]]:
        for r, s, e, c in self.cells:
            if r == role:
                return s, e, c
        return None


# --------------------------------------------------------------------------- shared readers

CI_SEP = r"\s*(?:–|—|-|~|∼|to|\u2013)\s*"
CI_METHOD = re.compile(r"\b(exact|profile[- ]likelihood|profile|likelihood[- ]based|bootstrap(?:ped)?|Clopper|Mid-?P|Cornfield|Miettinen|Woolf|Fisher)\b", re.IGNORECASE)
P_TEST = re.compile(r"\b(log[- ]rank|likelihood[- ]ratio|score test|Bonferroni|Holm|Benjamini|FDR|false discovery|adjusted\s+p|p\s*adj|corrected|permutation|Fisher'?s? exact|one[- ]sided|one[- ]tailed|Mantel|Cochran)\b", re.IGNORECASE)

RATIO_CELL = re.compile(rf"^(?P<est>{NUM})\s*[(\[]\s*(?P<lo>{NUM}){CI_SEP}(?P<hi>{NUM})\s*[)\]]$")
RATIO_CELL_COMMA = re.compile(rf"^(?P<est>{NUM})\s*[(\[]\s*(?P<lo>{NUM})\s*[,;]\s*(?P<hi>{NUM})\s*[)\]]$")
CI_CELL = re.compile(rf"^[(\[]?\s*(?P<lo>{NUM}){CI_SEP}(?P<hi>{NUM})\s*[)\]]?$")
CI_CELL_COMMA = re.compile(rf"^[(\[]\s*(?P<lo>{NUM})\s*[,;]\s*(?P<hi>{NUM})\s*[)\]]$")
MARKERS = re.compile(r"[\s*†‡§¶#]+$")
P_CELL = re.compile(r"^(?P<rel><=|>=|[=<>≤≥])?\s*(?P<p>\d*\.\d+|[01](?:\.0+)?)$")
PLAIN = re.compile(rf"^{SNUM}$")


def _clean(s: str) -> str:
    s = MARKERS.sub("", " ".join(s.split()))
    return s.strip()


def _num(s: str) -> str:
    """"–0.667" / "- 0.667" -> "-0.667"."""
    return s.replace("\u2013", "-").replace(" ", "")


def parse_ratio_cell(text: str) -> Optional[tuple[str, str, str]]:
    """"1.13 (0.65–1.96)" / "1.13 [0.65, 1.96]" -> ("1.13", "0.65", "1.96")."""
    s = _clean(text)
    m = RATIO_CELL.match(s) or RATIO_CELL_COMMA.match(s)
    return (m.group("est"), m.group("lo"), m.group("hi")) if m else None


def parse_ci_cell(text: str) -> Optional[tuple[str, str]]:
    """"0.654~1.962" / "(0.65-1.96)" / "[0.65, 1.96]" -> ("0.654", "1.962")."""
    s = _clean(text)
    m = CI_CELL.match(s) or CI_CELL_COMMA.match(s)
    return (m.group("lo"), m.group("hi")) if m else None


def parse_p_cell(text: str) -> Optional[tuple[str, str]]:
    """"0.006" -> ("=", "0.006"); "<0.001" -> ("<", "0.001"); "P < .05" -> ("<", ".05")."""
    s = _clean(text)
    s = re.sub(r"^[Pp]\s*", "", s)
    m = P_CELL.match(s)
    if not m:
        return None
    rel = {"≤": "<", "<=": "<", "≥": ">", ">=": ">"}.get(m.group("rel") or "=", m.group("rel") or "=")
    return rel, m.group("p")


def _level_of(text: str) -> Optional[str]:
    m = re.search(r"(\d{2}(?:\.\d+)?)\s*%\s*(?:CI|C\.I\.|confidence)", text, re.IGNORECASE)
    return m.group(1) if m else None


# --------------------------------------------------------------------------- prose

_LONG = (r"(?i:hazard\s+ratios?|odds\s+ratios?|relative\s+risks?|risk\s+ratios?|incidence\s+rate\s+ratios?|"
         r"rate\s+ratios?|sub-?distribution\s+hazard\s+ratios?)")
_SHORT = r"\b(?:a|adj\.?\s?)?(?:HR|OR|RR|IRR|SHR|sHR)s?\b"
_QUALIFIER = r"(?i:(?:adjusted|unadjusted|crude|multivariable|multivariate|univariable|univariate|pooled|summary)\s+)?"
LABEL = rf"(?P<label>{_QUALIFIER}(?:{_LONG}(?:\s*[(\[]\s*[a-zA-Z]{{0,4}}(?:HR|OR|RR|IRR)\s*[)\]])?|{_SHORT}))"
# label, then up to a few words ("for death", "of the observation group"), then = : , "of" "was"
GAP = r"(?P<gap>(?:\s*[,:]?(?:\s+(?:for|of|in|with|among|versus|vs\.?|the|a|an|death|mortality|progression|recurrence|events?|risk|[a-z]+)){1,5}?)?)"
REL = r"\s*(?:=|:|,|\bof\b|\bwas\b|\bwere\b|\bis\b|\bat\b)?\s*"
EST = rf"(?P<est>{NUM})(?![\d.]|\s*%)"
LEVEL = r"(?:(?P<level>\d{2}(?:\.\d+)?)\s*%\s*)"
CI_WORD = r"(?:C\.?I\.?|(?i:confidence\s+intervals?|confidence\s+limits?))(?:\s*[(\[]\s*CI\s*[)\]])?"
CI_WORDED = (rf"[\s,;]*[(\[]?\s*{LEVEL}?{CI_WORD}\s*[:,=]?\s*(?:of\s+|from\s+)?[(\[]?\s*(?P<lo>{NUM})"
             rf"(?:{CI_SEP}|\s*,\s*)(?P<hi>{NUM})\s*[)\]]?")
CI_BARE = rf"\s*[(\[]\s*(?P<lo2>{NUM})(?:{CI_SEP}|\s*[,;]\s*)(?P<hi2>{NUM})\s*[)\]]"
P_TAIL = r"(?:[\s,;]*[(\[]?\s*(?:[Pp](?:\s*(?:-|\s)?value)?)\s*(?P<prel><=|>=|[=<>≤≥])\s*(?P<p>\d*\.\d+|[01])(?![\d.]))?"
P_BEFORE = re.compile(r"[(\[;]\s*[Pp]\s*(?P<prel><=|>=|[=<>≤≥])\s*(?P<p>\d*\.\d+)\s*[,;]\s*$")
PROSE = re.compile(LABEL + GAP + REL + EST + rf"(?:{CI_WORDED}|{CI_BARE})?" + P_TAIL)
ADJUSTED = re.compile(r"\b(?:a(?:HR|OR|RR|IRR)|adj|adjusted|multivariable|multivariate)\b", re.IGNORECASE)
KIND = (("IRR", re.compile(r"IRR|incidence\s+rate", re.I)), ("HR", re.compile(r"HR|hazard", re.I)),
        ("OR", re.compile(r"OR|odds", re.I)), ("RR", re.compile(r"RR|risk|rate\s+ratio", re.I)))
SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-Z(\[])|\n\s*\n")


def _kind(label: str) -> str:
    for kind, pattern in KIND:
        if pattern.search(label):
            return kind
    return "ratio"


def _sentence_around(text: str, start: int, end: int) -> str:
    lo = max(0, start - 300)
    hi = min(len(text), end + 300)
    before = text[lo:start]
    cuts = list(SENTENCE_END.finditer(before))
    lo = lo + cuts[-1].end() if cuts else lo
    m = SENTENCE_END.search(text, end, hi)
    return text[lo: m.start() if m else hi]


def prose_ratios(doc: Document) -> list[RatioEstimate]:
    text = doc.text
    table_spans = [(t.start, t.end) for t in doc.tables]
    out: list[RatioEstimate] = []
    for m in PROSE.finditer(text):
        if any(a <= m.start() < b for a, b in table_spans):
            continue
        gap = m.group("gap") or ""
        if re.search(r"\d", gap):
            continue
        lo = m.group("lo") or m.group("lo2")
        hi = m.group("hi") or m.group("hi2")
        level = m.group("level")
        sentence = _sentence_around(text, m.start(), m.end())
        if lo is not None and level is None:
            level = _level_of(text[m.start(): m.end()])
        p, p_rel = m.group("p"), m.group("prel")
        lo_g = "lo" if m.group("lo") is not None else "lo2"
        ci_start, ci_end = (m.start(lo_g), m.end("hi" if lo_g == "lo" else "hi2")) if lo is not None else (-1, -1)
        p_start, p_end = (m.start("p"), m.end("p")) if p is not None else (-1, -1)
        if p is None:  # "(P=0.044, HR 0.562, 95% CI: 0.321-0.984)": the p printed before the label
            before = P_BEFORE.search(text, max(0, m.start() - 30), m.start())
            if before:
                p, p_rel = before.group("p"), before.group("prel")
        confidence = "high" if lo is not None and level else "medium"
        if doc.is_repaired(m.start(), m.end()):
            confidence = "low"
        method = CI_METHOD.search(sentence)
        p_test = P_TEST.search(sentence)
        out.append(RatioEstimate(
            kind=_kind(m.group("label")), estimate=m.group("est"), ci_lo=lo, ci_hi=hi, level=level, p=p,
            p_relation={"≤": "<", "<=": "<", "≥": ">", ">=": ">"}.get(p_rel or "=", p_rel or "="),
            start=m.start(), end=m.end(), est_start=m.start("est"), est_end=m.end("est"),
            label=" ".join(m.group("label").split()), adjusted=bool(ADJUSTED.search(m.group("label") + " " + sentence)),
            ci_method=method.group(1).lower() if method else "", p_test=p_test.group(1).lower() if p_test else "",
            confidence=confidence, ci_start=ci_start, ci_end=ci_end, p_start=p_start, p_end=p_end,
        ))
    return out


# --------------------------------------------------------------------------- tables

ROLE_PATTERNS = (
    ("wald", re.compile(r"\bwald\b", re.I)),
    ("se", re.compile(r"^(?:SE|S\.E\.?|s\.e\.|Std\.?\s*Err(?:or)?\.?|Standard\s+error|SE\s*\(?[Bβb]\)?)$", re.I)),
    ("ratio_ci", re.compile(r"^(?:a|adjusted\s+|crude\s+)?(?:HR|OR|RR|IRR|Exp\s*\(\s*[Bβ]\s*\)|Hazard\s+ratio|Odds\s+ratio|Relative\s+risk|Risk\s+ratio)\s*[(\[,]\s*\d{2}(?:\.\d)?\s*%\s*CI\s*[)\]]?$", re.I)),
    ("ci", re.compile(r"(?:\d{2}(?:\.\d+)?\s*%\s*)?(?:\bCI\b|confidence\s+interval)", re.I)),
    ("ratio", re.compile(r"^(?:a|adjusted\s+|crude\s+)?(?:HR|OR|RR|IRR|Exp\s*\(\s*[Bβ]\s*\)|e\^?[Bβ]|Hazard\s+ratio|Odds\s+ratio|Relative\s+risk|Risk\s+ratio|Rate\s+ratio)(?:\s+value)?$", re.I)),
    ("b", re.compile(r"^(?:[Bβb]|Beta|Coef\.?|Coefficient|Regression\s+coefficient|Estimate|Log\s*\(?(?:HR|OR)\)?|ln\s*\(?(?:HR|OR)\)?)(?:\s+value)?$", re.I)),
    ("p", re.compile(r"^(?:P|p|Sig\.?|P\s*-?\s*value|Significance|Pr\s*\(>.*\))$", re.I)),
    ("lower", re.compile(r"^(?:\d{2}\s*%\s*CI\s*)?(?:Lower|LL|Lower\s+limit|Lower\s+bound)$", re.I)),
    ("upper", re.compile(r"^(?:\d{2}\s*%\s*CI\s*)?(?:Upper|UL|Upper\s+limit|Upper\s+bound)$", re.I)),
    ("t", re.compile(r"^(?:t|t\s+value|t\s*-?\s*statistic)$", re.I)),
)
MODEL_CAPTION = re.compile(r"\b(cox|logistic|poisson|hazard|odds|proportional|regression)\b", re.I)


def _role(header: str) -> Optional[str]:
    h = " ".join(header.split())
    for role, pattern in ROLE_PATTERNS:
        if role == "ci" and pattern.search(h):
            return role
        if pattern.match(h):
            return role
    return None


def _header_roles(table: Table) -> tuple[dict[int, str], int]:
    """Column roles and how many leading body rows are further header rows ("Lower"/"Upper")."""
    roles: dict[int, str] = {}
    for col in range(1, table.n_cols):
        role = _role(table.header_text(col))
        if role:
            roles[col] = role
    extra = 0
    body = table.body()
    if body:
        first = body[0]
        sub = {c.col: _role(c.text) for c in first if c.text.strip()}
        if any(r in ("lower", "upper") for r in sub.values()) and not any(
                PLAIN.match(_clean(c.text)) for c in first[1:] if c.text.strip()):
            for col, r in sub.items():
                if r in ("lower", "upper"):
                    roles[col] = r
            extra = 1
    return roles, extra


def table_coefficient_rows(doc: Document, table: Table) -> list[CoefficientRow]:
    roles, extra = _header_roles(table)
    present = set(roles.values())
    has_ratio = bool(present & {"ratio", "ratio_ci"})
    has_wald_model = "wald" in present and {"b", "se"} <= present
    if not (has_ratio or has_wald_model):
        return []
    if "t" in present and not has_ratio and "wald" not in present:
        return []
    if not has_ratio and not MODEL_CAPTION.search(table.caption) and "wald" not in present:
        return []
    ratio_header = next((table.header_text(c) for c, r in roles.items() if r in ("ratio", "ratio_ci")), "")
    ratio_kind = "Exp(B)" if re.search(r"exp", ratio_header, re.I) else _kind(ratio_header) if ratio_header else ""
    if ratio_kind == "ratio" and MODEL_CAPTION.search(table.caption):
        ratio_kind = "HR" if re.search(r"cox|hazard", table.caption, re.I) else "OR" if re.search(r"logistic|odds", table.caption, re.I) else "ratio"
    level = None
    for c, r in roles.items():
        if r in ("ci", "ratio_ci", "lower", "upper"):
            level = level or _level_of(table.header_text(c))
    level = level or _level_of(table.caption)
    head = table.caption + " " + " ".join(table.header_text(c) for c in range(table.n_cols))
    method = CI_METHOD.search(head)
    p_test = P_TEST.search(head)
    out: list[CoefficientRow] = []
    for row in table.body()[extra:]:
        values: dict[str, str] = {}
        cells: list[tuple[str, int, int, int]] = []
        p_rel = "="
        ok = True
        for cell in row:
            role = roles.get(cell.col)
            if not role or not cell.text.strip():
                continue
            s = _clean(cell.text)
            if role in ("b", "se", "wald", "ratio", "lower", "upper"):
                if not PLAIN.match(s):
                    if role in ("ratio", "b"):
                        ok = False
                    continue
                values[role] = _num(s)
            elif role == "p":
                parsed = parse_p_cell(s)
                if not parsed:
                    continue
                p_rel, values["p"] = parsed
            elif role == "ci":
                parsed = parse_ci_cell(s)
                if not parsed:
                    continue
                values["ci_lo"], values["ci_hi"] = parsed
            elif role == "ratio_ci":
                parsed = parse_ratio_cell(s)
                if not parsed:
                    continue
                values["ratio"], values["ci_lo"], values["ci_hi"] = parsed
                role = "ratio"
            cells.append((role, cell.start, cell.end, cell.col))
        if "lower" in values and "upper" in values:
            values["ci_lo"], values["ci_hi"] = values.pop("lower"), values.pop("upper")
            spans = [c for c in cells if c[0] in ("lower", "upper")]
            cells = [c for c in cells if c[0] not in ("lower", "upper")]
            cells.append(("ci", min(c[1] for c in spans), max(c[2] for c in spans), spans[0][3]))
        if not ok or not ("ratio" in values or ("b" in values and "se" in values)):
            continue
        if values.get("ratio", "1").startswith("-"):
            continue  # a negative "ratio" is not a ratio: header misread
        label = " ".join(" ".join(row[0].text.split()).split()) if row else ""
        start = min(c[1] for c in cells)
        end = max(c[2] for c in cells)
        repaired = doc.is_repaired(start, end)
        out.append(CoefficientRow(
            table=table.label, row=row[0].row if row else 0, label=label, b=values.get("b"), se=values.get("se"),
            wald=values.get("wald"), p=values.get("p"), p_relation=p_rel, ratio=values.get("ratio"),
            ratio_kind=ratio_kind, ci_lo=values.get("ci_lo"), ci_hi=values.get("ci_hi"), level=level,
            start=start, end=end, cells=tuple(cells), caption=table.caption,
            ci_method=method.group(1).lower() if method else "", p_test=p_test.group(1).lower() if p_test else "",
            confidence="low" if repaired else ("high" if level or "ci_lo" not in values else "medium"),
        ))
    return out


def extract_ratios(doc: Document, facts: Facts, registry=None) -> None:
    """The EXTRACTORS hook: fills facts.ratios (prose) and facts.coefficient_rows (tables)."""
    facts.ratios.extend(prose_ratios(doc))
    for table in doc.tables:
        facts.coefficient_rows.extend(table_coefficient_rows(doc, table))
