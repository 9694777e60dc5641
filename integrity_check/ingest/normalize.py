"""Text normalizer that every extracted text passes through before statistics are extracted.

Input is text from PDFs (pypdfium2) or from ``.txt`` files. The output is what the extractors
search and what evidence quotes are cut from, so it has to be *predictable*: a handful of
well-defined rewrites, nothing else, and every output character keeps a pointer back to the
input character that produced it (``Normalized.source_index``) so a quote can be located in the
PDF's character boxes.

What is normalized, and why
---------------------------

1. Characters (one pass over the input):

   * Unicode NFKC **per character**: ligatures are expanded (``"ﬁ"`` -> ``"fi"``), full-width
     forms become ASCII (``"０.０５"`` -> ``"0.05"``, ``"＝"`` -> ``"="``), ``"²"`` -> ``"2"``,
     ``"…"`` -> ``"..."``. A character that expands to several keeps one source index for all
     of them. Meaningful symbols are kept as they are: ``± ≤ ≥ χ ×`` (NFKC leaves them alone)
     and the vulgar fractions ``¼ ½ ¾ …`` (NFKC would turn ``"1½"`` into ``"11⁄2"``; ``¼`` is
     also needed intact for the glyph-damage repair below). Spacing accents (``"´"``, ``"¨"``)
     are kept because NFKC would turn them into a space plus a combining mark.
   * A run of superscript digits/signs directly after a digit gets a ``"^"`` in front:
     ``"10⁻³"`` -> ``"10^-3"``, ``"0.04¹"`` -> ``"0.04^1"`` (plain NFKC would silently create
     the wrong numbers ``10-3`` and ``0.041``). Elsewhere superscripts are plain NFKC
     (``"R²"`` -> ``"R2"``, ``"χ²"`` -> ``"χ2"``).
   * Minus-like characters become ``"-"``: U+2212 minus, U+2012 figure dash, U+FE63, U+FF0D,
     U+2010/U+2011 hyphens, U+02D7, U+2796. The en dash U+2013 is **kept** (``"6–9"`` stays
     a distinguishable range; extractors decide whether ``"–0.5"`` is a minus).
   * U+00A0, U+2000..U+200A (thin space etc.), U+202F, U+205F, U+3000, U+1680 -> ``" "``;
     ``"\\r\\n"`` and ``"\\r"`` -> ``"\\n"``; U+2028/U+2029 -> ``"\\n"``.
   * Invisible characters are removed: U+200B..U+200F, U+2060..U+2064, U+FEFF, U+180E and the
     bidi controls U+202A..U+202E, U+2066..U+2069.
   * Soft hyphens: U+FFFE (pypdfium2's mark for a hyphen at a line break,
     ``"post\\ufffe\\r\\noperative"``), U+00AD and U+0002 (older PDFium). At a line end the
     word halves are joined (hyphen, line break and the next line's leading spaces removed:
     ``"postoperative"``); elsewhere the character is dropped. Exception: between numbers
     (``"20%\\ufffe\\n30%"``) it becomes ``"-"`` and the line break stays, so a numeric range
     is never glued into one number. A real ``"-"`` at a line end is never touched
     (``"well-\\nknown"`` and ``"20%-\\n30%"`` stay as they are). Tabs, runs of spaces and all
     other line structure are kept.

2. Chi-square symbol: ``"χ²"``, ``"Χ2"`` (Greek capital), the APA glyph ``"␹"`` and a capital
   Latin ``"X2"``/``"X²"`` become ``"χ2"``, which is what the extractors search for. ``"X2"``
   and ``"χ 2"`` are only rewritten in a statistic context, i.e. followed by optional spaces
   and ``=``, ``(``, ``<``, ``>``, ``≤``, ``≥`` or ``¼`` (``"Figure X2"`` is untouched). Words
   (``"chi-square"``, ``"Chi2"``) are never rewritten.

3. ``"·"`` (U+00B7, Lancet style) between two digits is a decimal point: ``"0·038"`` ->
   ``"0.038"``; elsewhere it is untouched.

4. Decimal commas (``decimal_comma=True``, or ``None`` and :func:`uses_decimal_comma` says so):
   ``"p = 0,05"`` -> ``"p = 0.05"``, ``"12,5%"`` -> ``"12.5%"``, ``"1.234,5"`` -> ``"1234.5"``,
   ``"p < ,05"`` -> ``"p < .05"``. In this mode ``"1,234"`` is a decimal too (such papers
   group thousands with ``"."`` or spaces). Not converted: lists (``"1,2,3"``), citations
   (``"[1,2]"``), degrees of freedom (``"F(2,45)"``, ``"χ2(1,2)"``, ``"gl(2,45)"``) and
   numbers glued to a letter (``"F1,106"``). With ``decimal_comma=False`` commas are never
   touched (``"12,345"`` stays).

5. Publisher glyph damage. Repaired only where it is unambiguous, and every repair is
   recorded in ``Normalized.repairs`` (offsets in the normalized text) so that facts
   overlapping a repair can be marked low confidence:

   * APA fonts, replaced anywhere (these glyphs never occur in prose): ``"⫽"`` -> ``"="``,
     ``"⬍"`` -> ``"<"``, ``"⬎"`` -> ``">"``, ``"⫾"`` -> ``"±"``, ``"⫺"`` -> ``"-"``,
     ``"␹"`` (U+2439) -> ``"χ"``.
   * In a statistic context only -- a statistic symbol (``t F r z χ2 n N p P ps df d g M SD
     SE MSE OR RR HR ICC F1 R2 r2 η2 ηp2 ω2 b B β α U W H Q Z``, not glued to a preceding
     word), optional degrees of freedom, then a damaged relation sign, then a number:

     - ``"¼"`` or ``"Z"`` for ``"="``: ``"n ¼ 521"`` -> ``"n = 521"``,
       ``"F 1, 106 ¼ 20:9, p < 0:001"`` -> ``"F(1, 106) = 20.9, p < 0.001"``,
       ``"t143 Z3.49, p!0.001"`` -> ``"t(143) = 3.49, p < 0.001"``;
     - after ``p`` only: ``"!"`` or ``"b"`` for ``"<"``, ``"O"`` or ``"N"`` for ``">"``, and
       ``","`` for ``"<"`` (``"p , .001"`` -> ``"p < .001"``); a damaged p clause must be
       followed by a p-like number (``0``, ``1``, ``.xx``, ``0.xx``);
     - the letter signs ``Z b N`` and the comma need a space before them (``"BZ 1"``,
       ``"Pb 0.5"`` and ``"p, .05 level"`` are not damage); ``"¼ of the sample"`` has no
       statistic symbol and stays;
     - bare or glued degrees of freedom get their lost parentheses back (``"t143"`` ->
       ``"t(143)"``, ``"F 1, 106"`` -> ``"F(1, 106)"``, ``"χ2 2, N ¼ 100"`` ->
       ``"χ2(2, N = 100)"``; a glued F needs two df, ``"F1,106"``, so ``"F1 ¼ 0.8"`` reads
       ``"F1 = 0.8"``);
     - ``":"`` is a decimal point (between digits, or leading: ``"p ¼ :07"`` ->
       ``"p = .07"``), but only inside such a repaired expression: the damaged clause plus
       the ``", p < 0:001"``-style clauses (``,`` or ``;`` then symbol, sign, number) that
       directly follow it. ``"10:30"``, ``"1:1"``, even a lone ``"p < 0:001"`` survive.

   A repair covers one clause (``"F(1, 106) = 20.9"`` and ``"p < 0.001"`` are separate
   repairs); ``Repair.original`` is the clause as it was before the repair step (i.e. after
   the character normalization above), ``Repair.replacement`` the clause as it is in
   ``Normalized.text``.

The result never raises on arbitrary input, ``len(source_index) == len(text)``, and
``source_index`` is non-decreasing. Characters inserted by a repair (parentheses, spaces)
point at the neighbouring input character.
"""
from __future__ import annotations

