"""Issue #7 through the HTTP API: review of flagged postings, blacklisting, blacklist
proposals, screening without storing, and the fairness report; recommendations follow every
decision without a restart."""

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from matcher.records.prepare import prepare
from matcher.text.encoders import FakeEncoder
from tests.api.conftest import key_headers
from tests.conftest import graduate, position

BIASED = "负责后端接口开发，熟悉Spring Boot。限男性，35岁以下，需交押金500元。"
SHADY = {"name": "重庆屡犯科技有限公司"}


@pytest.fixture
def client(settings, store):
    postings = [
        position("p-1"),
        position("p-2", employer={"name": "重庆另一家科技公司"}),
        position("p-bad", description=BIASED, employer=SHADY),
        position("p-bad2", description="五官端正，身高165以上。", employer=SHADY),
    ]
    store.upsert(
        "positions", [prepare("positions", {**r, "expires_at": "2099-12-31"}) for r in postings]
    )
    store.upsert(
        "graduates",
        [
            prepare("graduates", graduate("g-1")),
            prepare("graduates", graduate("g-2", support=["disabled"], name="王芳")),
        ],
    )
    with TestClient(create_app(settings, store, encoder=FakeEncoder(32))) as client:
        client.headers.update(key_headers(store, "bureau"))
        yield client


def _recommended(client, gid="g-1"):
    body = client.get(f"/graduates/{gid}/recommendations", params={"k": 20}).json()
    return {i["id"] for i in body["items"]}


def test_flagged_postings_are_listed_with_their_flags(client):
    page = client.get("/compliance/flagged", params={"count": True}).json()
    assert [p["id"] for p in page["items"]] == ["p-bad", "p-bad2"] and page["total"] == 2
    review = page["items"][0]["compliance"]
    assert review["status"] == "pending"
    assert review["categories"] == ["gender", "age", "fees_fraud"]
    assert {f["match"] for f in review["flags"]} == {"限男性", "35岁以下", "需交押金500元"}
    assert all(f["basis"] and f["rewrite"] for f in review["flags"])
    by_category = client.get("/compliance/flagged", params={"category": "appearance"}).json()
    assert [p["id"] for p in by_category["items"]] == ["p-bad2"]
    assert client.get("/compliance/flagged", params={"status": "nope"}).status_code == 422


def test_a_flagged_posting_is_recommended_only_once_cleared(client):
    assert _recommended(client) == {"p-1", "p-2"}
    assert client.get("/positions/p-bad/candidates").json()["items"] == []
    done = client.post("/compliance/positions/p-bad/clear", json={"reason": "已核实并改正"})
    assert done.status_code == 200
    assert done.json()["compliance"]["status"] == "cleared" and done.json()["flagged"] is False
    assert done.json()["compliance"]["reviewed_by"].startswith("bureau:")
    assert "p-bad" in _recommended(client)
    candidates = client.get("/positions/p-bad/candidates").json()["items"]
    assert {i["id"] for i in candidates} == {"g-1", "g-2"}
    client.post("/compliance/positions/p-bad/reject", json={"reason": "复核确认违规"})
    assert "p-bad" not in _recommended(client)


def test_review_errors_are_problem_json(client):
    missing = client.post("/compliance/positions/nope/clear", json={"reason": "x"})
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    clean = client.post("/compliance/positions/p-1/reject", json={"reason": "x"})
    assert clean.status_code == 409 and "no compliance flags" in clean.json()["detail"]
    blank = client.post("/compliance/positions/p-bad/clear", json={"reason": "  "})
    assert blank.status_code == 422 and blank.json()["field"] == "reason"
    no_body = client.post("/compliance/positions/p-bad/clear", json={})
    assert no_body.status_code == 422 and no_body.json()["errors"][0]["field"] == "body.reason"


def test_proposals_and_blacklisting_hide_and_restore_an_employer(client, store):
    for pid in ("p-bad", "p-bad2"):
        client.post(f"/compliance/positions/{pid}/reject", json={"reason": "确认违规"})
    proposals = client.get("/compliance/blacklist-proposals").json()["items"]
    assert [(p["name"], p["violations"]) for p in proposals] == [("重庆屡犯科技有限公司", 2)]
    other = store.get("positions", "p-2")["employer_id"]
    done = client.post(f"/employers/{other}/blacklist", json={"reason": "虚假招聘"})
    assert done.status_code == 200 and done.json()["blacklisted"] is True
    assert _recommended(client) == {"p-1"}
    assert client.get("/positions/p-2/candidates").json()["items"] == []
    listed = client.get("/employers", params={"blacklisted": True}).json()["items"]
    assert [e["id"] for e in listed] == [other]
    client.post(f"/employers/{other}/clear", json={"reason": "核查后撤销"})
    assert _recommended(client) == {"p-1", "p-2"}
    assert client.post("/employers/nobody/blacklist", json={"reason": "x"}).status_code == 404


def test_screening_a_posting_does_not_store_it(client):
    draft = {"id": "draft", "title": "前台", "description": "限女性"}
    body = client.post("/compliance/screen", json=draft)
    assert [f["category"] for f in body.json()["flags"]] == ["gender"]
    assert client.get("/positions/draft").status_code == 404


def test_fairness_report(client):
    report = client.get("/reports/fairness", params={"sample": 10, "as_of": "2022-09-01"}).json()
    assert report["sample"] == 2 and report["pool_postings"] == 2
    groups = report["graduates"]
    assert groups["no_support"]["graduates"] == 1 and groups["disabled"]["graduates"] == 1
    assert groups["no_support"]["mean_eligible_postings"] == 2.0
    assert sum(r["exposure_share"] for r in report["employer_size"]) == pytest.approx(1.0)
    assert client.get("/reports/fairness", params={"sample": 0}).status_code == 422


def test_flagged_and_blacklisted_postings_are_never_offered_until_cleared(client):
    body = {"graduate_id": "g-1", "position_id": "p-bad"}
    refused = client.post("/offers", json=body)
    assert refused.status_code == 422 and refused.json()["rule"] == "posting"
    client.post("/compliance/positions/p-bad/clear", json={"reason": "已改正"})
    assert client.post("/offers", json=body).status_code == 201
    employer = client.get("/positions/p-1").json()["employer_id"]
    client.post(f"/employers/{employer}/blacklist", json={"reason": "多次违规"})
    blocked = client.post("/offers", json={"graduate_id": "g-2", "position_id": "p-1"})
    assert blocked.status_code == 422 and blocked.json()["rule"] == "posting"
    assert "p-1" not in _recommended(client)
    client.post(f"/employers/{employer}/clear", json={"reason": "已整改"})
    assert (
        client.post("/offers", json={"graduate_id": "g-2", "position_id": "p-1"}).status_code == 201
    )
