"""Percentages and counts, each tied to the n it is a share of, and the sets of rows that must add up.

Tables: a cell "26 (68.9)" in a column whose header names an arm "(n=38)" is a proportion of that
arm (confidence high). A row label stating its own n ("Responders (n=17)") overrides the column's
n; a table or column that says its percentages are of another base ("% of responders", "among")
gives no denominator. Columns without an n in the header take the n of the arm of the same name
stated in the prose (confidence medium).

Prose: "26/38 (68.4%)", "68.4% (26/38)", "26 of 38 (68.4%)" state n (high); "5 (29.4%)" in a
sentence that says "of the 17 ..." takes 17 (medium); a percentage in a sentence that names exactly
one arm takes that arm's n (medium), with several arms or "vs" constructions the tie is low.
"""
from __future__ import annotations

import re
from typing import Optional

from ..model import Document, PartsTotal, Proportion, Table
from .cells import TOTAL_LABEL, split_sentences, parse_arm_header, parse_count_percent, row_label_abbreviation
from .groups import ArmRegistry

OTHER_BASE = re.compile(r"%\s*of\s+(?!total|all|patients|participants|subjects|cases)\w+|\bamong\b|\bof\s+responders\b|\bper\s+100\b", re.IGNORECASE)
ROW_N = re.compile(r"[(\[,]\s*[nN]\s*=\s*(\d{1,6})\s*[)\]]?")
DEFINITION = re.compile(
    r"\b(?P<name>[A-Z][A-Z0-9]{1,5})\s*(?:=|was defined as|is defined as|defined as)\s*\(?\s*(?:the\s+)?(?:number\s+of\s+)?"
    r"(?P<parts>[A-Z][A-Z0-9]{1,5}(?:\s*(?:\+|and)\s*[A-Z][A-Z0-9]{1,5})+)"
)


def table_proportions(doc: Document, table: Table, registry: ArmRegistry) -> list[Proportion]:
    if OTHER_BASE.search(table.caption):
        return []
    col_arms = {}
    for col in range(1, table.n_cols):
        header = table.header_text(col)
        if OTHER_BASE.search(header):
            continue
        parsed = parse_arm_header(header)
        if parsed:
            col_arms[col] = (parsed[0], int(parsed[1]), f"column header \"{_short(header)}\"", "high")
        elif header:
            arm = registry.find(header)
            if arm:
                col_arms[col] = (arm.label, arm.n, f"arm \"{arm.label}\" (n={arm.n}) stated in the text", "medium")
    percent_cols, n_col = _percent_columns(table, col_arms)
    out = []
    variable = ""
    label_cols = _label_columns(table)
    group_label = ""
    for row in table.body():
        label = _row_label(row, label_cols)
        first = " ".join(row[0].text.split()) if row else ""
        values = [c for c in row if c.col in col_arms and parse_count_percent(c.text)]
        if len(label_cols) > 1 and first:
            group_label = first
        bare = _bare_percent_cells(doc, table, row, percent_cols, n_col, label, variable) if n_col is not None else []
        out.extend(bare)
        if not values and not bare and first and len(label_cols) == 1:
            variable = first  # a heading row: "Gender", then Male / Female rows
            continue
        if len(label_cols) == 1 and _has_own_statistic(row, col_arms, label_cols):
            variable = ""  # a row with its own test is a variable of its own, not a category
        row_n = ROW_N.search(label)
        for cell in values:
            cp = parse_count_percent(cell.text)
            arm_label, n, source, conf = col_arms[cell.col]
            if cp.n is not None:
                n, source, conf = cp.n, "stated in the cell", "high"
            elif row_n:
                n, source, conf = int(row_n.group(1)), "row label", "medium"
            out.append(Proportion(
                start=cell.start, end=cell.end, percent=cp.percent, count=cp.count, n=n, n_source=source,
                confidence="low" if doc.is_repaired(cell.start, cell.end) else conf, arm=arm_label,
                table=table.label, row=cell.row, col=cell.col, row_label=label,
                variable=group_label if len(label_cols) > 1 else variable, context="table",
            ))
    return out


