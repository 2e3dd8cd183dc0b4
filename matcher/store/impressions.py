"""Impressions: every recommendation list served (the API, the console, a campaign's offers, a
plan's postings), with the candidates shown, their ranks, scores and propensities and the
ranker's version, so that later feedback can be joined to the lists it followed
(:func:`joined`) when a ranker is trained on outcomes.

**One row per list, items as a JSON array** (not a child table of items). A nightly campaign
over a million graduates writes up to a million lists; as rows of items that would be five to
ten million rows per night, each with its own index entries, written, pruned and erased row by
row. One row per list keeps writes to one insert per chunk of lists, retention and erasure to
deletes over two narrow indexes (served_at, graduate_id), and reads for training to one scan
of a time range: training reads whole lists anyway (the rank of an item only means something
next to the others), and outcomes are joined per graduate, not by a posting index. Each item
is the array ``[position_id, rank, score, propensity, model_rank]`` (:data:`ITEM_FIELDS`):
``rank`` is the 1-based position shown, ``model_rank`` the one the ranker gave (they differ
only for an explored swap, or a campaign offer whose better-ranked postings were full).

Rows are kept ``MATCHER_IMPRESSION_DAYS`` (180) and pruned by the worker (:func:`prune`);
erasing a graduate deletes theirs (:func:`erase`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa

from matcher.store import tables
from matcher.store.db import utcnow
from matcher.store.repository import Store

#: Surfaces a list is served on.
SURFACES = ("api", "console", "page", "campaign", "plan")
#: What each item of ``impressions.items`` holds, in order.
ITEM_FIELDS = ("position_id", "rank", "score", "propensity", "model_rank")
INSERT_BATCH = 1000  # lists per insert statement
PRUNE_BATCH = 10_000  # rows per pruning transaction, so that none holds locks for long

#: The outcome of an impression item: the feedback events on the same (graduate, posting)
#: pair, event → (label, strength). The event of greatest *strength* within the window after
#: the list was served is the item's outcome, and its *label* the training grade: hired 3 >
#: applied 2 > viewed 1 > nothing 0 (shown but ignored, a weak negative); declined and not
#: interested are explicit negatives (-1). An explicit refusal outweighs a mere view but not
#: an application or a hire (a graduate who applied and later declined an interview was still
#: drawn to the posting). Events are those :mod:`matcher.store.feedback` records; a posting
#: saved (收藏) on the graduate's page counts as a view that was kept: above viewed, below
#: applied.
OUTCOMES: dict[str, tuple[int, int]] = {
    "hired": (3, 5),
    "applied": (2, 4),
    "declined": (-1, 3),
    "not_interested": (-1, 3),
    "saved": (1, 3),
    "viewed": (1, 2),
}
NO_OUTCOME = "none"
OUTCOME_WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class Item:
    position_id: str
    rank: int  # 1-based, as shown
    score: float
    propensity: float = 1.0  # P(shown at ``rank`` | ranked ``model_rank``), see engine.explore
    model_rank: int | None = None  # None: the same as ``rank``

    def packed(self) -> list[Any]:
        model = self.rank if self.model_rank is None else self.model_rank
        return [self.position_id, self.rank, round(self.score, 6), round(self.propensity, 6), model]


@dataclass(frozen=True)
class Impression:
    """One list served to one graduate, items in the order shown."""

    graduate_id: str
    surface: str
    ranker: str
    items: tuple[Item, ...]
    explored: bool = False
    swap: int | None = None
    explore_rate: float = 0.0
    context: str | None = None  # the campaign or plan the list belongs to

    def __post_init__(self) -> None:
        if self.surface not in SURFACES:
            raise ValueError(f"surface {self.surface!r} is not one of {', '.join(SURFACES)}")


def rows(impressions: Sequence[Impression], at: datetime) -> list[dict[str, Any]]:
    return [
        {
            "served_at": at,
            "graduate_id": i.graduate_id,
            "surface": i.surface,
            "ranker": i.ranker,
            "context": i.context,
            "explored": i.explored,
            "swap": i.swap,
            "explore_rate": i.explore_rate,
            "items": [item.packed() for item in i.items],
        }
        for i in impressions
    ]


def insert(conn: sa.Connection, impressions: Sequence[Impression], at: datetime) -> int:
    """Write the lists in the caller's transaction, one insert per :data:`INSERT_BATCH`."""
    values = rows(impressions, at)
    for start in range(0, len(values), INSERT_BATCH):
        conn.execute(sa.insert(tables.impressions), values[start : start + INSERT_BATCH])
    return len(values)


def record(store: Store, impressions: Sequence[Impression], at: datetime | None = None) -> int:
    """Write the lists in one short transaction of their own; returns how many."""
    if not impressions:
        return 0
    with store.engine.begin() as conn:
        return insert(conn, impressions, at or utcnow())


