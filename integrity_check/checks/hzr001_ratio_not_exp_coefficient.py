"""HZR001 ratio-not-exp-coefficient: a printed HR/OR/RR that is not exp of its printed coefficient.

What it checks
    In a Cox/logistic/Poisson regression table row that prints both the coefficient b (B, β,
    "Regression coefficient") and the ratio (HR, OR, RR, Exp(B)), whether exp(b) prints as the
    ratio, for some b that prints as the printed coefficient. A ratio above 1 with a negative
    coefficient (or below 1 with a positive one) is always reported.

Why it matters
    The ratio is by definition exp(b). When the two disagree, at least one cell was copied, typed
    or computed wrongly, and the reader cannot tell whether the effect size in the abstract (the
    ratio) or the one behind the Wald test and p (the coefficient) is the real one.

Example
    "0.156 | 0.293 | ... | 1.170": exp(0.156) = 1.169 and any b that prints as 0.156 (0.1555 to
    0.1565) gives 1.168 to 1.169, never 1.170 (a note: the gap is 0.05%). "-0.667 ... 0.513" is
    consistent (exp(-0.667) = 0.513).

Tolerance
    b is an interval at its printed precision and exp is increasing, so exp(b) is an interval; it
    must meet the printed ratio's interval (numeric.rounding, up_or_down by default). Published
    tables are often typeset from a different rounding path than the one that printed the
    coefficient (the ratio computed from the unrounded b, cells rounded twice, a ratio taken from
    another output column), so a discrepancy beyond the rounding box that is within
    ``relative_tolerance`` (default 1%) of the recomputed ratio is reported as a ``note``, not an
    error. Beyond that it is an error.

Known limitations
    Column roles come from the headers; a table whose "B" column holds something else (a
    standardized coefficient) would be misread. Rows labelled as reference categories are
    skipped. The prose is not checked here (prose rarely prints b).

References
    Cox DR. Regression models and life-tables. J R Stat Soc B 1972;34:187-220.
    Altman DG, Bland JM. How to obtain the confidence interval from a P value. BMJ 2011;343:d2090.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..findings import evidence
from ..numeric.rounding import Interval, decimals_of, format_at, parse_decimal
from ..stats.ratios import ratio_interval, ratio_interval_from_coefficient
from .base import rule

DEFAULT_RELATIVE_TOLERANCE = 0.01


# ----------------------------------------------------------------------------------------------
# Helpers shared by the HZR rules (HZR002-HZR004 import them from here).
# ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RatioItem:
    """A prose ratio or a regression table row, seen the same way by the HZR rules."""

    b: Optional[str]
    se: Optional[str]
    wald: Optional[str]
    p: Optional[str]
    p_relation: str
    ratio: Optional[str]
    kind: str
    ci_lo: Optional[str]
    ci_hi: Optional[str]
    level: Optional[str]
    start: int
    end: int
    table: Optional[str]
    row: Optional[int]
    label: str
    ci_method: str
    p_test: str
    confidence: str
    spans: tuple  # (role, start, end, col)
    source: str  # "table" or "prose"

    @property
    def level_value(self) -> float:
        """The CI level as a fraction; 0.95 when the paper does not state it."""
        if not self.level:
            return 0.95
        return float(parse_decimal(self.level)) / 100.0

    @property
    def level_text(self) -> str:
        return f"{self.level}%" if self.level else "95% (assumed)"

    def span(self, role: str):
        for r, s, e, c in self.spans:
            if r == role:
                return s, e, c
        return None


def ratio_items(facts) -> list[RatioItem]:
    out = []
    for r in getattr(facts, "coefficient_rows", []) or []:
        out.append(RatioItem(r.b, r.se, r.wald, r.p, r.p_relation, r.ratio, r.ratio_kind or "ratio", r.ci_lo, r.ci_hi,
                             r.level, r.start, r.end, r.table, r.row, r.label, r.ci_method, r.p_test, r.confidence,
                             r.cells, "table"))
    for r in getattr(facts, "ratios", []) or []:
        spans = [("ratio", r.est_start, r.est_end, None)]
        if r.ci_start >= 0:
            spans.append(("ci", r.ci_start, r.ci_end, None))
            if r.p_start > r.ci_end:  # the CI and the p that follows it: "0.61–1.12, P = 0.01"
                spans.append(("ci_p", r.ci_start, r.p_end, None))
        if r.p_start >= 0:
            spans.append(("p", r.p_start, r.p_end, None))
        spans = tuple(spans) + (("all", r.start, r.end, None),)
        out.append(RatioItem(None, None, None, r.p, r.p_relation, r.estimate, r.kind, r.ci_lo, r.ci_hi, r.level,
                             r.start, r.end, r.table, r.row, r.label, r.ci_method, r.p_test,
                             r.confidence if r.level or r.ci_lo is None else "medium", spans, "prose"))
    return out


def item_evidence(doc, item: RatioItem, *roles: str) -> list:
    """Evidence for the cells of ``roles`` (first one first); prose items quote the part named by the
    first role that has a span, then the whole report."""
    if item.source == "prose":
        first = next((item.span(r) for r in roles if item.span(r)), None)
        out = [evidence(doc, first[0], first[1], item.table, item.row, None)] if first else []
        if not first or (first[0], first[1]) != (item.start, item.end):
            out.append(evidence(doc, item.start, item.end, item.table, item.row, None))
        return out
    out = []
    for role in roles:
        sp = item.span(role)
        if sp:
            out.append(evidence(doc, sp[0], sp[1], item.table, item.row, sp[2]))
    return out or [evidence(doc, item.start, item.end, item.table, item.row, None)]


def widened(recomputed: Interval, relative: float) -> Interval:
    """The recomputed interval widened by a relative tolerance on each side (for the note zone)."""
    lo, hi = recomputed.lo, recomputed.hi
    return Interval(lo - abs(lo) * relative, hi + abs(hi) * relative)


def within_relative(reported: Interval, recomputed: Interval, relative: float) -> bool:
    """Does ``reported`` meet ``recomputed`` once it is widened by ``relative``?"""
    return reported.meets(widened(recomputed, relative))


def describe(iv: Interval, decimals: int) -> str:
    a, b = format_at(iv.lo, decimals), format_at(iv.hi, decimals)
    return a if a == b else f"{a} to {b}"


def relative_tolerance(ctx) -> float:
    return float(ctx.options.get("relative_tolerance", DEFAULT_RELATIVE_TOLERANCE))


def where(item: RatioItem) -> str:
    if item.table:
        label = item.label[:60] + ("..." if len(item.label) > 60 else "")
        return f"{item.table}, row \"{label}\""
    return "text"


# ----------------------------------------------------------------------------------------------


@rule("HZR001", "ratio-not-exp-coefficient", "error", options={"relative_tolerance": DEFAULT_RELATIVE_TOLERANCE})
def check(doc, facts, ctx):
    out = []
    tol = relative_tolerance(ctx)
    for item in ratio_items(facts):
        if item.b is None or item.ratio is None:
            continue
        recomputed = ratio_interval_from_coefficient(item.b, ctx.rounding)
        printed = ratio_interval(item.ratio, ctx.rounding)
        if printed.meets(recomputed):
            continue
        sign_wrong = _opposite_directions(item.b, item.ratio, printed)
        severity = "error"
        if not sign_wrong and within_relative(printed, recomputed, tol):
            severity = "note"
        d = decimals_of(item.ratio)
        msg = (f"{item.kind} {item.ratio} is not exp({item.b}) = {describe(recomputed, d)} ({where(item)})")
        if sign_wrong:
            msg += "; the coefficient and the ratio point in opposite directions"
        elif severity == "note":
            msg += f"; the gap is within {format_at(tol * 100, 1)}% (a rounding-path difference is possible)"
        out.append(check.rule.finding(
            msg, item_evidence(doc, item, "ratio", "b"), severity=severity, confidence=item.confidence,
            reported={"ratio": item.ratio, "b": item.b},
            recomputed={"ratio": describe(recomputed, d), "exp_b_interval": [recomputed.lo, recomputed.hi]},
            tolerance={"method": ctx.rounding, "decimals": d, "relative_note_zone": tol},
        ))
    return out


def _opposite_directions(b: str, ratio: str, printed: Interval) -> bool:
    """b < 0 with a ratio above 1 under every reading, or b > 0 with a ratio below 1."""
    if printed.meets(Interval.point(1.0)):
        return False
    coef, r = parse_decimal(b), parse_decimal(ratio)
    return (coef < 0 and r > 1) or (coef > 0 and r < 1)
