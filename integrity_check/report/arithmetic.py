"""The recomputation of a finding, written out for a reader ("26/38 = 68.4%; 27/38 = 71.1%;
no k gives 68.9%"), and its tolerance in words.

The HTML report shows, under each finding, the arithmetic a reviewer would do by hand to check
it. It is derived from the finding's ``reported`` / ``recomputed`` / ``tolerance`` dicts (the
output contract), one small writer per rule family; the numbers are the rule's own. Where a
writer needs a value the rule did not store, it recomputes it here for display only, with the
formula shown (e.g. the pooled SE of a t-test). A rule without a writer, or a finding whose
dicts do not have the expected keys, falls back to the finding's message: this module never
raises and never invents a number it cannot show the origin of.

``explain(finding) -> list[str]``: lines of arithmetic. ``tolerance_text(finding) -> str``.
"""
from __future__ import annotations

import math
from typing import Any, Callable, Optional

from ..numeric.rounding import METHODS, decimals_of, format_at, unround

__all__ = ["explain", "tolerance_text", "WRITERS"]


# ------------------------------------------------------------------------------ helpers

def _s(v: Any) -> str:
    return "" if v is None else str(v)


def _num(v: Any) -> Optional[float]:
    if v is None or isinstance(v, bool):
        return None
    try:
        x = float(str(v).strip().lstrip("<>=≤≥ ").replace("\u2212", "-"))
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _int(v: Any) -> Optional[int]:
    x = _num(v)
    return int(x) if x is not None and x == int(x) else None


def _dec(v: Any) -> int:
    try:
        return decimals_of(str(v).strip().lstrip("<>=≤≥ "))
    except Exception:
        return 3


def _f(x: Optional[float], d: int = 3) -> str:
    return "?" if x is None else format_at(x, d)


def _range(lo: Any, hi: Any, d: int = 3) -> str:
    a, b = _num(lo), _num(hi)
    if a is None or b is None:
        return ""
    fa, fb = format_at(a, d), format_at(b, d)
    return fa if fa == fb else f"{fa} to {fb}"


def _interval_of(reported: Any, method: str = "up_or_down") -> str:
    """'68.9 stands for 68.85 to 68.95' (the values that print as the reported string)."""
    text = _s(reported).strip().lstrip("<>=≤≥ ")
    try:
        iv = unround(text, method if method in METHODS else "up_or_down")
        d = decimals_of(text) + 1
    except Exception:
        return ""
    return f"{format_at(iv.lo, d)} to {format_at(iv.hi, d)}"


def _p(reported: dict) -> str:
    rel = _s(reported.get("p_relation")).strip()
    p = _s(reported.get("p"))
    if not p:
        return ""
    if p[:1] in "<>=≤≥":
        return f"p {p}"
    return f"p {rel or '='} {p}"


# ------------------------------------------------------------------------------ writers
# Each takes (reported, recomputed, tolerance, message) and returns lines, or [] to fall back.

def _pct001(rep, rec, tol, msg):
    pct, n = _s(rep.get("percent")), _int(rep.get("n"))
    cands = [str(c) for c in (rec.get("candidates") or [])]
    if not pct or not n or not cands:
        return []
    if all("/" not in c for c in cands):  # older form: only the percentages
        cands = [f"{c}%" for c in cands]
    lines = ["; ".join(cands) + f"; no k/{n} gives {pct}% (which stands for {_interval_of(pct, tol.get('method'))}%)"]
    if rep.get("n_source"):
        lines.append(f"n = {n} from {rep['n_source']}")
    if "cut off" in msg or "truncat" in msg:
        lines.append("attainable only if the digits were cut off rather than rounded")
    return lines


def _pct002(rep, rec, tol, msg):
    k, n, pct = _int(rep.get("count")), _int(rep.get("n")), _s(rep.get("percent"))
    if k is None or not n or not pct:
        return []
    if k > n:
        return [f"count {k} > n = {n}: a count cannot exceed its denominator"]
    exact = 100.0 * k / n
    d = _dec(pct)
    lines = [f"{k}/{n} = {format_at(exact, d + 2)}% → {format_at(exact, d)}% at {d} decimal{'s' if d != 1 else ''}; "
             f"printed {pct}% (stands for {_interval_of(pct, tol.get('method'))}%)"]
    if rep.get("n_source"):
        lines.append(f"n = {n} from {rep['n_source']}")
    return lines


