"""Training institutions (issue 17): an institution's key publishes its own courses (each
marked as its own; another institution's course, or courses from another partner kind, are
refused), sees the graduates advisers sent to each course — names, no contacts — and reports
their enrolment and completion, which moves their plan items (done counts the training as
done); entries for graduates not sent to the course are named. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from matcher.records.prepare import prepare
from matcher.store import Store
from matcher.store.partners import Partners
from matcher.store.plans import NewItem, NewPlan, Plans
from matcher.text.encoders import FakeEncoder
from tests.api.conftest import key_headers
from tests.conftest import TRAINING, TRAINING_B, UNIVERSITY, course, graduate


@pytest.fixture()
def site(any_store: Store, settings: Any) -> Iterator[dict[str, Any]]:
    store = any_store
    for given, pid in ((TRAINING, "pt-tr"), (TRAINING_B, "pt-tr2"), (UNIVERSITY, "pt-u")):
        Partners(store).add(given, "test", partner_id=pid)
    gids = [f"g-{i}" for i in range(4)]
    store.upsert("graduates", [prepare("graduates", graduate(g, name=f"学员{g}")) for g in gids])
    app = create_app(settings.replace(api_worker=False), store, encoder=FakeEncoder(32))
    with TestClient(app) as client:
        yield {
            "client": client,
            "store": store,
            "tr": key_headers(store, "partner", partner="pt-tr"),
            "tr2": key_headers(store, "partner", partner="pt-tr2"),
            "university": key_headers(store, "partner", partner="pt-u"),
            "bureau": key_headers(store, "bureau"),
            "adviser": key_headers(store, "adviser", adviser="a-1"),
        }


def _send(store: Store, gid: str, training_id: str, status: str = "proposed") -> str:
    """An adviser's plan for ``gid`` holding the course, agreed with the graduate; returns the
    plan's id."""
    item = NewItem(f"i-{gid}", "training", training_id, status, 0, ["技能提升"])
    plans = Plans(store)
    plans.create(NewPlan(f"pl-{gid}", gid, "a-1", [item], "adviser:a-1/k1"))
    plans.update(f"pl-{gid}", {"status": "agreed"}, "adviser:a-1/k1", "status", {"to": "agreed"})
    return f"pl-{gid}"


def test_an_institution_publishes_its_own_courses_only(site: dict[str, Any]) -> None:
    client = site["client"]
    made = client.post("/trainings", json=course("t-1"), headers=site["tr"])
    assert made.status_code == 201, made.text
    assert made.json()["partner"] == "pt-tr"
    forged = client.post("/trainings", json=course("t-2", partner="pt-tr2"), headers=site["tr"])
    assert forged.status_code == 201 and forged.json()["partner"] == "pt-tr"
    bulk = client.post(
        "/trainings/bulk",
        json=[course("t-1", capacity=40), course("t-3"), course("t-4", title="")],
        headers=site["tr2"],
    ).json()
    assert bulk["inserted"] == 1 and bulk["updated"] == 0
    assert sorted((e["index"], e["id"], e["field"]) for e in bulk["errors"]) == [
        (0, "t-1", "id"),
        (2, "t-4", "title"),
    ]
    assert client.get("/trainings/t-1", headers=site["tr"]).json()["capacity"] == 30
    refused = client.post("/trainings", json=course("t-9"), headers=site["university"])
    assert refused.status_code == 403 and "培训机构" in refused.json()["detail_zh"]
    own = client.get("/trainings", params={"partner": "pt-tr"}, headers=site["adviser"])
    assert [c["id"] for c in own.json()["items"]] == ["t-1", "t-2"]
    unknown = client.post("/trainings", json=course("t-5", partner="pt-u"), headers=site["bureau"])
    assert unknown.status_code == 422 and unknown.json()["field"] == "partner"
    kept = client.post("/trainings", json=course("t-1", capacity=35), headers=site["bureau"])
    assert kept.status_code == 201 and kept.json()["partner"] == "pt-tr"
    source = client.get("/trainings/t-1", headers=site["bureau"]).json()
    assert source["capacity"] == 35


