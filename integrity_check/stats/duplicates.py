"""Near-duplicate passages: MinHash/LSH candidates, word-level similarity, runs of matched sentences.

Pure functions over token lists; nothing here knows about documents. The units are sentences
(lists of lower-cased word tokens). Candidate pairs come from a MinHash LSH index over the word
3-shingles of each unit (datasketch; Broder 1997, Leskovec et al. 2020 ch. 3), so the cost grows
with the number of units plus the number of near-duplicate candidates, never with all pairs.
Each candidate is then verified with a word-level alignment similarity

    similarity(A, B) = 2 M / (|A| + |B|)

where M is the number of words in matching blocks of difflib.SequenceMatcher (Ratcliff/Obershelp
gestalt matching) over the two word sequences: 1.0 for identical passages, about 0.97 for a
79-word paragraph with one word replaced and one inserted. The Jaccard index of word 5-shingles
is reported alongside (it punishes each edit five times, so it is a poor threshold for passages
that were copied and lightly edited).

Matched sentence pairs that follow each other in both places (i, j), (i+1, j+1), allowing one
skipped or unmatched sentence on either side, are merged into passage runs: a duplicated
paragraph is a run of duplicated sentences.

References
    Broder AZ. On the resemblance and containment of documents. Compression and Complexity of
    Sequences 1997:21-29.
    Leskovec J, Rajaraman A, Ullman JD. Mining of Massive Datasets, 3rd ed., 2020, ch. 3.
    Ratcliff JW, Metzener DE. Pattern matching: the gestalt approach. Dr Dobb's J 1988;13:46.
"""
from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass
from typing import Optional, Sequence

NUM_PERM = 64
LSH_THRESHOLD = 0.45  # Jaccard of word 3-shingles at which two sentences become candidates
SHINGLE = 3
MAX_CANDIDATES = 50  # per unit; a sentence matching more is boilerplate-like and not followed further


def shingles(words: Sequence[str], k: int = SHINGLE) -> set[tuple[str, ...]]:
    if len(words) < k:
        return {tuple(words)} if words else set()
    return {tuple(words[i:i + k]) for i in range(len(words) - k + 1)}


def jaccard(a: Sequence[str], b: Sequence[str], k: int = 5) -> float:
    sa, sb = shingles(a, k), shingles(b, k)
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """2M/T over word sequences (difflib ratio without the junk heuristic)."""
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, list(a), list(b), autojunk=False).ratio()


def word_diff(a: Sequence[str], b: Sequence[str]) -> list[tuple[str, int, int, int, int]]:
    """The edit opcodes (tag, a0, a1, b0, b1) that are not 'equal'."""
    sm = difflib.SequenceMatcher(None, list(a), list(b), autojunk=False)
    return [op for op in sm.get_opcodes() if op[0] != "equal"]


def _minhash(words: Sequence[str]):
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, seed=1)
    values = [" ".join(s).encode("utf-8") for s in shingles(words)]
    if values:
        m.update_batch(values)
    return m


@dataclass(frozen=True)
class UnitPair:
    i: int
    j: int
    similarity: float


def candidate_pairs(units: Sequence[Sequence[str]], groups: Optional[Sequence[int]] = None, min_words: int = 8,
                    min_similarity: float = 0.6) -> list[UnitPair]:
    """Pairs of units (i < j) that are near duplicates: LSH candidates verified by ``similarity``.

    With ``groups`` (one group id per unit, e.g. the paper), only pairs from different groups are
    returned; without, pairs within the one sequence."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    hashes = {}
    exact: dict[str, list[int]] = {}
    for i, words in enumerate(units):
        if len(words) < min_words:
            continue
        key = hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()
        exact.setdefault(key, []).append(i)
        if len(exact[key]) > 1:
            continue  # exact repeats share the first one's MinHash entry
        hashes[i] = _minhash(words)
        lsh.insert(i, hashes[i])
    rep = {}  # unit -> the first unit with identical words
    for members in exact.values():
        for m in members:
            rep[m] = members[0]
    pairs: dict[tuple[int, int], float] = {}
    for i, words in enumerate(units):
        if i not in rep:
            continue
        first = rep[i]
        found = lsh.query(hashes[first])
        if len(found) > MAX_CANDIDATES:
            continue
        targets = []
        for f in found:
            targets.extend(exact[hashlib.sha1(" ".join(units[f]).encode("utf-8")).hexdigest()])
        for j in targets:
            if j <= i:
                continue
            if groups is not None and groups[i] == groups[j]:
                continue
            if (i, j) in pairs:
                continue
            s = 1.0 if units[i] == units[j] else similarity(units[i], units[j])
            if s >= min_similarity:
                pairs[(i, j)] = s
    return [UnitPair(i, j, s) for (i, j), s in sorted(pairs.items())]


@dataclass(frozen=True)
class Run:
    """Units a0..a1 (inclusive) match units b0..b1 (inclusive)."""

    a0: int
    a1: int
    b0: int
    b1: int
    pairs: tuple[UnitPair, ...]


def merge_runs(pairs: Sequence[UnitPair], max_gap: int = 2, lengths: Optional[Sequence[int]] = None,
               max_skipped_words: int = 12) -> list[Run]:
    """Chains pairs whose positions advance together in both places.

    Up to ``max_gap - 1`` units may be skipped on either side, and only when the skipped units hold
    at most ``max_skipped_words`` words (headings, fragments, a short inserted sentence): a long
    unmatched sentence ends the run, so two copied paragraphs separated by different text in one
    place stay two runs."""
    def skipped(lo: int, hi: int) -> int:
        return sum(lengths[k] for k in range(lo, hi)) if lengths is not None else 0

    runs: list[list[UnitPair]] = []
    last: dict[tuple[int, int], int] = {}  # (i, j) of a run's last pair -> run index
    for p in sorted(pairs, key=lambda q: (q.i, q.j)):
        target = None
        for di in range(1, max_gap + 1):
            for dj in range(1, max_gap + 1):
                k = last.get((p.i - di, p.j - dj))
                if k is None:
                    continue
                if skipped(p.i - di + 1, p.i) + skipped(p.j - dj + 1, p.j) <= max_skipped_words:
                    target = k
                    break
            if target is not None:
                break
        if target is None:
            runs.append([p])
            target = len(runs) - 1
        else:
            prev = runs[target][-1]
            del last[(prev.i, prev.j)]
            runs[target].append(p)
        last[(p.i, p.j)] = target
    return [Run(r[0].i, r[-1].i, r[0].j, r[-1].j, tuple(r)) for r in runs]


def run_similarity(units: Sequence[Sequence[str]], run: Run, units_b: Optional[Sequence[Sequence[str]]] = None
                   ) -> tuple[float, float, int, int]:
    """(similarity, 5-shingle Jaccard, words in A, words in B) of the run's two passages."""
    units_b = units if units_b is None else units_b
    a = [w for k in range(run.a0, run.a1 + 1) for w in units[k]]
    b = [w for k in range(run.b0, run.b1 + 1) for w in units_b[k]]
    return similarity(a, b), jaccard(a, b), len(a), len(b)


def self_overlap(run: Run) -> bool:
    return run.b0 <= run.a1
