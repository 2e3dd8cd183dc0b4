"""The plan endpoints (issue 8): an adviser drafts a plan for a graduate of their caseload,
moves it through its lifecycle, swaps, pins and excludes items, pushes an item as an offer; every
change is in the history with the adviser's id and time; other caseloads are 403."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from api.app import create_app
from matcher.records.prepare import prepare
from matcher.store import tables
from matcher.store.offers import Offers
from matcher.text.encoders import FakeEncoder
from tests.api.conftest import key_headers
from tests.conftest import graduate, position

YEAR = date.today().year


def _world_records():
    jobs = [
        position(f"p-{n}", title=f"Java开发工程师{n}", headcount=1, expires_at="2099-12-31")
        for n in range(1, 7)
    ]
    trainee = [
        position(
            f"p-t{n}",
            title=f"软件开发见习生{n}",
            kind="traineeship",
            headcount=1,
            expires_at="2099-12-31",
        )
        for n in range(1, 4)
    ]
    course = {
        "id": "t-1",
        "title": "Java Web开发培训班",
        "provider": "重庆某职业培训学校",
        "skills": ["Java", "MySQL", "Spring Boot"],
        "majors": ["计算机类"],
        "location": {"city": "重庆", "district": "渝北区"},
        "start_date": (date.today()).isoformat(),
        "end_date": "2099-01-01",
        "capacity": 30,
        "fee": 0,
    }
    people = [
        graduate("g-1", adviser="a-1", support=["low_income_family"], graduation_year=YEAR - 2),
        graduate("g-2", adviser="a-1", support=["disabled"], graduation_year=YEAR),
        graduate("g-3", adviser="a-2", support=["poverty_alleviated"]),
        graduate(
            "g-4",
            adviser="a-1",
            support=["disabled"],
            graduation_year=YEAR,
            consent={"push": False},
        ),
    ]
    people[-1]["consent"] = {"push": False}
    for g in people:
        g["desired"]["kinds"] = ["full_time", "traineeship"]
    return jobs + trainee, people, [course]


@pytest.fixture
def world(settings, store):
    postings, people, courses = _world_records()
    store.upsert("positions", [prepare("positions", p) for p in postings])
    store.upsert("graduates", [prepare("graduates", g) for g in people])
    store.upsert("trainings", [prepare("trainings", c) for c in courses])
    s = settings.replace(api_worker=False, quiet_hours="off")
    with TestClient(create_app(s, store, encoder=FakeEncoder(32))) as client:
        keys = {
            "a1": key_headers(store, "adviser", adviser="a-1"),
            "a2": key_headers(store, "adviser", adviser="a-2"),
            "bureau": key_headers(store, "bureau"),
            "employer": key_headers(store, "employer", employer="x"),
        }
        yield client, keys, store


def _plan(client, keys, gid="g-1"):
    response = client.post("/plans", json={"graduate_id": gid}, headers=keys["a1"])
    assert response.status_code == 201, response.text
    return response.json()


def test_a_plan_has_every_item_with_reasons_and_its_creation_in_the_history(world):
    client, keys, _ = world
    plan = _plan(client, keys)
    kinds = [i["kind"] for i in plan["items"]]
    assert kinds == ["guidance", "posting", "posting", "posting", "training", "traineeship"]
    assert all(i["reasons"] for i in plan["items"])
    assert all(i["ref_id"] for i in plan["items"])
    guidance = plan["items"][0]
    assert guidance["ref_id"] == "a-1" and guidance["scheduled_at"]
    assert plan["items"][4]["ref_id"] == "t-1"
    assert any("补齐技能" in r for r in plan["items"][4]["reasons"])
    history = client.get(f"/plans/{plan['id']}/history", headers=keys["a1"]).json()
    assert [e["action"] for e in history] == ["created"]
    assert history[0]["actor"].startswith("adviser:a-1/") and history[0]["at"]
    again = client.post("/plans", json={"graduate_id": "g-1"}, headers=keys["a1"])
    assert again.status_code == 200 and again.json()["id"] == plan["id"]


def test_one_traineeship_place_is_not_given_to_two_plans(world):
    client, keys, _ = world
    first, second = _plan(client, keys, "g-1"), _plan(client, keys, "g-2")
    t1 = first["items"][-1]["ref_id"]
    t2 = second["items"][-1]["ref_id"]
    assert t1 and t2 and t1 != t2  # every traineeship has one place
    jobs = [i["ref_id"] for p in (first, second) for i in p["items"] if i["kind"] == "posting"]
    assert max(jobs.count(j) for j in jobs) <= 2  # headcount 1 × plan_posting_factor 2


def test_advisers_cannot_open_plans_outside_their_caseload(world):
    client, keys, _ = world
    plan = _plan(client, keys)
    item = plan["items"][1]["id"]
    for method, path, body in [
        ("GET", f"/plans/{plan['id']}", None),
        ("GET", f"/plans/{plan['id']}/history", None),
        ("PATCH", f"/plans/{plan['id']}", {"status": "agreed"}),
        ("POST", f"/plans/{plan['id']}/notes", {"text": "x"}),
        ("POST", f"/plans/{plan['id']}/items/{item}/swap", {}),
        ("POST", f"/plans/{plan['id']}/items/{item}/offer", {}),
        ("POST", "/plans", {"graduate_id": "g-2"}),
        ("GET", "/graduates/g-1/plan", None),
    ]:
        response = client.request(method, path, json=body, headers=keys["a2"])
        assert response.status_code == 403, (path, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    assert client.get("/caseload", headers=keys["employer"]).status_code == 403
    mine = client.get("/caseload", headers=keys["a2"]).json()["items"]
    assert [g["id"] for g in mine] == ["g-3"]
    assert client.get(f"/plans/{plan['id']}", headers=keys["bureau"]).status_code == 200


def test_lifecycle_and_outcome_are_recorded_with_who_and_when(world):
    client, keys, store = world
    plan = _plan(client, keys)
    pid, guidance = plan["id"], plan["items"][0]["id"]
    url = f"/plans/{pid}"
    bad = client.patch(url, json={"status": "in_progress"}, headers=keys["a1"])
    assert bad.status_code == 409 and "from draft" in bad.json()["detail"]
    agreed = client.patch(url, json={"status": "agreed"}, headers=keys["a1"]).json()
    assert agreed["status"] == "agreed" and agreed["agreed_at"]
    done = client.patch(f"{url}/items/{guidance}", json={"status": "done"}, headers=keys["a1"])
    assert done.json()["status"] == "in_progress"  # the first item done starts the plan
    wrong = client.patch(f"{url}/items/{guidance}", json={"status": "placed"}, headers=keys["a1"])
    assert wrong.status_code == 422 and wrong.json()["field"] == "status"
    client.post(f"{url}/notes", json={"text": "已电话联系，本人同意参加培训"}, headers=keys["a1"])
    no_outcome = client.patch(url, json={"status": "closed"}, headers=keys["a1"])
    assert no_outcome.status_code == 422 and no_outcome.json()["field"] == "outcome"
    closed = client.patch(
        url, json={"status": "closed", "outcome": "employed"}, headers=keys["a1"]
    ).json()
    assert closed["status"] == "closed" and closed["outcome"] == "employed"
    assert store.get("graduates", "g-1")["status"] == "employed"
    frozen = client.post(f"{url}/notes", json={"text": "x"}, headers=keys["a1"])
    assert frozen.status_code == 200  # notes stay possible on a closed plan
    locked = client.patch(f"{url}/items/{guidance}", json={"pinned": True}, headers=keys["a1"])
    assert locked.status_code == 409 and "reopen" in locked.json()["detail"]
    history = client.get(f"{url}/history", headers=keys["a1"]).json()
    actions = [e["action"] for e in history]
    assert actions == ["created", "status", "item_status", "status", "note", "status", "note"]
    assert all(e["actor"].startswith("adviser:a-1/") and e["at"] for e in history)
    assert history[2]["detail"] == {
        "kind": "guidance",
        "ref_id": "a-1",
        "from": "scheduled",
        "to": "done",
    }


def test_swap_pin_exclude_and_push_an_offer(world):
    client, keys, store = world
    plan = _plan(client, keys)
    pid = plan["id"]
    item = plan["items"][1]
    alternatives = client.get(
        f"/plans/{pid}/items/{item['id']}/alternatives", headers=keys["a1"]
    ).json()
    in_plan = {i["ref_id"] for i in plan["items"]}
    assert alternatives and not {a["ref_id"] for a in alternatives} & in_plan
    assert all(a["reasons"] for a in alternatives)
    chosen = alternatives[-1]["ref_id"]
    swapped = client.post(
        f"/plans/{pid}/items/{item['id']}/swap", json={"ref_id": chosen}, headers=keys["a1"]
    ).json()
    assert swapped["items"][1]["ref_id"] == chosen
    refused = client.post(
        f"/plans/{pid}/items/{item['id']}/swap", json={"ref_id": "p-t1"}, headers=keys["a1"]
    )
    assert refused.status_code == 409 and "alternatives" in refused.json()["detail"]
    client.patch(f"/plans/{pid}/items/{item['id']}", json={"pinned": True}, headers=keys["a1"])
    pinned = client.post(f"/plans/{pid}/items/{item['id']}/swap", json={}, headers=keys["a1"])
    assert pinned.status_code == 409 and "pinned" in pinned.json()["detail"]
    excluded = client.post(
        f"/plans/{pid}/exclusions", json={"ref_id": chosen}, headers=keys["a1"]
    ).json()
    assert chosen in excluded["exclusions"]
    assert chosen not in {i["ref_id"] for i in excluded["items"]}
    trainee = excluded["items"][-1]
    url = f"/plans/{pid}/items/{trainee['id']}/offer"
    first = client.post(url, json={"message": "推荐您参加见习"}, headers=keys["a1"])
    assert first.status_code == 201, first.text
    offer = first.json()["offer"]
    assert offer["position_id"] == trainee["ref_id"] and offer["graduate_id"] == "g-1"
    assert first.json()["plan"]["items"][-1]["status"] == "offered"
    again = client.post(url, json={"message": "推荐您参加见习"}, headers=keys["a1"])
    assert again.status_code == 200 and again.json()["offer"]["id"] == offer["id"]
    assert len(Offers(store).page(graduate_ids=["g-1"])[0]) == 1
    training = excluded["items"][4]["id"]
    not_offerable = client.post(f"/plans/{pid}/items/{training}/offer", json={}, headers=keys["a1"])
    assert not_offerable.status_code == 422 and not_offerable.json()["field"] == "kind"
    actions = [e["action"] for e in client.get(f"/plans/{pid}/history", headers=keys["a1"]).json()]
    assert actions == ["created", "swap", "pin", "excluded", "unpin", "swap", "offer"]


def test_caseload_filters_and_alerts(world):
    client, keys, _ = world
    _plan(client, keys, "g-1")
    rows = client.get("/caseload", headers=keys["a1"]).json()
    assert rows["total"] == 3 and [g["id"] for g in rows["items"]] == ["g-1", "g-2", "g-4"]
    by_id = {g["id"]: g for g in rows["items"]}
    assert by_id["g-2"]["alerts"] == ["no_plan"] and by_id["g-1"]["plan_status"] == "draft"
    none = client.get("/caseload?plan_status=none", headers=keys["a1"]).json()["items"]
    assert [g["id"] for g in none] == ["g-2", "g-4"]
    disabled = client.get("/caseload?support=disabled", headers=keys["a1"]).json()["items"]
    assert [g["id"] for g in disabled] == ["g-2", "g-4"]
    long = client.get("/caseload?months_unemployed=13", headers=keys["a1"]).json()["items"]
    assert [g["id"] for g in long] == ["g-1"]  # graduated two years ago, the others this year
    assert by_id["g-1"]["months_unemployed"] >= 13
    refused = client.post("/plans", json={"graduate_id": "g-4"}, headers=keys["a1"])
    assert refused.status_code == 422 and refused.json()["field"] == "consent"


def test_cohort_generation_runs_in_the_background_within_the_advisers_caseload(settings, store):
    postings, people, courses = _world_records()
    store.upsert("positions", [prepare("positions", p) for p in postings])
    store.upsert("graduates", [prepare("graduates", g) for g in people])
    store.upsert("trainings", [prepare("trainings", c) for c in courses])
    s = settings.replace(api_worker=True, worker_poll=0.05)
    with TestClient(create_app(s, store, encoder=FakeEncoder(32))) as client:
        mine, other = (
            key_headers(store, "adviser", adviser="a-1"),
            key_headers(store, "adviser", adviser="a-2"),
        )
        bad = client.post("/plans/jobs", json={"segment": {"districts": ["火星"]}}, headers=mine)
        assert bad.status_code == 422
        started = client.post("/plans/jobs", json={}, headers=mine)
        assert started.status_code == 202, started.text
        job = started.json()
        assert job["status"] == "queued" and job["scope"] == {"adviser": "a-1"}
        for _ in range(400):
            job = client.get(f"/plans/jobs/{job['id']}", headers=mine).json()
            if job["status"] in ("done", "failed"):
                break
            time.sleep(0.05)
        assert job["status"] == "done", job
        counts = job["counts"]
        assert (counts["segment"], counts["made"], counts["skipped"]) == (3, 2, {"no_consent": 1})
        best, base = (
            counts["assignment"]["traineeship"]["min_cost"],
            counts["assignment"]["traineeship"]["greedy"],
        )
        assert best["assigned"] == 2 and best["score"] >= base["score"]
        assert client.get(f"/plans/jobs/{job['id']}", headers=other).status_code == 403
        listed = client.get("/plans", headers=mine).json()["items"]
        assert sorted(p["graduate_id"] for p in listed) == ["g-1", "g-2"]
        assert client.get("/plans", headers=other).json()["items"] == []
        board = client.get("/plans/dashboard", headers=mine).json()
        assert board["coverage"]["cohort"] == 3 and board["coverage"]["with_plan"] == 2
        assert board["districts"] and board["districts"][0]["supply"] > 0


def test_stalled_plans_and_ending_traineeships_raise_alerts(world):
    client, keys, store = world
    plan = _plan(client, keys, "g-1")
    trainee = plan["items"][-1]["id"]
    soon = date.fromordinal(date.today().toordinal() + 10).isoformat()
    placed = client.patch(
        f"/plans/{plan['id']}/items/{trainee}",
        json={"status": "placed", "ends_on": soon},
        headers=keys["a1"],
    ).json()
    assert placed["items"][-1]["ends_on"] == soon
    ending = client.get("/caseload?alert=traineeship_ending", headers=keys["a1"]).json()
    assert [g["id"] for g in ending["items"]] == ["g-1"]
    assert client.get("/caseload?alert=stalled", headers=keys["a1"]).json()["items"] == []
    with store.engine.begin() as conn:  # nothing has happened to the plan for 31 days
        conn.execute(
            sa.update(tables.plans)
            .where(tables.plans.c.id == plan["id"])
            .values(updated_at=datetime.now(UTC) - timedelta(days=31))
        )
    stalled = client.get("/caseload?alert=stalled", headers=keys["a1"]).json()["items"]
    assert [g["id"] for g in stalled] == ["g-1"]
    assert stalled[0]["alerts"] == ["stalled", "traineeship_ending"]