def _pct003(rep, rec, tol, msg):
    # the message already carries the sums ("counts: 5 + 21 + 9 = 35, but ... is 34; ...")
    body = msg.split(": ", 1)[1] if ": " in msg else msg
    parts = [p.strip() for p in body.split("; ") if p.strip()]
    parts = [p for p in parts if any(ch.isdigit() for ch in p)]
    return parts


def _pct004(rep, rec, tol, msg):
    n, m = _int(rep.get("n")), _int(rec.get("implied_n"))
    explained = [str(x) for x in (rec.get("explained") or [])]
    if not n or not m or not explained:
        return []
    shown = []
    for pct in explained[:6]:
        x = _num(pct)
        if x is None:
            continue
        # the count k/m nearest to the printed percentage (display only)
        k = int(math.floor(x * m / 100.0 + 0.5))
        shown.append(f"{k}/{m} = {format_at(100.0 * k / m, _dec(pct))}%")
    lines = [f"impossible with n = {n}: " + ", ".join(f"{p}%" for p in (rep.get("impossible_percentages") or []))]
    if shown:
        lines.append(f"with n = {m}: " + "; ".join(shown) + (" …" if len(explained) > 6 else ""))
    if rec.get("unexplained"):
        lines.append("fit neither: " + ", ".join(f"{p}%" for p in rec["unexplained"]))
    return lines


def _counts_text(counts: Any) -> str:
    if not isinstance(counts, list) or not counts or not all(isinstance(r, list) for r in counts):
        return ""
    return " | ".join(" ".join(str(c) for c in row) for row in counts)


def _min_expected(counts: Any) -> Optional[str]:
    try:
        rows = [[float(c) for c in r] for r in counts]
        total = sum(map(sum, rows))
        rs = [sum(r) for r in rows]
        cs = [sum(c) for c in zip(*rows)]
        best = min((rs[i] * cs[j] / total, i, j) for i in range(len(rs)) for j in range(len(cs)))
    except Exception:
        return None
    e, i, j = best
    return f"{format_at(rs[i], 0)} × {format_at(cs[j], 0)} / {format_at(total, 0)} = {format_at(e, 2)}"


def _chi001(rep, rec, tol, msg):
    if not rec.get("pearson"):
        return []
    d = _dec(rep.get("chi2")) if rep.get("chi2") else 3
    df = rec.get("df", 1)
    lines = []
    ct = _counts_text(rep.get("counts"))
    if ct:
        lines.append(f"counts (rows = groups): {ct}")
    lines.append(f"Pearson χ²({df}) = {_f(_num(rec.get('pearson')), d)}, p = {_s(rec.get('pearson_p'))}")
    if rec.get("yates"):
        lines.append(f"Yates-corrected χ²({df}) = {_f(_num(rec.get('yates')), d)}, p = {_s(rec.get('yates_p'))}")
    if rec.get("lr"):
        lines.append(f"likelihood ratio G²({df}) = {_f(_num(rec.get('lr')), d)}, p = {_s(rec.get('lr_p'))}")
    if rec.get("fisher_p"):
        lines.append(f"Fisher's exact p = {_s(rec['fisher_p'])}")
    printed = f"printed χ² = {_s(rep.get('chi2'))}" + (f", {_p(rep)}" if rep.get("p") else "")
    lines.append(printed + ": no variant gives it")
    return lines


def _chi002(rep, rec, tol, msg):
    me = rec.get("min_expected")
    if not me:
        return []
    lines = []
    ct = _counts_text(rep.get("counts"))
    if ct:
        lines.append(f"counts (rows = groups): {ct}")
    formula = _min_expected(rep.get("counts"))
    lines.append(f"smallest expected count = row total × column total / N = {formula}" if formula
                 else f"smallest expected count = {me}")
    lines.append(f"{me} < {tol.get('min_expected', 5)}: the chi-square approximation is unreliable")
    if rec.get("fisher_p"):
        lines.append(f"Fisher's exact p = {rec['fisher_p']} (printed {_p(rep) or 'p not printed'})")
    return lines


