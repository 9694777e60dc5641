"""SMP002 sample-size-recomputed: the stated sample size is far below what its own assumptions require.

What it checks
    From the stated alpha (and sidedness), power (or beta) and effect, the per-group n is
    recomputed with scipy (stats.sample_size):
    * two proportions p1 vs p2: normal approximation with pooled variance (Fleiss, no continuity
      correction), with unpooled variance, and the arcsine (Cohen's h) form; Fleiss' continuity
      correction only when the paper names it;
    * survival rates at a landmark (the passage names OS/PFS/survival/log-rank): additionally the
      log-rank test, Schoenfeld's events D = 4 (z_a + z_b)^2 / ln(HR)^2 (and Freedman's) with
      HR = ln S2 / ln S1 under exponential survival, patients = D / P(event by the landmark);
    * two means: n = 2 (z_a + z_b)^2 SD^2 / delta^2 and the noncentral-t version; an effect size d
      is delta / SD;
    * a hazard ratio without rates: Schoenfeld's events, and at least events / 2 patients per group.
    The smallest n over all these methods and over every reading of stated ranges ("25%-30%"), the
    rounding of the effect, and a one-sided test when sidedness is not stated, is compared with
    the stated n (before dropout when given, else the enrolled n). The rule flags a stated n more
    than ``shortfall`` (default 20%) below it, names the formula and reading that give the
    smallest n, the n at the midpoints of the ranges, and the power the stated and the enrolled n
    actually have (the highest over methods and readings).

Why it matters
    A sample size that the paper's own assumptions cannot produce means the study had much less
    power than claimed (a "significant" result from an underpowered study is more likely a false
    positive or an inflated effect), or that the calculation was written to fit the n.

Example
    3-year OS 25%-30% vs 47%-50%, alpha 0.05 two-sided, power 80%, "each group required at least
    34 patients": even the most favourable reading (25% vs 50%) needs 53 per group (log-rank,
    Schoenfeld) or 55-58 (two proportions); at the midpoints (27.5% vs 48.5%) about 76-83. With 34
    per group the power is at most about 62% (67% with all 38 enrolled). ORR 15% vs 45%, alpha
    0.05 two-sided, power 80%, 36 per arm: the normal approximation gives 35.4 -> 36 (pass).

Tolerance
    Every ambiguity is resolved in the paper's favour (smallest n), and the stated n must still
    fall short by more than ``shortfall``. A warning: the paper may have used a design the text
    does not describe (longer follow-up, unequal allocation, one-sided test, interim analyses).

Known limitations
    The assumed rates must be the only two percentages (or ranges) stated before the required n
    in the passage; other sentences about the calculation are not read. Event probabilities
    assume every patient is followed to the landmark (longer follow-up needs fewer patients).
    Equivalence/non-inferiority designs, cluster designs and more than two groups are not handled.

References
    Fleiss JL, Levin B, Paik MC. Statistical Methods for Rates and Proportions, 3rd ed. Wiley 2003,
    ch. 4. Fleiss JL, Tytun A, Ury HK. Biometrics 1980;36:343-346. Cohen J. Statistical Power
    Analysis for the Behavioral Sciences, 2nd ed. 1988. Schoenfeld DA. Biometrika 1981;68:316-319;
    Biometrics 1983;39:499-503. Freedman LS. Stat Med 1982;1:121-129. Chow SC, Shao J, Wang H.
    Sample Size Calculations in Clinical Research, 2nd ed. 2008.
"""
from __future__ import annotations

from typing import Optional

from ..findings import evidence
from ..numeric.rounding import Interval, NotANumber, format_at, parse_decimal
from ..stats import sample_size as ss
from .base import rule
from .smp001_dropout_arithmetic import statement_groups

DEFAULT_SHORTFALL = 0.2


def _fraction(raw: str) -> Optional[float]:
    """"0.05" -> 0.05, "5%" -> 0.05, "80%" -> 0.8."""
    s = raw.replace(" ", "")
    try:
        if s.endswith("%"):
            return float(parse_decimal(s[:-1])) / 100
        return float(parse_decimal(s))
    except NotANumber:
        return None


