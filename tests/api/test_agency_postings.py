"""Agencies post for the employers that authorised them (issue 17): an authorisation granted by
the employer or the bureau with its last day, checked on every posting the agency writes and
every candidate list it reads; postings are screened and blacklists hold as for anyone; the
authorisation ends when revoked or past its day. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from api.app import create_app
from matcher.records.prepare import employer_id, prepare
from matcher.store import Store, tables
from matcher.store.authorisations import today
from matcher.store.partners import Partners
from matcher.text.encoders import FakeEncoder
from tests.api.conftest import A, B, key_headers, two_employers_postings
from tests.conftest import AGENCY, UNIVERSITY, graduate, position

EA, EB = employer_id(A, None), employer_id(B, None)


@pytest.fixture()
def site(any_store: Store, settings: Any) -> Iterator[dict[str, Any]]:
    store = any_store
    two_employers_postings(store)
    store.upsert("graduates", [prepare("graduates", graduate(f"g-{i}")) for i in range(3)])
    Partners(store).add(AGENCY, "test", partner_id="pt-ag")
    Partners(store).add(UNIVERSITY, "test", partner_id="pt-u")
    app = create_app(settings.replace(api_worker=False), store, encoder=FakeEncoder(32))
    with TestClient(app) as client:
        yield {
            "client": client,
            "store": store,
            "agency": key_headers(store, "partner", partner="pt-ag"),
            "university": key_headers(store, "partner", partner="pt-u"),
            "a": key_headers(store, "employer", employer=EA),
            "b": key_headers(store, "employer", employer=EB),
            "bureau": key_headers(store, "bureau"),
        }


def _ad(pid: str, employer: str, **changes: Any) -> dict[str, Any]:
    return position(pid, employer={"name": employer}, expires_at="2099-12-31", **changes)


def test_an_agency_posts_only_for_employers_that_authorised_it(site: dict[str, Any]) -> None:
    client, store = site["client"], site["store"]
    until = (today() + timedelta(days=90)).isoformat()
    before = client.post("/positions", json=_ad("p-ag1", A), headers=site["agency"])
    assert before.status_code == 403 and "代理招聘授权" in before.json()["detail_zh"]
    not_yours = client.post(
        "/partners/pt-ag/authorisations",
        json={"employer_id": EB, "until": until},
        headers=site["a"],
    )
    assert not_yours.status_code == 403 and not_yours.json()["field"] == "employer_id"
    granted = client.post(
        "/partners/pt-ag/authorisations",
        json={"employer_id": EA, "until": until},
        headers=site["a"],
    )
    assert granted.status_code == 201, granted.text
    assert granted.json()["active"] is True and granted.json()["valid_until"] == until
    assert (
        client.post("/positions", json=_ad("p-ag1", A), headers=site["agency"]).status_code == 201
    )
    bulk = client.post(
        "/positions/bulk", json=[_ad("p-ag2", A), _ad("p-ag3", B)], headers=site["agency"]
    ).json()
    assert bulk["inserted"] == 1 and [(e["id"], e["field"]) for e in bulk["errors"]] == [
        ("p-ag3", "id")
    ]
    refused = {
        "another employer's posting": client.patch(
            "/positions/p-b", json={"title": "x"}, headers=site["agency"]
        ).status_code,
        "candidates of another employer": client.get(
            "/positions/p-b/candidates", headers=site["agency"]
        ).status_code,
        "a university posting": client.post(
            "/positions", json=_ad("p-u", A), headers=site["university"]
        ).status_code,
        "another employer's list": len(
            client.get("/partners/pt-ag/authorisations", headers=site["b"]).json()
        ),
        "a past day": client.post(
            "/partners/pt-ag/authorisations",
            json={"employer_id": EA, "until": "2020-01-01"},
            headers=site["bureau"],
        ).status_code,
    }
    assert refused == {
        "another employer's posting": 403,
        "candidates of another employer": 403,
        "a university posting": 403,
        "another employer's list": 0,
        "a past day": 422,
    }
    shown = client.get("/positions/p-a/candidates", headers=site["agency"])
    assert shown.status_code == 200, shown.text
    assert all(i["title"].startswith("候选人") for i in shown.json()["items"])
    flagged = client.post(
        "/positions",
        json=_ad("p-ag4", A, description="限男性，35岁以下，本地户口"),
        headers=site["agency"],
    )
    assert flagged.status_code == 201 and store.get("positions", "p-ag4")["flagged"] is True
    listing = {p["id"] for p in client.get("/positions", headers=site["agency"]).json()["items"]}
    assert (
        "p-ag4" in listing
        and client.get("/positions/p-ag4", headers=site["agency"]).json()["flagged"]
    )  # the agency sees the hold on what it submitted, nobody outside the bureau's side does
    others = {p["id"] for p in client.get("/positions", headers=site["university"]).json()["items"]}
    assert "p-ag4" not in others and "p-ag1" in others
    assert client.get("/positions/p-ag4", headers=site["university"]).status_code == 404
    assert client.get("/positions/p-ag1/provenance", headers=site["agency"]).status_code == 200
    assert client.get("/positions/p-b/provenance", headers=site["agency"]).status_code == 403
    assert client.post("/positions/p-b/close", headers=site["agency"]).status_code == 403
    closed = client.post("/positions/p-ag1/close", headers=site["agency"])
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    client.post("/positions", json=_ad("p-ag1", A), headers=site["agency"])  # open again
    figures = client.get("/partners/pt-ag/figures", headers=site["agency"]).json()
    [month] = figures["months"]
    assert (month["contributed"], month["rejected"], month["flagged"]) == (3, 1, 1)
    assert figures["postings"] == 3
    made = client.get("/positions/p-ag1/provenance", headers=site["a"]).json()
    assert made["created_by"] == "partner:pt-ag" and made["created_by_zh"] == "合作机构 pt-ag"
    assert client.get("/graduates", headers=site["agency"]).json()["items"] == []  # no roster
    listed = client.get("/partners/pt-ag/authorisations", headers=site["agency"]).json()
    assert [(x["employer_id"], x["active"]) for x in listed] == [(EA, True)]


def test_an_authorisation_ends_when_revoked_past_its_day_or_the_employer_is_blacklisted(
    site: dict[str, Any],
) -> None:
    client, store = site["client"], site["store"]
    until = (today() + timedelta(days=30)).isoformat()
    body = {"employer_id": EA, "until": until}
    assert (
        client.post("/partners/pt-ag/authorisations", json=body, headers=site["bureau"]).status_code
        == 201
    )
    assert client.post("/positions", json=_ad("p-1", A), headers=site["agency"]).status_code == 201
    blacklisted = client.post(
        f"/employers/{EA}/blacklist", json={"reason": "拖欠工资"}, headers=site["bureau"]
    )
    assert blacklisted.status_code == 200, blacklisted.text
    held = client.post("/positions", json=_ad("p-2", A), headers=site["agency"])
    assert held.status_code == 403 and "黑名单" in held.json()["detail_zh"]
    client.post(f"/employers/{EA}/clear", json={"reason": "已整改"}, headers=site["bureau"])
    with store.engine.begin() as conn:  # the last day has passed
        conn.execute(
            sa.update(tables.agency_authorisations).values(valid_until=today() - timedelta(days=1))
        )
    expired = client.post("/positions", json=_ad("p-3", A), headers=site["agency"])
    assert expired.status_code == 403
    assert (
        client.post("/partners/pt-ag/authorisations", json=body, headers=site["a"]).json()["active"]
        is True
    )  # granted again: the day moves on
    gone = client.delete(f"/partners/pt-ag/authorisations/{EA}", headers=site["agency"])
    assert gone.status_code == 200 and gone.json()["active"] is False
    assert client.post("/positions", json=_ad("p-4", A), headers=site["agency"]).status_code == 403
