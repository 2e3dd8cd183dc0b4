"""Ranking many graduates at once, as a campaign does: each one's top postings, unexplained
and never widened beyond the places they wished for, in small batches over a few threads
(:func:`rank_pool`), or on Ray workers (:mod:`matcher.scale.ranking`) through the same
:func:`rank_batch`. Each graduate's list comes back as a :class:`Shortlist`: ids, scores and
one row of features per posting, cheap to send between processes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from matcher.engine.features import FEATURES

if TYPE_CHECKING:
    from matcher.engine.match import Match
    from matcher.engine.orchestrator import Matcher

RANK_BATCH = 50


@dataclass(frozen=True)
class Shortlist:
    """One graduate's ranked postings, best first: their ids, scores and features (one row
    per posting, in :data:`FEATURES` order, with the values a :class:`Match` holds). A campaign
    reads the features of the few postings it offers only."""

    ids: list[str]
    scores: list[float]
    features: npt.NDArray[np.float64]

    @classmethod
    def of(cls, matches: Sequence[Match]) -> Shortlist:
        rows = [[m.features[name] for name in FEATURES] for m in matches]
        table = np.array(rows, dtype=np.float64).reshape(len(matches), len(FEATURES))
        return cls([m.id for m in matches], [m.score for m in matches], table)

    def features_of(self, at: int) -> dict[str, float]:
        """The features of the posting ranked ``at`` (from 0), as its match had them."""
        return dict(zip(FEATURES, self.features[at].tolist(), strict=True))


#: How a campaign ranks a chunk's graduates: (ids, pool, kinds) → each one's top ``pool``
#: postings, unexplained (in this process by :func:`rank_pool`, or on Ray workers).
Ranking = Callable[[Sequence[str], int, Sequence[str]], list[Shortlist]]


def rank_pool(
    matcher: Matcher, ids: Sequence[str], pool: int, kinds: Sequence[str], threads: int
) -> list[Shortlist]:
    """Top ``pool`` postings of each graduate, unexplained, in small batches: the engine's
    read lock is let go between them, so a sync (and the requests queued behind it) never
    waits for a whole chunk; ``threads`` batches at a time."""

    def batch(start: int) -> list[Shortlist]:
        return rank_batch(matcher, ids[start : start + RANK_BATCH], pool, kinds)

    starts = range(0, len(ids), RANK_BATCH)
    if threads <= 1 or len(starts) <= 1:
        return [found for start in starts for found in batch(start)]
    with ThreadPoolExecutor(max_workers=threads) as executor:
        return [found for done in executor.map(batch, starts) for found in done]


def rank_batch(
    matcher: Matcher, ids: Sequence[str], pool: int, kinds: Sequence[str]
) -> list[Shortlist]:
    """Top ``pool`` postings of each graduate as a campaign ranks them: unexplained, and
    never widened beyond the places the graduate wished for."""
    found = matcher.recommend(ids, pool, kinds=kinds, explain=False, relax=False)
    return [Shortlist.of(matches) for matches in found]