def _design(s):
    alpha = _fraction(s.alpha) if s.alpha else None
    power = _fraction(s.power) if s.power else None
    if alpha is None or power is None:
        return None
    if s.power_from == "beta":
        power = 1 - power
    if not (0 < alpha < 0.5 and 0.5 <= power < 1):
        return None
    return alpha, power


def _key(s):
    stated = s.n_required if s.required_level == "group" else None
    if stated is None or _design(s) is None:
        return None
    effect = (s.p1, s.p2, s.delta, s.sd, s.effect_size, s.hr, s.survival, s.continuity_correction)
    return (stated, s.n_final, s.alpha, s.power, s.power_from, s.sided) + effect


@rule("SMP002", "sample-size-recomputed", "warning", options={"shortfall": DEFAULT_SHORTFALL})
def check(doc, facts, ctx):
    shortfall = float(ctx.options.get("shortfall", DEFAULT_SHORTFALL))
    out = []
    for _, statements in statement_groups(facts, _key).items():
        s = statements[0]
        alpha, power = _design(s)
        stated = int(s.n_required)
        enrolled = int(s.n_final) if s.n_final else None
        n_values = [stated] + ([enrolled] if enrolled and enrolled != stated else [])
        sided_options = [s.sided] if s.sided else [1, 2]
        best = None
        for sided in sided_options:
            rec = _recompute(s, alpha, power, sided, n_values, ctx.rounding)
            if rec is not None and (best is None or rec[0].n < best[0].n):
                best = rec + (sided,)
        if best is None:
            continue
        rec, what, spans, sided = best
        if not stated < (1 - shortfall) * rec.n:
            continue
        need = ss.ceil_n(rec.n)
        method = ss.FORMULAS.get(rec.method, rec.method)
        reading = _reading(s, rec)
        mid = ""
        if rec.n_midpoint is not None and ss.ceil_n(rec.n_midpoint) != need:
            mid = f"; at the midpoints of the stated ranges {ss.ceil_n(rec.n_midpoint)} per group"
            if s.p1 and s.p2 and rec.method in ss.SURVIVAL_METHODS:
                a, b = _range(s.p1, ctx.rounding).mid, _range(s.p2, ctx.rounding).mid
                pooled = ss.n_two_proportions(a, b, alpha, power, sided, "fleiss_cc" if s.continuity_correction else "pooled")
                mid += (f" ({rec.method}), {ss.ceil_n(pooled)} with the two-proportion normal approximation "
                        f"({format_at(100 * a, 1)}% vs {format_at(100 * b, 1)}%)")
        others = ", ".join(f"{m} {ss.ceil_n(v)}" for m, v in sorted(rec.by_method.items(), key=lambda kv: kv[1]) if m != rec.method)
        powers = "; ".join(f"with {k} per group at most {format_at(100 * p, 0)}%" for k, p in rec.power_at.items())
        side_txt = f"{'two' if sided == 2 else 'one'}-sided alpha {format_at(alpha, 3).rstrip('0').rstrip('.')}"
        if not s.sided:
            side_txt += " (sidedness not stated: one-sided, the more lenient, assumed)"
        message = (f"{what} with {side_txt} and power {format_at(100 * power, 0)}% needs at least {need} per group "
                   f"({method}{reading}){mid}; the paper states {stated} per group, {format_at(100 * (1 - stated / rec.n), 0)}% "
                   f"fewer. Power actually achieved: {powers}." + (f" Other methods: {others}." if others else ""))
        ev = [evidence(doc, *st.required_span) for st in statements[:2]]
        ev += [evidence(doc, *sp) for sp in spans]
        out.append(check.rule.finding(
            message, ev,
            reported={"n_per_group": str(stated), "n_enrolled_per_group": s.n_final, "alpha": s.alpha, "power": s.power,
                      "power_from": s.power_from, "sided": s.sided, "effect": what},
            recomputed={"n_per_group": need, "method": rec.method, "formula": method, "reading": list(rec.reading),
                        "n_midpoint": ss.ceil_n(rec.n_midpoint) if rec.n_midpoint else None,
                        "by_method": {m: ss.ceil_n(v) for m, v in rec.by_method.items()},
                        "power": {str(k): format_at(100 * p, 1) for k, p in rec.power_at.items()}},
            tolerance={"shortfall": shortfall, "readings": "most favourable over ranges, rounding and methods"},
        ))
    return out


