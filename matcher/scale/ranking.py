"""A campaign's ranking spread over Ray workers: each worker loads the engine's saved index
snapshot once (memory-mapped, so workers on one host share it through the page cache) and
ranks batches of graduates exactly as the engine would; assignment under capacity, the offer
rules and every write stay with the campaign's runner (:mod:`matcher.offers.campaigns`).

Workers rank against the snapshot the runner saved when the campaign started and read the
store for the graduates and what they were already offered, so their lists equal the ones
the runner would have made itself."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from matcher.config import Settings
from matcher.engine.batches import Ranking, Shortlist, rank_batch, rank_pool

if TYPE_CHECKING:
    from matcher.engine.orchestrator import Matcher

#: Graduates per request to a worker: large enough that a round trip is a small part of it.
RAY_BATCH = 100


class RankingWorker:
    """One Ray actor: an engine pinned to the saved snapshot, ranking batches of graduates."""

    def __init__(self, settings: Settings, watermark: int) -> None:
        from matcher.engine.orchestrator import Matcher
        from matcher.index.vectors import set_threads

        set_threads(max(1, int(settings.ray_worker_cpus)))  # the CPUs this actor was given
        self.matcher = Matcher.pinned(settings, watermark)

    def ready(self) -> int:
        return self.matcher.watermark

    def rank(self, work: tuple[list[str], int, list[str]]) -> list[Shortlist]:
        ids, pool, kinds = work
        return rank_batch(self.matcher, ids, pool, kinds)


class RayRanking:
    """Ranks through a pool of :class:`RankingWorker` actors (a :data:`Ranking`)."""

    def __init__(self, settings: Settings, watermark: int, workers: int) -> None:
        from matcher.scale.cluster import ActorPool

        self.pool = ActorPool(RankingWorker, workers, settings.ray_worker_cpus, settings, watermark)

    def __call__(self, ids: Sequence[str], pool: int, kinds: Sequence[str]) -> list[Shortlist]:
        work = [
            (list(ids[i : i + RAY_BATCH]), pool, list(kinds)) for i in range(0, len(ids), RAY_BATCH)
        ]
        return [found for batch in self.pool.map("rank", work) for found in batch]

    def close(self) -> None:
        self.pool.close()


@contextmanager
def ranking_for(matcher: Matcher, workers: int | None = None) -> Iterator[Ranking]:
    """How a campaign ranks: on Ray workers when ``MATCHER_RAY_ADDRESS`` is set (the engine's
    index is saved first, so the workers load what it holds), otherwise in this process."""
    settings = matcher.settings
    if not settings.ray_address:
        yield lambda ids, pool, kinds: rank_pool(
            matcher, ids, pool, kinds, settings.campaign_threads
        )
        return
    from matcher.scale.cluster import connect

    connect(settings.ray_address)
    matcher.flush()
    ranking = RayRanking(settings, matcher.watermark, workers or settings.ray_workers)
    try:
        yield ranking
    finally:
        ranking.close()
