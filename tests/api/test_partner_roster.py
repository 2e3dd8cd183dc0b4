"""A university's roster through real HTTP (issue 17): a university's key uploads its graduates
in bulk (each broken line named, the rest stored, each marked as that university's), reads and
updates them, and sees nothing of another school's; the stored record's university decides,
not the incoming one; other partner kinds supply no graduates; only the bureau moves a
graduate to another university; a university's figures by month. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from api.app import create_app
from matcher.records.prepare import prepare
from matcher.store import Store, tables
from matcher.store.partners import Partners
from matcher.text.encoders import FakeEncoder
from matcher.types import REPORT_TZ
from tests.api.conftest import key_headers
from tests.conftest import AGENCY, UNIVERSITY, graduate, position

SWU = {"kind": "university", "name": "西南大学", "code": "10635", "districts": ["500109"]}


@pytest.fixture()
def site(any_store: Store, settings: Any) -> Iterator[dict[str, Any]]:
    store = any_store
    for given, pid in ((UNIVERSITY, "pt-cqu"), (SWU, "pt-swu"), (AGENCY, "pt-agency")):
        Partners(store).add(given, "test", partner_id=pid)
    app = create_app(settings.replace(api_worker=False), store, encoder=FakeEncoder(32))
    with TestClient(app) as client:
        yield {
            "client": client,
            "store": store,
            "cqu": key_headers(store, "partner", partner="pt-cqu"),
            "swu": key_headers(store, "partner", partner="pt-swu"),
            "agency": key_headers(store, "partner", partner="pt-agency"),
            "bureau": key_headers(store, "bureau"),
        }


def _roster(n: int) -> list[Any]:
    lines: list[Any] = [graduate(f"g-{i:04d}", name=f"学生{i}") for i in range(n)]
    lines[10] = graduate("g-0010", degree="本硕连读")  # not a degree
    lines[20] = graduate("g-0020", graduation_year=1850)  # out of range
    lines[30] = graduate("g 0030")  # an id with a space
    lines[40] = {k: v for k, v in graduate("g-0040").items() if k != "id"}  # no id
    lines[50] = "g-0050,重庆大学,会计学"  # a CSV line where a record should be
    return lines


def test_a_university_uploads_its_roster_and_sees_only_its_own(site: dict[str, Any]) -> None:
    client, store = site["client"], site["store"]
    sent = client.post("/graduates/bulk", json=_roster(500), headers=site["cqu"])
    assert sent.status_code == 200, sent.text
    answer = sent.json()
    assert answer["inserted"] == 495 and len(answer["errors"]) == 5
    named = {(e.get("index"), e.get("field")) for e in answer["errors"]}
    assert {i for i, _ in named} == {10, 20, 30, 40, 50}
    assert ("degree" in str(answer["errors"])) and ("graduation_year" in str(answer["errors"]))
    assert all(e["message_zh"] for e in answer["errors"])
    assert store.get("graduates", "g-0001")["partner"] == "pt-cqu"

    listed = client.get("/graduates?count=true&limit=500", headers=site["cqu"]).json()
    assert listed["total"] == 495
    assert client.get("/graduates", headers=site["swu"]).json()["items"] == []
    assert client.get("/graduates/g-0001", headers=site["swu"]).status_code == 403
    assert client.get("/graduates/g-0001/recommendations", headers=site["cqu"]).status_code == 200

    moved = client.patch(
        "/graduates/g-0001",
        json={"status": "employed"},
        headers=site["cqu"] | {"Content-Type": "application/merge-patch+json"},
    )
    assert moved.status_code == 200 and moved.json()["status"] == "employed"


def test_the_stored_university_decides_who_may_change_a_graduate(site: dict[str, Any]) -> None:
    client, store = site["client"], site["store"]
    client.post("/graduates/bulk", json=[graduate("g-1"), graduate("g-2")], headers=site["cqu"])
    patch = {"Content-Type": "application/merge-patch+json"}
    other = client.patch("/graduates/g-1", json={"status": "employed"}, headers=site["swu"] | patch)
    assert other.status_code == 403
    taken = client.post(
        "/graduates/bulk", json=[graduate("g-1", name="冒名"), graduate("g-9")], headers=site["swu"]
    )
    assert taken.status_code == 200 and taken.json()["inserted"] == 1
    assert [e["id"] for e in taken.json()["errors"]] == ["g-1"]
    assert store.get("graduates", "g-1")["name"] == "李明" and "partner" in store.get(
        "graduates", "g-1"
    )
    away = client.patch("/graduates/g-1", json={"partner": "pt-swu"}, headers=site["cqu"] | patch)
    assert away.status_code == 403 and away.json()["field"] == "partner"
    agency = client.post("/graduates/bulk", json=[graduate("g-3")], headers=site["agency"])
    assert agency.status_code == 403 and "只有高校" in agency.json()["detail_zh"]
    # a full replace by the bureau without the field keeps the university; the bureau may move it
    client.post("/graduates", json=graduate("g-2", name="王五"), headers=site["bureau"])
    assert store.get("graduates", "g-2")["partner"] == "pt-cqu"
    client.post("/graduates", json=graduate("g-2", partner="pt-swu"), headers=site["bureau"])
    assert client.get("/graduates/g-2", headers=site["swu"]).status_code == 200
    client.patch("/graduates/g-1", json={"adviser": "a-1"}, headers=site["bureau"] | patch)
    adviser = key_headers(store, "adviser", adviser="a-1")
    assert client.get("/graduates/g-1", headers=adviser).status_code == 200
    refused = client.patch("/graduates/g-1", json={"partner": None}, headers=adviser | patch)
    assert refused.status_code == 403 and refused.json()["field"] == "partner"
    Partners(store).set_status("pt-cqu", "suspended", "名单数据待核实", "test")
    assert client.get("/graduates", headers=site["cqu"]).status_code == 401


def test_a_university_sees_its_own_figures_by_month(site: dict[str, Any]) -> None:
    client, store = site["client"], site["store"]
    store.upsert("positions", [prepare("positions", position("p-1", expires_at="2099-12-31"))])
    roster = [graduate(f"g-{i}") for i in range(4)] + [graduate("g-bad", graduation_year=1850)]
    for _ in range(2):  # sent twice: the refused line counts once
        client.post("/graduates/bulk", json=roster, headers=site["cqu"])
    client.post("/graduates/bulk", json=[graduate("g-other")], headers=site["swu"])
    earlier = datetime(2026, 1, 15, tzinfo=UTC)
    with store.engine.begin() as conn:  # g-0 and g-1 were supplied in January
        conn.execute(
            sa.update(tables.graduates)
            .where(tables.graduates.c.id.in_(["g-0", "g-1"]))
            .values(created_at=earlier)
        )
    client.get("/graduates/g-2/recommendations", headers=site["cqu"])  # a list shown
    for gid in ("g-2", "g-3", "g-other"):
        made = client.post(
            "/offers", json={"graduate_id": gid, "position_id": "p-1"}, headers=site["bureau"]
        )
        assert made.status_code == 201, made.text
        if gid != "g-other":
            for event in ("viewed", "applied"):
                client.post(
                    f"/offers/{made.json()['id']}/events",
                    json={"event": event},
                    headers=site["bureau"],
                )
    client.patch(
        "/graduates/g-3",
        json={"status": "employed"},
        headers=site["cqu"] | {"Content-Type": "application/merge-patch+json"},
    )
    shown = client.get("/partners/pt-cqu/figures", headers=site["cqu"])
    assert shown.status_code == 200, shown.text
    body = shown.json()
    now = datetime.now(UTC).astimezone(REPORT_TZ).strftime("%Y-%m")
    months = {m["month"]: m for m in body["months"]}
    assert months["2026-01"]["contributed"] == 2
    assert months[now] == {
        "month": now,
        "contributed": 2,
        "rejected": 1,
        "matched": 1,
        "offered": 2,
        "applied": 2,
        "hired": 0,
    }
    assert body["graduates"] == 4 and body["employment_rate"] == 0.25
    assert body["labels"]["rejected"] == "被拒收"
    [rate] = body["employment_by_month"]
    assert rate == {
        "month": now,
        "graduates": 4,
        "by_status": {"employed": 1, "seeking": 3},
        "employment_rate": 0.25,
    }
    assert client.get("/partners/pt-swu/figures", headers=site["cqu"]).status_code == 403
    agency = client.get("/partners/pt-agency/figures", headers=site["bureau"])
    assert agency.status_code == 200 and agency.json()["kind"] == "agency"
    assert agency.json()["postings"] == 0 and agency.json()["months"] == []


def test_a_university_reports_destinations_and_advisers_see_disagreements(
    site: dict[str, Any],
) -> None:
    client, store = site["client"], site["store"]
    roster = [graduate(f"g-{i}", adviser="a-1") for i in range(3)]
    assert client.post("/graduates/bulk", json=roster, headers=site["cqu"]).status_code == 200
    client.post("/graduates/bulk", json=[graduate("g-swu")], headers=site["swu"])
    own = key_headers(store, "graduate", graduate="g-2")
    said = client.patch("/graduates/g-2", json={"status": "further_study"}, headers=own)
    assert said.status_code == 200, said.text
    month = datetime.now(UTC).astimezone(REPORT_TZ).strftime("%Y-%m")
    body = {
        "month": month,
        "destinations": [
            {"id": "g-0", "status": "employed"},
            {"id": "g-2", "status": "seeking"},  # the graduate said otherwise this month
            {"id": "g-swu", "status": "employed"},  # another school's graduate
        ],
    }
    sent = client.post("/partners/pt-cqu/destinations", json=body, headers=site["cqu"])
    assert sent.status_code == 200, sent.text
    answer = sent.json()
    assert (answer["recorded"], answer["applied"], answer["disagreements"]) == (2, 1, 1)
    assert [(e["id"], e["field"]) for e in answer["errors"]] == [("g-swu", "id")]
    assert "不在本校" in answer["errors"][0]["message_zh"]
    assert client.get("/graduates/g-0", headers=site["cqu"]).json()["status"] == "employed"
    assert client.get("/graduates/g-swu", headers=site["bureau"]).json()["status"] == "seeking"
    adviser = key_headers(store, "adviser", adviser="a-1")
    seen = client.get("/graduates/g-2/history", headers=adviser)
    assert seen.status_code == 200, seen.text
    assert [
        (d["status"], d["reported"], d["source_label"]) for d in seen.json()["disagreements"]
    ] == [("further_study", "seeking", "本人")]
    assert client.get("/graduates/g-2", headers=own).json()["status"] == "further_study"
    refused = {
        "other school": client.post(
            "/partners/pt-cqu/destinations", json=body, headers=site["swu"]
        ).status_code,
        "agency": client.post(
            "/partners/pt-agency/destinations", json=body, headers=site["agency"]
        ).status_code,
        "future": client.post(
            "/partners/pt-cqu/destinations",
            json=body | {"month": "2100-01"},
            headers=site["cqu"],
        ).status_code,
        "history of another school's graduate": client.get(
            "/graduates/g-swu/history", headers=site["cqu"]
        ).status_code,
        "history outside the adviser's caseload": client.get(
            "/graduates/g-swu/history", headers=adviser
        ).status_code,
    }
    assert refused == {
        "other school": 403,
        "agency": 409,
        "future": 422,
        "history of another school's graduate": 403,
        "history outside the adviser's caseload": 403,
    }
    on_behalf = client.post("/partners/pt-cqu/destinations", json=body, headers=site["bureau"])
    assert on_behalf.status_code == 200 and on_behalf.json()["recorded"] == 2
