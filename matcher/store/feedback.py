"""What graduates did with their offers: feedback events, in the order an offer allows them,
each moving the offer to the status it sets in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from matcher.errors import ConflictError
from matcher.store import tables
from matcher.store.db import utcnow
from matcher.store.offers import Offers
from matcher.store.repository import Store
from matcher.taxonomy.vocab import OFFER_STATUS_LABELS

#: Feedback events and the offer status each one sets.
EVENTS = {
    "viewed": "viewed",
    "applied": "applied",
    "declined": "declined",
    "not_interested": "not_interested",
    "hired": "hired",
}
#: Statuses an offer has before the graduate answers it (made, queued, sent or not deliverable).
UNANSWERED = ("recorded", "queued", "sent", "undeliverable")
#: The statuses each event may follow. Declined, not interested, hired and withdrawn are final;
#: an event repeated on the status it set is a no-op.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "viewed": UNANSWERED,
    "applied": (*UNANSWERED, "viewed"),
    "declined": (*UNANSWERED, "viewed", "applied"),
    "not_interested": (*UNANSWERED, "viewed"),
    "hired": (*UNANSWERED, "viewed", "applied"),
}


class Feedback:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine

    def record_event(self, offer_id: str, event: str, source: str) -> dict[str, Any]:
        """Record a feedback event on an offer and move the offer to the status it sets, if
        the offer's current status allows it (:data:`TRANSITIONS`); the check and the move are
        one conditional update, so two concurrent events cannot both apply. An event repeated
        on the status it already set changes nothing; any other raises
        :class:`ConflictError` naming the current status."""
        if event not in EVENTS:
            raise ValueError(f"unknown event {event!r}; use one of {', '.join(EVENTS)}")
        offer = Offers(self.store).get(offer_id)
        o = tables.offers.c
        now = utcnow()
        with self.engine.begin() as conn:
            moved = conn.execute(
                sa.update(tables.offers)
                .where(o.id == offer_id, o.status.in_(TRANSITIONS[event]))
                .values(status=EVENTS[event], updated_at=now)
            ).rowcount
            if not moved:
                current = conn.execute(sa.select(o.status).where(o.id == offer_id)).scalar_one()
                if current == EVENTS[event]:
                    return offer
                now_label = OFFER_STATUS_LABELS.get(current, current)
                new_label = OFFER_STATUS_LABELS[EVENTS[event]]
                raise ConflictError(
                    f"offer {offer_id!r} is {current}; {event} may follow only "
                    f"{', '.join(TRANSITIONS[event])}",
                    zh=f"该推送当前为“{now_label}”，不能再记为“{new_label}”",
                )
            conn.execute(
                sa.insert(tables.feedback_events).values(
                    graduate_id=offer["graduate_id"],
                    position_id=offer["position_id"],
                    offer_id=offer_id,
                    event=event,
                    source=source,
                    at=now,
                )
            )
        return Offers(self.store).get(offer_id)


#: What an observed event must say.
OBSERVED_FIELDS = ("graduate_id", "position_id", "event", "source", "at")
#: Events observed outside an offer: the offer events, and "saved" (收藏 on a graduate's page),
#: which moves no offer.
OBSERVED_EVENTS = (*EVENTS, "saved")


def insert_observed(store: Store, events: Sequence[Mapping[str, Any]]) -> int:
    """Write feedback events observed outside an offer (an answer to a list shown on a page, a
    partner's report of an application, a simulated bureau), in one transaction; returns how
    many. Each needs :data:`OBSERVED_FIELDS`; ``event`` is one of :data:`EVENTS`. Raises
    ``ValueError`` naming the event and the field at fault, before anything is written."""
    rows = []
    for n, e in enumerate(events):
        missing = [f for f in OBSERVED_FIELDS if e.get(f) in (None, "")]
        if missing:
            raise ValueError(f"event {n}: {', '.join(missing)} missing")
        if e["event"] not in OBSERVED_EVENTS:
            raise ValueError(
                f"event {n}: event {e['event']!r} is not one of {', '.join(OBSERVED_EVENTS)}"
            )
        rows.append({f: e[f] for f in OBSERVED_FIELDS} | {"offer_id": e.get("offer_id")})
    if rows:
        with store.engine.begin() as conn:
            conn.execute(sa.insert(tables.feedback_events), rows)
    return len(rows)


def events_of(store: Store, graduate_id: str) -> list[dict[str, Any]]:
    """A graduate's feedback events, oldest first."""
    f = tables.feedback_events.c
    query = (
        sa.select(f.position_id, f.offer_id, f.event, f.source, f.at)
        .where(f.graduate_id == graduate_id)
        .order_by(f.id)
    )
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]