import array
import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Optional

__all__ = ["Repair", "Normalized", "normalize", "uses_decimal_comma"]


@dataclass(frozen=True)
class Repair:
    """A glyph-damage repair; ``start``/``end`` are offsets in the NORMALIZED text."""

    start: int
    end: int
    original: str
    replacement: str
    reason: str


@dataclass(frozen=True)
class Normalized:
    """Normalized text plus, for every output character, the index of its input character."""

    text: str
    source_index: array.array  # typecode "q"; len == len(text)
    repairs: tuple[Repair, ...]


# --------------------------------------------------------------------------------------------
# 1. character pass
# --------------------------------------------------------------------------------------------

_HSPACE = " \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_SOFT_HYPHENS = "\u00ad\ufffe\x02"

# a soft hyphen at a line end, a soft hyphen elsewhere, a lone \r / \r\n, or a run of other
# non-ASCII characters to map (soft hyphens excluded from the run so that "é\ufffe\n" joins)
_CHAR_RE = re.compile(
    rf"(?P<shy>[{_SOFT_HYPHENS}][{_HSPACE}\t]*(?P<br>\r\n|\r|\n)[{_HSPACE}]*)"
    rf"|(?P<lone>[{_SOFT_HYPHENS}])"
    r"|(?P<cr>\r\n?)"
    r"|(?P<other>[\x80-\xac\xae-\ufffd\uffff-\U0010ffff]+)"
)
_TRAILING_BREAK = re.compile(r"[ \t]*\n[ \t]*$")

