"""ARI001 prose-arithmetic: a stated difference or ratio that the two values it compares do not give.

What it checks
    Prose claims such as "X% higher than Y", "increased by X%", "N months longer", "X percentage
    points", "a difference of X%", "a 1.8-fold increase", "2.3 times higher", when the two values
    compared are found (a parenthesis after the claim, "from A to B", the same sentence, or a value
    named after "than": "12.1% higher than the EPOC chemotherapy arm", whose 36% is in this or the
    previous sentence). The stated number is compared with the absolute difference a - b (in
    points, or in the time unit) and with the relative change (a - b)/b (and (a - b)/a, since
    "lower than" may be read against either value); a ratio with a/b (and a/b - 1 for "times
    higher" / "fold increase").

Why it matters
    Readers take such sentences at face value; a difference that the paper's own numbers do not
    give overstates or misstates the effect, and often shows a number copied from another source.

Example
    "our observation group achieved a 3-year OS of 48.9% (12.1% higher than the EPOC chemotherapy
    arm)" with "the EPOC trial reported a 3-year OS of 36%": 48.9 - 36 = 12.9 points, (48.9 -
    36)/36 = 35.8% relative; 12.1 is neither (error). "8.6 months longer ... (35.6 months vs 27.0
    months)": 35.6 - 27.0 = 8.6, fine. "21.1% higher" for 48.9% vs 27.8%: 21.1 points, not 75.9%
    relative: a note (the wording says relative, the number is absolute).

Tolerance
    Every number is the interval its printed decimals allow (numeric.rounding); the difference and
    the relative change are evaluated over the box of the two values' intervals, and the claim
    agrees when its own interval meets the result. "percentage points" and time units are checked
    as absolute differences only; "X% higher/lower than" accepts relative or absolute (a note when
    only the absolute fits, option ``note_points_for_percent``); "by X%" and "a difference of X%"
    accept either silently. Approximate wording ("approximately", "nearly", "over"), ranges
    ("12%-15%"), words ("twice") and "N times less" are not checked.

Known limitations
    The pair of values must be found in the sentence, a parenthesis, the previous sentence (named
    by a word of the reference) or, for "than that in the control group", in the quantities the
    paper reports for the same endpoint and time point; otherwise the claim is skipped. With two
    values in a sentence their order is not known, so both relative readings are accepted.

References
    Altman DG, Bland JM. Absolute risk reduction, relative risk reduction, and number needed to
    treat. BMJ 1998 (percentage points vs per cent). Cole TJ. Too many digits: the presentation of
    numerical data. Arch Dis Child 2015;100:608-609.
"""
from __future__ import annotations

from ..findings import evidence
from ..numeric.rounding import Interval, decimals_of, format_at, interval_agrees, parse_decimal, unround
from .base import rule

COMPARATIVE_RELATIVE = {"higher", "lower", "greater", "larger", "smaller", "more", "less", "fewer", "better", "worse"}


def _box(a: Interval, b: Interval, fn) -> Interval:
    vals = [fn(x, y) for x in (a.lo, a.hi) for y in (b.lo, b.hi)]
    return Interval.hull(vals)


def _abs_interval(d: Interval) -> Interval:
    if d.lo >= 0:
        return d
    if d.hi <= 0:
        return Interval(-d.hi, -d.lo)
    return Interval(0.0, max(-d.lo, d.hi))


def recompute(a: str, b: str, method: str) -> dict[str, Interval]:
    """Absolute difference, relative changes and ratios of two printed values, as intervals."""
    ia, ib = unround(a, method), unround(b, method)
    hi, lo = (ia, ib) if float(parse_decimal(a)) >= float(parse_decimal(b)) else (ib, ia)
    out = {"absolute": _abs_interval(_box(ia, ib, lambda x, y: x - y))}
    if lo.lo > 0:
        out["relative_to_smaller"] = _box(hi, lo, lambda x, y: 100.0 * (x - y) / y)
        out["ratio"] = _box(hi, lo, lambda x, y: x / y)
    if hi.lo > 0:
        out["relative_to_larger"] = _box(hi, lo, lambda x, y: 100.0 * (x - y) / x)
    return out