N_HEADER = re.compile(r"^\s*(?:n|no\.?|number|respondents|responses|total\s*\(n\)|answered)\s*$", re.IGNORECASE)
PERCENT_HEADER = re.compile(r"\(\s*%\s*\)|^\s*%|%\s*$")
BARE_NUMBER = re.compile(r"^\d{1,3}(?:\.\d+)?$")


def _percent_columns(table: Table, col_arms) -> tuple[list[int], int | None]:
    """Columns of bare percentages ("Yes (%)") and a column giving each row's n ("Respondents")."""
    n_col = next((c for c in range(1, table.n_cols) if N_HEADER.match(table.header_text(c))), None)
    if n_col is None:
        return [], None
    cols = [c for c in range(1, table.n_cols) if c not in col_arms and c != n_col
            and PERCENT_HEADER.search(table.header_text(c)) and not OTHER_BASE.search(table.header_text(c))]
    return cols, n_col


def _bare_percent_cells(doc, table, row, percent_cols, n_col, label, variable) -> list[Proportion]:
    n_cell = row[n_col] if n_col < len(row) else None
    if n_cell is None or not re.fullmatch(r"\d{1,6}", n_cell.text.strip()):
        return []
    n = int(n_cell.text.strip())
    out = []
    for c in percent_cols:
        cell = row[c] if c < len(row) else None
        if cell is None or not BARE_NUMBER.match(cell.text.strip()):
            continue
        out.append(Proportion(start=cell.start, end=cell.end, percent=cell.text.strip(), count=None, n=n,
                              n_source=f"column \"{_short(table.header_text(n_col))}\" of the row", confidence="medium",
                              arm=None, table=table.label, row=cell.row, col=cell.col, row_label=label,
                              variable=variable, context="table"))
    return out


def _has_own_statistic(row, col_arms, label_cols) -> bool:
    return any(c.text.strip() for c in row if c.col not in col_arms and c.col not in label_cols)


