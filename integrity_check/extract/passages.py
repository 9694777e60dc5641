"""Sentences and sections of a document's text, and duplicated passages within one paper (DUP001).

Works on the normalized text alone (``sentences(text, exclude)``), so the batch step
(integrity_check.crosspaper, DUP002) can segment papers the same way without their Documents.

What is never a passage (blanked out before segmentation, offsets kept):
- the reference list: everything after a "References" / "Bibliography" heading in the last 70%
  of the text;
- tables: the spans of ``doc.tables`` and every line that starts with a TAB (text tables), and
  table notes: up to four lines right after a table or after two or more lines that are mostly
  numbers (PDF tables that were not detected);
- running heads and footers: any line of at most 150 characters that occurs three or more
  times (digits ignored, so "Page 3 of 9" repeats);
- captions and table notes: sentences starting with "Figure 2", "Fig. 2", "Table 1",
  "Note:", "Abbreviations:", "Data are presented as ...";
- boilerplate sentences listed in rules/vocabulary/design.toml [boilerplate] (licences, funding,
  competing interests, ethics approval and consent statements, data availability, DOIs, URLs).

Extraction records duplicated passage pairs (runs of near-duplicate sentences, similarity at
least 0.6 and 12 words); the rule (DUP001) applies its thresholds.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from ..model import Document

WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_NUMBERED = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?P<t>[A-Z][^\n]{1,80})$")
_SENT_END = re.compile(r"[.!?][\"”’)\]]*\s+(?=[(“\"‘']?[A-Z0-9])")
_NO_SPLIT_BEFORE = re.compile(r"(?:\b(?:Fig(?:ure)?s?\.?|Tables?)\s*S?\d+[A-Za-z]?|\b(?:e\.g|i\.e|et al|vs|Fig|Figs|Dr|No|Nos|approx|ca|cf|St|Ref|Eq|Vol|pp|Tab|al)|\b[A-Z])$")

PARTS = {
    "abstract": ("abstract", "summary", "highlights", "key points", "author summary", "significance", "graphical abstract"),
    "introduction": ("introduction", "background"),
    "methods": ("methods", "method", "materials and methods", "material and methods", "patients and methods", "research methods",
                "methodology", "subjects and methods", "study design", "methods and materials", "experimental section"),
    "results": ("results", "results and discussion"),
    "discussion": ("discussion", "conclusion", "conclusions", "limitations", "general discussion"),
}


@dataclass(frozen=True)
class Heading:
    start: int
    end: int
    title: str
    part: str  # abstract, introduction, methods, results, discussion, references, or "" (a subsection)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    words: tuple[str, ...]  # lower-cased word tokens
    spans: tuple[tuple[int, int], ...]  # each token's span in the text
    section: str  # the nearest heading before the sentence ("" when none)
    part: str  # front (before the first heading), abstract, introduction, methods, results, discussion
    paragraph: int  # index of the blank-line-separated block (text input; PDFs are one block per page)


@dataclass(frozen=True)
class DuplicatePassage:
    """Two places of one paper with the same (or nearly the same) run of sentences."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    a_words: int
    b_words: int
    similarity: float  # 2M/T over the word sequences (stats.duplicates.similarity)
    jaccard: float  # of word 5-shingles
    a_section: str
    b_section: str
    a_part: str
    b_part: str
    sentences: int  # sentence pairs in the run
    # wording that differs: (side "a"|"b", start, end, the other side's words) with a little context
    diffs: tuple[tuple[str, int, int, str], ...] = ()
    n_diffs: int = 0


def _vocab() -> dict:
    from .design import load_vocabulary

    return load_vocabulary()


@lru_cache(maxsize=1)
def _patterns():
    v = _vocab().get("boilerplate", {})
    boiler = re.compile(r"\b(?:" + "|".join(v.get("patterns", [])) + r")", re.IGNORECASE)
    caption = re.compile(r"^\W{0,3}(?:" + "|".join(v.get("caption_starts", [])) + r")", re.IGNORECASE)
    refs = re.compile(r"^\s*(?:\d{1,2}\.?\s*)?(?:" + "|".join(v.get("reference_headings", [])) + r")\s*:?\s*$",
                      re.IGNORECASE)
    return boiler, caption, refs


def _lines(text: str) -> Iterable[tuple[int, int, str]]:
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line), line
        pos += len(line) + 1


