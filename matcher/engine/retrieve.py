"""Candidate retrieval under hard filters, with query planning.

The eligibility mask of a query can leave half the postings or a handful. A query leaving
fewer than ``exact_search_below`` postings (or any query on a small, flat index) is answered by
exact search over exactly those rows; the others by approximate search restricted to them (the
inverted file scans more lists the fewer rows the filter leaves), falling back to exact search
if it returns fewer than asked. A lexical channel (BM25 over jieba words, restricted by the
same mask) adds candidates the dense channel misses; both scores go to the ranker as
features."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matcher.index.lexical import Lexicon
from matcher.index.vectors import VectorIndex


@dataclass(frozen=True)
class Candidates:
    """Rows of the postings index, their keys, and their dense (cosine) and lexical (BM25,
    best = 1) scores; every row passes the query's mask."""

    rows: npt.NDArray[np.int64]
    ids: list[str]
    semantic: npt.NDArray[np.float32]
    lexical: npt.NDArray[np.float32]


def dense_candidates(
    index: VectorIndex,
    query: npt.NDArray[np.float32],
    mask: npt.NDArray[np.bool_],
    pool: int,
    exact_below: int,
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]:
    """(scores, rows) of the ``pool`` nearest eligible postings: exact search when fewer than
    ``exact_below`` rows are eligible (or the index is flat), approximate otherwise."""
    eligible = int(np.count_nonzero(mask))
    if eligible == 0:
        return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
    want = min(pool, eligible)
    if eligible < exact_below or not index.approximate:
        scores, slots = index.search_exact(query, want, np.flatnonzero(mask))
    else:
        scores, slots = index.search_approximate(query, want, mask)
        if int((slots[0] >= 0).sum()) < want:
            scores, slots = index.search_exact(query, want, np.flatnonzero(mask))
    keep = slots[0] >= 0
    return scores[0][keep], slots[0][keep]


def lexical_candidates(
    index: VectorIndex, lexicon: Lexicon, text: str, mask: npt.NDArray[np.bool_], pool: int
) -> dict[str, float]:
    """BM25 scores of the ``pool`` best eligible postings, scaled so the best is 1."""
    found, scores = lexicon.best(text, mask, pool)
    if len(found) > pool:  # the best `pool`: all above the pool's last score, then its ties
        last = -np.partition(-scores, pool - 1)[pool - 1]
        above = np.flatnonzero(scores > last)
        tied = np.flatnonzero(scores == last)
        keys = index.key_of(found[tied])
        tied = tied[sorted(range(len(tied)), key=keys.__getitem__)]
        chosen = np.concatenate([above, tied[: pool - len(above)]])
        found, scores = found[chosen], scores[chosen]
    if not len(found):
        return {}
    # best first, ties by posting id: the same whatever order the index holds its rows in
    keys = index.key_of(found)
    order = sorted(range(len(found)), key=lambda i: (-scores[i], keys[i]))
    best = float(scores[order[0]])
    return {keys[i]: float(scores[i]) / best for i in order}


def retrieve(
    index: VectorIndex,
    query: npt.NDArray[np.float32],
    mask: npt.NDArray[np.bool_],
    pool: int,
    *,
    exact_below: int,
    lexical: Lexicon | None = None,
    text: str = "",
    lexical_pool: int | None = None,
) -> Candidates:
    """Dense candidates, plus the ``lexical_pool`` (default ``pool``) best BM25 ones for
    ``text`` when a lexical index is given."""
    semantic, rows = dense_candidates(index, query, mask, pool, exact_below)
    scores = np.zeros(len(rows), dtype=np.float32)
    if lexical is not None:
        found = lexical_candidates(index, lexical, text, mask, lexical_pool or pool)
        keys = list(found)
        slots = index.slots_of(keys)
        position = {int(r): i for i, r in enumerate(rows)}
        extra = np.array([int(s) not in position for s in slots], dtype=bool)
        for key, slot in zip(keys, slots, strict=True):
            if int(slot) in position:
                scores[position[int(slot)]] = found[key]
        if extra.any():
            new_rows = slots[extra]
            rows = np.concatenate([rows, new_rows])
            semantic = np.concatenate([semantic, index.rows_at(new_rows) @ query])
            scores = np.concatenate(
                [scores, np.array([found[k] for k, e in zip(keys, extra, strict=True) if e])]
            )
    return Candidates(
        rows, index.key_of(rows), semantic.astype(np.float32), scores.astype(np.float32)
    )
