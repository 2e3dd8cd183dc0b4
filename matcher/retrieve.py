"""Candidate retrieval under hard filters, with query planning.

The eligibility mask of a query can leave half the postings or a handful. A selective query
(fewer eligible postings than ``exact_search_below``, or no approximate graph) is answered by
exact search over exactly those rows; a broad one by approximate search restricted to them
through an id selector, falling back to exact search if it returns fewer than asked. A lexical
channel (BM25 over jieba words, restricted by the same mask) adds candidates the dense channel
misses; both scores go to the ranker as features."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from matcher.engine import Matcher


def dense_candidates(
    matcher: Matcher, query: npt.NDArray[np.float32], mask: npt.NDArray[np.bool_], pool: int
) -> dict[str, float]:
    index = matcher.positions
    eligible = int(mask.sum())
    if eligible == 0:
        return {}
    want = min(pool, eligible)
    if eligible < matcher.settings.exact_search_below or not index.approximate:
        scores, slots = index.search_exact(query, want, np.flatnonzero(mask))
    else:
        scores, slots = index.search_approximate(
            query, want, mask, ef=max(2 * want, index.ef_search)
        )
        if int((slots[0] >= 0).sum()) < want:
            scores, slots = index.search_exact(query, want, np.flatnonzero(mask))
    keep = slots[0] >= 0
    return dict(zip(index.key_of(slots[0][keep]), scores[0][keep].tolist(), strict=True))


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
) -> dict[str, tuple[float, float]]:
    """Candidates with (semantic, lexical) scores; every one passes the mask."""
    dense = dense_candidates(matcher, query, mask, pool)
    lexical = lexical_candidates(matcher, text, mask, pool) if matcher.settings.lexical else {}
    extra = [k for k in lexical if k not in dense]
    if extra:
        vectors = matcher.positions.vectors(extra)
        dense.update(zip(extra, (vectors @ query).tolist(), strict=True))
    return {k: (dense[k], lexical.get(k, 0.0)) for k in dense}
