"""Compact terminal summary of one paper's report.

::

    paper.pdf | 9 pages | 2 errors, 1 warning, 0 notes | 1 significance flip
    ERROR   PCT001 p.5     68.9% is not attainable with n = 38 (26/38 = 68.4%, 27/38 = 71.1%);
                           31/45 = 68.9%
    WARNING CHI002 p.6     [flip] chi-square recomputed from the counts is 2.91 (p = 0.088), ...
    problem p.3     no-text-layer: page 3 has no text layer (scanned?)

Lines fit in ``width`` columns (default 100, at most 160); a long message wraps under itself
and very long ones are cut with an ellipsis. ANSI colours only when ``color=True``. Text from the
manuscript is stripped of control characters (a PDF could carry terminal escape sequences).
"""
from __future__ import annotations

import textwrap
import unicodedata
from typing import Any, Optional

__all__ = ["render_text"]

SEVERITIES = ("error", "warning", "note")
_PLURAL = {"error": "errors", "warning": "warnings", "note": "notes"}

_RESET = "\033[0m"
_STYLE = {
    "error": "\033[1;31m",
    "warning": "\033[1;33m",
    "note": "\033[36m",
    "other": "\033[1m",
    "flip": "\033[1;35m",
    "code": "\033[1m",
    "dim": "\033[2m",
    "ok": "\033[32m",
    "problem": "\033[35m",
    "header": "\033[1m",
}

MAX_WIDTH = 160
MIN_WIDTH = 60
MAX_MESSAGE_LINES = 6
_SEV_W, _CODE_W, _PAGE_W = 7, 6, 6


def _clean(text: Any) -> str:
    """One line of printable text: control characters become spaces, format characters
    (bidi overrides, zero-width joiners...) are dropped, whitespace collapses."""
    out = []
    for ch in str(text if text is not None else ""):
        cat = unicodedata.category(ch)
        if cat == "Cc":
            out.append(" ")
        elif cat == "Cf":
            continue
        else:
            out.append(ch)
    return " ".join("".join(out).split())


def _paint(text: str, style: Optional[str], color: bool) -> str:
    if not color or not style or not text:
        return text
    return f"{_STYLE[style]}{text}{_RESET}"


def _int(value: Any) -> Optional[int]:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _clip_left(text: str, limit: int) -> str:
    """Keep the end of a path (its file name), eliding the start."""
    if len(text) <= limit:
        return text
    return "…" + text[-(limit - 1):]


def _plural(n: int, word: str, plural: str) -> str:
    return f"{n} {word if n == 1 else plural}"


def _first_page(finding: dict) -> Any:
    for ev in finding.get("evidence") or []:
        if isinstance(ev, dict) and ev.get("page") is not None:
            return ev.get("page")
    return None


def _wrap(prefix_plain: str, prefix: str, message: str, width: int) -> list[str]:
    """``prefix`` (coloured) then the message, wrapped under itself."""
    indent = " " * len(prefix_plain)
    avail = max(width - len(prefix_plain), 20)
    lines = textwrap.wrap(message, width=avail, break_long_words=True, break_on_hyphens=False) or [""]
    if len(lines) > MAX_MESSAGE_LINES:
        lines = lines[:MAX_MESSAGE_LINES]
        last = lines[-1]
        lines[-1] = (last[: avail - 1].rstrip() if len(last) >= avail else last) + "…"
    return [prefix + lines[0]] + [indent + line for line in lines[1:]]


def render_text(report: dict, color: bool, width: int = 100) -> str:
    """A compact terminal summary: a header line, one line per finding, then problems."""
    width = max(MIN_WIDTH, min(int(width or 100), MAX_WIDTH))
    document = report.get("document") or {}
    summary = report.get("summary") or {}
    findings = [f for f in (report.get("findings") or []) if isinstance(f, dict)]
    problems = report.get("problems") or []

    # Header: file | pages | counts | flips
    counts = {}
    for s in SEVERITIES:
        n = _int(summary.get(s))
        counts[s] = n if n is not None else sum(1 for f in findings if f.get("severity") == s)
    flips = _int(summary.get("significance_flips"))
    if flips is None:
        flips = sum(1 for f in findings if f.get("significance_flip"))
    pages = _int(document.get("pages"))

    tail_parts = [
        "? pages" if pages is None else _plural(pages, "page", "pages"),
        ", ".join(
            _paint(_plural(counts[s], s, _PLURAL[s]), s if counts[s] else None, color) for s in SEVERITIES
        ),
        _paint(_plural(flips, "significance flip", "significance flips"), "flip" if flips else None, color),
    ]
    tail_plain = " | ".join(
        [
            tail_parts[0],
            ", ".join(_plural(counts[s], s, _PLURAL[s]) for s in SEVERITIES),
            _plural(flips, "significance flip", "significance flips"),
        ]
    )
    name = _clean(document.get("path") or document.get("title") or "<document>")
    name = _clip_left(name, max(width - len(tail_plain) - 3, 20))
    lines = [_paint(name, "header", color) + " | " + " | ".join(tail_parts)]

    # Findings
    if not findings:
        facts = summary.get("facts")
        n_facts = None
        if isinstance(facts, dict):
            n_facts = sum(v for v in (_int(x) for x in facts.values()) if v is not None)
        msg = "no inconsistencies found"
        if n_facts is not None:
            msg += f" ({_plural(n_facts, 'fact', 'facts')} checked)"
        if problems:
            msg += "; see the problems below"
        lines.append(_paint(msg, "ok", color))
    for f in findings:
        sev = _clean(f.get("severity") or "note").lower() or "note"
        sev_label = sev.upper()[:_SEV_W]
        code = _clean(f.get("code") or "?")[:12]
        page = _first_page(f)
        page_label = "-" if page is None else f"p.{_clean(page)}"
        flip = bool(f.get("significance_flip"))
        message = _clean(f.get("message"))
        if flip:
            message = "[flip] " + message
        sev_pad = sev_label.ljust(_SEV_W)
        code_pad = code.ljust(_CODE_W)
        page_pad = page_label.ljust(_PAGE_W)
        prefix_plain = f"{sev_pad} {code_pad} {page_pad}  "
        prefix = (
            _paint(sev_pad, sev if sev in SEVERITIES else "other", color)
            + " "
            + _paint(code_pad, "code", color)
            + " "
            + _paint(page_pad, "dim", color)
            + "  "
        )
        wrapped = _wrap(prefix_plain, prefix, message, width)
        if flip and color:
            wrapped[0] = wrapped[0].replace("[flip]", _paint("[flip]", "flip", True), 1)
        lines.extend(wrapped)

    # Problems
    for p in problems:
        if isinstance(p, dict):
            kind = _clean(p.get("kind") or "problem")
            page = p.get("page")
            message = _clean(p.get("message"))
        else:
            kind, page, message = "problem", None, _clean(p)
        page_label = "-" if page is None else f"p.{_clean(page)}"
        label = "problem".ljust(_SEV_W)
        prefix_plain = f"{label} {page_label.ljust(_CODE_W + 1 + _PAGE_W)}  "
        prefix = (
            _paint(label, "problem", color)
            + " "
            + _paint(page_label.ljust(_CODE_W + 1 + _PAGE_W), "dim", color)
            + "  "
        )
        text = f"{kind}: {message}" if message else kind
        lines.extend(_wrap(prefix_plain, prefix, text, width))

    return "\n".join(lines) + "\n"
