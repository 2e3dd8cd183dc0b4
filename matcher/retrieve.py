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
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from matcher.engine import Matcher


@dataclass(frozen=True)
class Candidates:
    """Rows of the postings index with their dense (cosine) and lexical (BM25, best = 1)
    scores; every row passes the query's mask."""

    rows: npt.NDArray[np.int64]
    semantic: npt.NDArray[np.float32]
    lexical: npt.NDArray[np.float32]


def dense_candidates(
    matcher: Matcher, query: npt.NDArray[np.float32], mask: npt.NDArray[np.bool_], pool: int
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]:
    """(scores, rows) of the ``pool`` nearest eligible postings."""
    index = matcher.positions
    eligible = int(np.count_nonzero(mask))
    if eligible == 0:
        return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
    want = min(pool, eligible)
    if eligible < matcher.settings.exact_search_below or not index.approximate:
        scores, slots = index.search_exact(query, want, np.flatnonzero(mask))
    else:
        scores, slots = index.search_approximate(query, want, mask)
        if int((slots[0] >= 0).sum()) < want:
            scores, slots = index.search_exact(query, want, np.flatnonzero(mask))
    keep = slots[0] >= 0
    return scores[0][keep], slots[0][keep]


def lexical_candidates(
    matcher: Matcher, text: str, mask: npt.NDArray[np.bool_], pool: int
) -> dict[str, float]:
    """BM25 scores of the ``pool`` best eligible postings, scaled so the best is 1."""
    bm25, keys = matcher.lexical()
    scores = bm25.scores(text)
    allowed = mask[matcher.positions.slots_of(keys)]  # lexical keys are the index's own
    scores = np.where(allowed, scores, 0.0)
    top = np.argsort(-scores, kind="stable")[:pool]
    best = float(scores[top[0]]) if len(top) else 0.0
    if best <= 0:
        return {}
    return {keys[i]: float(scores[i]) / best for i in top if scores[i] > 0}


def retrieve(
    matcher: Matcher,
    query: npt.NDArray[np.float32],
    text: str,
    mask: npt.NDArray[np.bool_],
    pool: int,
) -> Candidates:
    """Dense candidates, plus lexical ones when that channel is on."""
    semantic, rows = dense_candidates(matcher, query, mask, pool)
    lexical = np.zeros(len(rows), dtype=np.float32)
    if matcher.settings.lexical:
        found = lexical_candidates(matcher, text, mask, pool)
        index = matcher.positions
        keys = list(found)
        slots = index.slots_of(keys)
        position = {int(r): i for i, r in enumerate(rows)}
        extra = np.array([int(s) not in position for s in slots], dtype=bool)
        for key, slot in zip(keys, slots, strict=True):
            if int(slot) in position:
                lexical[position[int(slot)]] = found[key]
        if extra.any():
            new_rows = slots[extra]
            rows = np.concatenate([rows, new_rows])
            semantic = np.concatenate([semantic, index.rows_at(new_rows) @ query])
            lexical = np.concatenate(
                [lexical, np.array([found[k] for k, e in zip(keys, extra, strict=True) if e])]
            )
    return Candidates(rows, semantic.astype(np.float32), lexical.astype(np.float32))
