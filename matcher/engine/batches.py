"""Ranking many graduates at once, as a campaign does: each one's top postings, unexplained
and never widened beyond the places they wished for, in small batches over a few threads
(:func:`rank_pool`), or on Ray workers (:mod:`matcher.scale.ranking`) through the same
:func:`rank_batch`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matcher.engine.match import Match
    from matcher.engine.orchestrator import Matcher

RANK_BATCH = 50
#: How a campaign ranks a chunk's graduates: (ids, pool, kinds) → each one's top ``pool``
#: postings, unexplained (in this process by :func:`rank_pool`, or on Ray workers).
Ranking = Callable[[Sequence[str], int, Sequence[str]], list[list["Match"]]]


def rank_pool(
    matcher: Matcher, ids: Sequence[str], pool: int, kinds: Sequence[str], threads: int
) -> list[list[Match]]:
    """Top ``pool`` postings of each graduate, unexplained, in small batches: the engine's
    read lock is let go between them, so a sync (and the requests queued behind it) never
    waits for a whole chunk; ``threads`` batches at a time."""

    def batch(start: int) -> list[list[Match]]:
        return rank_batch(matcher, ids[start : start + RANK_BATCH], pool, kinds)

    starts = range(0, len(ids), RANK_BATCH)
    if threads <= 1 or len(starts) <= 1:
        return [found for start in starts for found in batch(start)]
    with ThreadPoolExecutor(max_workers=threads) as executor:
        return [found for done in executor.map(batch, starts) for found in done]


def rank_batch(
    matcher: Matcher, ids: Sequence[str], pool: int, kinds: Sequence[str]
) -> list[list[Match]]:
    """Top ``pool`` postings of each graduate as a campaign ranks them: unexplained, and
    never widened beyond the places the graduate wished for."""
    return matcher.recommend(ids, pool, kinds=kinds, explain=False, relax=False)
