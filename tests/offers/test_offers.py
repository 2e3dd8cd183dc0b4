"""Offer rules, capacity-aware assignment, quiet hours and idempotency (issue 5)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from matcher.errors import ConflictError
from matcher.offers.single import OfferRefused, assign, create_offer, not_before, parse_quiet_hours
from matcher.records.prepare import prepare
from matcher.store.feedback import Feedback
from matcher.store.offers import Offers
from tests.conftest import graduate, position


def test_assign_spreads_graduates_over_postings_instead_of_dropping_them():
    # Everyone likes p-a best; it has one place left. Ranked lists continue with other postings.
    candidates = {
        "g-1": [("p-a", 0.9), ("p-b", 0.8), ("p-c", 0.1)],
        "g-2": [("p-a", 0.95), ("p-c", 0.5)],
        "g-3": [("p-a", 0.7), ("p-b", 0.6)],
    }
    capacity = {"p-a": 1, "p-b": 1, "p-c": 5}
    chosen = assign(candidates, {"g-1": 1, "g-2": 1, "g-3": 1}, capacity)
    assert chosen == {"g-1": [("p-b", 0.8)], "g-2": [("p-a", 0.95)], "g-3": []}
    assert capacity == {"p-a": 0, "p-b": 0, "p-c": 5}
    # a naive top-1 per graduate would give p-a three times; here nobody exceeds a place


def test_assign_gives_everyone_a_first_posting_before_anyone_a_second():
    candidates = {
        "g-1": [("p-a", 0.9), ("p-b", 0.85), ("p-c", 0.8)],
        "g-2": [("p-b", 0.3), ("p-a", 0.2)],
    }
    capacity = {"p-a": 1, "p-b": 1, "p-c": 1}
    chosen = assign(candidates, {"g-1": 3, "g-2": 3}, capacity)
    assert chosen["g-2"] == [("p-b", 0.3)]  # g-1's second choice does not starve g-2
    assert chosen["g-1"] == [("p-a", 0.9), ("p-c", 0.8)]


def test_quiet_hours_push_delivery_to_the_morning(settings):
    spec = settings.replace(quiet_hours="21:00-08:00", timezone="Asia/Shanghai")
    evening = datetime(2026, 11, 26, 14, 30, tzinfo=UTC)  # 22:30 in Chongqing
    assert not_before(evening, spec) == datetime(2026, 11, 27, 0, 0, tzinfo=UTC)  # 08:00
    early = datetime(2026, 11, 26, 22, 0, tzinfo=UTC)  # 06:00 next day local
    assert not_before(early, spec) == datetime(2026, 11, 27, 0, 0, tzinfo=UTC)
    noon = datetime(2026, 11, 26, 4, 0, tzinfo=UTC)
    assert not_before(noon, spec) == noon
    assert not_before(evening, spec.replace(quiet_hours="")) == evening
    with pytest.raises(ValueError, match="MATCHER_QUIET_HOURS"):
        parse_quiet_hours("late")


@pytest.fixture
def offer_store(any_store):
    store = any_store
    store.upsert(
        "positions",
        [
            prepare("positions", position(p, expires_at="2099-12-31", headcount=1))
            for p in ("p-1", "p-2", "p-3", "p-4", "p-5")
        ],
    )
    store.upsert(
        "graduates",
        [
            prepare("graduates", g)
            for g in (
                graduate("g-1"),
                graduate("g-2"),
                graduate("g-3", consent={"push": False}),
                graduate("g-4", status="employed"),
            )
        ],
    )
    return store


def test_single_offer_rules(offer_store, settings):
    s = settings.replace(capacity_factor=1, offers_per_week=3, quiet_hours="")
    made = create_offer(offer_store, s, graduate_id="g-1", position_id="p-1", message="来看看")
    assert made.created and made.record["status"] == "recorded"  # no webhook configured
    refused = {
        "repeat": ("g-1", "p-1"),
        "capacity": ("g-2", "p-1"),  # headcount 1 × factor 1, held by g-1
        "consent": ("g-3", "p-2"),
        "status": ("g-4", "p-2"),
    }
    for rule, (gid, pid) in refused.items():
        with pytest.raises(OfferRefused) as caught:
            create_offer(offer_store, s, graduate_id=gid, position_id=pid)
        assert caught.value.rule == rule
    for pid in ("p-2", "p-3"):
        create_offer(offer_store, s, graduate_id="g-1", position_id=pid)
    with pytest.raises(OfferRefused) as caught:
        create_offer(offer_store, s, graduate_id="g-1", position_id="p-4")
    assert caught.value.rule == "frequency"
    # a declined offer frees its place on the posting
    Feedback(offer_store).record_event(made.record["id"], "declined", "sms")
    assert create_offer(offer_store, s, graduate_id="g-2", position_id="p-1").created


def test_closed_postings_are_not_offered(offer_store, settings):
    closed = prepare("positions", position("p-5", status="closed", expires_at="2099-12-31"))
    offer_store.upsert("positions", [closed])
    with pytest.raises(OfferRefused) as caught:
        create_offer(offer_store, settings, graduate_id="g-1", position_id="p-5")
    assert caught.value.rule == "posting"


def test_flagged_postings_and_blacklisted_employers_are_not_offered(offer_store, settings):
    """The posting rule is decided for the postings named, looked up by key: a posting held
    for review, and every posting of a blacklisted employer, is refused; the others are not."""
    from matcher.store import reviews

    flagged = prepare("positions", position("p-6", description="限女性", expires_at="2099-12-31"))
    other = position("p-7", expires_at="2099-12-31", employer={"name": "重庆另一家公司"})
    offer_store.upsert("positions", [flagged, prepare("positions", other)])
    assert offer_store.get("positions", "p-6")["flagged"]
    with pytest.raises(OfferRefused) as caught:
        create_offer(offer_store, settings, graduate_id="g-1", position_id="p-6")
    assert caught.value.rule == "posting"
    reviews.set_blacklisted(
        offer_store, offer_store.get("positions", "p-7")["employer_id"], True, "虚假招聘"
    )
    with pytest.raises(OfferRefused) as caught:
        create_offer(offer_store, settings, graduate_id="g-1", position_id="p-7")
    assert caught.value.rule == "posting"
    assert create_offer(offer_store, settings, graduate_id="g-1", position_id="p-1").created


def test_idempotency_key_returns_the_first_offer(offer_store, settings):
    first = create_offer(offer_store, settings, graduate_id="g-1", position_id="p-1", key="k1")
    again = create_offer(offer_store, settings, graduate_id="g-1", position_id="p-1", key="k1")
    assert first.created and not again.created
    assert again.record["id"] == first.record["id"]
    with pytest.raises(ConflictError, match="different request"):
        create_offer(offer_store, settings, graduate_id="g-1", position_id="p-2", key="k1")
    assert len(Offers(offer_store).page()[0]) == 1


def test_feedback_keeps_postings_out_of_recommendations(offer_store, settings):
    from matcher.engine.orchestrator import Matcher
    from matcher.text.encoders import FakeEncoder

    matcher = Matcher.open(settings, store=offer_store, encoder=FakeEncoder(32))
    before = {m.id for m in matcher.recommend(["g-2"], 10)[0]}
    assert "p-1" in before
    offer = create_offer(offer_store, settings, graduate_id="g-2", position_id="p-1")
    Feedback(offer_store).record_event(offer.record["id"], "not_interested", "app")
    after = {m.id for m in matcher.recommend(["g-2"], 10)[0]}
    assert "p-1" not in after and after <= before