def headings(text: str) -> list[Heading]:
    """Section headings: lines that are a known section name, or numbered ("2.1.2 Randomization")."""
    names = {name: part for part, ns in PARTS.items() for name in ns}
    _, _, refs = _patterns()
    out = []
    for lo, hi, line in _lines(text):
        s = line.strip()
        if not s or len(s) > 90 or s.startswith("\t") or line.startswith("\t"):
            continue
        bare = re.sub(r"^(?:\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+", "", s).rstrip(":").strip()
        low = bare.lower()
        if low in names:
            part = names[low]
            if part != "introduction" and not any(h.part == "introduction" for h in out) and \
                    re.search(r"(?im)^\s*(?:\d{1,2}\.?\s+)?introduction\s*$", text[hi:]):
                part = "abstract"  # structured abstract: Background / Methods / Results / Conclusions
            out.append(Heading(lo, hi, s, part))
        elif refs.match(s) and lo > 0.3 * len(text):
            out.append(Heading(lo, hi, s, "references"))
        else:
            m = _NUMBERED.match(s)
            if m and len(bare.split()) <= 12 and not bare.endswith(".") and not re.search(r"\d[\d.,]*\s*%|[=<>±]", bare):
                out.append(Heading(lo, hi, s, ""))
    # structured abstracts without an Introduction heading: "Background ... Conclusions" printed
    # twice; the first run of part headings is the abstract
    named = [k for k, h in enumerate(out) if h.part in ("introduction", "methods", "results", "discussion")]
    if named and not any(h.part == "abstract" for h in out[named[0]:]):
        first = re.sub(r"^[\d.\s]+", "", out[named[0]].title).lower()
        again = next((k for k in named[1:] if re.sub(r"^[\d.\s]+", "", out[k].title).lower() == first), None)
        if again is not None:
            for k in named:
                if k < again:
                    out[k] = Heading(out[k].start, out[k].end, out[k].title, "abstract")
    return out


def _blank(chars: list[str], start: int, end: int) -> None:
    for k in range(max(0, start), min(len(chars), end)):
        if chars[k] not in "\n\f":
            chars[k] = " "


def usable_text(text: str, exclude: Sequence[tuple[int, int]] = ()) -> str:
    """The text with references, tables, repeated lines (running heads) blanked out; same length."""
    chars = list(text)
    for hd in headings(text):
        if hd.part == "references":
            _blank(chars, hd.start, len(text))
            break
        _blank(chars, hd.start, hd.end)  # a heading is not part of the paragraph under it
    for start, end in exclude:
        _blank(chars, start, end)
    _blank_table_notes(text, chars, exclude)
    counts: dict[str, int] = {}
    keyed = []
    _, caption, _ = _patterns()
    for lo, hi, line in _lines(text):
        if line.startswith("\t") or caption.match(line):
            _blank(chars, lo, hi)  # table cells; caption and note lines (a whole paragraph in text input)
            continue
        s = line.strip()
        if 3 <= len(s) <= 150:
            key = re.sub(r"\s+", " ", re.sub(r"\d+", "#", s.lower()))
            counts[key] = counts.get(key, 0) + 1
            keyed.append((lo, hi, key))
    for lo, hi, key in keyed:
        if counts[key] >= 3:
            _blank(chars, lo, hi)
    return "".join(chars)


_NUMERIC_TOKEN = re.compile(r"^[-−–+<>=≤≥±(\[]*\d[\d.,:/%)\]–-]*[a-d*†‡]?$")
_NOTE_STOP = re.compile(r"^\s*(?:table|fig(?:ure)?\.?)\s*s?\d", re.IGNORECASE)


def _numeric_line(line: str) -> bool:
    toks = line.split()
    nums = sum(1 for t in toks if _NUMERIC_TOKEN.match(t))
    return nums >= 3 and nums >= 0.4 * len(toks)


def _blank_table_notes(text: str, chars: list[str], tables: Sequence[tuple[int, int]], max_lines: int = 4) -> None:
    """Table notes: up to ``max_lines`` lines right after a table (its span, or two or more lines
    that are mostly numbers), up to a blank line, a page break or the next caption. PDFs print
    the same note ("Continuous variables are given as medians ...") under several tables."""
    lines = list(_lines(text))
    ends = sorted(e for _, e in tables)
    after_table = set()
    k = 0
    for idx, (lo, hi, line) in enumerate(lines):
        while k < len(ends) and ends[k] <= lo:
            after_table.add(idx)
            k += 1
    numeric_run = 0
    idx = 0
    while idx < len(lines):
        lo, hi, line = lines[idx]
        if line.startswith("\t"):
            numeric_run = 0
            idx += 1
            continue
        if _numeric_line(line):
            numeric_run += 1
            idx += 1
            continue
        if numeric_run >= 2 or idx in after_table:
            n, first = 0, idx
            while idx < len(lines) and n < max_lines:
                lo, hi, line = lines[idx]
                if not line.strip() or "\f" in line or _NOTE_STOP.match(line):
                    break
                if _numeric_line(line):
                    idx += 1
                    continue
                _blank(chars, lo, hi)
                n += 1
                idx += 1
            numeric_run = 0
            if idx == first:
                idx += 1
            continue
        numeric_run = 0
        idx += 1


