"""Impressions of campaigns and plans (issue #18, item 3): a campaign logs, for every graduate
it offered something, the postings offered, written with each chunk's offers in one insert;
offers are never explored; a plan logs the postings it proposes."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from matcher.engine.orchestrator import Matcher
from matcher.offers.campaigns import Segment, create_campaign, run_campaign
from matcher.plans.build import generate
from matcher.records.prepare import prepare
from matcher.store import impressions
from matcher.store.offers import Offers
from matcher.store.plans import Plans
from matcher.text.encoders import FakeEncoder
from tests.conftest import graduate, position

GRADUATES = [f"g-{i}" for i in range(7)]


@pytest.fixture
def matcher(store, settings):
    store.upsert(
        "positions",
        [
            prepare(
                "positions",
                position(
                    f"p-{i}",
                    title=f"岗位{i}",
                    kind="traineeship" if i >= 14 else "full_time",
                    headcount=1,
                    employer={"name": f"重庆第{i}公司"},
                    expires_at="2099-12-31",
                ),
            )
            for i in range(16)
        ],
    )
    store.upsert(
        "graduates",
        [
            prepare("graduates", graduate(g, consent={"push": True, "plan": True}))
            for g in GRADUATES
        ],
    )
    s = settings.replace(quiet_hours="off", campaign_chunk=3, capacity_factor=1, explore_rate=0.5)
    return Matcher.open(s, store=store, encoder=FakeEncoder(32))


def _inserts(engine: sa.Engine) -> tuple[list[int], object]:
    seen: list[int] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO IMPRESSIONS"):
            seen.append(len(parameters) if executemany else 1)

    sa.event.listen(engine, "before_cursor_execute", count)
    return seen, count


def test_a_campaign_logs_what_it_offered_in_one_insert_per_chunk(matcher):
    store = matcher.store
    made = create_campaign(
        store, name="推送", segment=Segment(graduate_ids=GRADUATES), k=2, kinds=["full_time"]
    )
    campaign_id = made.record["id"]
    seen, hook = _inserts(store.engine)
    try:
        counts = run_campaign(matcher, campaign_id)
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", hook)
    offers, _ = Offers(store).page(campaign_id=campaign_id, limit=100)
    by_graduate: dict[str, set[str]] = {}
    for o in offers:
        by_graduate.setdefault(o["graduate_id"], set()).add(o["position_id"])
    # 14 full-time places of one offer each for 7 graduates wanting 2: later chunks get
    # what earlier ones left
    assert counts["offered"] == len(offers) == 14 and len(by_graduate) == 7
    assert seen == [3, 3, 1]  # one insert per chunk of 3 graduates, a list per graduate
    displaced = 0
    for gid, offered in by_graduate.items():
        (logged,) = impressions.of_graduate(store, gid)
        assert logged["surface"] == "campaign" and logged["context"] == campaign_id
        assert not logged["explored"] and logged["explore_rate"] == 0.0  # offers are real
        items = logged["items"]
        assert {i["position_id"] for i in items} == offered
        assert [i["rank"] for i in items] == list(range(1, len(items) + 1))
        assert all(i["propensity"] == 1.0 and i["model_rank"] >= i["rank"] for i in items)
        assert [i["model_rank"] for i in items] == sorted(i["model_rank"] for i in items)
        displaced += any(i["model_rank"] > i["rank"] for i in items)
    assert displaced  # someone got a lower-ranked posting because a better one was full


def test_a_campaign_with_logging_off_logs_nothing(matcher):
    matcher.settings = matcher.settings.replace(log_impressions=False)
    made = create_campaign(
        matcher.store, name="推送", segment=Segment(graduate_ids=GRADUATES), k=1, kinds=[]
    )
    assert run_campaign(matcher, made.record["id"])["offered"] > 0
    assert all(impressions.of_graduate(matcher.store, g) == [] for g in GRADUATES)


def test_a_plan_logs_the_postings_it_proposes_in_the_plans_order(matcher):
    report = generate(matcher, ["g-0", "g-1"], actor="test")
    assert report.made == 2
    for gid in ("g-0", "g-1"):
        plan = Plans(matcher.store).get(Plans(matcher.store).of_graduates([gid])[gid])
        proposed = [
            i["ref_id"]
            for i in sorted(plan["items"], key=lambda i: i["rank"])
            if i["kind"] in ("posting", "traineeship") and i["ref_id"]
        ]
        (logged,) = impressions.of_graduate(matcher.store, gid)
        assert logged["surface"] == "plan" and logged["context"] == plan["id"]
        assert [i["position_id"] for i in logged["items"]] == proposed and proposed
        assert [i["rank"] for i in logged["items"]] == list(range(1, len(proposed) + 1))
        assert not logged["explored"]
