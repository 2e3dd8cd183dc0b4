"""The background worker behind ``matcher worker`` and ``matcher serve``: it runs due campaigns
(:mod:`matcher.offers.campaigns`) and queued plan generation jobs (:mod:`matcher.plans.jobs`),
then delivers due offer messages (:mod:`matcher.offers.delivery`); once an hour it prunes
impressions older than ``MATCHER_IMPRESSION_DAYS`` (:mod:`matcher.store.impressions`)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from matcher.config import Settings
from matcher.engine.orchestrator import Matcher
from matcher.offers.campaigns import run_due
from matcher.offers.delivery import Deliverer, Post, http_post, queue_recorded
from matcher.plans.jobs import run_queued
from matcher.store import Store, impressions
from matcher.store.campaigns import Campaigns
from matcher.store.db import describe
from matcher.store.plan_jobs import PlanJobs


class Worker:
    """The background worker: runs due campaigns and plan generation jobs, then delivers due
    messages, and sleeps ``worker_poll`` seconds when there is nothing to do (or until
    :meth:`wake`)."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        matcher: Callable[[], Matcher] | None = None,
        post: Post = http_post,
    ) -> None:
        self.store = store
        self.settings = settings
        self.deliverer = Deliverer(store, settings, post)
        self._matcher = matcher
        self._stop = threading.Event()
        self._wake = threading.Event()
        self.errors: list[str] = []
        self._pruned_at: float | None = None  # monotonic time of the last pruning

    def maintain(self, every: float = 3600.0) -> int:
        """Prune impressions past their retention, at most once per ``every`` seconds;
        returns how many rows went."""
        now = time.monotonic()
        if self._pruned_at is not None and now - self._pruned_at < every:
            return 0
        self._pruned_at = now
        return impressions.prune(self.store, self.settings.impression_days)

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def run_once(self) -> int:
        """One pass: due campaigns, queued plan generation jobs, then due messages; returns
        the work done."""
        done = 0
        if self._matcher is not None and Campaigns(self.store).due(datetime.now(UTC)):
            matcher = self._matcher()
            matcher.refresh()
            done += len(run_due(matcher))
        if self._matcher is not None and PlanJobs(self.store).queued():
            matcher = self._matcher()
            matcher.refresh()
            done += len(run_queued(matcher))
        done += queue_recorded(self.store, self.settings)  # a channel configured since
        done += self.deliverer.run_once()
        self.maintain()  # not counted as work: pruning never makes the next pass urgent
        return done

    def run(self, log: Callable[[str], None] = lambda _: None) -> None:
        while not self._stop.is_set():
            try:
                busy = self.run_once()
            except Exception as exc:  # keep serving; the next pass retries
                self.errors.append(describe(exc))
                log(f"worker pass failed: {describe(exc, frames=True)}")
                busy = 0
            if not busy:
                self._wake.wait(self.settings.worker_poll)
                self._wake.clear()

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, name="matcher-worker", daemon=True)
        thread.start()
        return thread
