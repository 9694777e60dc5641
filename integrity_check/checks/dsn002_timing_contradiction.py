"""DSN002 timing-contradiction: the interval between an intervention and surgery is stated in ways
that cannot both hold.

What it checks
    Statements about this study (same scope as DSN001) of two kinds: a stated interval between
    a named drug or intervention class and an anchor event ("the interval between targeted drug
    use and surgery was no less than 4 weeks", "the interval between the last dose of
    bevacizumab and surgery was ≥4 weeks") and a stated start ("targeted therapy was initiated
    ... 1 week after surgery"). When both name the same intervention (a class term and the one
    drug named in the same sentence count as the same: "targeted therapy ..., using
    bevacizumab") and the same anchor, and the start lies outside the stated interval, both are
    quoted.

Why it matters
    The interval between an anti-angiogenic drug and surgery is a safety condition (wound
    healing, bleeding); a paper that claims it was respected while stating a start inside it
    either misreports the protocol or the safety conclusion rests on a condition that was not met.

Example
    Introduction: "it strictly controls the interval between targeted drug use and surgery to be
    no less than 4 weeks"; Methods 2.2.2: "Targeted therapy was initiated on the same day as the
    first cycle of adjuvant chemotherapy (1 week after surgery)": 1 week is not ≥ 4 weeks.

Tolerance
    Values are compared as day ranges (day = 1, week = 7, month = 28-31 days); a start
    contradicts an interval only when its range lies wholly outside it. An interval measured
    from the last dose before surgery is not compared with a restart after surgery ("resumed",
    "restarted"), only with a first start ("initiated", "started"), which implies there was no
    earlier dose. Statements in clauses about guidelines, other studies or conditions ("when
    the interval was ≥4 weeks", "recommended", "meta-analysis") are ignored. Severity warning.

Known limitations
    Only "interval between X and Y ... N weeks" and "X was initiated/started ... N weeks after
    Y" (and the active "initiated X N weeks after Y") are read; anchors and interventions are
    the lists in rules/vocabulary/design.toml. Timing in tables or flow charts is not read.

References
    Schulz KF, Altman DG, Moher D. CONSORT 2010 statement, item 5 (interventions with
    sufficient details to allow replication, including how and when they were administered).
    BMJ 2010;340:c332.
"""
from __future__ import annotations

from ..findings import evidence
from .base import rule


def _flat(s: str) -> str:
    return " ".join(s.split())


def _outside(start, interval) -> bool:
    """True when the start's day range cannot meet the interval's range."""
    if interval.high_days is not None and start.low_days > interval.high_days:
        return True
    if interval.relation == ">" and start.high_days <= interval.low_days:
        return True
    if interval.relation == "<" and interval.high_days is not None and start.low_days >= interval.high_days:
        return True
    return start.high_days < interval.low_days


@rule("DSN002", "timing-contradiction", "warning")
def check(doc, facts, ctx):
    timings = [s for s in facts.design_statements if getattr(s, "kind", "") in ("interval", "start")]
    intervals = [t for t in timings if t.kind == "interval"]
    starts = [t for t in timings if t.kind == "start"]
    groups: list[tuple[list, list]] = []
    for iv in intervals:
        hits = [st for st in starts if st.anchor == iv.anchor and set(st.interventions) & set(iv.interventions)
                and not (iv.direction == "before" and st.restart) and _outside(st, iv)]
        if not hits:
            continue
        for g_iv, g_st in groups:
            if any(set(h.interventions) & set(x.interventions) for h in hits for x in g_st):
                g_iv.append(iv)
                g_st.extend(h for h in hits if h not in g_st)
                break
        else:
            groups.append(([iv], list(hits)))
    out = []
    for ivs, sts in groups:
        iv, st = ivs[0], sts[0]
        ev = [evidence(doc, iv.start, iv.end), evidence(doc, st.start, st.end)]
        ev += [evidence(doc, x.start, x.end) for x in (ivs[1:] + sts[1:])[:4]]
        shared = sorted(set(iv.interventions) & set(st.interventions))
        msg = (f"the interval between {', '.join(shared)} and {iv.anchor} is stated as {_flat(iv.value_raw)} "
               f"({iv.section or 'start'}{f', and {len(ivs) - 1} more place(s)' if len(ivs) > 1 else ''}), but it was started "
               f"{_flat(st.value_raw)} ({st.section or 'start'}{f', and {len(sts) - 1} more place(s)' if len(sts) > 1 else ''})")
        out.append(check.rule.finding(
            msg, ev, confidence="medium",
            reported={"interval": [x.value_raw for x in ivs], "start": [x.value_raw for x in sts],
                      "intervention": shared, "anchor": iv.anchor},
            recomputed={"interval_days": [iv.low_days, iv.high_days], "start_days": [st.low_days, st.high_days]},
            tolerance={"units": "day = 1, week = 7, month = 28-31 days"},
        ))
    return out
