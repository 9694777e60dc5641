"""DUP001 duplicated-passage: a passage of the paper repeated, word for word or nearly, elsewhere in it.

What it checks
    Runs of near-duplicate sentences (a duplicated paragraph is a run of duplicated sentences)
    found in one paper: MinHash/LSH candidates over word 3-shingles of each sentence, verified
    by word-level alignment (stats.duplicates). Reported when both copies have at least
    ``min_words`` (25) words and their word-level similarity 2M/T is at least
    ``min_similarity`` (0.8), and either the Jaccard index of their word 5-shingles is at least
    ``min_jaccard`` (0.7) or the copies differ in at most ``max_edits_per_100_words`` (5) places
    per 100 words. Each duplicated pair is reported once, with both locations, the
    similarity, the 5-shingle Jaccard index and, for near-duplicates, the wording that differs.

Why it matters
    A paragraph that appears twice is at best an editing accident (a section pasted under the
    wrong heading) and at worst a sign of text assembled by copying; either way the reader
    cannot tell which section the text belongs to, and duplicated methods text often hides a
    missing description (here: the randomization paragraph placed under "Secondary outcome
    measures").

Example
    The sample-size paragraph of 2.1.1 ("The primary outcome measure of this study was the
    3-year post-operative overall survival ...") appears again under 2.1.2 with two words
    dropped (similarity 0.99); the randomization paragraph of 2.1.2 appears again under 2.1.3.

Tolerance
    Not passages (see extract.passages): the reference list, tables, captions and table notes,
    running heads and footers (lines repeated three or more times), and boilerplate listed in
    rules/vocabulary/design.toml (licences, funding, competing interests, ethics and consent,
    data availability). A sentence that occurs three or more times is treated as boilerplate.
    When one copy is in the abstract (or before the first heading), ``abstract_min_words``
    (60) words are required: an abstract restating a sentence of the conclusion is normal.
    Similarity 2M/T alone also accepts parallel wording that legitimately differs in many
    places (two conditions described with the same sentence frame, "a green coat ... pasture" vs "a blue coat ... isolation box"; table notes with
    different R2 values), which the 5-shingle Jaccard index and the count of changed places
    catch (each edit removes five shingles); Jaccard alone at 0.8 would miss a 79-word paragraph
    copied with one word replaced and one inserted (Jaccard 0.77, similarity 0.98, 2 changes).
    Severity warning.

Known limitations
    Paraphrased copies (synonyms throughout, reordered sentences) fall below the threshold.
    Sentences are split at ". " before a capital; PDFs whose text layer runs columns together
    may split a paragraph so that a copy is found in pieces (each piece is reported if long).

References
    Broder AZ. On the resemblance and containment of documents. 1997.
    Leskovec J, Rajaraman A, Ullman JD. Mining of Massive Datasets, ch. 3, 2020.
    COPE. Text recycling guidance for editors (Text Recycling Research Project), 2021.
"""
from __future__ import annotations

from ..findings import evidence
from .base import rule


def _flat(s: str) -> str:
    return " ".join(s.split())


def _where(doc, start, section):
    page = doc.page_of(start)
    parts = [f"'{section}'" if section else "the start"]
    if page:
        parts.append(f"p. {page}")
    return ", ".join(parts)


@rule("DUP001", "duplicated-passage", "warning", {"min_words": 25, "min_similarity": 0.8, "min_jaccard": 0.7,
                                                                 "max_edits_per_100_words": 5, "abstract_min_words": 60})
def check(doc, facts, ctx):
    min_words = ctx.options.get("min_words", 25)
    min_sim = ctx.options.get("min_similarity", 0.8)
    abstract_min = ctx.options.get("abstract_min_words", 60)
    min_jaccard = ctx.options.get("min_jaccard", 0.7)
    edits_per_100 = ctx.options.get("max_edits_per_100_words", 5)
    out = []
    for p in facts.passages:
        words = min(p.a_words, p.b_words)
        if words < min_words or p.similarity < min_sim:
            continue
        if p.jaccard < min_jaccard and p.n_diffs * 100 > edits_per_100 * words:
            continue  # many scattered changes: parallel wording, not a copy
        if ({p.a_part, p.b_part} & {"abstract", "front"}) and words < abstract_min:
            continue
        exact = p.n_diffs == 0
        msg = (f"a {words}-word passage at {_where(doc, p.b_start, p.b_section)} repeats the passage at "
               f"{_where(doc, p.a_start, p.a_section)} ({'word for word' if exact else 'nearly word for word'}; "
               f"similarity {p.similarity:.2f}, 5-shingle Jaccard {p.jaccard:.2f}, {p.sentences} sentence"
               f"{'s' if p.sentences != 1 else ''})")
        if p.diffs:
            changes = []
            for side, s, e, other in p.diffs:
                here = _flat(doc.text[s:e])
                changes.append(f"\"{here}\"" + (f" (other copy: \"{other}\")" if other else "") if side == "b"
                               else f"\"{here}\" only in the first copy")
            more = p.n_diffs - len(p.diffs)
            msg += "; wording that differs: " + "; ".join(changes) + (f"; and {more} more" if more > 0 else "")
        ev = [evidence(doc, p.a_start, p.a_end), evidence(doc, p.b_start, p.b_end)]
        ev += [evidence(doc, s, e) for _, s, e, _ in p.diffs]
        out.append(check.rule.finding(
            msg, ev, confidence="high" if exact else "medium",
            reported={"first": {"section": p.a_section, "words": p.a_words, "char_start": p.a_start, "char_end": p.a_end},
                      "second": {"section": p.b_section, "words": p.b_words, "char_start": p.b_start, "char_end": p.b_end}},
            recomputed={"similarity": float(f"{p.similarity:.3f}"), "jaccard_5_shingles": float(f"{p.jaccard:.3f}"),
                        "differences": p.n_diffs},
            tolerance={"min_words": min_words, "min_similarity": min_sim, "min_jaccard": min_jaccard,
                       "max_edits_per_100_words": edits_per_100,
                       "abstract_min_words": abstract_min},
        ))
    return out
