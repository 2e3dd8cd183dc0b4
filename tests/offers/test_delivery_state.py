"""The true delivery state (issue 15, point 10): an offer made while no messaging channel is
configured stays "recorded" and says so; once a webhook is configured the worker queues it."""

from __future__ import annotations

from api.console import delivery_note
from matcher.offers.delivery import queue_recorded
from matcher.offers.single import create_offer
from matcher.records.prepare import prepare
from matcher.store.offers import Offers
from matcher.store.outbox import Outbox
from tests.conftest import graduate, position


def test_offers_recorded_without_a_channel_are_queued_when_one_appears(settings, store):
    store.upsert("positions", [prepare("positions", position("p-1", expires_at="2099-12-31"))])
    store.upsert(
        "graduates",
        [prepare("graduates", graduate("g-1")), prepare("graduates", graduate("g-2"))],
    )
    quiet = settings.replace(quiet_hours="off")
    made = create_offer(store, quiet, graduate_id="g-1", position_id="p-1").record
    other = create_offer(store, quiet, graduate_id="g-2", position_id="p-1").record
    assert made["status"] == "recorded" and Outbox(store).page()[0] == []
    note = delivery_note(made, created=True)
    assert "尚未发送" in note and "MATCHER_WEBHOOK_URLS" in note
    assert queue_recorded(store, quiet) == 0  # still no channel: nothing to do

    withdrawn = {k: v for k, v in graduate("g-2").items()} | {"consent": {"push": False}}
    store.upsert("graduates", [prepare("graduates", withdrawn)])
    wired = quiet.replace(webhook_urls="http://127.0.0.1:9/hook")
    assert queue_recorded(store, wired) == 2  # one queued, one withdrawn
    assert Offers(store).get(made["id"])["status"] == "queued"
    # consent withdrawn since: the offer is withdrawn (its place freed), never sent
    assert Offers(store).get(other["id"])["status"] == "withdrawn"
    messages = Outbox(store).page()[0]
    assert [m["offer_id"] for m in messages] == [made["id"]]
    assert queue_recorded(store, wired) == 0  # once only
    assert "正在发送" in delivery_note(Offers(store).get(made["id"]), created=False)
