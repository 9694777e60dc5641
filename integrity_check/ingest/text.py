"""Plain-text manuscripts (.txt, .md): decoding, normalization and tab-prefixed tables.

Tables in text input follow the layout of manuscripts exported from word processors and of our
seed: a caption line ``Table 3 | Caption``, then one line per cell, each starting with a TAB, with
rows separated by blank lines. The first row is the header row.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ..model import Cell, Document, Problem, Span, Table
from .normalize import normalize

CAPTION = re.compile(r"^[ \t]*(Table\s+(?:S)?\d+[A-Za-z]?)\s*(?:[|.:\u2013\u2014-]\s*)?(.*)$", re.IGNORECASE)


def decode_bytes(data: bytes) -> tuple[str, list[Problem]]:
    """UTF-8 (with or without BOM) first; other encodings are decoded as cp1252/latin-1 with a note."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    for enc in ("utf-16",) if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ():
        try:
            return data.decode(enc), []
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("cp1252")
        enc = "cp1252"
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        enc = "latin-1"
    return text, [Problem("not-utf8", f"file is not valid UTF-8; decoded as {enc}")]


def read_text_document(path: Path, data: bytes | None = None) -> Document:
    data = path.read_bytes() if data is None else data
    raw, problems = decode_bytes(data)
    if "\x00" in raw:
        raise ValueError("file contains NUL bytes; not a text document")
    norm = normalize(raw)
    doc = Document(
        path=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
        kind="text",
        text=norm.text,
        problems=problems,
        repairs=tuple(Span(r.start, r.end) for r in norm.repairs),
    )
    doc.tables = parse_tab_tables(doc.text)
    doc.title = guess_title(doc.text, Path(path).stem)
    if not doc.text.strip():
        doc.problems.append(Problem("empty", "the file contains no text"))
    return doc


def guess_title(text: str, fallback: str = "") -> str:
    """The first line that reads like a title (short, no final period, not a section heading);
    else ``fallback`` (the file name)."""
    for line in text.splitlines()[:40]:
        s = line.strip()
        if not s or line.startswith("\t"):
            continue
        if re.match(r"(?:\d+(?:\.\d+)*\.?\s+)?(?:abstract|introduction|background|methods?|results|discussion|"
                    r"conclusions?|references|keywords?)\b", s, re.IGNORECASE):
            continue
        if len(s) <= 200 and len(s.split()) <= 30 and not s.endswith((".", ":")) and len(s) > 8:
            return s
        break  # the first real line is prose: there is no title line
    return fallback


def parse_tab_tables(text: str) -> list[Table]:
    """Find captioned tables whose cells are tab-prefixed lines."""
    tables: list[Table] = []
    lines = _lines_with_offsets(text)
    i = 0
    while i < len(lines):
        start, line = lines[i]
        m = CAPTION.match(line)
        if not m or line.startswith("\t"):
            i += 1
            continue
        j = i + 1
        rows: list[list[tuple[int, str]]] = []
        current: list[tuple[int, str]] = []
        end = start + len(line)
        while j < len(lines):
            off, ln = lines[j]
            if ln.startswith("\t"):
                current.append((off, ln))
                end = off + len(ln)
            elif not ln.strip():
                if current:
                    rows.append(current)
                    current = []
            else:
                break
            j += 1
        if current:
            rows.append(current)
        if len(rows) >= 2:
            tables.append(_build_table(text, m.group(1), m.group(2).strip(), rows, start, end))
        i = j if rows else i + 1
    return tables


def _lines_with_offsets(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _build_table(text, label, caption, rows, start, end) -> Table:
    built = []
    for r, row in enumerate(rows):
        cells = []
        for c, (off, ln) in enumerate(row):
            body_start = off + 1  # after the TAB
            raw = ln[1:]
            lead = len(raw) - len(raw.lstrip())
            s = body_start + lead
            e = s + len(raw.strip())
            cells.append(Cell(text=text[s:e], start=s, end=e, row=r, col=c))
        built.append(tuple(cells))
    return Table(label=_clean_label(label), caption=caption, rows=tuple(built), header_rows=1, start=start, end=end)


def _clean_label(label: str) -> str:
    return re.sub(r"\s+", " ", label.strip()).title().replace("Table S", "Table S")


def document_from_string(text: str, path: str = "<text>") -> Document:
    """A Document from a string, as if read from a UTF-8 .txt file (used by tests and the API)."""
    return read_text_document(Path(path), text.encode("utf-8"))
