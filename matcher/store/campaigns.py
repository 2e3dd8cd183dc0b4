"""Campaign rows (a small job queue: queued or scheduled → running → done or failed, a running
one held by its runner's lease) and the selection of a campaign's segment."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from threading import Event
from typing import Any

import sqlalchemy as sa

from matcher.errors import ConflictError, NotFoundError
from matcher.store import leases, tables
from matcher.store.db import utcnow
from matcher.store.offers import by_key, plain
from matcher.store.repository import Store


class Campaigns:
    def __init__(self, store: Store) -> None:
        self.engine = store.engine

    def by_key(self, key: str) -> dict[str, Any] | None:
        """The campaign created with this idempotency key, if any."""
        return by_key(self.engine, tables.campaigns, key)

    def create(self, values: dict[str, Any]) -> dict[str, Any]:
        row = {"counts": {}, "created_at": utcnow(), **values}
        try:
            with self.engine.begin() as conn:
                conn.execute(sa.insert(tables.campaigns).values(**row))
        except sa.exc.IntegrityError as exc:
            raise ConflictError(
                "a campaign with this idempotency key already exists",
                zh="使用该幂等键的推送活动已存在",
            ) from exc
        return self.get(str(values["id"]))

    def get(self, campaign_id: str) -> dict[str, Any]:
        c = tables.campaigns.c
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(tables.campaigns).where(c.id == campaign_id))
            found = row.mappings().first()
        if found is None:
            raise NotFoundError("campaign", campaign_id)
        return plain(found)

    def claim(self, campaign_id: str, owner: str, seconds: float) -> bool:
        """Take a waiting campaign, or one whose runner's lease expired, for ``owner``; False
        when another runner holds it or it is finished."""
        return leases.claim(self.engine, tables.campaigns, campaign_id, owner, seconds)

    @contextmanager
    def held(self, campaign_id: str, owner: str, seconds: float) -> Iterator[Event]:
        """Keep ``owner``'s lease alive while the block runs; the event is set if it is lost."""
        with leases.held(self.engine, tables.campaigns, campaign_id, owner, seconds) as lost:
            yield lost

    def finish(self, campaign_id: str, owner: str, **values: Any) -> bool:
        """Close the run (status, counts, error) if ``owner`` still holds it."""
        return leases.release(self.engine, tables.campaigns, campaign_id, owner, **values)

    def update(self, campaign_id: str, **values: Any) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                sa.update(tables.campaigns)
                .where(tables.campaigns.c.id == campaign_id)
                .values(**values)
            )

    def page(
        self, after: str | None = None, limit: int = 50
    ) -> tuple[list[dict[str, Any]], str | None]:
        c = tables.campaigns.c
        query = sa.select(tables.campaigns).order_by(c.id).limit(limit + 1)
        if after:
            query = query.where(c.id > after)
        with self.engine.connect() as conn:
            rows = [plain(r) for r in conn.execute(query).mappings()]
        return rows[:limit], (rows[limit - 1]["id"] if len(rows) > limit else None)

    def due(self, now: datetime) -> list[str]:
        """Campaigns to run now: queued ones, scheduled ones whose time has come, and running
        ones whose runner stopped renewing its lease."""
        c = tables.campaigns.c
        query = (
            sa.select(c.id)
            .where(
                leases.claimable(tables.campaigns, now),
                sa.or_(c.scheduled_at.is_(None), c.scheduled_at <= now),
            )
            .order_by(c.created_at)
        )
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())


def segment_ids(
    store: Store,
    *,
    years: Sequence[int] = (),
    major_prefixes: Sequence[str] = (),
    place_prefixes: Sequence[str] = (),
    degrees: Sequence[int] = (),
    support: Sequence[str] = (),
    needs_support: bool | None = None,
    statuses: Sequence[str] = (),
    ids: Sequence[str] = (),
) -> list[str]:
    """Ids of graduates matching every given filter (a list matches any of its values)."""
    g = tables.graduates.c
    where: list[sa.ColumnElement[bool]] = []
    if years:
        where.append(g.graduation_year.in_(list(years)))
    if major_prefixes:
        where.append(sa.or_(*(g.major_code.startswith(p) for p in major_prefixes)))
    if place_prefixes:
        where.append(
            sa.or_(
                *(g.district_code.startswith(p) for p in place_prefixes),
                *(g.desired_codes.contains("," + p) for p in place_prefixes),
            )
        )
    if degrees:
        where.append(g.degree.in_(list(degrees)))
    if support:
        where.append(sa.or_(*(g.support.contains(s) for s in support)))
    if needs_support is not None:
        where.append(g.needs_support.is_(needs_support))
    if statuses:
        where.append(g.status.in_(list(statuses)))
    if ids:
        where.append(g.id.in_(list(ids)))
    with store.engine.connect() as conn:
        return list(conn.execute(sa.select(g.id).where(*where).order_by(g.id)).scalars())
