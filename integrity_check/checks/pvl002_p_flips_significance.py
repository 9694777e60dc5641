"""PVL002 p-flips-significance: a printed p that disagrees with its statistic across alpha.

What it checks
    The same comparison as PVL001 (the printed p against the p recomputed from the printed test
    statistic and df), reported here instead of PVL001 when the two are on opposite sides of the
    significance level: the printed p says significant and every p the statistic allows says not
    significant, or the reverse.

Why it matters
    A p on the wrong side of alpha changes what the paper concludes. Such errors are rarer than
    small inconsistencies and they are the ones that matter: in statcheck's survey about one paper
    in eight contained one, mostly in the direction of claiming significance.

Example
    "χ2(1, N = 90) = 2.10, p = .021": 2.10 on 1 df gives p = .147, not significant at .05.
    "t(40) = 2.35, p = .24": t(40) = 2.35 gives p = .024.

Tolerance
    As PVL001 (rounding intervals of the statistic and the p, truncation accepted, one-tailed when
    stated (or matching the one-tailed p when the paper mentions one-sided tests), adjusted p at least the unadjusted p). Alpha is the level the paper states
    ("P < 0.05 was considered statistically significant"), else the run's alpha (0.05). A printed
    p equal to alpha counts as significant (statcheck's default); a recomputed p interval that
    touches alpha states no decision, so no flip is reported then.

Known limitations
    The same as PVL001. A p printed as a bound that states no decision ("p < .10") never flips.

References
    Nuijten MB et al. The prevalence of statistical reporting errors in psychology (1985-2013).
    Behav Res Methods 2016;48:1205-1226 (gross inconsistencies).
"""
from __future__ import annotations

from .base import rule
from .pvl001_p_inconsistent import is_df_mismatch, p_finding, p_records


@rule("PVL002", "p-flips-significance", "error")
def check(doc, facts, ctx):
    out = []
    for rec in p_records(doc, facts, ctx):
        if rec.consistent or not rec.check.decision_flip or is_df_mismatch(rec):
            continue
        out.append(p_finding(check.rule, doc, rec, ctx, significance_flip=True, flip=True))
    return out
