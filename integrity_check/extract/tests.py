"""Reported test statistics (t, F, chi-square, r, z) with their df and p, from prose and tables.

Prose, APA style: "t(58) = 2.41, p = .019", "F(2, 87) = 4.12, p = .020", "χ2(1, N = 120) = 5.30,
p = .021", "r(48) = .31, p = .028", "z = 2.10, p = .036". Clinical style: "χ2=4.287, P = 0.038",
"(t=4.327, P<0.001)", "χ2 = 3.1, df = 2, P = 0.21". The normalizer has already turned χ²/X2 into
"χ2". p may be "=", "<", ">" (also ≤ ≥) or "ns"/"n.s."; a test is one-tailed only when the
sentence says so ("one-tailed", "one-sided"); a p is marked adjusted when the sentence says it is
(Bonferroni, Holm, FDR, "adjusted", "corrected").

Tables: a column whose header names a statistic ("χ2 value", "t value", "T value", "F value",
"Statistical value", "Test statistic") and a "P value" column; cells "4.287" (the kind comes from
the header) or "χ2=0.112" / "t=0.725" (the kind comes from the cell). Regression tables (a "Wald"
or coefficient column) are left to the coefficient-row extractor.

The significance level the paper states ("P < 0.05 was considered statistically significant",
"alpha = .05") is recorded on every test (``alpha``); None when the paper states none. Whether the
paper mentions one-sided tests anywhere (or TOST equivalence tests) is recorded too
(``one_tailed_in_doc``), as statcheck's OneTailedTxt does.

Extraction judges nothing: a test is recorded with its raw strings and spans whether or not its
numbers agree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Optional

from ..model import Document, Facts, Table
from .groups import ArmRegistry

NUMBER = r"-?(?:\d+(?:\.\d+)?|\.\d+)"
P_NUMBER = r"(?:0?\.\d+|[01](?:\.0+)?)(?!\d)(?!\.\d)"
REL = r"(?:<=|>=|=|<|>|≤|≥)"

_DF = r"(?P<df>\d+(?:\.\d+)?)"
_DF_TAIL = r"(?:\s*,\s*(?:(?P<df2>\d+(?:\.\d+)?)|[nN]\s*=\s*(?P<N>\d[\d,]*)))?"
STAT_HEAD = re.compile(
    rf"(?<![\w.])(?P<test>χ2|t|F|r|z|Z)(?:\s*\(\s*{_DF}{_DF_TAIL}\s*\))?\s*(?P<rel>=)\s*(?P<stat>{NUMBER})(?![\d])"
)
# what may sit between the statistic and its p: ", df = 2," or nothing
BETWEEN = re.compile(r"\s*[,;]?\s*(?:(?:df|d\.f\.)\s*=\s*(?P<df_alt>\d+(?:\.\d+)?)\s*[,;]\s*)?")
P_CLAUSE = re.compile(
    rf"(?P<pname>[pP])(?:\s*-?\s*value)?\s*(?P<prel>{REL})\s*(?P<p>{P_NUMBER})|(?P<ns>\bn\.\s?s\.|\bns\b)"
)

ONE_TAILED = re.compile(r"\bone[- ]?(?:tailed|sided)\b|\b1[- ]tailed\b|\bdirectional\s+(?:test|hypothesis)", re.IGNORECASE)
# one-sided tests mentioned anywhere in the paper (statcheck's OneTailedTxt): TOST equivalence tests too
ONE_TAILED_DOC = re.compile(r"\bone[- ]?(?:tailed|sided)\b|\b1[- ]tailed\b|\bTOST\b|equivalence\s+test", re.IGNORECASE)
ADJUSTED = re.compile(r"bonferroni|\bholm\b|\bsidak|šidák|benjamini|\bfdr\b|false discovery|\badjusted\s+p|\bp\s*[-(]?\s*adj|"
                      r"\bcorrected\s+p|\bp\s+values?\s+(?:were\s+)?(?:adjusted|corrected)|\(adjusted\)|,\s*adjusted\b|"
                      r"\bmultiple[- ]comparison", re.IGNORECASE)
FISHER = re.compile(r"fisher", re.IGNORECASE)
YATES = re.compile(r"yates|continuity[- ]correct", re.IGNORECASE)
WELCH = re.compile(r"welch|unequal variances|satterthwaite", re.IGNORECASE)

ALPHA_PATTERNS = [
    re.compile(r"\b[pP](?:\s*-?\s*values?)?\s*(?:<|≤|less than|of less than|below)\s*(?P<a>0?\.\d+)[^.;\n]{0,30}?"
               r"(?:was|were|is|are)?\s*(?:considered|regarded|deemed|taken|accepted|defined|set|indicated|interpreted)"
               r"[^.;]{0,40}?significan", re.IGNORECASE),
    re.compile(r"significan\w*\s+(?:level|threshold)\s*(?:\([^)]*\)\s*)?(?:was\s+|of\s+|at\s+|was\s+set\s+(?:at|to)\s+|set\s+(?:at|to)\s+|=\s*)+"
               r"(?:α\s*=\s*|alpha\s*=\s*|[pP]\s*[<=]\s*)?(?P<a>0?\.\d+)", re.IGNORECASE),
    re.compile(r"(?:\bα|\balpha)(?:\s+(?:level|value))?\s*(?:\([^)]*\)\s*)?(?:=|of|was set at|was)\s*(?P<a>0?\.\d+)", re.IGNORECASE),
]

STAT_HEADER = re.compile(r"χ2|chi|\bt\b|\bT\b|\bF\b|\bZ\b|\bz\b|statistic|test\s+value|\bvalue\s+of\s+test", re.IGNORECASE)
P_HEADER = re.compile(r"^\s*(?:\*?[pP](?:\s*-?\s*values?)?|sig\.?|significance|p\s*\(.*\))\s*[a-z*†‡]?\s*$", re.IGNORECASE)
REGRESSION_HEADER = re.compile(r"wald|coefficient|\bβ\b|\bB\b|\bSE\b|standard error|\bHR\b|\bOR\b|odds|hazard|95%", re.IGNORECASE)
CELL_STAT = re.compile(rf"^\s*(?:(?P<test>χ2|t|T|F|Z|z)\s*=\s*)?(?P<stat>{NUMBER})\s*(?P<mark>[a-z*†‡]{{0,2}})\s*$")
CELL_P = re.compile(rf"^\s*(?:[pP]\s*)?(?P<rel>{REL})?\s*(?P<p>{P_NUMBER})\s*(?P<mark>[a-z*†‡]{{0,2}})\s*$")
FOOTNOTE_METHOD = re.compile(r"(?:^|\n)\s*(?P<mark>[a-z*†‡]{1,2})\s*[:.)]?\s*(?P<text>[^\n]*(?:fisher|yates|welch|continuity)[^\n]*)",
                             re.IGNORECASE)


@dataclass(frozen=True)
class TestResult:
    """One reported test: statistic, df, p. Spans: ``start``/``end`` cover the whole report (prose) or
    the statistic cell (tables); ``p_start``/``p_end`` the p (its cell in tables)."""

    __test__ = False  # not a pytest class

    start: int
    end: int
    test: str  # "t", "f", "chi2", "r", "z"
    statistic: str  # raw number, sign kept: "-2.41", ".31"
    df: Optional[str]  # printed df (df1 for F); None when not printed
    df2: Optional[str]
    p: Optional[str]  # raw number string ("0.038", ".001"); None for "ns" or a missing p
    p_relation: str  # "=", "<", ">", "ns", "" (no p)
    raw: str  # the quoted text
    p_start: int = -1
    p_end: int = -1
    n: Optional[str] = None  # N printed with the df: χ2(1, N = 120)
    tails: int = 2
    tails_stated: str = ""  # the words that said one-tailed
    one_tailed_in_doc: bool = False  # the paper mentions one-sided tests (or TOST) somewhere
    adjusted: bool = False  # the p is stated to be adjusted for multiple comparisons
    method: str = ""  # "fisher", "yates", "welch" when stated for this test
    alpha: Optional[str] = None  # the significance level the paper states
    context: str = "prose"  # "prose" or "table"
    table: Optional[str] = None
    row: Optional[int] = None
    col: Optional[int] = None
    p_col: Optional[int] = None
    row_label: str = ""
    confidence: str = "high"


# ---------------------------------------------------------------------------------------------

def stated_alpha(doc: Document) -> Optional[str]:
    """The significance level the paper states, as printed ("0.05"), or None."""
    for pattern in ALPHA_PATTERNS:
        for m in pattern.finditer(doc.text):
            a = m.group("a")
            if a and 0 < float(("0" + a) if a.startswith(".") else a) <= 0.2:
                return a
    return None


def extract_tests(doc: Document, facts: Facts, registry: ArmRegistry | None = None) -> None:
    alpha = stated_alpha(doc)
    one_tailed = bool(ONE_TAILED_DOC.search(doc.text))
    for t in table_tests(doc, alpha) + prose_tests(doc, alpha):
        facts.tests.append(replace(t, one_tailed_in_doc=one_tailed) if one_tailed else t)


R_N_AFTER = re.compile(rf"[^.;()]{{0,40}}?\b[pP]\s*{REL}\s*{P_NUMBER}\s*[,;]\s*[nN]\s*=\s*(?P<n>\d{{2,6}})\b")


def prose_tests(doc: Document, alpha: Optional[str] = None) -> list[TestResult]:
    text = doc.text
    table_spans = [(t.start, t.end) for t in doc.tables]
    out = []
    for m in STAT_HEAD.finditer(text):
        if any(a <= m.start() < b for a, b in table_spans):
            continue
        test = {"χ2": "chi2", "t": "t", "F": "f", "r": "r", "z": "z", "Z": "z"}[m.group("test")]
        stat = m.group("stat")
        r_df = None
        if test == "r" and m.group("df") is None:
            # "r = .45, p < .001, n = 30" or "(n = 30) ... r = .45": df = n - 2 from an n in the clause
            nm = R_N_AFTER.match(text, m.end())
            if nm is None:
                continue  # r without its df (n - 2) cannot be checked
            r_df = str(int(nm.group("n")) - 2)
        if test == "f" and m.group("df") is not None and m.group("df2") is None:
            continue
        if test in ("t", "r") and m.group("df2"):
            continue  # "t(1, 2)" is not a t
        b = BETWEEN.match(text, m.end())
        df = m.group("df") or (b.group("df_alt") if b else None) or r_df
        pm = P_CLAUSE.match(text, b.end()) if b else None
        if pm is None:
            continue  # a statistic without a p in the same clause: nothing to check it against
        if pm.group("ns"):
            p, rel = None, "ns"
        else:
            p, rel = pm.group("p"), _relation(pm.group("prel"))
        start, end = m.start(), pm.end()
        sentence = _sentence_around(text, start, end)
        tails_m = ONE_TAILED.search(sentence)
        method = _method(sentence)
        out.append(TestResult(
            start=start, end=end, test=test, statistic=stat, df=df, df2=m.group("df2"), p=p, p_relation=rel,
            raw=text[start:end], p_start=pm.start(), p_end=pm.end(), n=(m.group("N") or None),
            tails=1 if tails_m else 2, tails_stated=tails_m.group(0) if tails_m else "",
            adjusted=bool(ADJUSTED.search(sentence)), method=method, alpha=alpha, context="prose",
            confidence="low" if doc.is_repaired(start, end) else "high",
        ))
    return out


def _relation(rel: str) -> str:
    return {"<=": "<", "≤": "<", ">=": ">", "≥": ">"}.get(rel, rel)


def _method(sentence: str) -> str:
    if FISHER.search(sentence):
        return "fisher"
    if YATES.search(sentence):
        return "yates"
    if WELCH.search(sentence):
        return "welch"
    return ""


def _sentence_around(text: str, start: int, end: int, limit: int = 300) -> str:
    """The sentence that holds [start, end): from the previous full stop to the next one."""
    lo = max(0, start - limit)
    before = text[lo:start]
    cut = max((m.end() for m in re.finditer(r"[.;!?](?=\s+[A-Z(])|\n\s*\n", before)), default=0)
    hi_text = text[end:end + limit]
    stop = re.search(r"[.!?](?=\s+[A-Z]|\s*$)|\n\s*\n", hi_text)
    return text[lo + cut: end + (stop.start() if stop else len(hi_text))]


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------

def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def stat_and_p_columns(table: Table) -> tuple[list[int], Optional[int]]:
    """Columns holding test statistics, and the p column (None when the table has none)."""
    headers = {c: _norm(table.header_text(c)) for c in range(table.n_cols)}
    if any(REGRESSION_HEADER.search(h) for h in headers.values()):
        return [], None
    p_cols = [c for c, h in headers.items() if c > 0 and P_HEADER.match(h)]
    if not p_cols:
        return [], None
    p_col = p_cols[-1]
    stat_cols = [c for c, h in headers.items() if 0 < c < p_col and STAT_HEADER.search(h) and not P_HEADER.match(h)
                 and not re.search(r"\(n\s*=|group|arm", h, re.IGNORECASE)]
    return stat_cols, p_col


MIXED_HEADER = re.compile(r"(?:χ2|chi[- ]?square)\s*/\s*[tTF]\b|\b[tTF]\s*/\s*(?:χ2|chi)", re.IGNORECASE)
ROW_MEAN_SD = re.compile(r"^\s*-?\d+(?:\.\d+)?\s*±|^\s*-?\d+\.\d+\s*\(\s*\d+(?:\.\d+)?\s*\)\s*$")
ROW_COUNT = re.compile(r"^\s*\d+\s*[(\[]\s*\d+(?:\.\d+)?\s*%?\s*[)\]]\s*$")


def mixed_header_kind(header: str, row_cells: list[str]) -> Optional[str]:
    """For a "χ2/t" column the row decides: mean ± SD cells mean t, n (%) cells mean χ2."""
    if not MIXED_HEADER.search(_norm(header)):
        return None
    if any("±" in c for c in row_cells):
        return "f" if re.search(r"(?<![\w/])F(?![\w/])", header) and not re.search(r"(?<![\w/])[tT](?![\w/])", header) else "t"
    if any(ROW_COUNT.match(c) for c in row_cells):
        return "chi2"
    if any(ROW_MEAN_SD.match(c) for c in row_cells):  # "54.2 (8.1)": a mean with decimals and its SD
        return "t"
    return "unknown"


def header_test_kind(header: str) -> Optional[str]:
    h = _norm(header)
    if re.search(r"χ2|chi", h, re.IGNORECASE):
        return "chi2"
    if re.search(r"(?<![\w/])[tT](?![\w/])", h) and not re.search(r"χ2|F\b", h):
        return "t"
    if re.search(r"(?<![\w/])F(?![\w/])", h):
        return "f"
    if re.search(r"(?<![\w/])[zZ](?![\w/])", h):
        return "z"
    return None  # "Statistical value": the cell must say which test


def table_tests(doc: Document, alpha: Optional[str] = None) -> list[TestResult]:
    out = []
    for table in doc.tables:
        stat_cols, p_col = stat_and_p_columns(table)
        if not stat_cols:
            continue
        caption_method = _method(table.caption)
        footnotes = _footnote_methods(doc, table)
        for row in table.body():
            cells = {c.col: c for c in row}
            p_cell = cells.get(p_col)
            if p_cell is None:
                continue
            pm = CELL_P.match(p_cell.text)
            p_ns = re.fullmatch(r"\s*(?:n\.\s?s\.?|ns|NS)\s*", p_cell.text)
            if not pm and not p_ns:
                continue
            for col in stat_cols:
                cell = cells.get(col)
                if cell is None:
                    continue
                sm = CELL_STAT.match(cell.text)
                if not sm:
                    continue
                kind = sm.group("test")
                mixed = mixed_header_kind(table.header_text(col), [c.text for c in row if c.col != col])
                test = {"χ2": "chi2", "t": "t", "T": "t", "F": "f", "Z": "z", "z": "z"}.get(kind or "", None) \
                    or mixed or header_test_kind(table.header_text(col))
                if test is None or test == "unknown":
                    continue
                mark = (sm.group("mark") or "") + ((pm.group("mark") or "") if pm else "")
                method = caption_method or next((footnotes[k] for k in mark if k in footnotes), "")
                label = _norm(" ".join(c.text for c in row if c.col < min(stat_cols) and c.text.strip()
                                       and not re.match(r"^[\d.]+\s*(?:±|\()", c.text.strip())))
                conf = "low" if doc.is_repaired(cell.start, p_cell.end) else "high"
                out.append(TestResult(
                    start=cell.start, end=cell.end, test=test, statistic=sm.group("stat"), df=None, df2=None,
                    p=pm.group("p") if pm else None, p_relation=_relation(pm.group("rel") or "=") if pm else "ns",
                    raw=cell.text, p_start=p_cell.start, p_end=p_cell.end, tails=2,
                    adjusted=bool(ADJUSTED.search(table.caption + " " + table.header_text(p_col))), method=method,
                    alpha=alpha, context="table", table=table.label, row=cell.row, col=col, p_col=p_col,
                    row_label=label, confidence=conf,
                ))
    return out


def _footnote_methods(doc: Document, table: Table) -> dict[str, str]:
    """Footnote markers defined just below the table ("a Fisher's exact test") -> method."""
    below = doc.text[table.end: table.end + 600]
    out = {}
    for m in FOOTNOTE_METHOD.finditer(below):
        out[m.group("mark")] = _method(m.group("text"))
    return out