_KEEP = frozenset(
    "±≤≥χΧ×÷°‰‱′″"  # meaningful symbols (NFKC keeps most of them anyway; explicit on purpose)
    "¼½¾⅐⅑⅒⅓⅔⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞⅟↉"  # vulgar fractions: NFKC would make "1½" read "11⁄2"
    "\u2013\u2014"  # en/em dash (ranges)
    "⫽⬍⬎⫾⫺\u2439"  # APA glyphs, repaired (and recorded) in a later pass
)
_MINUS_LIKE = frozenset("\u2212\u2012\ufe63\uff0d\u2010\u2011\u02d7\u2796")
_SPACES = frozenset("\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                    "\u2009\u200a\u202f\u205f\u3000")
_LINE_SEPS = frozenset("\u2028\u2029")
_INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u180e"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_SUPERSCRIPTS = frozenset("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾")
_DIGITS = frozenset("0123456789")
_NUMERIC_LEFT = frozenset("0123456789%")
_NUMERIC_RIGHT = frozenset("0123456789.-\u2212\u2013")


def _post(ch: str) -> str:
    """Final mapping of one character of an NFKC result."""
    if ch in _MINUS_LIKE:
        return "-"
    if ch in _SPACES:
        return " "
    if ch in _LINE_SEPS:
        return "\n"
    if ch in _INVISIBLE or ch in "\u00ad\ufffe\x02":
        return ""
    return ch


@lru_cache(maxsize=4096)
def _map_char(ch: str) -> str:
    """Replacement of one (non-ASCII or special) input character; may be "" or several chars."""
    if ch in _KEEP:
        return ch
    direct = _post(ch)
    if direct != ch:
        return direct
    try:
        nf = unicodedata.normalize("NFKC", ch)
    except Exception:  # pragma: no cover - defensive: lone surrogates etc.
        return ch
    if nf == ch:
        return ch
    # spacing accents: NFKC gives " " + combining mark, which is worse than the original
    if any(unicodedata.combining(c) for c in nf) and not unicodedata.combining(ch):
        return ch
    return "".join(_post(c) for c in nf)


def _char_pass(raw: str) -> tuple[str, list[int]]:
    parts: list[str] = []
    idx: list[int] = []
    last = 0
    for m in _CHAR_RE.finditer(raw):
        s, e = m.span()
        if s > last:
            parts.append(raw[last:s])
            idx.extend(range(last, s))
        last = e
        kind = m.lastgroup
        if kind == "cr":
            parts.append("\n")
            idx.append(s)
        elif kind == "shy":  # soft hyphen at a line end
            # the hyphen may also sit on a line of its own ("Po\n\xad\nlitik"): drop that break
            broke_before = _drop_trailing_break(parts, idx)
            prev = parts[-1][-1:] if parts else ""
            nxt = raw[e:e + 1]
            if prev and prev in _NUMERIC_LEFT and nxt and nxt in _NUMERIC_RIGHT:
                # a numeric range broken at a (soft) hyphen: keep it a range and keep the break
                if broke_before:
                    parts.append("\n")
                    idx.append(broke_before - 1)
                parts.append("-\n")
                idx.append(s)
                idx.append(m.start("br"))
            # else: join the word halves (emit nothing)
        else:  # "lone" soft hyphen or a run of non-ASCII characters
            _map_run(raw, s, e, parts, idx)
    if last < len(raw):
        parts.append(raw[last:])
        idx.extend(range(last, len(raw)))
    return "".join(parts), idx


def _drop_trailing_break(parts: list[str], idx: list[int]) -> int:
    """Remove a trailing ``[ \t]*\n[ \t]*`` from the output built so far.

    Returns 0 if there was none, else 1 + the source index of the removed line break."""
    tail = "".join(parts[-3:])
    m = _TRAILING_BREAK.search(tail)
    if m is None:
        return 0
    k = len(tail) - m.start()  # characters to remove
    br_src = idx[len(idx) - k + m.group().index("\n")]
    del idx[len(idx) - k:]
    while k:
        last = parts[-1]
        if len(last) <= k:
            k -= len(last)
            parts.pop()
        else:
            parts[-1] = last[:-k]
            k = 0
    return br_src + 1


def _map_run(raw: str, s: int, e: int, parts: list[str], idx: list[int]) -> None:
    """Map the run raw[s:e] of special characters one by one."""
    for i in range(s, e):
        ch = raw[i]
        if ch in _SOFT_HYPHENS:
            # not at a line end: drop, unless it sits between numbers ("01\xad2301")
            prev = raw[i - 1] if i > 0 else ""
            nxt = raw[i + 1] if i + 1 < len(raw) else ""
            if prev and prev in _NUMERIC_LEFT and nxt and nxt in _DIGITS:
                parts.append("-")
                idx.append(i)
            continue
        if ch in _SUPERSCRIPTS and i > 0 and raw[i - 1] in _DIGITS:
            rep = "^" + _map_char(ch)
        else:
            rep = _map_char(ch)
        if rep:
            parts.append(rep)
            if len(rep) == 1:
                idx.append(i)
            else:
                idx.extend([i] * len(rep))


# --------------------------------------------------------------------------------------------
# generic regex rewrite that keeps the index map
# --------------------------------------------------------------------------------------------

# A piece is either (a, b): copy text[a:b] with its indices, or (s, pos): the string s with
# every character mapped to the source of text[pos]. Pieces must be in ascending position
# order so that the index map stays non-decreasing.
# callback: (match, text) -> None (leave alone) or (end, pieces, relative repairs), where the
# pieces replace text[m.start():end] (end >= m.end(): a callback may consume more text) and a
# relative repair is (start, end, original, replacement, reason) within the replacement.
_Fn = Callable[[re.Match, str], Optional[tuple[int, list, list]]]
# an edit: (old_start, old_end, new_start, new_end, kept spans [(old_a, old_b, new_a), ...])
_Edit = tuple[int, int, int, int, list]


class _Pass:
    """Result of one rewrite: new text, new index map, edits (for remapping) and repairs."""

    __slots__ = ("text", "idx", "edits", "repairs")

    def __init__(self, text: str, idx: list[int], edits: list[_Edit], repairs: list[Repair]):
        self.text = text
        self.idx = idx
        self.edits = edits  # ascending
        self.repairs = repairs


def _rewrite(text: str, idx: list[int], pattern: re.Pattern, fn: _Fn) -> _Pass:
    """Apply ``fn`` to the non-overlapping matches of ``pattern`` (left to right)."""
    parts: list[str] = []
    nidx: list[int] = []
    edits: list[_Edit] = []
    repairs: list[Repair] = []
    out_len = 0
    last = 0
    pos = 0
    n = len(text)
    while pos <= n:
        m = pattern.search(text, pos)
        if m is None:
            break
        res = fn(m, text)
        if res is None:
            pos = m.start() + 1
            continue
        end, pieces, rel = res
        s = m.start()
        if s > last:
            parts.append(text[last:s])
            nidx.extend(idx[last:s])
            out_len += s - last
        new_start = out_len
        kept = []
        for a, b in pieces:
            if type(a) is int:
                if b > a:
                    parts.append(text[a:b])
                    nidx.extend(idx[a:b])
                    kept.append((a, b, out_len))
                    out_len += b - a
            elif a:
                parts.append(a)
                nidx.extend([idx[b]] * len(a))
                out_len += len(a)
        edits.append((s, end, new_start, out_len, kept))
        for rs, re_, orig, repl, reason in rel:
            repairs.append(Repair(new_start + rs, new_start + re_, orig, repl, reason))
        last = end
        pos = end if end > s else s + 1
    if not edits:
        return _Pass(text, idx, edits, repairs)
    if last < n:
        parts.append(text[last:])
        nidx.extend(idx[last:])
    return _Pass("".join(parts), nidx, edits, repairs)


def _remap(repairs: list[Repair], edits: list[_Edit]) -> list[Repair]:
    """Move repair offsets through a later rewrite.

    Offsets inside text that the rewrite copied unchanged move exactly; an offset inside text
    that the rewrite replaced snaps outwards to the edges of that replacement."""
    if not edits or not repairs:
        return repairs
    starts = [e[0] for e in edits]

    def conv(o: int, is_end: bool) -> int:
        k = (bisect.bisect_left(starts, o) if is_end else bisect.bisect_right(starts, o)) - 1
        if k < 0:
            return o
        os_, oe, ns, ne, kept = edits[k]
        if (o > oe) if is_end else (o >= oe):
            return o + (ne - oe)
        for a, b, na in kept:
            if (a < o <= b) if is_end else (a <= o < b):
                return na + (o - a)
        return ne if is_end else ns

    out = []
    for r in repairs:
        s = conv(r.start, False)
        e = max(s, conv(r.end, True))
        out.append(Repair(s, e, r.original, r.replacement, r.reason))
    return out


def _pieces_fixing(
    text: str, a: int, b: int, table: dict[str, str], leading_colon: bool = False
) -> tuple[list, list[str]]:
    """Pieces for text[a:b] with single characters replaced per ``table``; ':' only between
    digits (or, with ``leading_colon``, also as the first character before a digit: ":07").
    Returns (pieces, the characters that were replaced)."""
    pieces: list = []
    what: list[str] = []
    run = a
    for i in range(a, b):
        ch = text[i]
        rep = table.get(ch)
        if rep is None:
            continue
        if ch == ":" and not (
            i + 1 < b and text[i + 1].isdigit()
            and ((i > a and text[i - 1].isdigit()) or (leading_colon and i == a))
        ):
            continue
        if i > run:
            pieces.append((run, i))
        pieces.append((rep, i))
        what.append(ch)
        run = i + 1
    if b > run:
        pieces.append((run, b))
    return pieces, what


# --------------------------------------------------------------------------------------------
# 2. APA glyphs (anywhere, recorded)
# --------------------------------------------------------------------------------------------

_APA = {"⫽": "=", "⬍": "<", "⬎": ">", "⫾": "±", "⫺": "-", "\u2439": "χ"}
_APA_RE = re.compile("[" + "".join(_APA) + "]")


def _apa_fix(m: re.Match, text: str):
    ch = m.group()
    rep = _APA[ch]
    return m.end(), [(rep, m.start())], [(0, 1, ch, rep, f"glyph damage: {ch!r} (U+{ord(ch):04X}) read as {rep!r}")]


# --------------------------------------------------------------------------------------------
# 3. chi-square symbol
# --------------------------------------------------------------------------------------------

_CHI_RE = re.compile(r"[XΧχ](?P<sp>[ \t]*)2(?![\d.])")
_STAT_AHEAD = re.compile(r"[ \t]*[=(<>≤≥¼]")


def _chi_fix(m: re.Match, text: str):
    s, e = m.span()
    if s > 0 and (text[s - 1].isalnum() or text[s - 1] == "_"):
        return None
    c = text[s]
    if c == "χ" and e - s == 2:
        return None  # already canonical
    if c == "X" or e - s > 2:
        # Latin X, or a spaced "χ 2": only in a statistic context
        if _STAT_AHEAD.match(text, e) is None:
            return None
        if c != "χ" and e - s > 2:
            return None  # "X 2 =" is too ambiguous
    # "χ" mapped to the symbol, "2" to the digit (an existing "χ" is kept as it is)
    return e, [(s, s + 1) if c == "χ" else ("χ", s), (e - 1, e)], []


# --------------------------------------------------------------------------------------------
# 4. middle dot as a decimal point
# --------------------------------------------------------------------------------------------

_MIDDOT_RE = re.compile(r"\u00b7(?<=\d\u00b7)(?=\d)")


def _middot_fix(m: re.Match, text: str):
    return m.end(), [(".", m.start())], []


# --------------------------------------------------------------------------------------------
# 5. decimal commas
# --------------------------------------------------------------------------------------------

_DC_NUM_RE = re.compile(
    r"(?<![\d.,])(?P<int>\d{1,3}(?:\.\d{3})+|\d+),(?P<frac>\d+)(?!\d)(?!,\d)(?!\.\d)"
    r"|(?<=[=<>≤≥])(?P<sp>[ \t]*),(?P<lead>\d+)(?![\d,])"
)
# a df list right before "(": "F(2,45)", "χ2 (1,2)", "gl(2,45)", "df(1,2)"
_DF_BEFORE = re.compile(r"(?<![^\W\d_])(?:[FtrHQWUTχ]|χ2|df|gl|GL)[ \t]?\($")


def _decimal_comma_fix(m: re.Match, text: str):
    s, e = m.span()
    if m.group("lead") is not None:
        c = m.end("sp")
        return e, [(s, c), (".", c), (c + 1, e)], []
    prev = text[s - 1] if s > 0 else ""
    if prev.isalpha():  # "F1,106", "T1,2"
        return None
    after = text[e] if e < len(text) else ""
    if prev == "[" and after == "]":  # citation "[1,2]"
        return None
    if prev == "(" and after == ")" and _DF_BEFORE.search(text, max(0, s - 6), s):
        return None
    comma = m.end("int")
    pieces: list = []
    int_s = m.start("int")
    if "." in m.group("int"):  # "1.234,5" -> "1234.5"
        run = int_s
        for i in range(int_s, comma):
            if text[i] == ".":
                pieces.append((run, i))
                run = i + 1
        pieces.append((run, comma))
    else:
        pieces.append((int_s, comma))
    pieces.append((".", comma))
    pieces.append((comma + 1, e))
    return e, pieces, []


_DC_SIGNAL_RE = re.compile(
    r"[=<>≤≥][ \t\u00a0]*[-\u2212\u2013]?[ \t]*"
    r"(?:0?,\d+|\d+,(?!\d{3}(?![\d,]))\d+)(?![\d,])"  # "= 0,05", "= 2,31", "< ,05"
    r"|(?<![\d.,])\d+,(?!\d{3}(?![\d,]))\d+[ \t\u00a0]?%"  # "12,5%"
    r"|(?<![\w.,\[(])0,\d+(?![\d,])"  # bare "0,038"
)
_DP_SIGNAL_RE = re.compile(
    r"[=<>≤≥][ \t\u00a0]*[-\u2212\u2013]?[ \t]*\d*\.\d+"  # "= 0.05", "< .001"
    r"|(?<![\d.,])\d+\.\d+[ \t\u00a0]?%"  # "12.5%"
)


def uses_decimal_comma(raw: str) -> bool:
    """Heuristic: does this paper write decimals with a comma ("p = 0,0017", "12,5%")?

    Counts decimal-comma numbers in telling positions (after ``= < > ≤ ≥``, before ``%``, and
    bare ``0,xx``; a comma followed by exactly three digits counts only after a leading
    ``0``, since ``"n = 1,234"`` is an English thousands separator) against decimal-point
    numbers in the same positions. True when there are at least two comma signals and at
    least twice as many as point signals.
    """
    try:
        dec = sum(1 for _ in _DC_SIGNAL_RE.finditer(raw))
        if dec < 2:
            return False
        pt = sum(1 for _ in _DP_SIGNAL_RE.finditer(raw))
        return dec >= 2 * pt
    except Exception:  # pragma: no cover - never raise on odd input
        return False


# --------------------------------------------------------------------------------------------
# 6. glyph damage in statistic context
# --------------------------------------------------------------------------------------------

_SP = r"[ \t]*(?:\n[ \t]*)?"
_NUM = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:[.:]\d+)?|[.:]\d+)"
_VAL = rf"(?:[-\u2013][ \t]?)?{_NUM}(?!\d|[.:]\d)"
_TOKS = r"χ2|df|F1|MSE|SD|SE|OR|RR|HR|ICC|R2|r2|η2p|ηp2|η2|ω2|ps|[dgtFrzZnNpPMbBβαUWHQ]"
_TOK_FIRST = "χdFMSORHIrηωpgtzZnNPbBβαUWQ"  # first characters of _TOKS
_PDF = r"[ \t]?\([^()\n]{1,40}\)"
_BDF = r"[ \t]+\d+(?:[ \t]*,[ \t]*(?:[Nn][ \t]*[=¼][ \t]*)?\d+)?"
_DAMAGED_OPS = {"¼": "=", "Z": "=", "!": "<", "b": "<", ",": "<", "O": ">", "N": ">"}
_SPACE_NEEDED_OPS = frozenset("ZbN,")  # "BZ 1", "Pb 0.5", "p, .05" are not damage
_P_TOKS = frozenset({"p", "P", "ps"})
_P_LIKE = re.compile(r"0?[.:]\d+|0|1(?:[.:]0+)?")