def _tst001(rep, rec, tol, msg):
    g1, g2 = rep.get("group1") or {}, rep.get("group2") or {}
    m1, s1, n1 = _num(g1.get("mean")), _num(g1.get("sd")), _num(g1.get("n"))
    m2, s2, n2 = _num(g2.get("mean")), _num(g2.get("sd")), _num(g2.get("n"))
    if None in (m1, s1, n1, m2, s2, n2) or n1 < 2 or n2 < 2:
        return []
    d = _dec(rep.get("statistic")) if rep.get("statistic") else 3
    sp2 = ((n1 - 1) * s1 ** 2 + (n2 - 1) * s2 ** 2) / (n1 + n2 - 2)
    se = math.sqrt(sp2 * (1 / n1 + 1 / n2))
    se_w = math.sqrt(s1 ** 2 / n1 + s2 ** 2 / n2)
    lines = [
        f"Student: pooled SD = √((({int(n1)}−1)·{g1['sd']}² + ({int(n2)}−1)·{g2['sd']}²) / {int(n1 + n2 - 2)}) = "
        f"{format_at(math.sqrt(sp2), 3)}; SE = {format_at(math.sqrt(sp2), 3)}·√(1/{int(n1)} + 1/{int(n2)}) = {format_at(se, 3)}; "
        f"t = |{g1['mean']} − {g2['mean']}| / {format_at(se, 3)} = {format_at(abs(m1 - m2) / se, d)}",
    ]
    rng = _range(rec.get("student_low"), rec.get("student_high"), d)
    if rng:
        lines.append(f"over the rounding of the means and SDs, Student t = {rng}")
    wr = _range(rec.get("welch_low"), rec.get("welch_high"), d)
    lines.append(f"Welch: SE = √({g1['sd']}²/{int(n1)} + {g2['sd']}²/{int(n2)}) = {format_at(se_w, 3)}; "
                 f"t = {format_at(abs(m1 - m2) / se_w, d)}" + (f" ({wr} over the rounding)" if wr else ""))
    lines.append(f"printed t = {_s(rep.get('statistic'))} (stands for {_interval_of(rep.get('statistic'))}): outside both")
    if rec.get("p_low") is not None:
        lines.append(f"p for these data = {_range(rec.get('p_low'), rec.get('p_high'), 3)}; printed {_p(rep)}")
    return lines


def _tst002(rep, rec, tol, msg):
    if rec.get("p_low") is None:
        return []
    lines = [f"df = n1 + n2 − 2 = {_s(rep.get('n1'))} + {_s(rep.get('n2'))} − 2 = {_s(rec.get('df'))}"]
    if rec.get("welch_df_low") is not None:
        lines.append(f"Welch df = {_range(rec.get('welch_df_low'), rec.get('welch_df_high'), 1)}")
    lines.append(f"p(|T| ≥ {_s(rep.get('statistic'))}) = {_range(rec.get('p_low'), rec.get('p_high'), 3)} "
                 f"over the rounding of t; printed {_p(rep)}")
    return lines


_TEST_NAMES = {"t": "t", "f": "F", "chi2": "χ²", "z": "z", "r": "r"}


def _pvl(rep, rec, tol, msg):
    if rec.get("p_low") is None and not rec.get("p_at_design_df"):
        return []
    test = _TEST_NAMES.get(_s(rep.get("test")).lower(), _s(rep.get("test")))
    stat = _s(rep.get("statistic"))
    lines = []
    if rec.get("p_at_design_df"):  # PVL003
        df = _s(rep.get("design_df"))
        lines.append(f"df from the design = {df}: p({test} = {stat}, df = {df}) = {rec['p_at_design_df']}; printed {_p(rep)}")
        fits = rec.get("dfs_fitting_printed_pair")
        if fits:
            lines.append("the printed pair fits df = " + ", ".join(str(x) for x in fits))
        return lines
    df = _s(rep.get("df"))
    df2 = _s(rep.get("df2"))
    dfs = f"{df}, {df2}" if df and df2 else df
    label = f"{test}({dfs})" if dfs else test
    tails = rep.get("tails")
    tail_text = ""
    if _s(rep.get("test")).lower() in ("t", "z", "r"):
        tail_text = "one-tailed" if tails == 1 else "two-tailed" if tails == 2 else ""
    lines.append(f"{label} = {stat} (stands for {_interval_of(stat)}) → p = "
                 f"{_range(rec.get('p_low'), rec.get('p_high'), 4)}" + (f" ({tail_text})" if tail_text else ""))
    lines.append(f"printed {_p(rep)}" + ("" if rec.get("significant") is None else
                                         f"; the statistic says {'significant' if rec['significant'] else 'not significant'}"
                                         f" at alpha = {tol.get('alpha', 0.05)}"))
    return lines


def _z(level: Any) -> float:
    from statistics import NormalDist

    lv = _num(str(level).split()[0]) if level else 95.0
    lv = 95.0 if lv is None or not 50 < lv < 100 else lv
    return NormalDist().inv_cdf(0.5 + lv / 200.0)


