"""Campaign segments and scheduling on constructed data (issue 5)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone

import pytest

from matcher.engine.orchestrator import Matcher
from matcher.errors import TaxonomyError
from matcher.offers.campaigns import Segment, create_campaign, run_due
from matcher.records.prepare import prepare
from matcher.store.campaigns import Campaigns
from matcher.store.offers import Offers
from matcher.text.encoders import FakeEncoder
from tests.conftest import graduate, position


@pytest.fixture
def matcher(store, settings):
    store.upsert(
        "positions",
        [
            prepare("positions", position(f"p-{i}", kind=kind, expires_at="2099-12-31"))
            for i, kind in enumerate(["traineeship", "traineeship", "full_time", "traineeship"])
        ],
    )
    store.upsert(
        "graduates",
        [
            prepare("graduates", graduate("g-cs-yubei")),  # 软件工程 → 计算机类, wants 渝北区
            prepare(
                "graduates",
                graduate(
                    "g-cs-wanzhou",
                    desired={"cities": ["重庆"], "districts": ["万州区"]},
                ),
            ),
            prepare("graduates", graduate("g-acct-yubei", major="会计学")),
            prepare("graduates", graduate("g-cs-2021", graduation_year=2021)),
        ],
    )
    return Matcher.open(settings.replace(quiet_hours="off"), store=store, encoder=FakeEncoder(32))


def test_segment_selects_by_year_major_class_and_district(matcher):
    segment = Segment(graduation_years=[2022], majors=["计算机类"], districts=["渝北区", "江北区"])
    assert segment.graduates(matcher.store) == ["g-cs-yubei"]
    assert Segment(majors=["0809"]).graduates(matcher.store) == [
        "g-cs-2021",
        "g-cs-wanzhou",
        "g-cs-yubei",
    ]
    with pytest.raises(TaxonomyError, match=r"segment\.majors"):
        Segment(majors=["火星学类"]).codes()


def test_scheduled_campaigns_wait_for_their_time(matcher):
    later = datetime.now(UTC) + timedelta(hours=2)
    made = create_campaign(
        matcher.store,
        name="见习推送",
        segment=Segment(majors=["计算机类"], graduation_years=[2022]),
        k=2,
        kinds=["traineeship"],
        scheduled_at=later.astimezone(timezone(timedelta(hours=8))),
    )
    campaign_id = made.record["id"]
    assert made.record["status"] == "scheduled"
    assert run_due(matcher) == []
    assert run_due(matcher, now=later + timedelta(minutes=1)) == [campaign_id]
    done = Campaigns(matcher.store).get(campaign_id)
    assert done["status"] == "done"
    # the graduate who wants 万州区 gets nothing from postings that are all in 渝北区: a
    # district narrows the city, and campaigns never widen (issue 15, point 6)
    assert done["counts"]["segment"] == 2 and done["counts"]["offered"] == 2
    assert done["counts"]["skipped"] == {"no_eligible_posting": 1}
    offers, _ = Offers(matcher.store).page(campaign_id=campaign_id)
    assert {o["graduate_id"] for o in offers} == {"g-cs-yubei"}
    kinds = {matcher.store.get("positions", o["position_id"])["kind"] for o in offers}
    assert kinds == {"traineeship"}
    assert all(o["detail"]["reasons"] for o in offers)


@pytest.mark.parametrize("threads", [1, 2])
def test_every_chunk_of_the_segment_is_processed(store, settings, monkeypatch, threads):
    """A campaign larger than one chunk reaches every graduate (issue 6: chunks of 1000, each
    ranked in batches of 50, in one or two threads); offers carry that graduate's reasons."""
    import matcher.engine.batches as batches

    monkeypatch.setattr(batches, "RANK_BATCH", 3)
    store.upsert(
        "positions",
        [
            prepare("positions", position(f"p-{i}", expires_at="2099-12-31", headcount=50))
            for i in range(12)
        ],
    )
    store.upsert(
        "graduates",
        [prepare("graduates", graduate(f"g-{i:02d}")) for i in range(23)],
    )
    matcher = Matcher.open(
        settings.replace(quiet_hours="off", campaign_threads=threads, campaign_chunk=7),
        store=store,
        encoder=FakeEncoder(32),
    )
    made = create_campaign(matcher.store, name="全体", segment=Segment(), k=1, kinds=[])
    assert run_due(matcher) == [made.record["id"]]
    counts = Campaigns(matcher.store).get(made.record["id"])["counts"]
    assert counts["segment"] == counts["processed"] == 23
    offers, _ = Offers(matcher.store).page(campaign_id=made.record["id"], limit=100)
    assert sorted(o["graduate_id"] for o in offers) == [f"g-{i:02d}" for i in range(23)]
    assert all(o["detail"]["reasons"] for o in offers)


