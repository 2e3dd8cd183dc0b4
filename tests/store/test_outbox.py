"""The outbox lifecycle on SQLite and PostgreSQL: claim with a lease, retry, dead letter,
requeue, delivered (issue 5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from matcher.offers.single import create_offer
from matcher.records.prepare import prepare
from matcher.store.offers import Offers
from matcher.store.outbox import Outbox
from tests.conftest import graduate, position


def test_outbox_lifecycle(any_store, settings):
    store = any_store
    store.upsert("positions", [prepare("positions", position("p-1", expires_at="2099-12-31"))])
    store.upsert("graduates", [prepare("graduates", graduate("g-1"))])
    s = settings.replace(
        webhook_urls="http://a.example/hook,http://b.example/hook", quiet_hours="off"
    )
    offer = create_offer(store, s, graduate_id="g-1", position_id="p-1").record
    outbox = Outbox(store)
    first = outbox.claim(lease=60)
    assert sorted(m.endpoint for m in first) == ["http://a.example/hook", "http://b.example/hook"]
    assert all(m.attempts == 1 and m.payload["offer_id"] == offer["id"] for m in first)
    assert outbox.claim(lease=60) == []  # leased: nobody else takes them
    later = datetime.now(UTC) + timedelta(seconds=61)
    assert len(outbox.claim(lease=60, now=later)) == 2  # lease ran out: claimed again
    a, b = sorted(first, key=lambda m: m.endpoint)
    outbox.failed(a.id, "HTTP 500", retry_at=datetime.now(UTC) - timedelta(seconds=1))
    outbox.failed(b.id, "HTTP 500", retry_at=None)
    assert outbox.counts() == {"pending": 1, "dead": 1}
    assert Offers(store).get(offer["id"])["status"] == "undeliverable"
    assert outbox.retry() == 1
    assert Offers(store).get(offer["id"])["status"] == "queued"
    for m in outbox.claim(lease=60):
        outbox.delivered(m.id)
    assert outbox.counts() == {"delivered": 2}
    assert Offers(store).get(offer["id"])["status"] == "sent"
