"""Erasing a graduate: what the store keeps about them elsewhere than their own record. Messages
not yet delivered are cancelled and every message keeps only ids; open offers are withdrawn
and offers lose the reasons drawn from the profile; an open plan is closed, its scheduled
sessions cancelled, its notes and history details emptied; audit entries keep who did what,
not the values; the lists they were shown (impressions) are deleted; their monthly history
keeps each month's status but no wishes or support flags. Ids stay, so counts and
audit trails still add up."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from matcher.errors import NotFoundError
from matcher.records.prepare import prepare
from matcher.store import history, impressions, tables
from matcher.store.db import next_seq, serialised, utcnow
from matcher.store.repository import Store
from matcher.store.rows import ROW_BUILDERS
from matcher.taxonomy.vocab import GraduateStatus

#: The part of an offer message that survives erasure: ids and what it was about.
KEPT_IN_MESSAGE = ("id", "type", "offer_id", "campaign_id")
#: Marks an erased record (the engine keeps no vector of it); never accepted from a caller.
ERASED_AT = "erased_at"
#: Offer statuses that still wait for delivery or an answer.
OPEN_OFFERS = ("recorded", "queued", "undeliverable")


@dataclass
class Erased:
    """What erasure changed besides the record itself, by kind."""

    messages_cancelled: int = 0
    messages_redacted: int = 0
    offers_withdrawn: int = 0
    offers_redacted: int = 0
    plans_closed: int = 0
    sessions_cancelled: int = 0
    history_redacted: int = 0
    impressions_deleted: int = 0
    links_revoked: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def redacted(payload: dict[str, Any]) -> dict[str, Any]:
    """An offer message with ids only: no name, contact, message or reasons."""
    out = {k: payload[k] for k in KEPT_IN_MESSAGE if k in payload}
    graduate = payload.get("graduate")
    if isinstance(graduate, dict) and "id" in graduate:
        out["graduate"] = {"id": graduate["id"]}
    position = payload.get("position")
    if isinstance(position, dict) and "id" in position:
        out["position"] = {"id": position["id"]}
    out["erased"] = True
    return out


def erase_traces(conn: sa.Connection, graduate_id: str, at: datetime) -> Erased:
    """Remove the graduate's personal data from offers, messages, plans and the audit log,
    and their impressions, in the caller's transaction."""
    done = Erased()
    o, b = tables.offers.c, tables.outbox.c
    offer_ids = list(conn.execute(sa.select(o.id).where(o.graduate_id == graduate_id)).scalars())
    if offer_ids:
        rows = conn.execute(
            sa.select(b.id, b.status, b.payload).where(b.offer_id.in_(offer_ids))
        ).all()
        for message_id, status, payload in rows:
            values: dict[str, Any] = {"payload": redacted(payload or {})}
            if status != "delivered":
                values |= {"status": "cancelled", "locked_until": None}
                done.messages_cancelled += 1
            else:
                done.messages_redacted += 1
            conn.execute(sa.update(tables.outbox).where(b.id == message_id).values(**values))
        done.offers_withdrawn = conn.execute(
            sa.update(tables.offers)
            .where(o.id.in_(offer_ids), o.status.in_(OPEN_OFFERS))
            .values(status="withdrawn", updated_at=at)
        ).rowcount
        done.offers_redacted = conn.execute(
            sa.update(tables.offers).where(o.id.in_(offer_ids)).values(detail={}, updated_at=at)
        ).rowcount
    _erase_plan(conn, graduate_id, at, done)
    done.impressions_deleted = impressions.erase(conn, graduate_id)
    link = tables.graduate_links.c
    done.links_revoked = conn.execute(
        sa.update(tables.graduate_links)
        .where(link.graduate_id == graduate_id, link.revoked_at.is_(None), link.used_at.is_(None))
        .values(revoked_at=at)
    ).rowcount
    a = tables.audit_log.c
    done.history_redacted += conn.execute(
        sa.update(tables.audit_log)
        .where(a.entity == "graduates", a.entity_id == graduate_id)
        .values(detail={})
    ).rowcount
    return done


def _erase_plan(conn: sa.Connection, graduate_id: str, at: datetime, done: Erased) -> None:
    p, i, e = tables.plans.c, tables.plan_items.c, tables.plan_events.c
    plan_ids = list(conn.execute(sa.select(p.id).where(p.graduate_id == graduate_id)).scalars())
    if not plan_ids:
        return
    done.plans_closed = conn.execute(
        sa.update(tables.plans)
        .where(p.id.in_(plan_ids), p.status != "closed")
        .values(status="closed", outcome="other", closed_at=at, updated_at=at)
    ).rowcount
    conn.execute(sa.update(tables.plans).where(p.id.in_(plan_ids)).values(notes=""))
    done.sessions_cancelled = conn.execute(
        sa.update(tables.plan_items)
        .where(i.plan_id.in_(plan_ids), i.kind == "guidance", i.status == "scheduled")
        .values(status="cancelled", scheduled_at=None, updated_at=at)
    ).rowcount
    conn.execute(sa.update(tables.plan_items).where(i.plan_id.in_(plan_ids)).values(reasons=[]))
    done.history_redacted += conn.execute(
        sa.update(tables.plan_events).where(e.plan_id.in_(plan_ids)).values(detail={})
    ).rowcount
    conn.execute(
        sa.insert(tables.plan_events),
        [
            {"plan_id": pid, "at": at, "actor": "system", "action": "erased", "detail": {}}
            for pid in plan_ids
        ],
    )


def erase_graduate(store: Store, graduate_id: str) -> Erased:
    """Replace the graduate's record by its id, status and erasure time, and remove their
    personal data everywhere else, in one transaction; on SQLite the write-ahead log is then
    checkpointed so no earlier page holding the profile remains in any file."""
    at = utcnow()
    erased = prepare("graduates", {"id": graduate_id, "status": GraduateStatus.NOT_SEEKING.value})
    record = erased.record | {ERASED_AT: at.isoformat()}  # set here only: writes drop it
    g = tables.graduates.c
    with serialised(store.engine, "records") as conn:
        values = ROW_BUILDERS["graduates"](erased.record) | {
            "data": record,
            "content_hash": erased.content_hash,
            "seq": next_seq(conn),
            "updated_at": at,
        }
        if not conn.execute(
            sa.update(tables.graduates).where(g.id == graduate_id).values(**values)
        ).rowcount:
            raise NotFoundError("graduate", graduate_id)
        done = erase_traces(conn, graduate_id, at)
        done.history_redacted += history.redact(conn, graduate_id)
        history.record(
            conn, {graduate_id: history.state_of(values, erased.record)}, at, "system:erasure"
        )
    if store.engine.dialect.name == "sqlite":
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return done