_HEAD_RE = re.compile(
    rf"""(?=[{_TOK_FIRST}])(?<![\w.])
    (?:
        (?P<gt>t)(?P<gtd>\d+)                                # t143
      | (?P<gf>F)(?P<gfd>\d+,[ \t]?\d+)                      # F1,106
      | (?P<bt>χ2|[tFr])(?P<bd>{_BDF})                       # F 1, 106
      | (?P<tok>{_TOKS})(?P<pd>{_PDF})?                      # F(1, 106), n, p
    )
    (?P<sp1>{_SP})(?P<op>[¼Z!ObN,])(?P<sp2>{_SP})(?P<val>{_VAL})""",
    re.VERBOSE,
)
_TAIL_RE = re.compile(
    rf"""(?P<sep>[ \t]*[,;][ \t]*(?:\n[ \t]*)?)
    (?P<tok>{_TOKS})(?P<pd>{_PDF})?
    (?P<sp1>{_SP})(?P<op>[=<>≤≥¼Z!ObN,])(?P<sp2>{_SP})(?P<val>{_VAL})""",
    re.VERBOSE,
)
_HEAD_HINT = re.compile(r"[¼Z!ObN,]")
_INNER_TABLE = {"¼": "=", ":": "."}
_VAL_TABLE = {":": "."}


