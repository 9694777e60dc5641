"""Batch step: passages shared between different papers of a folder scan (DUP002).

``cross_paper_duplicates(items)`` takes (path, normalized document text) pairs, segments every
text into sentences exactly as DUP001 does (extract.passages: reference lists, tables, captions,
running heads and the boilerplate of rules/vocabulary/design.toml are not passages), puts every
sentence of every paper into one MinHash LSH index (datasketch) and verifies the candidates by
word-level similarity (stats.duplicates). The cost grows with the total number of sentences plus
the number of near-duplicate candidates: no paper is compared with every other paper.

Matched sentences that follow each other in both papers are merged into passages; a passage is
reported when both copies have at least ``min_words`` (40) words and a similarity of at least
``min_similarity`` (0.8). ``findings_for_paper`` turns the entries into DUP002 finding dicts
(output contract, schema_version 1) for one paper's JSON report.
"""
from __future__ import annotations

from typing import Any, Optional, Sequence

from .extract.passages import sentences
from .findings import Evidence, Finding, evidence
from .stats.duplicates import candidate_pairs, merge_runs, run_similarity

QUOTE_CHARS = 200


def cross_paper_duplicates(items: Sequence[tuple[str, str]], min_words: int = 40, min_similarity: float = 0.8
                           ) -> list[dict[str, Any]]:
    """Passages shared between different papers: one entry per shared passage and pair of papers."""
    units: list[tuple[str, ...]] = []
    groups: list[int] = []
    where: list[tuple[int, Any]] = []  # global unit -> (paper index, Sentence)
    for g, (_, text) in enumerate(items):
        for s in sentences(text):
            units.append(s.words)
            groups.append(g)
            where.append((g, s))
    pairs = candidate_pairs(units, groups=groups, min_words=8, min_similarity=0.6)
    out = []
    for run in merge_runs(pairs, lengths=[len(u) for u in units]):
        ga, gb = groups[run.a0], groups[run.b0]
        if ga != groups[run.a1] or gb != groups[run.b1] or ga == gb:
            continue
        sim, jac, na, nb = run_similarity(units, run)
        if min(na, nb) < min_words or sim < min_similarity:
            continue
        (_, sa0), (_, sa1) = where[run.a0], where[run.a1]
        (_, sb0), (_, sb1) = where[run.b0], where[run.b1]
        text_a, text_b = items[ga][1], items[gb][1]
        out.append({
            "a_path": items[ga][0], "b_path": items[gb][0], "similarity": float(f"{sim:.3f}"),
            "jaccard": float(f"{jac:.3f}"), "words": min(na, nb),
            "quote_a": text_a[sa0.start:min(sa1.end, sa0.start + QUOTE_CHARS)],
            "quote_b": text_b[sb0.start:min(sb1.end, sb0.start + QUOTE_CHARS)],
            "a_start": sa0.start, "a_end": sa1.end, "b_start": sb0.start, "b_end": sb1.end,
            "a_section": sa0.section, "b_section": sb0.section,
        })
    out.sort(key=lambda e: (e["a_path"], e["a_start"], e["b_path"], e["b_start"]))
    return out


def findings_for_paper(path: str, entries: Sequence[dict[str, Any]], doc: Optional[Any] = None) -> list[dict[str, Any]]:
    """DUP002 finding dicts (output contract) for the paper at ``path``; with its Document, the
    evidence gets page and box."""
    from .checks import ALL_RULES

    info = ALL_RULES["DUP002"]
    out = []
    for e in entries:
        if e["a_path"] == path:
            mine, other = "a", "b"
        elif e["b_path"] == path:
            mine, other = "b", "a"
        else:
            continue
        start, end = e[f"{mine}_start"], e[f"{mine}_end"]
        if doc is not None:
            ev = evidence(doc, start, end)
        else:
            quote = e[f"quote_{mine}"]
            ev = Evidence(quote=quote, char_start=start, char_end=start + len(quote))
        section = e.get(f"{mine}_section") or "the start"
        other_section = e.get(f"{other}_section") or "the start"
        msg = (f"a {e['words']}-word passage ('{section}') also appears in {e[f'{other}_path']} ('{other_section}'), "
               f"similarity {e['similarity']:.2f}: text shared between papers of this batch")
        f = Finding(code="DUP002", name=info.name, severity=info.severity, message=msg, evidence=[ev], confidence="high",
                    reported={"other_paper": e[f"{other}_path"], "other_quote": e[f"quote_{other}"],
                              "other_char_start": e[f"{other}_start"], "other_char_end": e[f"{other}_end"]},
                    recomputed={"similarity": e["similarity"], "jaccard_5_shingles": e.get("jaccard"), "words": e["words"]},
                    tolerance={"min_words": 40, "min_similarity": 0.8})
        out.append(f.to_dict())
    return out