@rule("ARI001", "prose-arithmetic", "error", options={"note_points_for_percent": True})
def check(doc, facts, ctx):
    out = []
    for c in facts.claims:
        if c.approximate or c.a is None or c.b is None:
            continue
        try:
            r = recompute(c.a, c.b, ctx.rounding)
        except (ValueError, ArithmeticError):
            continue
        stated = c.stated
        d = decimals_of(stated)
        agrees = {k: interval_agrees(stated, v, ctx.rounding) for k, v in r.items()}
        absolute_ok = agrees.get("absolute", False)
        relative_ok = agrees.get("relative_to_smaller", False) or agrees.get("relative_to_larger", False)
        severity = None
        if c.wording in ("points", "time"):
            if not absolute_ok:
                severity = "error"
        elif c.wording == "relative":
            if not relative_ok:
                severity = "error" if not absolute_ok else "note"
        elif c.wording in ("comparative", "by", "difference"):
            if not (absolute_ok or relative_ok):
                severity = "error"
            elif (c.wording == "comparative" and not relative_ok and c.direction in COMPARATIVE_RELATIVE
                  and ctx.options.get("note_points_for_percent", True)):
                severity = "note"
        elif c.wording == "ratio":
            ratio = r.get("ratio")
            if ratio is None:
                continue
            ok = interval_agrees(stated, ratio, ctx.rounding)
            if not ok and (c.ratio_tail.startswith(("higher", "more", "greater", "increase", "larger")) or c.unit == "fold"):
                ok = interval_agrees(stated, Interval(ratio.lo - 1, ratio.hi - 1), ctx.rounding)
            if not ok:
                severity = "error"
        if severity is None:
            continue
        out.append(_finding(doc, c, r, d, severity, check.rule, ctx))
    return out


def _finding(doc, c, r, d, severity, info, ctx):
    unit = {"%": "%", "points": " percentage points"}.get(c.unit, " " + c.unit)
    a, b = float(parse_decimal(c.a)), float(parse_decimal(c.b))
    hi, lo = max(a, b), min(a, b)
    absd = format_at(hi - lo, max(d, 1))
    parts = [f"{c.a} vs {c.b}: difference {absd}{' points' if c.unit in ('%', 'points') else ' ' + c.unit}"]
    if "relative_to_smaller" in r and c.unit in ("%", "points", "fold", "times"):
        parts.append(f"relative change {format_at(100.0 * (hi - lo) / lo, 1)}%"
                     + (f" (or {format_at(100.0 * (hi - lo) / hi, 1)}% of the larger)" if "relative_to_larger" in r else ""))
    if c.wording == "ratio" and "ratio" in r:
        parts.append(f"ratio {format_at(hi / lo, 2)}")
    if severity == "note":
        message = (f"\"{' '.join(doc.text[c.start:c.end].split())} {c.direction}\" reads as a relative change, but {c.stated} is the difference in "
                   f"percentage points ({'; '.join(parts)})")
    else:
        message = f"stated {c.stated}{unit if c.wording != 'ratio' else '-' + c.unit} does not follow: {'; '.join(parts)}"
    ev = [evidence(doc, c.start, c.quote_end if c.quote_end > c.end else c.end)]
    if c.a_start >= 0:
        ev.append(evidence(doc, c.a_start, c.a_end + (1 if doc.text[c.a_end:c.a_end + 1] == "%" else 0)))
    if c.b_start >= 0:
        ev.append(evidence(doc, c.b_start, c.b_end + (1 if doc.text[c.b_end:c.b_end + 1] == "%" else 0)))
    return info.finding(
        message, ev, severity=severity, confidence=c.confidence,
        reported={"stated": c.stated, "unit": c.unit, "wording": c.wording, "a": c.a, "b": c.b, "pairing": c.pairing},
        recomputed={k: [format_at(v.lo, max(d, 1) + 1), format_at(v.hi, max(d, 1) + 1)] for k, v in r.items()},
        tolerance={"method": ctx.rounding, "decimals": d},
    )