def _recompute(s, alpha, power, sided, n_values, method):
    """(Recomputed, effect description, evidence spans) or None when the effect is not stated."""
    if s.p1 and s.p2:
        p1 = _range(s.p1, method)
        p2 = _range(s.p2, method)
        if p1 is None or p2 is None or p1.meets(p2):
            return None
        if s.continuity_correction:
            methods = ("fleiss_cc",)
        else:
            methods = ("pooled", "unpooled", "arcsine")
        if s.survival:
            methods = methods + ss.SURVIVAL_METHODS
        rec = ss.recompute_proportions(p1, p2, alpha, power, sided, methods, n_values)
        what = f"{_pct(s.p1)} vs {_pct(s.p2)}"
        return rec, what, list(s.p_spans)
    if s.delta and (s.sd or s.effect_size):
        delta = Interval.point(float(parse_decimal(s.delta)))
        sd = Interval.point(float(parse_decimal(s.sd))) if s.sd else Interval(1.0, 1.0)
        if sd.lo <= 0 or not delta.hi > 0:
            return None
        rec = ss.recompute_means(delta, sd, alpha, power, sided, ss.MEANS_METHODS, n_values)
        return rec, f"a difference of {s.delta} with SD {s.sd}", list(s.mean_spans)
    if s.effect_size:
        d = Interval.point(float(parse_decimal(s.effect_size)))
        if not d.hi > 0:
            return None
        rec = ss.recompute_means(d, Interval(1.0, 1.0), alpha, power, sided, ss.MEANS_METHODS, n_values)
        return rec, f"an effect size d = {s.effect_size}", list(s.mean_spans)
    if s.hr and s.survival:
        hr = Interval.point(float(parse_decimal(s.hr)))
        if hr.meets(Interval(1.0, 1.0)) or hr.lo <= 0:
            return None
        h = hr.lo if hr.hi < 1 else hr.hi  # the reading farthest from 1 needs the fewest events
        events = ss.events_logrank(h, alpha, power, sided, "schoenfeld")
        n = events / 2
        power_at = {k: ss.power_logrank(2 * k, h, alpha, sided, "schoenfeld") for k in n_values}
        rec = ss.Recomputed(n, "schoenfeld", (h,), None, {"schoenfeld": n}, power_at)
        return rec, f"HR {s.hr} ({ss.ceil_n(events)} events; at least events / 2 patients per group even if every patient has an event)", []
    return None


def _range(pair, method) -> Optional[Interval]:
    """An assumed rate or range as proportions; design assumptions are exact values, not rounded
    measurements, so the printed ends are the readings."""
    lo, hi = (_fraction(x + "%") for x in pair)
    if lo is None or hi is None:
        return None
    iv = Interval(min(lo, hi), max(lo, hi))
    if iv.lo <= 0 or iv.hi >= 1:
        return None
    return iv


def _pct(pair) -> str:
    return f"{pair[0]}%" if pair[0] == pair[1] else f"{pair[0]}%-{pair[1]}%"


def _reading(s, rec) -> str:
    if s.p1 and s.p2 and len(rec.reading) == 2:
        a, b = rec.reading
        if s.p1[0] != s.p1[1] or s.p2[0] != s.p2[1]:
            return f", most favourable reading {format_at(100 * a, 1)}% vs {format_at(100 * b, 1)}%"
    return ""
