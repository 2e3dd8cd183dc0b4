"""A wished-for district narrows the city (issue 15, point 6): a graduate who wants 渝北区 in
重庆 is shown postings in 渝北区, not in 城口县 or 万州区; only when too few remain does the
search widen, and each posting found outside says so (地点放宽). Campaigns never widen."""

from __future__ import annotations

from datetime import date

import pytest

from matcher.engine.filters import Eligibility, graduate_accepts, narrowed
from matcher.engine.orchestrator import Matcher
from matcher.offers.campaigns import Segment, create_campaign, run_campaign
from matcher.records.prepare import prepare
from matcher.store.offers import Offers
from matcher.text.encoders import FakeEncoder
from tests.conftest import graduate, position

TODAY = date(2022, 9, 1)
WISH = {"cities": ["重庆"], "districts": ["渝北区"], "kinds": ["full_time"]}


def _postings(district: str, n: int, start: int) -> list[dict]:
    return [
        position(
            f"p-{start + i:03d}",
            title=f"Java开发{start + i}",
            employer={"name": f"重庆公司{start + i}"},
            location={"city": "重庆", "district": district},
            expires_at="2099-12-31",
        )
        for i in range(n)
    ]


@pytest.fixture
def engine(settings, store):
    postings = (
        _postings("渝北区", 4, 0) + _postings("城口县", 20, 100) + _postings("万州区", 20, 200)
    )
    store.upsert("positions", [prepare("positions", p) for p in postings])
    store.upsert("graduates", [prepare("graduates", graduate("g-1", desired=WISH))])
    s = settings.replace(quiet_hours="off", offers_per_week=10)
    return Matcher.open(s, store=store, encoder=FakeEncoder(32))


def test_a_district_narrows_the_city():
    assert narrowed(["50", "500112"]) == ("500112",)
    assert narrowed(["50", "5101", "500112"]) == ("5101", "500112")
    rule = Eligibility.for_graduate(graduate("g", desired={"region_codes": ["50", "500112"]}))
    assert rule.places == ("500112",) and rule.wider == ("50",)
    only = Eligibility.for_graduate(graduate("g", desired={"region_codes": ["500112"]}))
    assert only.places == ("500112",) and only.wider == ("50",)


def test_recommendations_stay_in_the_wished_district_when_enough_are_there(engine):
    found = engine.recommend(["g-1"], 4, today=TODAY)[0]
    assert len(found) == 4
    assert {m.place for m in found} == {"渝北区"}
    assert not any(r.startswith("地点放宽") for m in found for r in m.reasons)


def test_too_few_in_the_district_widens_and_says_so(engine):
    found = engine.recommend(["g-1"], 8, today=TODAY)[0]
    assert len(found) == 8
    inside = [m for m in found if m.place == "渝北区"]
    outside = [m for m in found if m.place != "渝北区"]
    assert len(inside) == 4 and len(outside) == 4
    assert all(any(r.startswith("地点放宽") for r in m.reasons) for m in outside)
    assert not any(r.startswith("地点放宽") for m in inside for r in m.reasons)


def test_the_reverse_direction_honours_the_district(engine):
    g = engine.store.get("graduates", "g-1")
    assert graduate_accepts(g, engine.store.get("positions", "p-000"))
    assert not graduate_accepts(g, engine.store.get("positions", "p-100"))  # 城口县


def test_a_campaign_offers_only_inside_the_wished_district(engine):
    store = engine.store
    made = create_campaign(store, name="渝北推送", segment=Segment(), k=8, kinds=["full_time"])
    run_campaign(engine, made.record["id"])
    offered = Offers(store).page(graduate_ids=["g-1"])[0]
    assert offered, "the campaign offered nothing"
    places = {store.get("positions", o["position_id"])["location"]["district"] for o in offered}
    assert places == {"渝北区"}
