"""Field provenance (issue 17): every stored record knows who created it, and for each field
changed since, who changed it last and when; an unchanged write changes nothing; what a
graduate, an adviser or a university reads through the API. On SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from api.app import create_app
from matcher.records.prepare import prepare
from matcher.store import Store
from matcher.store.partners import Partners
from matcher.store.provenance import of_record
from matcher.text.encoders import FakeEncoder
from tests.api.conftest import key_headers
from tests.conftest import UNIVERSITY, graduate, position


def test_each_field_names_who_set_it_last(any_store: Store) -> None:
    store = any_store
    record = graduate("g-1", bio="喜欢编程")
    store.upsert("graduates", [prepare("graduates", record)], source="partner:pt-u")
    first = of_record(store.engine, "graduates", "g-1")
    assert first["created_by"] == "partner:pt-u" and first["created_by_zh"] == "合作机构 pt-u"
    assert {f["source"] for f in first["fields"].values()} == {"partner:pt-u"}
    assert {f["at"] for f in first["fields"].values()} == {first["created_at"]}
    store.revise("graduates", "g-1", {"status": "employed"}, source="graduate:k-9")
    changed = {k: v for k, v in record.items() if k != "bio"} | {"skills": ["Python", "SQL"]}
    store.upsert(
        "graduates", [prepare("graduates", changed | {"status": "employed"})], source="adviser:k-2"
    )
    store.upsert(
        "graduates", [prepare("graduates", changed | {"status": "employed"})], source="import"
    )
    fields = of_record(store.engine, "graduates", "g-1")["fields"]
    assert fields["status"]["source"] == "graduate:k-9"
    assert fields["skills"]["source"] == fields["bio"]["source"] == "adviser:k-2"
    assert fields["bio"]["present"] is False and fields["skills"]["present"] is True
    assert fields["name"]["source"] == fields["school"]["source"] == "partner:pt-u"
    assert fields["status"]["at"] < fields["skills"]["at"]
    store.upsert("positions", [prepare("positions", position("p-1"))])
    assert of_record(store.engine, "positions", "p-1")["created_by"] == "import"


def test_provenance_through_the_api_follows_who_may_read_the_record(
    any_store: Store, settings: Any
) -> None:
    store = any_store
    Partners(store).add(UNIVERSITY, "test", partner_id="pt-u")
    app = create_app(settings.replace(api_worker=False), store, encoder=FakeEncoder(32))
    with TestClient(app) as client:
        university = key_headers(store, "partner", partner="pt-u")
        stranger = key_headers(store, "adviser", adviser="a-9", districts=["510000"])
        made = client.post("/graduates", json=graduate("g-1"), headers=university)
        assert made.status_code == 201, made.text
        client.patch(
            "/graduates/g-1", json={"status": "employed"}, headers=key_headers(store, "bureau")
        )
        seen = client.get("/graduates/g-1/provenance", headers=university)
        assert seen.status_code == 200, seen.text
        body = seen.json()
        assert body["created_by"] == "partner:pt-u"
        assert body["fields"]["status"]["source"].startswith("bureau:")
        assert body["fields"]["status"]["source_zh"] == "经办人员"
        refused = client.get("/graduates/g-1/provenance", headers=stranger)
        assert refused.status_code == 403 and refused.json()["detail_zh"]
        missing = client.get("/graduates/g-404/provenance", headers=university)
        assert missing.status_code == 404
