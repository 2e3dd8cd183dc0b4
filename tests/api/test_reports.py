"""GET /reports/monthly: the report's figures as JSON, and problem+json for a bad month."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from matcher.analytics import Month, monthly_report
from matcher.encoding import FakeEncoder
from tests.analytics.conftest import load


@pytest.fixture
def client(settings, store):
    load(store)
    with TestClient(create_app(settings, store, encoder=FakeEncoder(32))) as client:
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
