"""Consent in the console (issue 15, point 7) and the plan's pushes beside the weekly cap
(point 8): an adviser records how the graduate agreed (audited), is told in Chinese what is
missing before that, and a plan's four pushes do not collide with the weekly cap."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from matcher.offers.single import create_offer
from matcher.plans.edit import push_offer
from matcher.records.prepare import prepare
from matcher.store.keys import ApiKeys, audit_entries
from matcher.store.offers import Offers
from matcher.store.plans import Plans
from matcher.text.encoders import FakeEncoder
from tests.conftest import graduate, position


@pytest.fixture
def console(settings, store):
    store.upsert(
        "positions",
        [
            prepare("positions", position(f"p-{i}", kind=kind, expires_at="2099-12-31"))
            for i, kind in enumerate(["full_time"] * 6 + ["traineeship"] * 2)
        ],
    )
    shy = graduate("g-1", adviser="a-1", support=["disabled"], consent={"push": False})
    store.upsert("graduates", [prepare("graduates", shy)])
    s = settings.replace(api_worker=False, quiet_hours="off", offers_per_week=3)
    _, key = ApiKeys(store).issue("adviser", {"adviser": "a-1"}, "test adviser")
    with TestClient(create_app(s, store, encoder=FakeEncoder(32))) as client:
        assert client.post("/console/login", data={"key": key}).status_code in (200, 303)
        yield client, store, s


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no form on the page"
    return found.group(1)


def test_an_adviser_records_consent_and_is_told_what_is_missing(console):
    client, store, _ = console
    page = client.get("/console/graduates/g-1").text
    assert "本人尚未同意接收推送" in page and 'data-testid="needs-consent"' in page
    shared = re.search(r'data-testid="sharing">([^<]*)<', page)
    assert shared and shared.group(1) == "毕业院校✓　人力资源服务机构✗　培训机构✗"
    refused = client.post(
        "/console/graduates/g-1/plan", data={"csrf": _csrf(page)}, follow_redirects=True
    ).text
    assert "尚未记录本人同意" in refused  # in Chinese, saying what to do
    done = client.post(
        "/console/graduates/g-1/consent",
        data={"csrf": _csrf(refused), "how": "phone"},
        follow_redirects=True,
    ).text
    assert "已记录本人同意（电话确认）" in done
    shared = re.search(r'data-testid="sharing">([^<]*)<', done)
    assert shared and shared.group(1) == "毕业院校✓　人力资源服务机构✓　培训机构✓"
    consent = store.get("graduates", "g-1")["consent"]
    assert consent["push"] is True and consent["how"] == "phone"
    assert consent["recorded_by"].startswith("adviser:a-1") and consent["recorded_at"]
    entries = [e for e in audit_entries(store, "g-1") if e["action"] == "consent"]
    assert len(entries) == 1 and entries[0]["detail"]["how"] == "phone"
    made = client.post(
        "/console/graduates/g-1/plan", data={"csrf": _csrf(done)}, follow_redirects=True
    ).text
    assert "已生成帮扶计划" in made and 'data-testid="push-policy"' in made


def test_a_plans_pushes_do_not_spend_the_weekly_cap(console):
    client, store, settings = console
    page = client.get("/console/graduates/g-1").text
    client.post("/console/graduates/g-1/consent", data={"csrf": _csrf(page), "how": "written"})
    page = client.get("/console/graduates/g-1").text
    client.post("/console/graduates/g-1/plan", data={"csrf": _csrf(page)})
    plans = Plans(store)
    plan = plans.get(plans.of_graduates(["g-1"])["g-1"])
    pushable = [i for i in plan["items"] if i["kind"] in ("posting", "traineeship") and i["ref_id"]]
    assert len(pushable) == 4  # three postings and one traineeship
    for item in pushable:
        result, _ = push_offer(store, settings, plan["id"], item["id"], actor="adviser:a-1")
        assert result.created
    assert len(Offers(store).page(graduate_ids=["g-1"])[0]) == 4  # over the cap of 3: allowed
    # the campaign/single allowance is untouched by the plan's pushes
    single = create_offer(store, settings, graduate_id="g-1", position_id=_unoffered(store))
    assert single.created


def _unoffered(store) -> str:
    offered = {o["position_id"] for o in Offers(store).page(graduate_ids=["g-1"])[0]}
    return next(p["id"] for p in store.list("positions")[0] if p["id"] not in offered)