def _hzr001(rep, rec, tol, msg):
    if not rep.get("b") or not rec.get("ratio"):
        return []
    return [f"exp({rep['b']}) = {rec['ratio']} (b stands for {_interval_of(rep['b'])}); printed {_s(rep.get('ratio'))}"]


def _hzr002(rep, rec, tol, msg):
    b, se = _num(rep.get("b")), _num(rep.get("se"))
    lines = []
    z = _z(rep.get("level"))
    if b is not None and se is not None:
        lo, hi = math.exp(b - z * se), math.exp(b + z * se)
        d = _dec(rep.get("ci_lower")) if rep.get("ci_lower") else 3
        lines.append(f"exp({rep['b']} − {format_at(z, 2)} × {rep['se']}) = {format_at(lo, d)}"
                     + (f" ({rec['ci_lower']} over the rounding)" if rec.get("ci_lower") else ""))
        lines.append(f"exp({rep['b']} + {format_at(z, 2)} × {rep['se']}) = {format_at(hi, d)}"
                     + (f" ({rec['ci_upper']} over the rounding)" if rec.get("ci_upper") else ""))
    lines.append(f"printed CI {_s(rep.get('ci_lower'))} to {_s(rep.get('ci_upper'))}")
    lo_p, hi_p = _num(rep.get("ci_lower")), _num(rep.get("ci_upper"))
    if lo_p and hi_p and lo_p > 0 and hi_p > 0:
        lines.append(f"SE implied by the printed CI = (ln {rep['ci_upper']} − ln {rep['ci_lower']}) / (2 × {format_at(z, 2)}) = "
                     f"{format_at((math.log(hi_p) - math.log(lo_p)) / (2 * z), 3)}"
                     + (f" vs printed SE {rep['se']}" if rep.get("se") else ""))
        if rep.get("ratio") and _num(rep.get("ratio")):
            r = _num(rep["ratio"])
            lines.append(f"log-symmetry: ln {rep['ratio']} = {format_at(math.log(r), 3)}, midpoint of the log CI = "
                         f"{format_at((math.log(lo_p) + math.log(hi_p)) / 2, 3)}")
    return lines if len(lines) > 1 else []


def _hzr003(rep, rec, tol, msg):
    b, se = _num(rep.get("b")), _num(rep.get("se"))
    lines = []
    if b is not None and se:
        lines.append(f"Wald = (b / SE)² = ({rep['b']} / {rep['se']})² = {format_at((b / se) ** 2, 3)}"
                     + (f" ({rec['wald']} over the rounding)" if rec.get("wald") else ""))
    if rep.get("wald") and rec.get("p"):
        lines.append(f"p = P(χ²₁ ≥ {rep['wald']}) = {rec.get('p_point') or rec['p']}; printed P {rep.get('p')}")
    elif rep.get("wald"):
        lines.append(f"printed Wald {rep['wald']}")
    return lines


def _hzr004(rep, rec, tol, msg):
    lo, hi = _num(rep.get("ci_lower")), _num(rep.get("ci_upper"))
    if lo is None or hi is None:
        return []
    level = _s(rep.get("level")) or "95"
    if "ci_includes_one" in rec:
        inc = bool(rec["ci_includes_one"])
        return [f"{level}% CI {rep['ci_lower']} to {rep['ci_upper']} {'includes' if inc else 'excludes'} 1 "
                f"⇒ p {'≥' if inc else '<'} {1 - (_num(level.split()[0]) or 95) / 100:g}; printed p {rep.get('p')}"]
    if lo <= 0 or hi <= 0 or not rep.get("ratio"):
        return []
    z = _z(level)
    se = (math.log(hi) - math.log(lo)) / (2 * z)
    r = _num(rep["ratio"])
    if not r or r <= 0 or se <= 0:
        return []
    zz = abs(math.log(r)) / se
    p = math.erfc(zz / math.sqrt(2))
    return [f"SE = (ln {rep['ci_upper']} − ln {rep['ci_lower']}) / (2 × {format_at(z, 2)}) = {format_at(se, 3)}",
            f"z = |ln {rep['ratio']}| / SE = {format_at(zz, 2)}; p = 2·(1 − Φ(z)) = {format_at(p, 4)}"
            + (f" ({rec['p']} over the rounding)" if rec.get("p") else ""),
            f"printed P {rep.get('p')}"]