def test_completion_reported_by_the_institution_turns_the_plan_item_done(
    site: dict[str, Any],
) -> None:
    client, store = site["client"], site["store"]
    client.post("/trainings", json=course("t-1"), headers=site["tr"])
    client.post("/trainings", json=course("t-2"), headers=site["tr2"])
    plans = {gid: _send(store, gid, "t-1") for gid in ("g-0", "g-1", "g-2")}
    _send(store, "g-3", "t-2")
    sent = client.get("/trainings/t-1/enrolments", headers=site["tr"])
    assert sent.status_code == 200, sent.text
    assert [(t["graduate_id"], t["name"], t["status"]) for t in sent.json()] == [
        ("g-0", "学员g-0", "proposed"),
        ("g-1", "学员g-1", "proposed"),
        ("g-2", "学员g-2", "proposed"),
    ]
    assert all("contact" not in t for t in sent.json())
    enrolled = client.post(
        "/trainings/t-1/enrolments",
        json={
            "enrolments": [
                {"graduate_id": "g-0", "status": "enrolled"},
                {"graduate_id": "g-1", "status": "enrolled"},
                {"graduate_id": "g-3", "status": "enrolled"},  # sent to another course
                {"graduate_id": "g-2", "status": "graduated"},  # not a status
                {"status": "done"},  # no graduate
            ]
        },
        headers=site["tr"],
    ).json()
    assert (enrolled["changed"], enrolled["unchanged"]) == (2, 0)
    assert [(e["index"], e["id"], e["field"]) for e in enrolled["errors"]] == [
        (2, "g-3", "graduate_id"),
        (3, "g-2", "status"),
        (4, None, "graduate_id"),
    ]
    assert "学员名单" in enrolled["errors"][0]["message_zh"]
    done = client.post(
        "/trainings/t-1/enrolments",
        json={
            "enrolments": [
                {"graduate_id": "g-0", "status": "done"},
                {"graduate_id": "g-1", "status": "enrolled"},
            ]
        },
        headers=site["tr"],
    ).json()
    assert (done["changed"], done["unchanged"], done["errors"]) == (1, 1, [])
    plan = client.get(f"/plans/{plans['g-0']}", headers=site["bureau"]).json()
    [item] = plan["items"]
    assert item["status"] == "done" and plan["status"] == "in_progress"
    history = client.get(f"/plans/{plans['g-0']}/history", headers=site["bureau"]).json()
    moves = [(e["actor"], e["detail"].get("to")) for e in history if e["action"] == "item_status"]
    assert moves == [("partner:pt-tr", "enrolled"), ("partner:pt-tr", "done")]
    other = client.get(f"/plans/{plans['g-1']}", headers=site["bureau"]).json()
    assert other["items"][0]["status"] == "enrolled"
    shown = client.get("/partners/pt-tr/figures", headers=site["tr"])
    assert shown.status_code == 200, shown.text
    [month] = shown.json()["months"]
    assert {k: v for k, v in month.items() if k != "month"} == {
        "contributed": 1,
        "rejected": 3,  # the three refused entries of the first report
        "sent": 3,
        "enrolled": 2,
        "done": 1,
        "declined": 0,
    }
    assert shown.json()["courses"] == 1
    assert client.get("/partners/pt-tr2/figures", headers=site["tr"]).status_code == 403


def test_an_institution_sees_and_reports_on_its_own_courses_only(site: dict[str, Any]) -> None:
    client, store = site["client"], site["store"]
    client.post("/trainings", json=course("t-1"), headers=site["tr"])
    _send(store, "g-0", "t-1")
    refusals = {
        "another institution reads": client.get("/trainings/t-1/enrolments", headers=site["tr2"]),
        "another institution reports": client.post(
            "/trainings/t-1/enrolments",
            json={"enrolments": [{"graduate_id": "g-0", "status": "done"}]},
            headers=site["tr2"],
        ),
        "a university reads": client.get("/trainings/t-1/enrolments", headers=site["university"]),
        "an adviser reports": client.post(
            "/trainings/t-1/enrolments",
            json={"enrolments": [{"graduate_id": "g-0", "status": "done"}]},
            headers=site["adviser"],
        ),
    }
    assert {name: r.status_code for name, r in refusals.items()} == dict.fromkeys(refusals, 403)
    assert all(r.json()["detail_zh"] for r in refusals.values())
    on_behalf = client.post(
        "/trainings/t-1/enrolments",
        json={"enrolments": [{"graduate_id": "g-0", "status": "enrolled"}]},
        headers=site["bureau"],
    )
    assert on_behalf.status_code == 200 and on_behalf.json()["changed"] == 1
    Partners(store).set_status("pt-tr", "suspended", "资质到期", "test")
    shut = client.get("/trainings/t-1/enrolments", headers=site["tr"])
    assert shut.status_code in (401, 403)
