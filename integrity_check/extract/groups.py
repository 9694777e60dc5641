"""Study arms and their sizes, from table headers and prose.

Sources, most to least certain: a column header "Observation group (n=38)"; a prose mention
"an observation group (n=38, ...)"; "38 patients in each group". Extraction records them all; the
lookup used by other extractors prefers table headers, then prose.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

from ..model import Arm, Document
from .cells import parse_arm_header

GROUP_WORD = r"(?:group|arm|cohort|cases|controls)"
PROSE_ARM = re.compile(
    rf"(?P<label>\b(?:[A-Za-z][\w-]*\s){{0,2}}{GROUP_WORD})\s*[(\[]\s*[nN]\s*=\s*(?P<n>\d{{1,6}})\b"
)
EACH_GROUP = re.compile(r"\b(?P<n>\d{1,6})\s+(?:patients|participants|subjects|cases|children|women|men)\s+(?:were\s+)?in\s+each\s+(?:group|arm)\b", re.IGNORECASE)
LEADING_ARTICLES = re.compile(r"^(?:an?|the|and|or|of|in|to|into|vs\.?|versus)\s+", re.IGNORECASE)


def arm_key(label: str) -> str:
    """Canonical name for matching: "the Observation Group" -> "observation group"."""
    s = re.sub(r"\s+", " ", label.lower()).strip(" ,;:.")
    while True:
        t = LEADING_ARTICLES.sub("", s)
        if t == s:
            return s
        s = t


def arms_from_tables(doc: Document) -> list[Arm]:
    arms = []
    for table in doc.tables:
        for col in range(1, table.n_cols):
            parsed = _header_arm(table, col)
            if parsed:
                label, n_raw, start, end = parsed
                arms.append(Arm(label, int(n_raw), n_raw, start, end, "table-header", "high", table.label, col))
    return arms


def _header_arm(table, col) -> Optional[tuple[str, str, int, int]]:
    for row in table.rows[: table.header_rows]:
        for cell in row:
            if cell.col == col and cell.text:
                parsed = parse_arm_header(cell.text)
                if parsed:
                    return parsed[0], parsed[1], cell.start, cell.end
    return None


def arms_from_prose(doc: Document) -> list[Arm]:
    arms = []
    for m in PROSE_ARM.finditer(doc.text):
        label = arm_key(m.group("label"))
        if not label or label in {"group", "arm", "cohort"}:
            continue
        arms.append(Arm(label, int(m.group("n")), m.group("n"), m.start(), m.end(), "prose", "medium"))
    for m in EACH_GROUP.finditer(doc.text):
        arms.append(Arm("each group", int(m.group("n")), m.group("n"), m.start(), m.end(), "prose", "medium"))
    return arms


class ArmRegistry:
    """Looks up an arm's n by name; table headers win over prose."""

    def __init__(self, arms: Iterable[Arm]):
        self.by_key: dict[str, Arm] = {}
        for arm in sorted(arms, key=lambda a: 0 if a.source == "table-header" else 1):
            key = arm_key(arm.label)
            if key and key not in self.by_key:
                self.by_key[key] = arm

    def find(self, label: str) -> Optional[Arm]:
        key = arm_key(label)
        if key in self.by_key:
            return self.by_key[key]
        for k, arm in self.by_key.items():
            if k and (k in key or key in k) and len(min(k, key, key=len)) >= 6:
                return arm
        return None

    def mentions(self, sentence: str) -> list[tuple[int, Arm]]:
        """Positions in ``sentence`` where a known arm is named."""
        low = re.sub(r"\s", " ", sentence.lower())
        found = []
        for key, arm in self.by_key.items():
            if key == "each group" or len(key) < 5:
                continue
            for m in re.finditer(re.escape(key).replace("\\ ", r"\s+"), low):
                found.append((m.start(), arm))
        return sorted(found, key=lambda t: t[0])