def kept(impressions: Sequence[Impression], pairs: Collection[tuple[str, str]]) -> list[Impression]:
    """The lists as they went out when only the (graduate, posting) ``pairs`` did (offers the
    offer rules refused at the last moment were never shown): other items are left out, the
    rest renumbered 1..n, and lists left empty dropped."""
    out = []
    for imp in impressions:
        items = [i for i in imp.items if (imp.graduate_id, i.position_id) in pairs]
        if items:
            renumbered = tuple(
                replace(i, rank=n, model_rank=i.model_rank or i.rank)
                for n, i in enumerate(items, 1)
            )
            out.append(replace(imp, items=renumbered))
    return out


def erase(conn: sa.Connection, graduate_id: str) -> int:
    """Delete the graduate's impressions in the caller's transaction; returns how many."""
    c = tables.impressions.c
    return int(
        conn.execute(sa.delete(tables.impressions).where(c.graduate_id == graduate_id)).rowcount
    )


def prune(store: Store, days: int, now: datetime | None = None) -> int:
    """Delete impressions served more than ``days`` days ago, :data:`PRUNE_BATCH` rows per
    transaction; returns how many."""
    c = tables.impressions.c
    cutoff = (now or utcnow()) - timedelta(days=days)
    oldest = sa.select(c.id).where(c.served_at < cutoff).limit(PRUNE_BATCH)
    total = 0
    while True:
        with store.engine.begin() as conn:
            done = int(conn.execute(sa.delete(tables.impressions).where(c.id.in_(oldest))).rowcount)
        total += done
        if done < PRUNE_BATCH:
            return total


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def of_graduate(store: Store, graduate_id: str) -> list[dict[str, Any]]:
    """The graduate's impressions, oldest first, items as dicts of :data:`ITEM_FIELDS`."""
    c = tables.impressions.c
    query = sa.select(tables.impressions).where(c.graduate_id == graduate_id).order_by(c.id)
    with store.engine.connect() as conn:
        found = conn.execute(query).mappings().all()
    return [
        dict(row)
        | {
            "served_at": _aware(row["served_at"]),
            "items": [dict(zip(ITEM_FIELDS, i, strict=True)) for i in row["items"]],
        }
        for row in found
    ]


class Shown(NamedTuple):
    """One item of one impression with its outcome, for training a ranker."""

    graduate_id: str
    position_id: str
    shown_rank: int
    propensity: float
    score: float
    ranker_version: str
    served_at: datetime
    outcome: str  # the strongest feedback event in the window, or "none"
    label: int  # its grade (:data:`OUTCOMES`), 0 for none
    model_rank: int
    surface: str
    impression_id: int


def joined(
    store: Store,
    since: datetime,
    until: datetime,
    *,
    window: timedelta = OUTCOME_WINDOW,
    batch: int = 1000,
) -> Iterator[Shown]:
    """Every item of every list served in [``since``, ``until``) with its outcome: the
    strongest feedback event (:data:`OUTCOMES`) on the same graduate and posting at or after
    the list was served and less than ``window`` after it. Lists are read ``batch`` at a time
    in the order served, with the feedback of their graduates, so memory stays flat."""
    c, f = tables.impressions.c, tables.feedback_events.c
    base = (
        sa.select(c.id, c.served_at, c.graduate_id, c.surface, c.ranker, c["items"])
        .where(c.served_at >= since, c.served_at < until)
        .order_by(c.served_at, c.id)
        .limit(batch)
    )
    last: tuple[datetime, int] | None = None
    while True:
        query = base
        if last is not None:
            query = query.where(
                sa.or_(c.served_at > last[0], sa.and_(c.served_at == last[0], c.id > last[1]))
            )
        with store.engine.connect() as conn:
            found = conn.execute(query).all()
            if not found:
                return
            events = conn.execute(
                sa.select(f.graduate_id, f.position_id, f.event, f.at).where(
                    f.graduate_id.in_(sorted({r.graduate_id for r in found})),
                    f.at >= min(r.served_at for r in found),
                    f.at < max(r.served_at for r in found) + window,
                    f.event.in_(list(OUTCOMES)),
                )
            ).all()
        by_pair: dict[tuple[str, str], list[tuple[datetime, str]]] = defaultdict(list)
        for gid, pid, event, at in events:
            by_pair[gid, pid].append((_aware(at), event))
        for row_id, served_at, gid, surface, ranker, items in found:
            served = _aware(served_at)
            for pid, rank, score, propensity, model_rank in items:
                outcome = _strongest(by_pair.get((gid, pid), ()), served, window)
                yield Shown(
                    gid,
                    pid,
                    int(rank),
                    float(propensity),
                    float(score),
                    ranker,
                    served,
                    outcome,
                    OUTCOMES[outcome][0] if outcome in OUTCOMES else 0,
                    int(model_rank),
                    surface,
                    int(row_id),
                )
        last = (found[-1].served_at, int(found[-1].id))


def _strongest(events: Sequence[tuple[datetime, str]], served: datetime, window: timedelta) -> str:
    best, strength = NO_OUTCOME, 0
    for at, event in events:
        if served <= at < served + window and OUTCOMES[event][1] > strength:
            best, strength = event, OUTCOMES[event][1]
    return best