def _short(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()[:60]


def _label_columns(table: Table) -> list[int]:
    """Leading columns that hold labels rather than values (Table 4 style: Indicator | Time point)."""
    cols = []
    for col in range(table.n_cols):
        cells = [r[col].text for r in table.body() if col < len(r) and r[col].text.strip()]
        if cells and all(not parse_count_percent(t) and not re.match(r"^[\d.<>=±-]", t.strip()) for t in cells):
            cols.append(col)
        else:
            break
    return cols or [0]


def _row_label(row, label_cols) -> str:
    return " ".join(" ".join(row[c].text.split()) for c in label_cols if c < len(row) and row[c].text.strip())


def parts_totals(doc: Document, table: Table, props: list[Proportion]) -> list[PartsTotal]:
    """Category sets (rows under one heading or first-column group) and composite rows."""
    out: list[PartsTotal] = []
    by_col: dict[int, list[Proportion]] = {}
    for p in props:
        if p.table == table.label and p.col is not None:
            by_col.setdefault(p.col, []).append(p)
    definitions = composite_definitions(doc)
    for col, items in by_col.items():
        groups: dict[str, list[Proportion]] = {}
        for p in items:
            if p.variable:
                groups.setdefault(p.variable, []).append(p)
        for name, members in groups.items():
            totals = [p for p in members if TOTAL_LABEL.match(_last_label(p))]
            parts = [p for p in members if p not in totals]
            if len(parts) < 2:
                continue
            if totals:
                out.append(PartsTotal("total-row", name, tuple(parts), totals[0], totals[0].n, totals[0].arm, table.label))
            elif len({p.n for p in parts}) == 1:
                out.append(PartsTotal("categories", name, tuple(parts), None, parts[0].n, parts[0].arm, table.label))
        by_abbrev = {}
        for p in items:
            abbrev = row_label_abbreviation(p.row_label)
            if abbrev:
                by_abbrev.setdefault(abbrev, p)
        row_defined = {}
        for p in items:
            m = LABEL_COMPOSITE.search(p.row_label)
            if m:
                row_defined[p] = re.split(r"\s*\+\s*", m.group(1))
        for total, parts_names in row_defined.items():
            if all(part in by_abbrev for part in parts_names):
                out.append(PartsTotal("composite", _short(total.row_label), tuple(by_abbrev[x] for x in parts_names), total,
                                      total.n, total.arm, table.label,
                                      definition=f"{_short(total.row_label)} = {' + '.join(parts_names)} (row label)"))
        for name, (parts_names, where) in definitions.items():
            if name in by_abbrev and by_abbrev[name] in row_defined:
                continue
            if name in by_abbrev and all(part in by_abbrev for part in parts_names):
                total = by_abbrev[name]
                out.append(PartsTotal("composite", name, tuple(by_abbrev[x] for x in parts_names), total, total.n,
                                      total.arm, table.label, definition=f"{name} = {' + '.join(parts_names)} ({where})"))
    return out


LABEL_COMPOSITE = re.compile(r"\(\s*([A-Z][A-Z0-9]{0,5}(?:\s*\+\s*[A-Z][A-Z0-9]{0,5})+)\s*\)")


def _last_label(p: Proportion) -> str:
    parts = p.row_label.split(" ")
    return p.row_label if not p.variable else p.row_label.replace(p.variable, "", 1).strip() or parts[-1]


def composite_definitions(doc: Document) -> dict[str, tuple[list[str], str]]:
    """"ORR = (number of CR + PR cases)/total" -> {"ORR": (["CR", "PR"], "defined in the text")}."""
    out = {}
    for m in DEFINITION.finditer(doc.text):
        parts = re.split(r"\s*(?:\+|and)\s*", m.group("parts"))
        if m.group("name") not in parts:
            out.setdefault(m.group("name"), (parts, "as defined in the text"))
    return out


# --------------------------------------------------------------------------------------------
# Prose
# --------------------------------------------------------------------------------------------
NUM = r"\d+(?:\.\d+)?"
EXPLICIT = [
    re.compile(rf"\b(?P<count>\d+)\s*/\s*(?P<n>\d+)\s*[(\[]\s*(?P<pct>{NUM})\s*%\s*[)\]]"),
    re.compile(rf"\b(?P<pct>{NUM})\s*%\s*[(\[]\s*(?P<count>\d+)\s*/\s*(?P<n>\d+)\s*[)\]]"),
    re.compile(rf"\b(?P<count>\d+)\s+(?:out\s+)?of\s+(?:the\s+|all\s+)?(?P<n>\d+)\s+(?:[A-Za-z-]+\s+){{0,3}}?[(\[]\s*(?P<pct>{NUM})\s*%\s*[)\]]"),
]
COUNT_PCT_PROSE = re.compile(rf"\b(?P<count>\d+)\s*[(\[]\s*(?P<pct>{NUM})\s*%\s*[)\]]")
OF_THE_N = re.compile(r"\b(?:of|among)\s+(?:the|these|all)\s+(?P<n>\d{1,6})\b", re.IGNORECASE)
SENTENCE_N = re.compile(r"[(\[]\s*[nN]\s*=\s*(?P<n>\d{1,6})\s*[)\],;]")
BARE_PCT = re.compile(rf"(?<![\d.])(?P<pct>\d+\.\d+)\s*%")
NOT_A_SHARE = re.compile(r"(?:\bby|\bCI|confidence|interval|increase[ds]?|decrease[ds]?|reduc\w*|higher|lower|more|less|\babout|\bapproximately|\bover|\bunder|≥|≤|[<>]=?)\s*$", re.IGNORECASE)
NOT_A_SHARE_AFTER = re.compile(r"^\s*(?:CI|confidence|higher|lower|more|less|increase|decrease|reduction|points?|of\s+(?:the\s+)?(?:variance|deaths|cases\s+worldwide))", re.IGNORECASE)
SENTENCE_SPLIT = re.compile(r"(?<=[.;!?])\s+(?=[A-Z(\[])|\n\s*\n|\n(?=\t)")


def prose_proportions(doc: Document, registry: ArmRegistry) -> list[Proportion]:
    out: list[Proportion] = []
    table_spans = [(t.start, t.end) for t in doc.tables]
    for s_start, sentence in _sentences(doc.text):
        if any(a <= s_start < b for a, b in table_spans):
            continue
        taken: list[tuple[int, int]] = []
        for pattern in EXPLICIT:
            for m in pattern.finditer(sentence):
                if _overlaps(taken, m.start(), m.end()):
                    continue
                taken.append((m.start(), m.end()))
                out.append(_prose_fact(doc, s_start, m, m.group("count"), int(m.group("n")), "stated in the sentence", "high", None))
        of_n = OF_THE_N.search(sentence) or SENTENCE_N.search(sentence)
        mentions = registry.mentions(sentence)
        for m in COUNT_PCT_PROSE.finditer(sentence):
            if _overlaps(taken, m.start(), m.end()):
                continue
            taken.append((m.start(), m.end()))
            if of_n and of_n.start() < m.start() and not _sub_base(sentence, of_n.end(), m.start(), m.end()):
                out.append(_prose_fact(doc, s_start, m, m.group("count"), int(of_n.group("n")), "\"of the N\" in the sentence", "medium", None))
            elif len({a.label for _, a in mentions}) == 1:
                arm = mentions[0][1]
                out.append(_prose_fact(doc, s_start, m, m.group("count"), arm.n, f"arm \"{arm.label}\" named in the sentence", "medium", arm.label))
        pcts = [m for m in BARE_PCT.finditer(sentence) if not _overlaps(taken, m.start(), m.end())]
        if not pcts or not mentions:
            continue
        arms_named = {a.label for _, a in mentions}
        comparative = " vs" in sentence or "versus" in sentence
        for m in pcts:
            before = sentence[max(0, m.start() - 20): m.start()]
            after = sentence[m.end(): m.end() + 30]
            if NOT_A_SHARE.search(before) or NOT_A_SHARE_AFTER.match(after):
                continue
            pos, arm = min(mentions, key=lambda t: abs(t[0] - m.start()))
            conf = "medium" if len(arms_named) == 1 and len(pcts) == 1 and not comparative else "low"
            out.append(_prose_fact(doc, s_start, m, None, arm.n, f"arm \"{arm.label}\" named in the sentence", conf, arm.label))
    return out


SUB_BASE = re.compile(r"\b(?:of|among|in)\s+(?:these|them|those|whom|which|the\s+latter|the\s+former)\b|"
                      r"\bamong\s+(?:the\s+)?[a-z]+\b", re.IGNORECASE)


def _sub_base(sentence: str, of_n_end: int, start: int, end: int) -> bool:
    """"Of the 120 patients, 45 (37.5%) were women; among them, 20 (44.4%) ..." or "20 (44.4%) of
    these women": the share is of a subgroup, not of the N named first."""
    return bool(SUB_BASE.search(sentence, of_n_end, start) or SUB_BASE.match(sentence[end:end + 30].lstrip()))


def _prose_fact(doc, s_start, m, count, n, source, conf, arm) -> Proportion:
    start, end = s_start + m.start(), s_start + m.end()
    if doc.is_repaired(start, end):
        conf = "low"
    return Proportion(start=start, end=end, percent=m.group("pct"), count=count, n=n, n_source=source,
                      confidence=conf, arm=arm, context="prose")


def _overlaps(spans, a, b) -> bool:
    return any(a < y and x < b for x, y in spans)


def _sentences(text: str):
    return split_sentences(text, SENTENCE_SPLIT)