def _split_block(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    out, start = [], lo
    for m in _SENT_END.finditer(text, lo, hi):
        before = text[max(lo, m.start() - 12):m.start()]
        if text[m.start()] == "." and _NO_SPLIT_BEFORE.search(before):
            continue
        out.append((start, m.start() + 1))
        start = m.end()
    out.append((start, hi))
    return out


def sentences(text: str, exclude: Sequence[tuple[int, int]] = ()) -> list[Sentence]:
    """The usable sentences of a text, with their words, section and part."""
    boiler, caption, _ = _patterns()
    clean = usable_text(text, exclude)
    heads = headings(text)
    out: list[Sentence] = []
    # text before the first heading is the title page and abstract only when the paper has sections
    hk, section, part = 0, "", "front" if any(h.part for h in heads) else "body"
    blocks = [(m.start(), m.end()) for m in re.finditer(r"(?:[^\n\f]|\n(?![ \t]*\n)(?!\f))+", clean)]
    for b_index, (b_lo, b_hi) in enumerate(blocks):
        for lo, hi in _split_block(clean, b_lo, b_hi):
            seg = clean[lo:hi]
            stripped = seg.strip()
            if not stripped:
                continue
            lo += len(seg) - len(seg.lstrip())
            hi = lo + len(stripped)
            while hk < len(heads) and heads[hk].start <= lo:
                h = heads[hk]
                section = h.title
                if h.part:
                    part = h.part
                hk += 1
            if part == "references":
                continue
            body = text[lo:hi]
            if caption.match(stripped) or boiler.search(body):
                continue
            toks = [(m.group().lower(), m.start(), m.end()) for m in WORD.finditer(clean, lo, hi)]
            out.append(Sentence(lo, hi, tuple(t[0] for t in toks), tuple((t[1], t[2]) for t in toks), section, part,
                                b_index))
    return out


def _diffs(a_words, a_spans, b_words, b_spans, text: str, limit: int = 3):
    from ..stats.duplicates import word_diff

    ops = word_diff(a_words, b_words)
    out = []
    for tag, a0, a1, b0, b1 in ops:
        if len(out) >= limit:
            break
        if tag in ("replace", "insert"):
            side, spans, k0, k1, other = "b", b_spans, b0, b1, " ".join(a_words[a0:a1])
        else:
            side, spans, k0, k1, other = "a", a_spans, a0, a1, ""
        first = max(0, k0 - 1)
        last = min(len(spans), max(k1, first + 4))
        if last <= first:
            continue
        out.append((side, spans[first][0], spans[last - 1][1], other))
    return tuple(out), len(ops)


def find_duplicates(text: str, exclude: Sequence[tuple[int, int]] = (), min_similarity: float = 0.6,
                    min_words: int = 12) -> list[DuplicatePassage]:
    from ..stats.duplicates import candidate_pairs, merge_runs, run_similarity, self_overlap

    sents = sentences(text, exclude)
    units = [s.words for s in sents]
    pairs = candidate_pairs(units, min_words=8, min_similarity=min_similarity)
    lengths = [len(u) for u in units]
    partners: dict[int, int] = {}
    for p in pairs:
        partners[p.i] = partners.get(p.i, 0) + 1
        partners[p.j] = partners.get(p.j, 0) + 1
    # a sentence repeated three or more times is boilerplate (table notes, repeated legends)
    pairs = [p for p in pairs if partners[p.i] < 2 and partners[p.j] < 2]
    out = []
    for run in merge_runs(pairs, lengths=lengths):
        if self_overlap(run):
            continue
        sim, jac, na, nb = run_similarity(units, run)
        if sim < min_similarity or min(na, nb) < min_words:
            continue
        a = sents[run.a0:run.a1 + 1]
        b = sents[run.b0:run.b1 + 1]
        a_words = [w for s in a for w in s.words]
        b_words = [w for s in b for w in s.words]
        diffs, n = _diffs(a_words, [sp for s in a for sp in s.spans], b_words, [sp for s in b for sp in s.spans], text)
        out.append(DuplicatePassage(
            a[0].start, a[-1].end, b[0].start, b[-1].end, na, nb, sim, jac, a[0].section, b[0].section,
            a[0].part, b[0].part, len(run.pairs), diffs, n))
    return out


def extract_passages(doc: Document, facts, registry) -> None:
    facts.passages.extend(find_duplicates(doc.text, [(t.start, t.end) for t in doc.tables]))
