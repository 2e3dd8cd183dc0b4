"""Offers and feedback events: the rows the offer rules read and write. An offer and its outbox
messages are written in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from matcher.errors import ConflictError, NotFoundError
from matcher.store import tables
from matcher.store.db import chunks, utcnow
from matcher.store.repository import Store

#: Idempotency keys of offers pushed from a plan's items: the adviser's own, deliberate
#: pushes, which do not spend the weekly allowance of campaigns and single offers.
PLAN_KEY_PREFIX = "plan-item:"
#: Offer statuses that no longer hold a place on the posting.
CLOSED = ("declined", "not_interested", "undeliverable", "withdrawn")


@dataclass(frozen=True)
class NewOffer:
    id: str
    graduate_id: str
    position_id: str
    message: str
    detail: dict[str, Any]
    campaign_id: str | None = None
    idempotency_key: str | None = None
    request_hash: str | None = None
    created_by: str | None = None


@dataclass(frozen=True)
class NewMessage:
    id: str
    offer_id: str
    endpoint: str
    payload: dict[str, Any]
    not_before: datetime


class Offers:
    """Reads and writes of offers, campaigns and feedback events."""

    def __init__(self, store: Store) -> None:
        self.engine = store.engine

    # ---- offers ------------------------------------------------------------------------
    def create(self, offers: Sequence[NewOffer], messages: Sequence[NewMessage]) -> None:
        """Insert offers and their outbox messages atomically; a duplicate (same graduate and
        posting, or same idempotency key) raises :class:`ConflictError` and stores nothing."""
        if not offers:
            return
        now = utcnow()
        queued = {m.offer_id for m in messages}
        rows = [
            {
                "id": o.id,
                "graduate_id": o.graduate_id,
                "position_id": o.position_id,
                "campaign_id": o.campaign_id,
                "message": o.message,
                "status": "queued" if o.id in queued else "recorded",
                "idempotency_key": o.idempotency_key,
                "request_hash": o.request_hash,
                "detail": o.detail,
                "created_by": o.created_by,
                "created_at": now,
                "updated_at": now,
            }
            for o in offers
        ]
        outbox = outbox_rows(messages, now)
        try:
            with self.engine.begin() as conn:
                conn.execute(sa.insert(tables.offers), rows)
                if outbox:
                    conn.execute(sa.insert(tables.outbox), outbox)
        except sa.exc.IntegrityError as exc:
            raise ConflictError(
                "offer already exists for this graduate and posting (or idempotency key)",
                zh="该岗位已向该毕业生推送过（或幂等键重复）",
            ) from exc

    def queue(self, messages: Sequence[NewMessage]) -> int:
        """Queue messages for offers that were recorded while no messaging channel was
        configured; an offer that moved on meanwhile (answered, withdrawn) keeps its status
        and gets none. Returns how many offers were queued."""
        o = tables.offers.c
        by_offer: dict[str, list[NewMessage]] = {}
        for m in messages:
            by_offer.setdefault(m.offer_id, []).append(m)
        queued, now = 0, utcnow()
        with self.engine.begin() as conn:
            for offer_id, mine in by_offer.items():
                moved = conn.execute(
                    sa.update(tables.offers)
                    .where(o.id == offer_id, o.status == "recorded")
                    .values(status="queued", updated_at=now)
                ).rowcount
                if not moved:
                    continue
                conn.execute(sa.insert(tables.outbox), outbox_rows(mine, now))
                queued += 1
        return queued

    def get(self, offer_id: str) -> dict[str, Any]:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(tables.offers).where(tables.offers.c.id == offer_id)
            ).mappings()
            found = row.first()
        if found is None:
            raise NotFoundError("offer", offer_id)
        return plain(found)

    def withdraw(self, offer_ids: Sequence[str]) -> int:
        """Withdraw offers that were recorded but never sent; returns how many were."""
        if not offer_ids:
            return 0
        o = tables.offers.c
        with self.engine.begin() as conn:
            return int(
                conn.execute(
                    sa.update(tables.offers)
                    .where(o.id.in_(list(offer_ids)), o.status == "recorded")
                    .values(status="withdrawn", updated_at=utcnow())
                ).rowcount
            )

    def get_many(self, offer_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        o = tables.offers.c
        out: dict[str, dict[str, Any]] = {}
        with self.engine.connect() as conn:
            for chunk in chunks(list(offer_ids), 500):
                for row in conn.execute(sa.select(tables.offers).where(o.id.in_(chunk))).mappings():
                    out[row["id"]] = plain(row)
        return out

    def by_key(self, key: str) -> dict[str, Any] | None:
        """The offer created with this idempotency key, if any."""
        return by_key(self.engine, tables.offers, key)

    def page(
        self,
        *,
        graduate_ids: Sequence[str] | None = None,
        graduate_where: Sequence[sa.ColumnElement[bool]] = (),
        campaign_id: str | None = None,
        status: str | None = None,
        after: str | None = None,
        limit: int = 50,
    ) -> tuple[list[dict[str, Any]], str | None]:
        o = tables.offers.c
        query = sa.select(tables.offers).order_by(o.id).limit(limit + 1)
        if graduate_ids is not None:
            query = query.where(o.graduate_id.in_(list(graduate_ids)))
        if graduate_where:
            g = tables.graduates.c
            query = query.where(o.graduate_id.in_(sa.select(g.id).where(*graduate_where)))
        if campaign_id:
            query = query.where(o.campaign_id == campaign_id)
        if status:
            query = query.where(o.status == status)
        if after:
            query = query.where(o.id > after)
        with self.engine.connect() as conn:
            rows = [plain(r) for r in conn.execute(query).mappings()]
        return rows[:limit], (rows[limit - 1]["id"] if len(rows) > limit else None)

    def recent_counts(self, graduate_ids: Sequence[str], since: datetime) -> dict[str, int]:
        """Offers made to each graduate since ``since`` that count against the weekly cap:
        campaigns and single offers, not the items of a one-person-one-plan plan an adviser
        pushes (their idempotency key starts with :data:`PLAN_KEY_PREFIX`)."""
        o = tables.offers.c
        out: dict[str, int] = {}
        from_plan = sa.func.coalesce(o.idempotency_key, "").like(f"{PLAN_KEY_PREFIX}%")
        with self.engine.connect() as conn:
            for chunk in chunks(list(graduate_ids), 500):
                query = (
                    sa.select(o.graduate_id, sa.func.count())
                    .where(o.graduate_id.in_(chunk), o.created_at >= since, ~from_plan)
                    .group_by(o.graduate_id)
                )
                out.update({g: int(n) for g, n in conn.execute(query)})
        return out

    def places(self, position_ids: Sequence[str] | None = None) -> dict[str, tuple[int, int]]:
        """(headcount, open offers) of each open, unflagged posting of a non-blacklisted
        employer; postings absent from the answer cannot be offered."""
        p, e, o = tables.positions.c, tables.employers.c, tables.offers.c
        held = (
            sa.select(o.position_id, sa.func.count().label("n"))
            .where(o.status.not_in(CLOSED))
            .group_by(o.position_id)
            .subquery()
        )
        query = (
            sa.select(p.id, p.headcount, sa.func.coalesce(held.c.n, 0))
            .select_from(
                tables.positions.outerjoin(tables.employers, p.employer_id == e.id).outerjoin(
                    held, held.c.position_id == p.id
                )
            )
            .where(
                p.status == "open",
                p.flagged.is_(False),
                sa.or_(e.blacklisted.is_(None), e.blacklisted.is_(False)),
            )
        )
        out: dict[str, tuple[int, int]] = {}
        with self.engine.connect() as conn:
            if position_ids is None:
                rows = list(conn.execute(query))
            else:
                rows = [
                    r
                    for chunk in chunks(list(position_ids), 500)
                    for r in conn.execute(query.where(p.id.in_(chunk)))
                ]
        for pid, headcount, n in rows:
            out[pid] = (max(int(headcount or 1), 1), int(n))
        return out


def outbox_rows(messages: Sequence[NewMessage], now: datetime) -> list[dict[str, Any]]:
    """Outbox rows of new messages, pending and due at their ``not_before``."""
    return [
        {
            "id": m.id,
            "offer_id": m.offer_id,
            "endpoint": m.endpoint,
            "payload": m.payload,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": m.not_before,
            "created_at": now,
        }
        for m in messages
    ]


def _stamp(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else value


def plain(row: sa.RowMapping) -> dict[str, Any]:
    """A row as JSON-ready values (times as ISO text)."""
    return {k: _stamp(v) for k, v in row.items()}


def by_key(engine: sa.Engine, table: sa.Table, key: str) -> dict[str, Any] | None:
    """The row of ``table`` created with this idempotency key, if any."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(table).where(table.c.idempotency_key == key)).mappings()
        found = row.first()
    return plain(found) if found is not None else None
