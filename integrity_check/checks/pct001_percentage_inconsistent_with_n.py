"""PCT001 percentage-inconsistent-with-n: a percentage no integer count of its n can produce.

What it checks
    For every percentage tied to a denominator n (a table cell under a column "(n=38)", a prose
    "26/38 (68.4%)", a sentence naming one arm), whether any integer k in 0..n gives 100*k/n that
    prints as the reported percentage at its printed precision (GRIM for percentages).

Why it matters
    A percentage that no whole number of patients can produce means the count, the percentage or
    the n is wrong: often the percentages were computed on another denominator (see PCT004), or
    copied from another table or version of the data.

Example
    With 38 patients per arm, "26 (68.9)" cannot be right: 26/38 = 68.4% and 27/38 = 71.1%, and
    no k gives 68.9% (31/45 does).

Tolerance
    The percentage is an interval: "68.9" is any value in [68.85, 68.95] (both rounding
    directions, numeric.rounding, method up_or_down by default). A percentage attainable only
    when digits were cut off instead of rounded (30/76 = 39.47% printed as 39.4) is a warning,
    not an error: truncation is a (poor) practice, not an impossibility. "0.0" and "100" are attainable
    for every n. A prose percentage whose tie to n is uncertain (confidence low) is never reported
    on its own; it is added as further evidence to a table finding with the same value and n. A
    prose percentage without a count whose n comes from the arm its sentence names is a warning:
    it may be a share of a subgroup of that arm.

Known limitations
    Percentages of a different base (e.g. "% of responders") are skipped only when the table or
    header says so; weighted or imputed percentages, and Kaplan-Meier estimates printed as n (%),
    are not counts over n and can be flagged when the table presents them as n (%).

References
    Brown NJL, Heathers JAJ. The GRIM test. Soc Psychol Personal Sci 2017;8:363-369.
"""
from __future__ import annotations

from ..findings import evidence
from ..numeric.rounding import format_at
from ..stats.proportions import attainable_counts, describe_neighbours, percent_of
from .base import rule


@rule("PCT001", "percentage-inconsistent-with-n", "error", options={"report_prose": True})
def check(doc, facts, ctx):
    by_key = {}
    findings = []
    prose_pending = []
    for p in facts.proportions:
        if p.percent is None or not p.n or p.n <= 0:
            continue
        if attainable_counts(p.percent, p.n, ctx.rounding):
            continue
        if p.context == "prose":
            prose_pending.append(p)
            continue
        key = (p.percent, p.n, p.arm)
        message = f"{p.percent}% is not attainable with n = {p.n} ({', '.join(describe_neighbours(p.percent, p.n))})"
        if p.count is not None:
            message += f"; the printed count is {p.count}"
        severity = check.rule.severity
        truncated = _only_if_truncated(p.percent, p.n, ctx)
        if truncated:
            severity = "warning"
            message += f"; attainable only if the digits were cut off rather than rounded ({truncated})"
        f = check.rule.finding(
            message,
            [evidence(doc, p.start, p.end, p.table, p.row, p.col)],
            confidence=p.confidence,
            reported={"percent": p.percent, "n": str(p.n), **({"count": p.count} if p.count else {}),
                      "n_source": p.n_source, **({"arm": p.arm} if p.arm else {})},
            recomputed={"candidates": describe_neighbours(p.percent, p.n)},
            tolerance={"method": ctx.rounding, "decimals": _decimals(p.percent)},
            severity=severity,
        )
        findings.append(f)
        by_key.setdefault(key, f)
    for p in prose_pending:
        key = (p.percent, p.n, p.arm)
        if key in by_key:
            by_key[key].evidence.append(evidence(doc, p.start, p.end))
            continue
        if p.confidence == "low" or not ctx.options.get("report_prose", True):
            continue
        f = check.rule.finding(
            f"{p.percent}% is not attainable with n = {p.n} ({', '.join(describe_neighbours(p.percent, p.n))}); n from {p.n_source}",
            [evidence(doc, p.start, p.end)],
            confidence=p.confidence,
            reported={"percent": p.percent, "n": str(p.n), "n_source": p.n_source},
            recomputed={"candidates": describe_neighbours(p.percent, p.n)},
            tolerance={"method": ctx.rounding, "decimals": _decimals(p.percent)},
            # n taken from the arm the sentence names: the percentage may be of a subgroup of it
            severity="warning" if p.arm and p.count is None else check.rule.severity,
        )
        findings.append(f)
        by_key[key] = f
    return findings


def _only_if_truncated(percent: str, n: int, ctx) -> str:
    """"30/76 = 39.47%" when the percentage is attainable by truncation but not by rounding."""
    if ctx.rounding != "up_or_down":
        return ""
    ks = attainable_counts(percent, n, "truncate")
    return ", ".join(f"{k}/{n} = {format_at(percent_of(k, n), 2)}%" for k in ks)


def _decimals(percent: str) -> int:
    from ..numeric.rounding import decimals_of

    return decimals_of(percent)
