"""Readers for the strings found in table cells and prose: "26 (68.9)", "68.9% (26)", "26/38 (68.4%)".

They only parse; they never judge whether the numbers agree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

NUM = r"\d+(?:\.\d+)?"
INT = r"\d+"

# 26 (68.9)  26 (68.9%)  26 [68.9]  26(68.9%)
COUNT_PERCENT = re.compile(rf"^(?P<count>{INT})\s*[(\[]\s*(?P<pct>{NUM})\s*%?\s*[)\]]$")
# 68.9% (26)  68.9 (26)
PERCENT_COUNT = re.compile(rf"^(?P<pct>{NUM})\s*%\s*[(\[]\s*(?P<count>{INT})\s*[)\]]$")
# 26/38 (68.4%)  26/38 (68.4)
FRACTION_PERCENT = re.compile(rf"^(?P<count>{INT})\s*/\s*(?P<n>{INT})\s*[(\[]\s*(?P<pct>{NUM})\s*%?\s*[)\]]$")
# 68.4% (26/38)
PERCENT_FRACTION = re.compile(rf"^(?P<pct>{NUM})\s*%\s*[(\[]\s*(?P<count>{INT})\s*/\s*(?P<n>{INT})\s*[)\]]$")
BARE_PERCENT = re.compile(rf"^(?P<pct>{NUM})\s*%$")

ARM_N = re.compile(r"[(\[,;]?\s*\b[nN]\s*=\s*(?P<n>\d{1,6})\s*[)\]]?")


@dataclass(frozen=True)
class CountPercent:
    count: Optional[str]
    percent: Optional[str]
    n: Optional[int]  # only when the cell states it (26/38)
    pct_offset: int = -1  # where the percent starts within the cell text


def parse_count_percent(cell: str) -> Optional[CountPercent]:
    s = cell.strip()
    for pattern in (COUNT_PERCENT, PERCENT_COUNT, FRACTION_PERCENT, PERCENT_FRACTION):
        m = pattern.match(s)
        if m:
            n = int(m.group("n")) if "n" in m.groupdict() else None
            return CountPercent(m.group("count"), m.group("pct"), n, m.start("pct"))
    return None


def parse_arm_header(header: str) -> Optional[tuple[str, str]]:
    """("Observation group", "38") from "Observation group (n=38)" or "Observation group n = 38"."""
    m = ARM_N.search(header)
    if not m:
        return None
    label = (header[: m.start()] + " " + header[m.end():]).strip()
    label = re.sub(r"\s*\[n\s*\(%\)\]\s*", " ", label)
    label = re.sub(r"[,;]?\s*(?:mean|M)\s*\(\s*SD\s*\)|[,;]?\s*n\s*\(\s*%\s*\)", " ", label, flags=re.IGNORECASE)
    label = re.sub(r"\s+", " ", label).strip(" ,;:")
    return label, m.group("n")


def row_label_abbreviation(label: str) -> Optional[str]:
    """The abbreviation a row label defines: "Objective Response Rate (ORR)" -> "ORR"; "ORR" -> "ORR"."""
    m = re.search(r"\(([A-Z][A-Za-z0-9]{1,6})\)", label)
    if m:
        return m.group(1)
    s = label.strip()
    if re.fullmatch(r"[A-Z][A-Z0-9]{1,6}", s):
        return s
    return None


def split_sentences(text: str, splitter: re.Pattern):
    """(offset, sentence) pieces of ``text`` cut where ``splitter`` matches; offsets index ``text``.

    Splitting with finditer keeps positions exact (no search for each piece)."""
    pos = 0
    for m in splitter.finditer(text):
        if text[pos:m.start()].strip():
            yield pos, text[pos:m.start()]
        pos = m.end()
    if text[pos:].strip():
        yield pos, text[pos:]


TOTAL_LABEL = re.compile(r"^\s*(total|overall|all|sum)\b", re.IGNORECASE)
