"""The delivery outbox: messages claimed with a lease (a worker that dies mid-delivery loses
nothing: the lease runs out and the message is claimed again), settled as delivered, retried
later or parked as dead letters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from matcher.store import tables
from matcher.store.db import utcnow
from matcher.store.repository import Store


@dataclass(frozen=True)
class Claimed:
    id: str
    offer_id: str
    endpoint: str
    payload: dict[str, Any]
    attempts: int  # including this one


class Outbox:
    def __init__(self, store: Store) -> None:
        self.engine = store.engine

    def claim(self, lease: float, limit: int = 50, now: datetime | None = None) -> list[Claimed]:
        """Claim due messages for ``lease`` seconds; each claim counts as an attempt."""
        now = now or utcnow()
        b = tables.outbox.c
        due = (
            sa.select(b.id)
            .where(
                b.status == "pending",
                b.next_attempt_at <= now,
                sa.or_(b.locked_until.is_(None), b.locked_until <= now),
            )
            .order_by(b.next_attempt_at)
            .limit(limit)
        )
        claimed = []
        with self.engine.begin() as conn:
            for message_id in list(conn.execute(due).scalars()):
                done = conn.execute(
                    sa.update(tables.outbox)
                    .where(
                        b.id == message_id,
                        b.status == "pending",
                        sa.or_(b.locked_until.is_(None), b.locked_until <= now),
                    )
                    .values(locked_until=now + timedelta(seconds=lease), attempts=b.attempts + 1)
                ).rowcount
                if done:
                    claimed.append(message_id)
            rows = conn.execute(sa.select(tables.outbox).where(b.id.in_(claimed))).mappings()
            return [
                Claimed(r["id"], r["offer_id"], r["endpoint"], r["payload"], r["attempts"])
                for r in rows
            ]

    def delivered(self, message_id: str) -> None:
        now = utcnow()
        b, o = tables.outbox.c, tables.offers.c
        with self.engine.begin() as conn:
            offer_id = conn.execute(
                sa.update(tables.outbox)
                .where(b.id == message_id)
                .values(status="delivered", delivered_at=now, locked_until=None, last_error=None)
                .returning(b.offer_id)
            ).scalar_one()
            conn.execute(
                sa.update(tables.offers)
                .where(o.id == offer_id, o.status.in_(("queued", "undeliverable")))
                .values(status="sent", sent_at=now, updated_at=now)
            )

    def failed(self, message_id: str, error: str, retry_at: datetime | None) -> None:
        """A failed attempt: retry at ``retry_at``, or park as a dead letter when None."""
        b, o = tables.outbox.c, tables.offers.c
        values: dict[str, Any] = {"last_error": error[:2000], "locked_until": None}
        if retry_at is None:
            values["status"] = "dead"
        else:
            values["next_attempt_at"] = retry_at
        with self.engine.begin() as conn:
            offer_id = conn.execute(
                sa.update(tables.outbox)
                .where(b.id == message_id)
                .values(**values)
                .returning(b.offer_id)
            ).scalar_one()
            if retry_at is None:
                conn.execute(
                    sa.update(tables.offers)
                    .where(o.id == offer_id, o.status == "queued")
                    .values(status="undeliverable", updated_at=utcnow())
                )

    def page(
        self, status: str | None = None, after: str | None = None, limit: int = 50
    ) -> tuple[list[dict[str, Any]], str | None]:
        b = tables.outbox.c
        query = sa.select(tables.outbox).order_by(b.id).limit(limit + 1)
        if status:
            query = query.where(b.status == status)
        if after:
            query = query.where(b.id > after)
        with self.engine.connect() as conn:
            rows = [
                {k: v.isoformat() if isinstance(v, datetime) else v for k, v in r.items()}
                for r in conn.execute(query).mappings()
            ]
        return rows[:limit], (rows[limit - 1]["id"] if len(rows) > limit else None)

    def retry(self, message_ids: list[str] | None = None) -> int:
        """Put dead letters (all, or those named) back in the queue, due now."""
        b, o = tables.outbox.c, tables.offers.c
        where = [b.status == "dead"]
        if message_ids is not None:
            where.append(b.id.in_(message_ids))
        now = utcnow()
        with self.engine.begin() as conn:
            offers = list(conn.execute(sa.select(b.offer_id).where(*where)).scalars())
            n = conn.execute(
                sa.update(tables.outbox)
                .where(*where)
                .values(status="pending", attempts=0, next_attempt_at=now, locked_until=None)
            ).rowcount
            if offers:
                conn.execute(
                    sa.update(tables.offers)
                    .where(o.id.in_(offers), o.status == "undeliverable")
                    .values(status="queued", updated_at=now)
                )
        return int(n)

    def counts(self) -> dict[str, int]:
        b = tables.outbox.c
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(b.status, sa.func.count()).group_by(b.status))
            return {str(s): int(n) for s, n in rows}
