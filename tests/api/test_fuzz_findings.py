"""What the schema fuzzing of issue 21 found, each kept as a regression test on SQLite and
PostgreSQL (``test_fuzz.py`` finds such things; these say what was wrong)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from matcher.config import Settings
from matcher.store import Store
from matcher.text.encoders import FakeEncoder
from tests.api.conftest import key_headers
from tests.conftest import graduate, position


@pytest.fixture
def client(any_store: Store, settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings, any_store, encoder=FakeEncoder(16))
    with TestClient(app, raise_server_exceptions=False) as client:
        client.headers.update(key_headers(any_store, "admin"))
        yield client


def test_an_employer_sent_again_by_name_is_updated_not_a_conflict(client):
    """Employers without an id are keyed by their name: sending one again (alone or in a bulk
    request) is an update, not a 409 or a 500."""
    first = client.post("/employers", json={"name": "重庆甲公司", "size": "50-149人"})
    again = client.post("/employers", json={"name": "重庆甲公司", "size": "150-499人"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"] and again.json()["size"] == "150-499人"
    bulk = client.post("/employers/bulk", json=[{"name": "重庆甲公司"}, {"name": "重庆乙公司"}])
    assert bulk.status_code == 200
    assert bulk.json()["errors"] == [] and bulk.json()["inserted"] == 1


def test_a_record_id_no_database_holds_is_refused_naming_the_record(client):
    """A NUL in an id reached the store's lookup before validation (PostgreSQL: 500)."""
    one = client.post("/positions", json={"id": "p\x00", "title": "文员"})
    assert one.status_code == 422 and one.json()["field"] == "id"
    bulk = client.post("/graduates/bulk", json=[{"id": "g\x00"}, {"id": "g-2"}])
    assert bulk.status_code == 200
    assert [e["index"] for e in bulk.json()["errors"]] == [0] and bulk.json()["inserted"] == 1


def test_the_longest_idempotency_key_is_stored_and_replays(client):
    """A 200-character key with the caller's id in front overflowed the stored column
    (PostgreSQL: 500)."""
    key = {"Idempotency-Key": "k" * 200}
    body = {"name": "春季招聘", "segment": {"graduate_ids": ["g-0"]}, "k": 1}
    first = client.post("/campaigns", json=body, headers=key)
    again = client.post("/campaigns", json=body, headers=key)
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"


def test_texts_longer_than_their_columns_are_refused_naming_the_field(client):
    """The exchange format allowed texts longer than the columns they are kept in, and a
    support group named again and again (PostgreSQL: 500)."""
    for path, record, field in (
        ("/graduates", graduate("g-1", name="李" * 101), "name"),
        ("/graduates", graduate("g-2", adviser="a" * 101), "adviser"),
        ("/positions", position("p-1", source="s" * 33), "source"),
    ):
        answer = client.post(path, json=record, headers={"Accept-Language": "zh-CN"})
        assert answer.status_code == 422, answer.text
        assert answer.json()["field"] == field and "过长" in answer.json()["detail"]
    repeated = client.post("/graduates", json=graduate("g-3", support=["disabled"] * 20))
    assert repeated.status_code == 201 and repeated.json()["support"] == ["disabled"]


def test_a_write_is_checked_against_the_record_its_content_id_replaces(store):
    """An employer sent without an id is stored under the id its credit code decides: the
    caller's check must see the record stored there (single and bulk writes alike)."""
    from api.routes._writes import write_many, write_one
    from matcher.records.prepare import prepare

    code = "91500105598733267M"
    store.upsert("employers", [prepare("employers", {"name": "甲", "credit_code": code})])
    seen: list[object] = []

    def check(item, stored):
        seen.append(stored)

    write_one(store, "employers", {"name": "乙", "credit_code": code}, check)
    write_many(store, "employers", [{"name": "丙", "credit_code": code}], check)
    assert [s["name"] for s in seen] == ["甲", "乙"]
