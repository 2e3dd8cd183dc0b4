"""The offer rules that must hold across server processes, checked inside the transaction that
writes the offers while it holds the database-wide ``offers`` lock (see
:func:`matcher.store.db.serialised`): never the same posting twice to a graduate, no more than
the weekly allowance per graduate, no more open offers on a posting than its capacity, only
postings that may be offered. Checked anywhere else, two processes could each see room for one
more offer and both write it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from matcher.store import tables
from matcher.store.db import chunks

#: Idempotency keys of offers pushed from a plan's items: the adviser's own, deliberate
#: pushes, which do not spend the weekly allowance of campaigns and single offers.
PLAN_KEY_PREFIX = "plan-item:"
#: Offer statuses that no longer hold a place on the posting.
CLOSED = ("declined", "not_interested", "undeliverable", "withdrawn")
#: Feedback that settles a posting for a graduate: it is never offered to them again.
SETTLING = ("applied", "hired", "declined", "not_interested")


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
class Rules:
    """The limits in force: offers per graduate since ``since`` (a week ago) and open offers
    per posting (headcount × ``capacity_factor``)."""

    per_week: int
    capacity_factor: int
    since: datetime


def from_plan(offer: NewOffer) -> bool:
    return (offer.idempotency_key or "").startswith(PLAN_KEY_PREFIX)


def check(conn: sa.Connection, offers: Sequence[NewOffer], rules: Rules) -> dict[str, str]:
    """The offers among ``offers`` that break a rule, by id, with the rule's name (``repeat``,
    ``posting``, ``capacity``, ``frequency``, or ``replay`` for an idempotency key already
    used); the others may be written in the same transaction, in order."""
    graduate_ids = sorted({o.graduate_id for o in offers})
    position_ids = sorted({o.position_id for o in offers})
    reached = reached_pairs(conn, graduate_ids)
    places = open_places(conn, position_ids)
    left = {
        pid: headcount * rules.capacity_factor - held for pid, (headcount, held) in places.items()
    }
    sent = Counter(recent_counts(conn, graduate_ids, rules.since))
    keys = used_keys(conn, [o.idempotency_key for o in offers if o.idempotency_key])
    refused: dict[str, str] = {}
    for offer in offers:
        pair = (offer.graduate_id, offer.position_id)
        if offer.idempotency_key in keys:
            refused[offer.id] = "replay"
        elif pair in reached:
            refused[offer.id] = "repeat"
        elif offer.position_id not in places:
            refused[offer.id] = "posting"
        elif left[offer.position_id] <= 0:
            refused[offer.id] = "capacity"
        elif sent[offer.graduate_id] >= rules.per_week and not from_plan(offer):
            refused[offer.id] = "frequency"
        else:
            reached.add(pair)
            left[offer.position_id] -= 1
            if not from_plan(offer):
                sent[offer.graduate_id] += 1
            if offer.idempotency_key:
                keys.add(offer.idempotency_key)
    return refused


def reached_pairs(conn: sa.Connection, graduate_ids: Sequence[str]) -> set[tuple[str, str]]:
    """(graduate, posting) pairs already offered, or settled by the graduate's feedback."""
    o, f = tables.offers.c, tables.feedback_events.c
    out: set[tuple[str, str]] = set()
    for chunk in chunks(list(graduate_ids), 500):
        offered = sa.select(o.graduate_id, o.position_id).where(o.graduate_id.in_(chunk))
        settled = sa.select(f.graduate_id, f.position_id).where(
            f.graduate_id.in_(chunk), f.event.in_(SETTLING)
        )
        out.update((g, p) for g, p in conn.execute(sa.union(offered, settled)))
    return out


def used_keys(conn: sa.Connection, keys: Sequence[str | None]) -> set[str]:
    o = tables.offers.c
    wanted = [k for k in keys if k]
    out: set[str] = set()
    for chunk in chunks(wanted, 500):
        out.update(
            conn.execute(sa.select(o.idempotency_key).where(o.idempotency_key.in_(chunk))).scalars()
        )
    return out


def recent_counts(
    conn: sa.Connection, graduate_ids: Sequence[str], since: datetime
) -> dict[str, int]:
    """Offers made to each graduate since ``since`` that count against the weekly cap:
    campaigns and single offers, not the items of a one-person-one-plan plan an adviser
    pushes (their idempotency key starts with :data:`PLAN_KEY_PREFIX`)."""
    o = tables.offers.c
    out: dict[str, int] = {}
    planned = sa.func.coalesce(o.idempotency_key, "").like(f"{PLAN_KEY_PREFIX}%")
    for chunk in chunks(list(graduate_ids), 500):
        query = (
            sa.select(o.graduate_id, sa.func.count())
            .where(o.graduate_id.in_(chunk), o.created_at >= since, ~planned)
            .group_by(o.graduate_id)
        )
        out.update({g: int(n) for g, n in conn.execute(query)})
    return out


def open_places(
    conn: sa.Connection, position_ids: Sequence[str] | None = None
) -> dict[str, tuple[int, int]]:
    """(headcount, open offers) of each open, unflagged posting of a non-blacklisted
    employer; postings absent from the answer cannot be offered. Given ``position_ids``, only
    their offers are counted (a single offer never scans every offer under the lock)."""
    if position_ids is None:
        return _places(conn, None)
    out: dict[str, tuple[int, int]] = {}
    for chunk in chunks(list(position_ids), 500):
        out.update(_places(conn, chunk))
    return out


def _places(conn: sa.Connection, ids: list[str] | None) -> dict[str, tuple[int, int]]:
    p, e, o = tables.positions.c, tables.employers.c, tables.offers.c
    held = sa.select(o.position_id, sa.func.count().label("n")).where(o.status.not_in(CLOSED))
    if ids is not None:
        held = held.where(o.position_id.in_(ids))
    counted = held.group_by(o.position_id).subquery()
    query = sa.select(
        p.id, p.headcount, p.status, p.flagged, e.blacklisted, sa.func.coalesce(counted.c.n, 0)
    ).select_from(
        tables.positions.outerjoin(tables.employers, p.employer_id == e.id).outerjoin(
            counted, counted.c.position_id == p.id
        )
    )
    # given ids, the postings are found by key and the rest is decided here: with the state
    # in the query, SQLite walked every open posting's status index instead (1M: seconds)
    query = query.where(p.id.in_(ids) if ids is not None else p.status == "open")
    return {
        pid: (max(int(headcount or 1), 1), int(n))
        for pid, headcount, status, flagged, blacklisted, n in conn.execute(query)
        if status == "open" and not flagged and not blacklisted
    }
