"""The HTTP API over a store filled through the same ingestion path as `matcher ingest`."""

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from matcher.records.prepare import prepare
from matcher.text.encoders import FakeEncoder
from tests.api.conftest import key_headers
from tests.conftest import graduate, position


@pytest.fixture
def client(settings, store):
    store.upsert(
        "positions",
        [
            prepare("positions", {**r, "expires_at": "2099-12-31"})
            for r in (
                position("p-1"),
                position(
                    "p-2", kind="traineeship", location={"city": "重庆", "district": "江北区"}
                ),
                position(
                    "p-3", location={"city": "重庆", "district": "两江新区"}, education_min="硕士"
                ),
            )
        ],
    )
    store.upsert(
        "graduates",
        [
            prepare("graduates", r)
            for r in (
                graduate("g-1"),
                graduate("g-2", support=["low_income_family"], status="employed"),
            )
        ],
    )
    with TestClient(create_app(settings, store, encoder=FakeEncoder(32))) as client:
        client.headers.update(key_headers(store, "admin"))
        yield client


def test_healthz_reports_the_store(client):
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["store"]["status"] == "ok"
    assert body["store"]["detail"]["backend"] == "sqlite"
    assert body["store"]["detail"]["watermark"] >= 2
    assert body["index"]["status"] == "ok"
    assert body["encoder"]["detail"]["model_id"] == "fake-32"
    assert body["index"]["detail"]["encoder"] == "fake-32" and body["index"]["detail"]["count"] == 3


def test_positions_listing_filters_and_pages(client):
    page = client.get("/positions", params={"limit": 2, "count": True}).json()
    assert [p["id"] for p in page["items"]] == ["p-1", "p-2"]
    assert page["total"] == 3 and page["next_cursor"] == "p-2"
    rest = client.get("/positions", params={"cursor": page["next_cursor"]}).json()
    assert [p["id"] for p in rest["items"]] == ["p-3"] and rest["next_cursor"] is None
    kind = client.get("/positions", params={"kind": "traineeship"}).json()["items"]
    assert [p["id"] for p in kind] == ["p-2"]
    yubei = client.get("/positions", params={"district": "渝北"}).json()["items"]
    assert [p["id"] for p in yubei] == ["p-1", "p-3"]
    bachelor = client.get("/positions", params={"degree": "本科"}).json()["items"]
    assert [p["id"] for p in bachelor] == ["p-1", "p-2"]


def test_one_position_and_a_missing_one_as_problem_json(client):
    assert client.get("/positions/p-3").json()["location"]["zone"] == "两江新区"
    missing = client.get("/positions/nope")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert missing.json()["detail"] == "position 'nope' not found"


def test_bad_query_parameters_are_problem_json(client):
    response = client.get("/positions", params={"kind": "gig"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.kind"
    unknown_place = client.get("/positions", params={"district": "火星区"})
    assert unknown_place.status_code == 422
    assert "火星区" in unknown_place.json()["detail"]


def test_graduates_listing_and_support_filter(client):
    items = client.get("/graduates", params={"needs_support": True}).json()["items"]
    assert [g["id"] for g in items] == ["g-2"]
    seeking = client.get("/graduates", params={"status": "seeking"}).json()["items"]
    assert [g["id"] for g in seeking] == ["g-1"]
    assert client.get("/graduates/g-1").json()["major"] == "软件工程"


def test_stats_counts(client):
    stats = client.get("/stats").json()
    assert stats["counts"] == {"positions": 3, "graduates": 2, "employers": 1, "trainings": 0}
    assert stats["positions_by_kind"] == {"full_time": 2, "traineeship": 1}
    assert stats["graduates_needing_support"] == 1


def test_openapi_is_served(client):
    assert "/positions" in client.get("/openapi.json").json()["paths"]


def test_recommendations_carry_scores_features_and_reasons(client):
    body = client.get("/graduates/g-1/recommendations", params={"k": 2}).json()
    # g-1 wants full-time work in 渝北区 with a 本科 degree: only p-1 is eligible.
    assert body["graduate_id"] == "g-1" and len(body["items"]) == 1
    item = body["items"][0]
    assert item["id"].startswith("p-") and item["reasons"] and "semantic" in item["features"]
    narrowed = client.get(
        "/graduates/g-1/recommendations", params={"kind": "traineeship", "district": "江北区"}
    ).json()["items"]
    assert [i["id"] for i in narrowed] == ["p-2"]
    assert client.get("/graduates/nobody/recommendations").status_code == 404


def test_new_postings_are_recommended_without_a_restart(client, store):
    store.upsert(
        "positions",
        [prepare("positions", position("p-9", title="Java后端开发", expires_at="2099-12-31"))],
    )
    ids = [i["id"] for i in client.get("/graduates/g-1/recommendations").json()["items"]]
    assert "p-9" in ids


def test_candidates_for_a_posting(client):
    body = client.get("/positions/p-1/candidates").json()
    assert [i["id"] for i in body["items"]] == ["g-1"]  # g-2 is employed
    assert client.get("/positions/nope/candidates").status_code == 404
