"""DUP002 cross-paper-duplication: a passage shared between different papers of one folder scan.

What it checks
    In a batch (a folder or several files), passages that appear word for word or nearly in two
    different papers: every sentence of every paper goes into one MinHash LSH index, candidates
    are verified by word-level similarity, and matched sentences that follow each other in both
    papers are merged into passages (integrity_check.crosspaper). Reported when both copies have
    at least 40 words and similarity 2M/T of at least 0.8, once per passage and pair of papers,
    in both papers' reports and in the batch index.

    This finding is produced by the batch step, not per document: the rule's ``check`` returns
    an empty list by design (it only registers the code, its name, severity and documentation),
    so a single-paper scan costs nothing for DUP002. The folder scan calls
    ``crosspaper.cross_paper_duplicates`` once over all papers and ``crosspaper.findings_for_paper``
    for each paper's report.

Why it matters
    Long passages shared between manuscripts from different author groups are a signal of paper
    mills (template text with the numbers changed) and of undeclared redundant publication.

Example
    Two submissions whose Methods both contain "A random number table was generated using SPSS
    26.0 statistical software, and 76 eligible patients were randomly divided into the
    observation group and the control group at a 1:1 ratio ..." (similarity 1.00, 117 words).

Tolerance
    Not passages: reference lists, tables, captions and table notes, running heads, and
    boilerplate listed in rules/vocabulary/design.toml (licence statements, "The authors declare
    no competing interests", funding, ethics approval and consent, data availability). The
    40-word minimum keeps standard one-sentence method descriptions ("Statistical analyses were
    performed with SPSS 26.0") out. Severity warning: shared text by the same authors can be
    legitimate (a protocol and its report) and must be judged by a person.

Known limitations
    Only papers of the same scan are compared (no external database). Paraphrased text falls
    below the threshold. Texts whose sentences cannot be segmented (scans without a text layer)
    contribute nothing.

References
    Broder AZ. On the resemblance and containment of documents. 1997.
    Byrne JA, Christopher J. Digital magic, or the dark arts of the 21st century: how can
    journals and peer reviewers detect manuscripts and publications from paper mills?
    FEBS Lett 2020;594:583-589.
"""
from __future__ import annotations

from .base import rule


@rule("DUP002", "cross-paper-duplication", "warning")
def check(doc, facts, ctx):
    """Batch-only: the finding is produced by crosspaper.py in the folder scan; nothing per document."""
    return []