def test_the_next_chunk_is_ranked_while_one_is_written(store, settings, monkeypatch):
    """Ranking chunk n + 1 overlaps writing chunk n's offers: each write (but the last) waits
    until the next chunk's ranking has begun, which never happens if the two take turns."""
    import threading

    import matcher.offers.campaigns as campaigns

    store.upsert(
        "positions",
        [
            prepare("positions", position(f"p-{i}", expires_at="2099-12-31", headcount=50))
            for i in range(6)
        ],
    )
    store.upsert("graduates", [prepare("graduates", graduate(f"g-{i:02d}")) for i in range(9)])
    matcher = Matcher.open(
        settings.replace(quiet_hours="off", campaign_chunk=3), store=store, encoder=FakeEncoder(32)
    )
    begun = [threading.Event() for _ in range(3)]
    overlapped: list[bool] = []
    rank_chunk, create = campaigns.rank_chunk, Offers.create

    def ranking(matcher, offers, campaign, chunk, ranking):
        begun[int(chunk[0][2:]) // 3].set()
        return rank_chunk(matcher, offers, campaign, chunk, ranking)

    def writing(self, made, *args, **kwargs):
        n = len(overlapped)
        overlapped.append(n + 1 == len(begun) or begun[n + 1].wait(10))
        return create(self, made, *args, **kwargs)

    monkeypatch.setattr(campaigns, "rank_chunk", ranking)
    monkeypatch.setattr(Offers, "create", writing)
    made = create_campaign(matcher.store, name="分批", segment=Segment(), k=1, kinds=[])
    assert run_due(matcher) == [made.record["id"]]
    assert overlapped == [True, True, True]
    counts = Campaigns(matcher.store).get(made.record["id"])["counts"]
    assert counts["processed"] == counts["offered"] == 9


def test_a_lease_is_held_until_it_expires_then_taken_over(matcher):
    from matcher.store import leases, tables

    made = create_campaign(matcher.store, name="租约", segment=Segment(), k=1, kinds=[])
    cid, engine = made.record["id"], matcher.store.engine
    campaigns = Campaigns(matcher.store)
    assert campaigns.claim(cid, "runner-a", 0.3)
    assert not campaigns.claim(cid, "runner-b", 60)  # held
    assert campaigns.due(datetime.now(UTC)) == []
    time.sleep(0.4)
    assert campaigns.due(datetime.now(UTC)) == [cid]  # its runner stopped renewing
    assert campaigns.claim(cid, "runner-b", 60)
    with pytest.raises(leases.LeaseLost), engine.begin() as conn:
        leases.renew(conn, tables.campaigns, cid, "runner-a", 60)
    assert not campaigns.finish(cid, "runner-a", status="done")  # a late runner writes nothing
    assert Campaigns(matcher.store).get(cid)["status"] == "running"
    assert run_due(matcher) == []  # runner-b holds it: nobody else runs it
    assert campaigns.finish(cid, "runner-b", status="done")
    assert Campaigns(matcher.store).get(cid)["lease_owner"] is None


def test_a_plan_job_whose_runner_died_is_taken_over_and_finished(matcher):
    from matcher.plans.jobs import create_job, run_queued
    from matcher.store.plan_jobs import PlanJobs

    job = create_job(matcher.store, Segment(), scope={}, actor="bureau:test")
    jobs = PlanJobs(matcher.store)
    assert jobs.claim(job["id"], "dead-runner", 0.5)
    assert jobs.queued() == []  # held: the worker leaves it alone
    time.sleep(0.6)
    assert jobs.queued() == [job["id"]]
    assert run_queued(matcher) == [job["id"]]
    done = jobs.job(job["id"])
    assert done["status"] == "done" and done["lease_owner"] is None
    assert done["counts"]["made"] >= 1