def _msd001(rep, rec, tol, msg):
    mean, n = _num(rep.get("mean")), _int(rep.get("n"))
    items = _int(rep.get("items")) or 1
    if mean is None or not n:
        return []
    cells = n * items
    total = mean * cells
    lines = [f"mean × n{' × items' if items != 1 else ''} = {rep['mean']} × {cells} = {format_at(total, 2)}: "
             f"the sum of integer responses must be a whole number"]
    lo, hi = math.floor(total), math.ceil(total)
    if lo == hi:
        hi += 1
    d = _dec(rep.get("mean"))
    lines.append(f"{lo}/{cells} = {format_at(lo / cells, d + 2)}, {hi}/{cells} = {format_at(hi / cells, d + 2)}: "
                 f"neither prints as {rep['mean']}")
    return lines


def _msd003(rep, rec, tol, msg):
    if not rec.get("max_sd"):
        return []
    return [f"largest SD possible for n = {_s(rep.get('n'))} values in {_s(rep.get('scale'))} with mean {_s(rep.get('mean'))}"
            f" = {rec['max_sd']}; printed SD {_s(rep.get('sd'))}"]


def _dup003(rep, rec, tol, msg):
    places = rep.get("places") or []
    data = rec.get("data") or []
    if not places:
        return []
    test = _TEST_NAMES.get(_s(rep.get("test")).lower(), _s(rep.get("test")))
    lines = [f"{test} = {_s(rep.get('statistic'))}, p = {_s(rep.get('p'))} printed in {len(places)} places:"]
    repro = rec.get("reproduces_statistic") or []
    for i, place in enumerate(places):
        line = f"{place}: {data[i]}" if i < len(data) else str(place)
        if i < len(repro) and repro[i] is not None:
            line += " (gives this statistic)" if repro[i] else " (does not give this statistic)"
        lines.append(line)
    return lines


WRITERS: dict[str, Callable[[dict, dict, dict, str], list[str]]] = {
    "PCT001": _pct001, "PCT002": _pct002, "PCT003": _pct003, "PCT004": _pct004,
    "CHI001": _chi001, "CHI002": _chi002,
    "TST001": _tst001, "TST002": _tst002,
    "PVL001": _pvl, "PVL002": _pvl, "PVL003": _pvl,
    "HZR001": _hzr001, "HZR002": _hzr002, "HZR003": _hzr003, "HZR004": _hzr004,
    "MSD001": _msd001, "MSD003": _msd003,
    "DUP003": _dup003,
}


def explain(finding: dict) -> list[str]:
    """Lines of arithmetic that show the recomputation; the message when nothing better."""
    code = _s(finding.get("code")).upper()
    message = _s(finding.get("message"))
    rep = finding.get("reported") if isinstance(finding.get("reported"), dict) else {}
    rec = finding.get("recomputed") if isinstance(finding.get("recomputed"), dict) else {}
    tol = finding.get("tolerance") if isinstance(finding.get("tolerance"), dict) else {}
    writer = WRITERS.get(code)
    lines: list[str] = []
    if writer is not None:
        try:
            lines = [str(x) for x in writer(rep, rec, tol, message) if x]
        except Exception:
            lines = []
    return lines or ([message] if message else [])


_METHOD_WORDS = {
    "up_or_down": "rounded either way",
    "half_up": "rounded half up",
    "half_even": "rounded half to even",
    "truncate": "truncated",
}


def tolerance_text(finding: dict) -> str:
    """The tolerance in words: the rounding accepted, decimals, alpha and the like."""
    tol = finding.get("tolerance")
    if not isinstance(tol, dict) or not tol:
        return ""
    parts = []
    method = tol.get("method")
    if method:
        words = _METHOD_WORDS.get(str(method), str(method))
        also = tol.get("also_accepted")
        also_text = f", or {_METHOD_WORDS.get(str(also), str(also))}" if also else ""
        parts.append(f"a printed number stands for every value that prints as it ({words}{also_text})")
    for key, value in tol.items():
        if key in ("method", "also_accepted"):
            continue
        if key == "decimals":
            parts.append(f"{value} decimal{'s' if value != 1 else ''}")
        elif key == "alpha":
            parts.append(f"alpha = {value}")
        elif key == "relative_note_zone":
            x = _num(value)
            parts.append(f"gaps within {format_at(x * 100, 1)}% are notes" if x is not None else f"note zone {value}")
        elif key == "min_expected":
            parts.append(f"expected counts below {value} flagged")
        elif key == "counts":
            parts.append(f"counts {value}")
        else:
            parts.append(f"{key.replace('_', ' ')}: {value}")
    return "; ".join(parts)