def _clause(m: re.Match, text: str, tok: tuple[int, int], df: Optional[tuple[int, int, str]]):
    """Pieces for one clause ``tok [df] op value`` of a damaged expression.

    Returns None if the clause is not acceptable, else (start, end, pieces, reasons)."""
    tok_s = text[tok[0]:tok[1]]
    op = m.group("op")
    op_pos = m.start("op")
    val = m.group("val")
    is_p = tok_s in _P_TOKS
    damaged = op in _DAMAGED_OPS
    if damaged and op not in "¼Z" and not is_p:
        return None
    if op in _SPACE_NEEDED_OPS and m.start("sp1") == m.end("sp1"):
        return None
    if is_p:
        if df is not None:
            return None
        if damaged and _P_LIKE.fullmatch(val.lstrip("-\u2013 \t")) is None:
            return None

    pieces: list = [tok]
    reasons: list[str] = []
    if df is not None:
        a, b, kind = df
        if kind == "paren":
            inner, what = _pieces_fixing(text, a, b, _INNER_TABLE)
            pieces.extend(inner)
        else:
            while a < b and text[a] in " \t":
                a += 1
            inner, what = _pieces_fixing(text, a, b, _INNER_TABLE)
            pieces.append(("(", a))
            pieces.extend(inner)
            pieces.append((")", b - 1))
            reasons.append("df parentheses restored")
        if "¼" in what:
            reasons.append("'¼' read as '=' in df")
        colon_in_df = ":" in what
    else:
        colon_in_df = False

    sp1_s, sp1_e = m.span("sp1")
    sp2_s, sp2_e = m.span("sp2")
    if damaged:
        sym = _DAMAGED_OPS[op]
        reasons.insert(0, f"{op!r} read as {sym!r}")
        if "\n" in text[sp1_s:sp1_e]:
            pieces.append((sp1_s, sp1_e))
        else:
            pieces.append((" ", sp1_s if sp1_e > sp1_s else op_pos))
        pieces.append((sym, op_pos))
        if "\n" in text[sp2_s:sp2_e]:
            pieces.append((sp2_s, sp2_e))
        else:
            pieces.append((" ", sp2_s if sp2_e > sp2_s else op_pos))
    else:
        pieces.append((sp1_s, sp2_e))
    vs, ve = m.span("val")
    while vs < ve and text[vs] in "-\u2013 \t":
        vs += 1
    vpieces, vwhat = _pieces_fixing(text, vs, ve, _VAL_TABLE, leading_colon=True)
    if vs > m.start("val"):
        vpieces.insert(0, (m.start("val"), vs))
    pieces.extend(vpieces)
    if vwhat or colon_in_df:
        reasons.append("':' read as decimal point")
    return tok[0], m.end("val"), pieces, reasons


