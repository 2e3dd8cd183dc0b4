"""Ownership on every write (issue 15, points 1, 2, 3 and 5): each role × each write endpoint ×
its own record, someone else's and one that does not exist; merge patches that keep what was
not sent; offer events in order and confirmed by the right people; blacklisted employers
cannot publish."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from matcher.offers.single import create_offer
from matcher.records.prepare import employer_id, prepare
from matcher.store.offers import Offers
from matcher.store.plans import NewItem, NewPlan, Plans
from matcher.text.encoders import FakeEncoder
from tests.api.conftest import A, B, key_headers, two_employers_postings
from tests.conftest import graduate, position


@pytest.fixture
def world(settings, store):
    two_employers_postings(store)
    store.upsert(
        "graduates",
        [
            prepare(
                "graduates",
                graduate("g-1", adviser="a-1", support=["disabled"], bio="会Java"),
            ),
            prepare("graduates", graduate("g-2", desired={"districts": ["江北区"]})),
        ],
    )
    s = settings.replace(api_worker=False, quiet_hours="off")
    with TestClient(create_app(s, store, encoder=FakeEncoder(32))) as client:
        keys = {
            "bureau": key_headers(store, "bureau"),
            "service": key_headers(store, "service"),
            "adviser": key_headers(store, "adviser", adviser="a-1"),
            "employer": key_headers(store, "employer", employer=employer_id(A, None)),
            "graduate": key_headers(store, "graduate", graduate="g-1"),
        }
        yield client, keys, store, s


#: the posting and profile each role counts as its own, someone else's and nonexistent
OWN = {"employer": ("p-a", "g-1"), "graduate": ("p-a", "g-1"), "adviser": ("p-a", "g-1")}
TARGETS = {"own": ("p-a", "g-1"), "other": ("p-b", "g-2"), "none": ("p-new", "g-new")}
ROLES = ["bureau", "service", "adviser", "employer", "graduate"]


def _posting_body(pid: str, role: str) -> dict[str, Any]:
    # employers always send their own employer: the stored record decides ownership
    name = A if role == "employer" or pid != "p-b" else B
    return position(pid, employer={"name": name}, title="Java工程师（更新）")


def _profile_body(gid: str) -> dict[str, Any]:
    # without support and consent: a full replace keeps them, and a graduate's own key may
    # not change them (issue 21, point 8)
    body = graduate(gid, adviser="a-1" if gid == "g-1" else None, bio="改过的简介")
    return {k: v for k, v in body.items() if k not in ("support", "consent")}


WRITES: dict[str, Callable[[TestClient, dict[str, str], str, str, str], Any]] = {
    "POST /positions": lambda c, h, role, pid, gid: c.post(
        "/positions", json=_posting_body(pid, role), headers=h
    ),
    "POST /positions/bulk": lambda c, h, role, pid, gid: c.post(
        "/positions/bulk", json=[_posting_body(pid, role)], headers=h
    ),
    "PATCH /positions/{id}": lambda c, h, role, pid, gid: c.patch(
        f"/positions/{pid}", json={"title": "改过的标题"}, headers=h
    ),
    "POST /positions/{id}/close": lambda c, h, role, pid, gid: c.post(
        f"/positions/{pid}/close", headers=h
    ),
    "DELETE /positions/{id}": lambda c, h, role, pid, gid: c.delete(f"/positions/{pid}", headers=h),
    "POST /graduates": lambda c, h, role, pid, gid: c.post(
        "/graduates", json=_profile_body(gid), headers=h
    ),
    "POST /graduates/bulk": lambda c, h, role, pid, gid: c.post(
        "/graduates/bulk", json=[_profile_body(gid)], headers=h
    ),
    "PATCH /graduates/{id}": lambda c, h, role, pid, gid: c.patch(
        f"/graduates/{gid}", json={"skills": ["Java", "Docker"]}, headers=h
    ),
    "DELETE /graduates/{id}": lambda c, h, role, pid, gid: c.delete(f"/graduates/{gid}", headers=h),
}


def _expected(endpoint: str, role: str, target: str) -> str:
    """'ok', 'denied' (403, or a bulk error naming the record) or 'missing' (404)."""
    on_positions = "/positions" in endpoint
    creates = endpoint.startswith("POST /positions") or endpoint.startswith("POST /graduates")
    creates = creates and "{id}" not in endpoint
    if on_positions and role in ("adviser", "graduate"):
        return "denied"
    if not on_positions and role == "employer":
        return "denied"
    if not on_positions and endpoint.endswith("/bulk") and role in ("adviser", "graduate"):
        return "denied"  # bulk profiles are for the bureau's systems
    if not on_positions and endpoint.startswith("DELETE") and role in ("service", "adviser"):
        return "denied"  # erasure: the bureau or the graduate
    if target == "none" and not creates:
        return "missing"
    if role in ("bureau", "service"):
        return "ok"
    if target == "other":
        return "denied"
    if target == "none" and not on_positions:
        return "denied"  # an adviser or graduate cannot create someone outside their scope
    return "ok"


CASES = [(e, r, t) for e in WRITES for r in ROLES for t in TARGETS]


@pytest.mark.parametrize(("endpoint", "role", "target"), CASES)
def test_every_write_checks_the_stored_records_owner(world, endpoint, role, target):
    client, keys, store, _ = world
    pid, gid = TARGETS[target]
    before = {
        "positions": {p["id"]: p for p in store.list("positions")[0]},
        "graduates": {g["id"]: g for g in store.list("graduates")[0]},
    }
    response = WRITES[endpoint](client, keys[role], role, pid, gid)
    expected = _expected(endpoint, role, target)
    entity = "positions" if "/positions" in endpoint else "graduates"
    record_id = pid if entity == "positions" else gid
    bulk_refused = (
        endpoint.endswith("/bulk")
        and response.status_code == 200
        and [e["id"] for e in response.json()["errors"]] == [record_id]
    )
    if expected == "ok":
        assert response.status_code in (200, 201), response.text
        if endpoint.endswith("/bulk"):
            assert response.json()["errors"] == [], response.text
    elif expected == "missing":
        assert response.status_code == 404, response.text
    else:
        assert response.status_code == 403 or bulk_refused, response.text
    if expected != "ok":  # nothing already stored changed
        after = {r["id"]: r for r in store.list(entity)[0]}
        assert after == before[entity]


def test_an_employer_cannot_take_over_another_employers_posting(world):
    client, keys, store, _ = world
    taken = position("p-b", employer={"name": A}, title="被改写的岗位")
    response = client.post("/positions", json=taken, headers=keys["employer"])
    assert response.status_code == 403
    assert "belongs to another employer" in response.json()["detail"]
    stored = store.get("positions", "p-b")
    assert stored["employer"]["name"] == B and stored["title"] != "被改写的岗位"


def test_a_profile_patch_changes_only_what_it_sends(world):
    client, keys, store, _ = world
    response = client.patch(
        "/graduates/g-1",
        json={"skills": ["Java", "Docker"], "desired": {"salary_min": 7000}},
        headers={**keys["graduate"], "Content-Type": "application/merge-patch+json"},
    )
    assert response.status_code == 200, response.text
    stored = store.get("graduates", "g-1")
    assert stored["skills"] == ["Java", "Docker"]
    assert stored["desired"]["salary_min"] == 7000
    assert stored["desired"]["districts"] == ["渝北区"]  # objects merge
    assert stored["school"] == "重庆大学" and stored["bio"] == "会Java"
    assert stored["consent"] == {"push": True} and stored["support"] == ["disabled"]
    removed = client.patch("/graduates/g-1", json={"bio": None}, headers=keys["graduate"])
    assert removed.status_code == 200 and "bio" not in store.get("graduates", "g-1")
    renamed = client.patch("/graduates/g-1", json={"id": "g-9"}, headers=keys["graduate"])
    assert renamed.status_code == 422 and renamed.json()["field"] == "id"


def test_a_full_replace_keeps_consent_and_support_it_did_not_send(world):
    client, keys, store, _ = world
    body = {k: v for k, v in graduate("g-1").items() if k not in ("consent", "support")}
    response = client.post("/graduates", json=body, headers=keys["graduate"])
    assert response.status_code == 201, response.text
    stored = store.get("graduates", "g-1")
    assert stored["consent"] == {"push": True} and stored["support"] == ["disabled"]
    own_withdrawal = graduate("g-1", consent={"push": False}, support=["disabled"])
    refused = client.post("/graduates", json=own_withdrawal, headers=keys["graduate"])
    assert refused.status_code == 403 and "consent" in refused.json()["detail"]  # via /consent
    withdrawn = client.post("/graduates", json=own_withdrawal, headers=keys["bureau"])
    assert withdrawn.status_code == 201 and withdrawn.json()["consent"]["push"] is False


def test_a_posting_patch_keeps_the_rest_and_checks_the_owner(world):
    client, keys, store, _ = world
    response = client.patch("/positions/p-a", json={"headcount": 5}, headers=keys["employer"])
    assert response.status_code == 200, response.text
    stored = store.get("positions", "p-a")
    assert stored["headcount"] == 5 and stored["title"] == "Java开发工程师"
    moved = client.patch("/positions/p-a", json={"employer": {"name": B}}, headers=keys["employer"])
    assert moved.status_code == 403
    assert store.get("positions", "p-a")["employer"]["name"] == A


def _offer(store, settings, gid="g-1", pid="p-a") -> str:
    return str(create_offer(store, settings, graduate_id=gid, position_id=pid).record["id"])


def test_offer_events_follow_their_order_and_a_hire_is_confirmed(world):
    client, keys, store, settings = world
    offer = _offer(store, settings)

    def event(name: str, role: str = "graduate") -> Any:
        return client.post(f"/offers/{offer}/events", json={"event": name}, headers=keys[role])

    assert event("hired").status_code == 403  # a graduate cannot declare their own hire
    assert event("viewed").status_code == 200
    assert event("viewed").status_code == 200  # repeated: no-op
    assert event("applied").status_code == 200
    back = event("viewed")
    assert back.status_code == 409 and "applied" in back.json()["detail"]
    assert "已投递" in back.json()["detail_zh"]
    hired = event("hired", "employer")
    assert hired.status_code == 200 and hired.json()["status"] == "hired"
    assert store.get("graduates", "g-1")["status"] == "employed"
    assert event("declined").status_code == 409
    assert event("applied", "bureau").status_code == 409
    events = [e for e in store.list("graduates")[0] if e["id"] == "g-1"]
    assert events and events[0]["consent"] == {"push": True}  # the hire kept the profile


def test_declined_is_final_and_employers_confirm_only_their_own_postings(world):
    client, keys, store, settings = world
    mine = _offer(store, settings, "g-1", "p-a")
    theirs = _offer(store, settings, "g-1", "p-b")
    headers = keys["graduate"]
    assert (
        client.post(f"/offers/{mine}/events", json={"event": "declined"}, headers=headers)
    ).status_code == 200
    again = client.post(f"/offers/{mine}/events", json={"event": "applied"}, headers=headers)
    assert again.status_code == 409 and "declined" in again.json()["detail"]
    other = client.post(
        f"/offers/{theirs}/events", json={"event": "hired"}, headers=keys["employer"]
    )
    assert other.status_code == 403
    assert store.get("graduates", "g-1")["status"] == "seeking"


def test_a_blacklisted_employer_cannot_publish(world):
    client, keys, store, _ = world
    store.set_blacklisted(employer_id(A, None), True, "虚假招聘", actor="bureau:test")
    response = client.post(
        "/positions", json=position("p-c", employer={"name": A}), headers=keys["employer"]
    )
    assert response.status_code == 403
    assert "blacklisted" in response.json()["detail"] and "虚假招聘" in response.json()["detail"]
    assert store.get_many("positions", ["p-c"]) == {}
    bulk = client.post(
        "/positions/bulk", json=[position("p-d", employer={"name": A})], headers=keys["employer"]
    )
    assert bulk.status_code == 403 and store.get_many("positions", ["p-d"]) == {}


def test_employers_see_why_their_own_postings_are_held_back(world):
    client, keys, store, _ = world
    held = [
        prepare(
            "positions", position("p-f1", employer={"name": A}, description="限男性，35岁以下")
        ),
        prepare("positions", position("p-f2", employer={"name": B}, description="限女性")),
    ]
    store.upsert("positions", held)
    mine = client.get("/compliance/flagged", headers=keys["employer"])
    assert mine.status_code == 200, mine.text
    items = mine.json()["items"]
    assert [p["id"] for p in items] == ["p-f1"]  # never another employer's
    flags = items[0]["compliance"]["flags"]
    assert {f["category"] for f in flags} >= {"gender", "age"}
    assert all(f["match"] and f["basis"] and f["rewrite"] for f in flags)  # words, law, rewrite
    asked = client.get(
        "/compliance/flagged?employer_id=" + employer_id(B, None), headers=keys["employer"]
    )
    assert [p["id"] for p in asked.json()["items"]] == ["p-f1"]
    assert client.get("/compliance/flagged", headers=keys["graduate"]).status_code == 403


def test_a_hired_graduate_is_no_longer_a_candidate_for_the_posting(world):
    client, keys, store, settings = world
    before = client.get("/positions/p-a/candidates?k=10", headers=keys["bureau"]).json()["items"]
    assert "g-1" in [c["id"] for c in before]
    offer = _offer(store, settings, "g-1", "p-a")
    hired = client.post(
        f"/offers/{offer}/events", json={"event": "hired"}, headers=keys["employer"]
    )
    assert hired.status_code == 200
    after = client.get("/positions/p-a/candidates?k=10", headers=keys["bureau"]).json()["items"]
    assert "g-1" not in [c["id"] for c in after]


def test_offers_and_recommendations_say_what_a_graduate_needs_to_decide(world):
    """Issue 15, point 9: title, employer, salary, kind, place and deadline; no internals."""
    client, keys, _store, _settings = world
    made = client.post(
        "/offers",
        json={"graduate_id": "g-1", "position_id": "p-a"},
        headers={**keys["bureau"], "Idempotency-Key": "k-1"},
    )
    assert made.status_code == 201, made.text
    mine = client.get("/offers", headers=keys["graduate"]).json()["items"]
    assert len(mine) == 1
    offer = mine[0]
    assert {"idempotency_key", "request_hash", "created_by"}.isdisjoint(offer)
    summary = offer["position"]
    assert summary["title"] == "Java开发工程师" and summary["employer"] == A
    assert summary["salary"] == {"min": 6000.0, "max": 9000.0, "unit": "month"}
    assert summary["kind"] == "full_time" and summary["kind_label"] == "全职"
    assert summary["place"] == "渝北区" and summary["expires_at"] == "2099-12-31"
    assert offer["status_label"]
    one = client.get(f"/offers/{offer['id']}", headers=keys["graduate"]).json()
    assert one["position"] == summary and "request_hash" not in one
    staff = client.get("/offers", headers=keys["bureau"]).json()["items"][0]
    assert staff["idempotency_key"] and staff["request_hash"]
    items = client.get("/graduates/g-1/recommendations?k=3", headers=keys["graduate"]).json()
    item = items["items"][0]
    assert item["kind"] and item["expires_at"] and item["salary"]["unit"] == "month"


def _expected_more(endpoint: str, role: str, target: str) -> str:
    if endpoint == "events":  # the graduate's "viewed": graduates, their advisers, staff
        if role == "employer":
            return "denied"
    elif role in ("employer", "service"):  # consent: the bureau, advisers, the graduate
        return "denied"
    if target == "none":
        return "missing"
    if role in ("bureau", "service") or target == "own":
        return "ok"
    return "denied"


MORE = [(e, r, t) for e in ("events", "consent") for r in ROLES for t in TARGETS]


@pytest.mark.parametrize(("endpoint", "role", "target"), MORE)
def test_offer_events_and_consent_check_whose_record_it_is(world, endpoint, role, target):
    client, keys, store, settings = world
    offers = {"own": _offer(store, settings, "g-1"), "other": _offer(store, settings, "g-2")}
    offers["none"] = "o-nope"
    before = {o["id"]: o["status"] for o in Offers(store).page()[0]}
    consent_before = store.get("graduates", "g-2")["consent"]
    if endpoint == "events":
        path, body = f"/offers/{offers[target]}/events", {"event": "viewed"}
    else:
        path, body = f"/graduates/{TARGETS[target][1]}/consent", {"how": "phone"}
    response = client.post(path, json=body, headers=keys[role])
    expected = _expected_more(endpoint, role, target)
    status = {"ok": 200, "denied": 403, "missing": 404}[expected]
    assert response.status_code == status, response.text
    if expected != "ok":
        assert {o["id"]: o["status"] for o in Offers(store).page()[0]} == before
        assert store.get("graduates", "g-2")["consent"] == consent_before


PLAN_WRITES = {
    "PATCH /plans/{id}": lambda c, h, plan: c.patch(
        f"/plans/{plan}", json={"status": "agreed"}, headers=h
    ),
    "POST /plans/{id}/notes": lambda c, h, plan: c.post(
        f"/plans/{plan}/notes", json={"text": "已电话联系"}, headers=h
    ),
    "PATCH /plans/{id}/items/{item}": lambda c, h, plan: c.patch(
        f"/plans/{plan}/items/{plan}-g", json={"status": "done"}, headers=h
    ),
    "POST /plans/{id}/items/{item}/swap": lambda c, h, plan: c.post(
        f"/plans/{plan}/items/{plan}-g/swap", json={}, headers=h
    ),
    "POST /plans/{id}/exclusions": lambda c, h, plan: c.post(
        f"/plans/{plan}/exclusions", json={"ref_id": "p-a"}, headers=h
    ),
    "POST /plans/{id}/items/{item}/offer": lambda c, h, plan: c.post(
        f"/plans/{plan}/items/{plan}-g/offer", json={}, headers=h
    ),
}
#: answers that mean the caller was allowed and the request itself was then judged (a guidance
#: item cannot be swapped or pushed: 422)
ALLOWED = (200, 201, 409, 422)
PLAN_CASES = [(e, r, t) for e in PLAN_WRITES for r in ROLES for t in TARGETS]


@pytest.mark.parametrize(("endpoint", "role", "target"), PLAN_CASES)
def test_plan_writes_check_whose_graduate_it_is(world, endpoint, role, target):
    client, keys, store, _ = world
    plans = Plans(store)
    ids = {"own": "pl-own", "other": "pl-other", "none": "pl-nope"}
    for key, gid in (("own", "g-1"), ("other", "g-2")):
        guidance = NewItem(f"{ids[key]}-g", "guidance", None, "scheduled", 0, [])
        plans.create(NewPlan(ids[key], gid, None, [guidance], created_by="test"))
    before = {p: plans.get(p) for p in ("pl-own", "pl-other")}
    response = PLAN_WRITES[endpoint](client, keys[role], ids[target])
    if role in ("employer", "graduate", "service"):
        expected = 403  # plans are for the bureau and advisers
    elif target == "none":
        expected = 404
    elif role == "bureau" or target == "own":
        expected = 200
    else:
        expected = 403
    if expected == 200:
        assert response.status_code in ALLOWED, response.text
    else:
        assert response.status_code == expected, response.text
        assert {p: plans.get(p) for p in before} == before


#: Writes with no owner but the bureau (and the service role where it feeds the pool): every
#: other role is refused and nothing is stored.
ROLE_ONLY = [
    ("POST", "/employers", {"name": "重庆丙公司"}, ("bureau", "service")),
    ("POST", "/employers/bulk", [{"name": "重庆丙公司"}], ("bureau", "service")),
    ("POST", "/trainings", {"id": "t-1", "title": "电工培训"}, ("bureau", "service")),
    ("POST", "/trainings/bulk", [{"id": "t-1", "title": "电工培训"}], ("bureau", "service")),
    ("POST", "/campaigns", {"name": "x", "segment": {}, "k": 1}, ("bureau", "service")),
    ("POST", "/compliance/positions/p-a/clear", {"reason": "x"}, ("bureau",)),
    ("POST", "/employers/{A}/blacklist", {"reason": "x"}, ("bureau",)),
    ("POST", "/outbox/retry", {}, ("bureau",)),
    ("POST", "/keys", {"role": "graduate", "scope": {"graduate": "g-1"}}, ()),
    ("DELETE", "/keys/k-nope", None, ()),
    ("POST", "/compliance/positions/p-a/reject", {"reason": "x"}, ("bureau",)),
    (
        "POST",
        "/compliance/positions/bulk",
        {"action": "reject", "ids": ["p-a"], "reason": "x"},
        ("bureau",),
    ),
    ("POST", "/employers/{A}/clear", {"reason": "x"}, ("bureau",)),
    ("POST", "/plans/jobs", {"segment": {"needs_support": True}}, ("bureau", "adviser")),
]


@pytest.mark.parametrize(("method", "path", "body", "allowed"), ROLE_ONLY)
@pytest.mark.parametrize("role", ROLES)
def test_writes_without_an_owner_are_for_their_roles_only(world, method, path, body, allowed, role):
    client, keys, store, _ = world
    path = path.replace("{A}", employer_id(A, None))
    counts = {e: store.count(e) for e in ("employers", "trainings", "positions")}
    response = client.request(method, path, json=body, headers=keys[role])
    if role in allowed:
        assert response.status_code < 400 or response.status_code in (409, 422), response.text
    else:
        assert response.status_code == 403, response.text
        assert {e: store.count(e) for e in counts} == counts


@pytest.mark.parametrize("target", list(TARGETS))
@pytest.mark.parametrize("role", ROLES)
def test_making_an_offer_checks_whose_graduate_it_is(world, role, target):
    client, keys, store, _ = world
    gid = TARGETS[target][1]
    body = {"graduate_id": gid, "position_id": "p-b"}
    response = client.post("/offers", json=body, headers=keys[role])
    if role in ("employer", "graduate"):
        expected = 403
    elif target == "none":
        expected = 404
    elif role in ("bureau", "service") or target == "own":
        expected = 201
    else:
        expected = 403
    assert response.status_code == expected, response.text
    made = Offers(store).page()[0]
    assert len(made) == (1 if expected == 201 else 0)


@pytest.mark.parametrize("target", list(TARGETS))
@pytest.mark.parametrize("role", ROLES)
def test_making_a_plan_checks_whose_graduate_it_is(world, role, target):
    client, keys, store, _ = world
    response = client.post("/plans", json={"graduate_id": TARGETS[target][1]}, headers=keys[role])
    if role in ("employer", "graduate", "service"):
        expected = (403,)
    elif target == "none":
        expected = (404,)
    elif role == "bureau" or target == "own":
        expected = ALLOWED  # made, or refused for the profile's own reasons (no support group)
    else:
        expected = (403,)
    assert response.status_code in expected, response.text
    if expected != ALLOWED:
        assert Plans(store).of_graduates(["g-1", "g-2"]) == {}
