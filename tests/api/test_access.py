"""The role matrix: each role is refused (403) what it must not see or change; advisers' and
employers' reads of graduates are audited; bad bodies are 4xx problem+json naming the field
and store nothing (issue 5)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from matcher.records.prepare import employer_id, prepare
from matcher.store.keys import audit_entries
from matcher.store.partners import Partners
from matcher.text.encoders import FakeEncoder
from tests.api.conftest import A, B, key_headers, two_employers_postings
from tests.conftest import AGENCY, TRAINING, TRAINING_B, UNIVERSITY, course, graduate, position


@pytest.fixture
def world(settings, store):
    two_employers_postings(store)
    store.upsert(
        "graduates",
        [
            prepare(
                "graduates",
                graduate("g-1", district="渝北区", adviser="a-1", contact={"phone": "13800000001"}),
            ),
            prepare("graduates", graduate("g-2", district="江北区")),
        ],
    )
    Partners(store).add(UNIVERSITY, "test", partner_id="pt-a")
    Partners(store).add(AGENCY, "test", partner_id="pt-b")
    Partners(store).add(TRAINING, "test", partner_id="pt-t")
    Partners(store).add(TRAINING_B, "test", partner_id="pt-t2")
    store.upsert(
        "trainings",
        [
            prepare("trainings", course("t-own", partner="pt-t")),
            prepare("trainings", course("t-other", partner="pt-t2")),
        ],
    )
    s = settings.replace(api_worker=False, max_body_bytes=20_000)
    with TestClient(create_app(s, store, encoder=FakeEncoder(32))) as client:
        keys = {
            "admin": key_headers(store, "admin"),
            "bureau": key_headers(store, "bureau"),
            "service": key_headers(store, "service"),
            "adviser": key_headers(store, "adviser", adviser="a-1"),
            "jiangbei": key_headers(store, "adviser", districts=["500105"]),
            "employer": key_headers(store, "employer", employer=employer_id(A, None)),
            "graduate": key_headers(store, "graduate", graduate="g-1"),
            "partner": key_headers(store, "partner", partner="pt-a"),
            "agency": key_headers(store, "partner", partner="pt-b"),
            "training": key_headers(store, "partner", partner="pt-t"),
        }
        yield client, keys, store


def test_requests_without_a_valid_key_are_401_but_health_is_public(world):
    client, _, _ = world
    assert client.get("/healthz").status_code == 200
    missing = client.get("/positions")
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert client.get("/positions", headers={"X-API-Key": "mk_nope_nope"}).status_code == 401
    assert client.get("/positions", headers={"Authorization": "Bearer junk"}).status_code == 401


ENROLLED = {"enrolments": [{"graduate_id": "g-1", "status": "enrolled"}]}

FORBIDDEN = [
    # (role, method, path, json body)
    ("graduate", "GET", "/graduates/g-2", None),
    ("graduate", "GET", "/graduates/g-2/recommendations", None),
    ("graduate", "GET", "/positions/p-a/candidates", None),
    ("graduate", "POST", "/campaigns", {"name": "x", "segment": {}}),
    ("graduate", "GET", "/stats", None),
    ("graduate", "POST", "/offers", {"graduate_id": "g-1", "position_id": "p-a"}),
    ("employer", "GET", "/positions/p-b/candidates", None),
    ("employer", "GET", "/graduates/g-1", None),
    ("employer", "GET", "/graduates", None),
    ("employer", "POST", "/positions/p-b/close", None),
    ("employer", "POST", "/positions", position("p-x", employer={"name": B})),
    ("employer", "GET", "/offers", None),
    ("adviser", "GET", "/graduates/g-2", None),
    ("adviser", "GET", "/graduates/g-2/recommendations", None),
    ("adviser", "POST", "/offers", {"graduate_id": "g-2", "position_id": "p-a"}),
    ("adviser", "POST", "/campaigns", {"name": "x", "segment": {}}),
    ("adviser", "GET", "/outbox", None),
    ("jiangbei", "GET", "/graduates/g-1", None),
    ("service", "GET", "/graduates/g-1", None),
    ("service", "POST", "/keys", {"role": "bureau"}),
    ("bureau", "POST", "/keys", {"role": "bureau"}),
    ("bureau", "GET", "/keys", None),
    ("adviser", "GET", "/compliance/flagged", None),
    ("service", "POST", "/compliance/positions/p-a/clear", {"reason": "x"}),
    ("employer", "POST", "/employers/e-1/blacklist", {"reason": "x"}),
    ("graduate", "GET", "/reports/fairness", None),
    ("adviser", "GET", "/reports/monthly?month=2022-08", None),
    ("graduate", "POST", "/compliance/screen", position("p-z")),
    ("graduate", "POST", "/positions/screen", position("p-z")),
    ("adviser", "POST", "/positions/screen", position("p-z")),
    ("employer", "POST", "/positions/screen", position("p-z", employer={"name": B})),
    (
        "employer",
        "POST",
        "/compliance/positions/bulk",
        {"action": "clear", "ids": ["p-a"], "reason": "x"},
    ),
    (
        "service",
        "POST",
        "/compliance/positions/bulk",
        {"action": "clear", "ids": ["p-a"], "reason": "x"},
    ),
    ("employer", "GET", "/compliance/decisions.jsonl", None),
    ("adviser", "GET", "/compliance/decisions.jsonl", None),
    ("agency", "POST", "/positions", position("p-ag", employer={"name": A})),
    ("agency", "PATCH", "/positions/p-a", {"title": "x"}),
    ("agency", "GET", "/positions/p-a/candidates", None),
    ("agency", "GET", "/partners/pt-a/authorisations", None),
    ("partner", "POST", "/positions", position("p-u", employer={"name": A})),
    (
        "partner",
        "POST",
        "/partners/pt-b/authorisations",
        {"employer_id": "e", "until": "2099-01-01"},
    ),
    (
        "employer",
        "POST",
        "/partners/pt-b/authorisations",
        {"employer_id": "e-x", "until": "2027-01-01"},
    ),
    ("employer", "DELETE", "/partners/pt-b/authorisations/e-x", None),
    ("graduate", "GET", "/partners/pt-b/authorisations", None),
    ("partner", "GET", "/graduates/g-1", None),
    ("partner", "GET", "/graduates/g-1/recommendations", None),
    ("partner", "POST", "/offers", {"graduate_id": "g-1", "position_id": "p-a"}),
    ("partner", "GET", "/outbox", None),
    ("partner", "POST", "/keys", {"role": "partner", "scope": {"partner": "pt-a"}}),
    ("partner", "GET", "/partners", None),
    ("partner", "POST", "/partners", UNIVERSITY | {"code": "10612"}),
    ("partner", "GET", "/partners/pt-b", None),
    ("partner", "GET", "/partners/pt-b/figures", None),
    ("adviser", "GET", "/partners/pt-a/figures", None),
    ("partner", "POST", "/partners/pt-a/status", {"status": "active"}),
    ("partner", "GET", "/compliance/flagged", None),
    ("partner", "GET", "/reports/monthly?month=2022-08", None),
    ("service", "GET", "/partners", None),
    ("adviser", "POST", "/partners", UNIVERSITY | {"code": "10612"}),
    ("employer", "POST", "/partners/pt-b/status", {"status": "suspended", "reason": "x"}),
    ("graduate", "GET", "/partners/pt-a", None),
    # training institutions: their own courses and the graduates sent to them, nothing else
    ("training", "POST", "/trainings", course("t-other")),
    ("training", "GET", "/trainings/t-other/enrolments", None),
    ("training", "POST", "/trainings/t-other/enrolments", ENROLLED),
    ("training", "GET", "/partners/pt-t2/figures", None),
    ("training", "GET", "/partners/pt-t2", None),
    ("training", "POST", "/positions", position("p-t", employer={"name": A})),
    ("training", "PATCH", "/positions/p-a", {"title": "x"}),
    ("training", "GET", "/positions/p-a/candidates", None),
    ("training", "GET", "/positions/p-a/provenance", None),
    ("training", "POST", "/positions/p-a/close", None),
    ("training", "GET", "/graduates/g-1", None),
    ("training", "GET", "/graduates/g-1/provenance", None),
    ("training", "POST", "/partners/pt-a/destinations", {"month": "2026-11", "destinations": []}),
    (
        "training",
        "POST",
        "/partners/pt-b/authorisations",
        {"employer_id": "e", "until": "2099-01-01"},
    ),
    ("training", "POST", "/offers", {"graduate_id": "g-1", "position_id": "p-a"}),
    ("training", "GET", "/reports/monthly?month=2022-08", None),
    # other partner kinds and roles on courses
    ("partner", "POST", "/trainings", course("t-u")),
    ("agency", "POST", "/trainings", course("t-ag")),
    ("partner", "GET", "/trainings/t-own/enrolments", None),
    ("agency", "POST", "/trainings/t-own/enrolments", ENROLLED),
    ("adviser", "POST", "/trainings", course("t-ad")),
    ("graduate", "POST", "/trainings", course("t-g")),
    ("employer", "GET", "/trainings/t-own/enrolments", None),
    ("adviser", "POST", "/trainings/t-own/enrolments", ENROLLED),
    # provenance: the bureau's side and whoever owns the record
    ("employer", "GET", "/positions/p-b/provenance", None),
    ("agency", "GET", "/positions/p-a/provenance", None),
    ("graduate", "GET", "/graduates/g-2/provenance", None),
    ("partner", "GET", "/graduates/g-1/provenance", None),
    ("adviser", "GET", "/graduates/g-2/provenance", None),
]


@pytest.mark.parametrize(("role", "method", "path", "body"), FORBIDDEN)
def test_each_role_is_refused_what_it_must_not_see_or_change(world, role, method, path, body):
    client, keys, store = world
    before = {e: store.count(e) for e in ("positions", "trainings", "graduates")}
    response = client.request(method, path, json=body, headers=keys[role])
    assert response.status_code == 403, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert {e: store.count(e) for e in before} == before


def test_what_each_role_may_do(world):
    client, keys, _store = world
    assert client.get("/graduates/g-1", headers=keys["graduate"]).status_code == 200
    listing = client.get("/graduates", headers=keys["graduate"]).json()["items"]
    assert [g["id"] for g in listing] == ["g-1"]
    assert client.get("/graduates/g-1/recommendations", headers=keys["graduate"]).status_code == 200
    mine = client.get("/graduates", headers=keys["adviser"]).json()["items"]
    assert [g["id"] for g in mine] == ["g-1"]
    district = client.get("/graduates", headers=keys["jiangbei"]).json()["items"]
    assert [g["id"] for g in district] == ["g-2"]
    assert client.get("/graduates/g-2", headers=keys["jiangbei"]).status_code == 200
    offer = client.post(
        "/offers", json={"graduate_id": "g-1", "position_id": "p-a"}, headers=keys["adviser"]
    )
    assert offer.status_code == 201, offer.text
    seen = client.get("/offers", headers=keys["graduate"]).json()["items"]
    assert [o["graduate_id"] for o in seen] == ["g-1"]
    assert client.get("/offers", headers=keys["jiangbei"]).json()["items"] == []
    event = client.post(
        f"/offers/{offer.json()['id']}/events", json={"event": "viewed"}, headers=keys["graduate"]
    )
    assert event.status_code == 200 and event.json()["status"] == "viewed"
    made = client.post("/keys", json={"role": "adviser", "scope": {"adviser": "a-9"}})
    assert made.status_code == 401  # no key at all
    made = client.post(
        "/keys", json={"role": "adviser", "scope": {"adviser": "a-9"}}, headers=keys["admin"]
    )
    assert made.status_code == 201 and made.json()["key"].startswith("mk_")
    assert client.get("/stats", headers=keys["service"]).status_code == 200
    assert client.post("/positions/p-a/close", headers=keys["employer"]).status_code == 200
    own = client.get("/partners/pt-a", headers=keys["partner"])
    assert own.status_code == 200 and own.json()["name"] == "重庆大学"
    assert client.get("/graduates", headers=keys["partner"]).json()["items"] == []
    mine = client.post("/trainings", json=course("t-new"), headers=keys["training"])
    assert mine.status_code == 201 and mine.json()["partner"] == "pt-t"
    sent = client.get("/trainings/t-own/enrolments", headers=keys["training"])
    assert sent.status_code == 200 and sent.json() == []
    assert client.get("/partners/pt-t/figures", headers=keys["training"]).status_code == 200
    assert client.get("/graduates/g-1/provenance", headers=keys["adviser"]).status_code == 200
    assert client.get("/graduates/g-1/provenance", headers=keys["graduate"]).status_code == 200
    assert client.get("/positions/p-a/provenance", headers=keys["employer"]).status_code == 200


def test_the_bureau_keeps_the_partner_registry_and_a_suspension_acts_at_once(world):
    client, keys, _ = world
    added = client.post("/partners", json=UNIVERSITY | {"code": "10612"}, headers=keys["bureau"])
    assert added.status_code == 201 and added.json()["status"] == "active"
    again = client.post("/partners", json=UNIVERSITY, headers=keys["bureau"])
    assert again.status_code == 409 and "已登记" in again.json()["detail_zh"]
    bad = client.post("/partners", json=UNIVERSITY | {"code": "1061X"}, headers=keys["bureau"])
    assert bad.status_code == 422 and "院校代码" in bad.json()["detail_zh"]
    listed = client.get("/partners?kind=university", headers=keys["bureau"]).json()
    assert sorted(p["code"] for p in listed) == ["10611", "10612"]
    nobody = client.post(
        "/keys", json={"role": "partner", "scope": {"partner": "pt-zz"}}, headers=keys["admin"]
    )
    assert nobody.status_code == 404
    assert client.get("/partners/pt-a", headers=keys["partner"]).status_code == 200
    no_reason = client.post(
        "/partners/pt-a/status", json={"status": "suspended"}, headers=keys["bureau"]
    )
    assert no_reason.status_code == 422 and "原因" in no_reason.json()["detail_zh"]
    stopped = client.post(
        "/partners/pt-a/status",
        json={"status": "suspended", "reason": "名单数据造假"},
        headers=keys["bureau"],
    )
    assert stopped.status_code == 200 and stopped.json()["status_reason"] == "名单数据造假"
    refused = client.get("/partners/pt-a", headers=keys["partner"])
    assert refused.status_code == 401 and "暂停" in refused.json()["detail_zh"]
    assert client.get("/positions", headers=keys["partner"]).status_code == 401
    client.post("/partners/pt-a/status", json={"status": "active"}, headers=keys["bureau"])
    assert client.get("/partners/pt-a", headers=keys["partner"]).status_code == 200


def test_employers_see_candidates_without_contact_details_and_reads_are_audited(world):
    client, keys, store = world
    store.upsert("graduates", [prepare("graduates", graduate("g-3", name="王小红"))])
    found = client.get("/positions/p-a/candidates", headers=keys["employer"])
    assert found.status_code == 200
    items = found.json()["items"]
    assert items and all("王小红" not in str(item) and "李明" not in str(item) for item in items)
    logged = audit_entries(store)
    assert {e["entity_id"] for e in logged if e["action"] == "candidates"} == {
        i["id"] for i in items
    }
    client.get("/graduates/g-1", headers=keys["adviser"])
    reads = [e for e in audit_entries(store, "g-1") if e["action"] == "read"]
    assert reads and reads[-1]["actor"].startswith("adviser:")


BAD_BODIES = [
    ("/offers", b"{not json", "body"),
    ("/offers", b'{"graduate_id": "g-1", "position_id": "p-a", "colour": "red"}', "body.colour"),
    ("/offers", b'{"graduate_id": 5, "position_id": "p-a"}', "body.graduate_id"),
    ("/offers", b'["g-1"]', "body"),
    ("/campaigns", b'{"name": "x", "segment": {"degrees": ["PhD"]}}', "body.segment.degrees.0"),
    ("/campaigns", b'{"name": "x", "segment": {}, "k": "three"}', "body.k"),
    ("/offers/o-1/events", b'{"event": "liked"}', "body.event"),
]


@pytest.mark.parametrize(("path", "raw", "field"), BAD_BODIES)
def test_malformed_bodies_are_problem_json_naming_the_field(world, path, raw, field):
    client, keys, _store = world
    response = client.post(
        path, content=raw, headers={**keys["admin"], "Content-Type": "application/json"}
    )
    assert response.status_code == 422, response.text
    body = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert any(e["field"].startswith(field) for e in body["errors"]), body
    assert client.get("/offers", headers=keys["admin"]).json()["items"] == []


def test_bad_records_name_the_record_and_field_and_store_nothing(world):
    client, keys, store = world
    bad = client.post("/positions", json=position("p-new", title=5), headers=keys["bureau"])
    assert bad.status_code == 422
    assert bad.json()["field"] == "title" and bad.json()["record_id"] == "p-new"
    assert store.count("positions") == 2
    bulk = client.post(
        "/positions/bulk",
        json=[position("p-c"), position("p-d", kind="gig"), "nonsense"],
        headers=keys["service"],
    )
    assert bulk.status_code == 200
    result = bulk.json()
    assert result["inserted"] == 1
    assert [(e["index"], e["id"], e["field"]) for e in result["errors"]] == [
        (1, "p-d", "kind"),
        (2, None, "record"),  # a non-object is named as the whole record
    ]
    unknown = client.post(
        "/campaigns",
        json={"name": "x", "segment": {"majors": ["火星学类"]}},
        headers=keys["service"],
    )
    assert unknown.status_code == 422 and "segment.majors" in unknown.json()["detail"]


def test_oversized_bodies_are_refused_and_store_nothing(world):
    client, keys, store = world
    huge = [position(f"p-{i}", description="很长的描述" * 100) for i in range(20)]
    response = client.post("/positions/bulk", json=huge, headers=keys["service"])
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "20,000 bytes" in response.json()["detail"]
    assert store.count("positions") == 2


def test_writes_are_encoded_on_the_write_path_not_in_a_later_read(world):
    """Vectors are computed when a record is written (DESIGN §2), never inside a query."""
    client, keys, store = world
    made = client.post("/positions", json=position("p-new"), headers=keys["bureau"])
    assert made.status_code == 201
    engine = client.app.state.matcher
    assert engine.watermark == store.watermark() and "p-new" in engine.positions
    client.post("/graduates", json=graduate("g-new"), headers=keys["bureau"])
    assert engine.watermark == store.watermark() and "g-new" in engine.graduates
