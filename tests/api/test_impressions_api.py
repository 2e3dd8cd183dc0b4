"""Impressions through the API and the console (issue #18, item 3): every recommendation list
served is logged with the same postings in the same order as the response, ranks 1..k and
the ranker's version; with exploration on, the response and the log agree on the swapped
order and each item carries its exact propensity; with logging off nothing is written."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from matcher.config import Settings
from matcher.engine import explore
from matcher.engine.rankers import ranker_version
from matcher.records.prepare import prepare
from matcher.store import Store, impressions
from matcher.store.keys import ApiKeys
from matcher.text.encoders import FakeEncoder
from tests.api.conftest import key_headers
from tests.conftest import graduate, position

TITLES = ["Java开发", "后端开发", "测试工程师", "运维工程师", "前端开发", "数据分析", "算法工程师"]
GRADUATES = [f"g-{i:02d}" for i in range(30)]


@pytest.fixture
def filled(store: Store) -> Store:
    store.upsert(
        "positions",
        [
            prepare(
                "positions",
                position(
                    f"p-{i:02d}",
                    title=f"{TITLES[i % len(TITLES)]}{i}",
                    skills=[["Java", "MySQL", "Python", "Linux", "Vue"][i % 5]],
                    employer={"name": f"重庆第{i}科技有限公司"},
                    expires_at="2099-12-31",
                ),
            )
            for i in range(14)
        ],
    )
    store.upsert(
        "graduates",
        [
            prepare("graduates", graduate(g, adviser="a-1", skills=[["Java", "Python"][i % 2]]))
            for i, g in enumerate(GRADUATES)
        ],
    )
    return store


@contextmanager
def _client(settings: Settings, store: Store, **changes: Any) -> Iterator[TestClient]:
    s = settings.replace(api_worker=False, **changes)
    with TestClient(create_app(s, store, encoder=FakeEncoder(32))) as client:
        client.headers.update(key_headers(store, "bureau"))
        yield client


def test_a_recommendation_writes_one_impression_in_the_order_of_the_response(settings, filled):
    with _client(settings, filled) as client:
        body = client.get("/graduates/g-01/recommendations", params={"k": 8}).json()
    shown = body["items"]
    assert len(shown) == 8
    (logged,) = impressions.of_graduate(filled, "g-01")
    assert logged["surface"] == "api" and logged["ranker"] == ranker_version(settings)
    assert not logged["explored"] and logged["explore_rate"] == 0.0
    assert [i["position_id"] for i in logged["items"]] == [m["id"] for m in shown]
    assert [i["rank"] for i in logged["items"]] == list(range(1, 9))
    assert [i["model_rank"] for i in logged["items"]] == list(range(1, 9))
    assert [i["score"] for i in logged["items"]] == [pytest.approx(m["score"]) for m in shown]
    assert all(i["propensity"] == 1.0 for i in logged["items"])
    assert impressions.of_graduate(filled, "g-02") == []


def test_explored_lists_are_served_and_logged_in_the_same_swapped_order(settings, filled):
    rate, k = 0.5, 12
    explored = 0
    with _client(settings, filled, explore_rate=rate) as client:
        engine = client.app.state.matcher  # type: ignore[attr-defined]
        for gid in GRADUATES:
            served = client.get(f"/graduates/{gid}/recommendations", params={"k": k}).json()
            ids = [m["id"] for m in served["items"]]
            model = [m.id for m in engine.recommend([gid], k)[0]]
            (logged,) = impressions.of_graduate(filled, gid)
            items = logged["items"]
            n = len(items)
            assert [i["position_id"] for i in items] == ids and n == len(model) == k
            assert [i["rank"] for i in items] == list(range(1, n + 1))
            assert [model[i["model_rank"] - 1] for i in items] == ids
            for i in items:
                expected = explore.propensity(i["model_rank"], i["rank"], n, rate)
                assert i["propensity"] == pytest.approx(expected, abs=1e-6) and expected > 0
            if logged["explored"]:
                explored += 1
                p = logged["swap"]
                assert 1 <= p <= 9
                assert ids == [*model[: p - 1], model[p], model[p - 1], *model[p + 1 :]]
            else:
                assert ids == model and logged["swap"] is None
    assert 0 < explored < len(GRADUATES)  # about half (1 in a million days fails)


def test_with_logging_off_nothing_is_recorded(settings, filled):
    with _client(settings, filled, log_impressions=False) as client:
        assert client.get("/graduates/g-01/recommendations").status_code == 200
    assert impressions.of_graduate(filled, "g-01") == []


def test_the_console_logs_what_an_adviser_was_shown(settings, filled):
    _, key = ApiKeys(filled).issue("adviser", {"adviser": "a-1"}, "test adviser")
    with _client(settings, filled) as client:
        assert client.post("/console/login", data={"key": key}).status_code in (200, 303)
        assert client.get("/console/graduates/g-03").status_code == 200
    (logged,) = impressions.of_graduate(filled, "g-03")
    assert logged["surface"] == "console" and len(logged["items"]) == 5
