"""Candidate retrieval under hard filters, with query planning.

The eligibility mask of a query can leave half the postings or a handful. A query leaving
fewer than ``exact_search_below`` postings (or any query on a small, flat index) is answered by
exact search over exactly those rows; the others by approximate search restricted to them (the
inverted file scans more lists the fewer rows the filter leaves), falling back to exact search
if it returns fewer than asked. A lexical channel (BM25 over jieba words, restricted by the
same mask) adds candidates the dense channel misses; both scores go to the ranker as
features."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from matcher.index.lexical import BM25
from matcher.index.vectors import VectorIndex
from matcher.store import Store
from matcher.text.render import position_text


class LexicalIndex(NamedTuple):
    """BM25 over the postings' text, with the index key and row of each of its documents (rows
    hold until the next sync, which drops the lexical index)."""

    bm25: BM25
    keys: list[str]
    slots: npt.NDArray[np.int64]


@dataclass(frozen=True)
class Candidates:
    """Rows of the postings index, their keys, and their dense (cosine) and lexical (BM25,
    best = 1) scores; every row passes the query's mask."""

    rows: npt.NDArray[np.int64]
    ids: list[str]
    semantic: npt.NDArray[np.float32]
    lexical: npt.NDArray[np.float32]


def lexical_index(index: VectorIndex, store: Store) -> LexicalIndex:
    """BM25 over the stored text of the postings of ``index`` (those still stored)."""
    keys = index.keys()
    records = store.get_many("positions", keys)
    kept = [k for k in keys if k in records]
    bm25 = BM25([position_text(records[k]) for k in kept])
    return LexicalIndex(bm25, kept, index.slots_of(kept).astype(np.int64))


class LazyLexical:
    """The BM25 index of a matcher, built on first use after each sync by one thread while
    the others wait (a burst of first queries would otherwise each read every posting)."""

    def __init__(self) -> None:
        self._built: LexicalIndex | None = None
        self._lock = threading.Lock()

    def get(self, index: VectorIndex, store: Store) -> LexicalIndex:
        built = self._built
        if built is None:
            with self._lock:
                if self._built is None:
                    self._built = lexical_index(index, store)
                built = self._built
        return built

    def reset(self) -> None:
        self._built = None


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
    index: VectorIndex, lexical: LexicalIndex, text: str, mask: npt.NDArray[np.bool_], pool: int
) -> dict[str, float]:
    """BM25 scores of the ``pool`` best eligible postings, scaled so the best is 1."""
    bm25, keys, slots = lexical
    scores = np.where(mask[slots], bm25.scores(text), 0.0)
    found = np.flatnonzero(scores > 0)
    if len(found) > pool:  # the best `pool`: all above the pool's last score, then its ties
        last = -np.partition(-scores[found], pool - 1)[pool - 1]
        above = found[scores[found] > last]
        tied = sorted(found[scores[found] == last].tolist(), key=keys.__getitem__)
        found = np.concatenate([above, np.array(tied[: pool - len(above)], dtype=np.int64)])
    # best first, ties by posting id: the same whatever order the index holds its rows in
    top = sorted(found.tolist(), key=lambda i: (-scores[i], keys[i]))
    if not top:
        return {}
    best = float(scores[top[0]])
    return {keys[i]: float(scores[i]) / best for i in top}


def retrieve(
    index: VectorIndex,
    query: npt.NDArray[np.float32],
    mask: npt.NDArray[np.bool_],
    pool: int,
    *,
    exact_below: int,
    lexical: LexicalIndex | None = None,
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