def _render(text: str, pieces: list) -> str:
    out = []
    for a, b in pieces:
        out.append(text[a:b] if isinstance(a, int) else a)
    return "".join(out)


def _stat_fix(m: re.Match, text: str):
    if m.group("gt"):
        tok, df = m.span("gt"), (*m.span("gtd"), "glued")
    elif m.group("gf"):
        tok, df = m.span("gf"), (*m.span("gfd"), "glued")
    elif m.group("bt"):
        tok, df = m.span("bt"), (*m.span("bd"), "bare")
    else:
        tok = m.span("tok")
        df = (*m.span("pd"), "paren") if m.group("pd") else None
    head = _clause(m, text, tok, df)
    if head is None:
        return None
    clauses = [head]
    end = head[1]
    while True:
        t = _TAIL_RE.match(text, end)
        if t is None:
            break
        tdf = (*t.span("pd"), "paren") if t.group("pd") else None
        c = _clause(t, text, t.span("tok"), tdf)
        if c is None:
            break
        clauses.append((t.start("sep"), t.end("sep")))  # separator, kept
        clauses.append(c)
        end = c[1]

    pieces: list = []
    rel: list = []
    out_len = 0
    for c in clauses:
        if len(c) == 2:  # separator
            pieces.append(c)
            out_len += c[1] - c[0]
            continue
        cs, ce, cp, reasons = c
        original = text[cs:ce]
        replacement = _render(text, cp)
        pieces.extend(cp)
        if replacement != original:
            rel.append((out_len, out_len + len(replacement), original, replacement,
                        "glyph damage: " + "; ".join(reasons)))
        out_len += len(replacement)
    return end, pieces, rel


