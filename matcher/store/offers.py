"""Offers and feedback events: the rows the offer rules read and write. An offer and its outbox
messages are written in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from matcher.errors import NotFoundError
from matcher.store import leases, tables
from matcher.store.db import chunks, serialised, utcnow
from matcher.store.impressions import Impression
from matcher.store.impressions import insert as insert_impressions
from matcher.store.impressions import kept as kept_lists
from matcher.store.offer_rules import (
    PLAN_KEY_PREFIX,
    NewOffer,
    Rules,
    check,
    open_places,
    recent_counts,
)
from matcher.store.repository import Store

__all__ = ["PLAN_KEY_PREFIX", "NewMessage", "NewOffer", "Offers", "Progress", "Rules"]


@dataclass(frozen=True)
class Progress:
    """A campaign's progress, recorded in the transaction that writes a chunk of its offers
    (both commit or neither) if ``owner`` still holds the campaign's lease: a runner that takes
    an abandoned campaign over resumes after ``resume_after`` with these counts. ``counts`` is
    given the offers written and those refused (id → rule)."""

    campaign_id: str
    owner: str
    seconds: float
    resume_after: str
    counts: Callable[[list[NewOffer], dict[str, str]], dict[str, Any]]


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
    def create(
        self,
        offers: Sequence[NewOffer],
        messages: Sequence[NewMessage],
        rules: Rules,
        progress: Progress | None = None,
        impressions: Sequence[Impression] = (),
    ) -> dict[str, str]:
        """Write the offers that keep every rule (checked under the database-wide offers lock,
        see :mod:`matcher.store.offer_rules`) with their outbox messages, a campaign's
        ``progress`` and the ``impressions`` of what was offered (less the refused offers),
        in one transaction; returns the refused offers, id → rule."""
        now = utcnow()
        with serialised(self.engine, "offers") as conn:
            refused = check(conn, offers, rules) if offers else {}
            kept = [o for o in offers if o.id not in refused]
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
                for o in kept
            ]
            ids = {o.id for o in kept}
            outbox = outbox_rows([m for m in messages if m.offer_id in ids], now)
            if rows:
                conn.execute(sa.insert(tables.offers), rows)
            if outbox:
                conn.execute(sa.insert(tables.outbox), outbox)
            if impressions:
                pairs = {(o.graduate_id, o.position_id) for o in kept}
                insert_impressions(conn, kept_lists(impressions, pairs), now)
            if progress is not None:
                c = tables.campaigns.c
                leases.renew(
                    conn, tables.campaigns, progress.campaign_id, progress.owner, progress.seconds
                )
                conn.execute(
                    sa.update(tables.campaigns)
                    .where(c.id == progress.campaign_id)
                    .values(
                        counts=progress.counts(kept, refused), resume_after=progress.resume_after
                    )
                )
        return refused

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
        """Offers made to each graduate since ``since`` that count against the weekly cap."""
        with self.engine.connect() as conn:
            return recent_counts(conn, graduate_ids, since)

    def places(self, position_ids: Sequence[str] | None = None) -> dict[str, tuple[int, int]]:
        """(headcount, open offers) of each posting that may be offered."""
        with self.engine.connect() as conn:
            return open_places(conn, position_ids)


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
