"""Lists served to people, and the impressions they leave: the seam between ranking and
display. :meth:`Matcher.recommend` stays a pure query (evaluation, reports and the fairness
check call it too and show nothing to anyone); what is shown goes through :func:`serve`,
which may explore (:mod:`matcher.engine.explore`) and records one impression per non-empty
list (:mod:`matcher.store.impressions`) unless ``MATCHER_LOG_IMPRESSIONS`` is off.

Surfaces: ``api`` (the recommendations endpoint), ``console`` (an adviser's view of a
graduate), ``page`` (a graduate's own page) are displayed and may be explored; ``campaign``
(offers pushed, written with the offers in one transaction) and ``plan`` (a plan's postings)
record the model's order only, built with :func:`in_model_order`."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from matcher.config import Settings
from matcher.engine import explore
from matcher.engine.match import Match
from matcher.engine.rankers import ranker_version
from matcher.store import impressions
from matcher.store.db import describe
from matcher.store.impressions import Impression, Item

if TYPE_CHECKING:
    from matcher.engine.orchestrator import Matcher

log = logging.getLogger("matcher.impressions")


def serve(
    matcher: Matcher,
    graduate_ids: Sequence[str],
    k: int = 10,
    *,
    surface: str,
    kinds: Sequence[str] = (),
    places: Sequence[str] = (),
    today: date | None = None,
    defer: Callable[..., Any] | None = None,
) -> list[list[Match]]:
    """:meth:`Matcher.recommend` for lists that are shown on ``surface``: explored at
    ``MATCHER_EXPLORE_RATE`` if the surface is displayed, and recorded as impressions (one
    insert for the whole batch; a failed write is logged, never fails the request). ``defer``
    (e.g. a web framework's background tasks' ``add_task``) is handed the write and its
    arguments to run once the response is out, so that the client does not wait for it."""
    found = matcher.recommend(graduate_ids, k, kinds=kinds, places=places, today=today)
    settings = matcher.settings
    rate = settings.explore_rate if surface in explore.DISPLAYED else 0.0
    day = today or local_day(settings)
    version = ranker_version(settings)
    shown: list[list[Match]] = []
    logged: list[Impression] = []
    for gid, matches in zip(graduate_ids, found, strict=True):
        decision = explore.decide(gid, day, rate, len(matches))
        order = explore.apply(list(range(len(matches))), decision)
        shown.append([matches[r] for r in order])
        if settings.log_impressions and matches:
            n = len(matches)
            items = tuple(
                Item(
                    matches[r].id,
                    p,
                    matches[r].score,
                    explore.propensity(r + 1, p, n, rate),
                    r + 1,
                )
                for p, r in enumerate(order, 1)
            )
            logged.append(
                Impression(gid, surface, version, items, decision.explored, decision.swap, rate)
            )
    if defer is not None and logged:
        defer(write, matcher, logged)
    else:
        write(matcher, logged)
    return shown


def in_model_order(
    settings: Settings,
    graduate_id: str,
    surface: str,
    picks: Sequence[tuple[str, float, int]],
    context: str | None = None,
) -> Impression:
    """The impression of a list shown in the model's order (never explored, propensity 1):
    ``picks`` are (posting id, score, rank the model gave it), in the order shown."""
    items = tuple(
        Item(pid, n, score, 1.0, model_rank) for n, (pid, score, model_rank) in enumerate(picks, 1)
    )
    return Impression(graduate_id, surface, ranker_version(settings), items, context=context)


def write(matcher: Matcher, logged: Sequence[Impression]) -> None:
    """Record impressions in their own short transaction; a failure is logged, not raised."""
    if not logged or not matcher.settings.log_impressions:
        return
    try:
        impressions.record(matcher.store, logged)
    except Exception as exc:  # the list was served: losing its log must not fail the request
        log.warning("impressions not recorded: %s", describe(exc))


def local_day(settings: Settings) -> date:
    """Today in the bureau's time zone (the day that keys exploration)."""
    return datetime.now(ZoneInfo(settings.timezone)).date()