# --------------------------------------------------------------------------------------------
# public entry point
# --------------------------------------------------------------------------------------------


def normalize(raw: str, *, decimal_comma: bool | None = None) -> Normalized:
    """Normalize extracted text; see the module docstring for exactly what changes.

    ``decimal_comma``: True/False forces the mode; None (default) asks
    :func:`uses_decimal_comma` on the text.
    """
    if not isinstance(raw, str):
        raise TypeError(f"normalize() needs str, got {type(raw).__name__}")
    text, idx = _char_pass(raw)
    repairs: list[Repair] = []

    p = _rewrite(text, idx, _APA_RE, _apa_fix)
    text, idx, repairs = p.text, p.idx, p.repairs

    for pattern, fn in ((_CHI_RE, _chi_fix), (_MIDDOT_RE, _middot_fix)):
        p = _rewrite(text, idx, pattern, fn)
        text, idx, repairs = p.text, p.idx, _remap(repairs, p.edits)

    if decimal_comma is None:
        decimal_comma = uses_decimal_comma(text)
    if decimal_comma:
        p = _rewrite(text, idx, _DC_NUM_RE, _decimal_comma_fix)
        text, idx, repairs = p.text, p.idx, _remap(repairs, p.edits)

    if _HEAD_HINT.search(text):
        p = _rewrite(text, idx, _HEAD_RE, _stat_fix)
        text, idx = p.text, p.idx
        repairs = _remap(repairs, p.edits) + p.repairs

    repairs.sort(key=lambda r: (r.start, r.end))
    return Normalized(text=text, source_index=array.array("q", idx), repairs=tuple(repairs))
