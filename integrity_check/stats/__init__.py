"""Pure statistics library: numbers (and reported number strings) in, numbers and intervals out.

Nothing here knows about documents. Every recomputation that starts from reported (rounded)
numbers is evaluated over the box of their rounding intervals, and every agreement decision is
delegated to :mod:`integrity_check.numeric.rounding`.

Modules: ``pvalue`` (p from t, F, chi2, z, r; statcheck-style consistency), ``chisq`` (tests from
count tables), ``ttest`` (t and F from group summaries), ``ratios`` (HR/OR/RR, CI, Wald, p from CI),
``grim`` (GRIM, GRIMMER, SD bounds).
"""
