"""GET /reports/monthly: the report's figures as JSON, and problem+json for a bad month."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from api.app import create_app
from matcher.analytics import Month, monthly_report
from matcher.store.tables import feedback_events
from matcher.text.encoders import FakeEncoder
from tests.analytics.conftest import load, utc
from tests.api.conftest import key_headers


@pytest.fixture
def client(settings, store):
    load(store)
    with TestClient(create_app(settings, store, encoder=FakeEncoder(32))) as client:
        client.headers.update(key_headers(store, "bureau"))
        yield client


def test_monthly_figures_are_those_of_the_report(client, store):
    body = client.get("/reports/monthly", params={"month": "2022-08", "sample": 0}).json()
    expected = monthly_report(store, Month.parse("2022-08"))
    for part in ("postings", "seekers", "ratios", "funnel", "plans"):
        assert body[part] == expected[part], part
    assert body["month"] == "2022-08" and body["fit"] is None


def test_the_engine_judges_a_sample_and_the_answer_is_kept(client):
    first = client.get("/reports/monthly", params={"month": "2022-08", "sample": 3}).json()
    assert first["hard_to_place"]["judged"] == 3 and first["fit"]["sample"] == 3
    again = client.get("/reports/monthly", params={"month": "2022-08", "sample": 3}).json()
    assert again["generated_at"] == first["generated_at"]  # same watermark: from memory


@pytest.mark.parametrize("month", ["2022-13", "2022/08", "last"])
def test_a_bad_month_is_problem_json_naming_the_parameter(client, month):
    response = client.get("/reports/monthly", params={"month": month})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] == "query.month"
    assert "YYYY-MM" in response.json()["detail"]


def test_the_month_is_required(client):
    response = client.get("/reports/monthly")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.month"


def test_a_new_offer_event_refreshes_the_kept_report(client, store):
    params = {"month": "2022-08", "sample": 0}
    before = client.get("/reports/monthly", params=params).json()["funnel"]["total"]
    with store.engine.begin() as conn:
        conn.execute(
            sa.insert(feedback_events).values(
                graduate_id="g-2", position_id="p-2", event="applied", at=utc("2022-09-02 01:00")
            )
        )
    after = client.get("/reports/monthly", params=params).json()["funnel"]["total"]
    assert (before["applied"], after["applied"]) == (2, 3)
