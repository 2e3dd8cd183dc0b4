"""Erasing a graduate leaves none of their personal data in any table, message or file, on
SQLite and on PostgreSQL: messages not yet delivered are cancelled, delivered ones keep only
ids, the open plan is closed with its session cancelled, and the profile's vector is gone
from the saved index at once."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import sqlalchemy as sa
from fastapi.testclient import TestClient

from api.app import create_app
from matcher.records.prepare import prepare
from matcher.store import impressions, tables
from matcher.text.encoders import FakeEncoder
from tests.api.conftest import key_headers
from tests.conftest import graduate, position

PERSONAL = {
    "name": "欧阳测删",
    "phone": "13900001111",
    "email": "erase-me@example.cn",
    "wechat": "wx_erase_me",
    "bio": "在独角鲸实验室做过数据清洗",
    "school": "测删职业技术学院",
    "note": "面谈记录：欧阳测删希望去南岸区",
}


def _everything_in_tables(engine: sa.Engine) -> str:
    with engine.connect() as conn:
        return "\n".join(
            json.dumps(
                [dict(r) for r in conn.execute(sa.select(t)).mappings()],
                default=str,
                ensure_ascii=False,
            )
            for t in tables.metadata.sorted_tables
        )


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_erasure_leaves_no_personal_data_in_any_table_message_or_file(any_store, settings):
    store = any_store
    later = "2099-12-31"
    store.upsert(
        "positions", [prepare("positions", position(f"p-{i}", expires_at=later)) for i in range(6)]
    )
    person = graduate(
        "g-x",
        name=PERSONAL["name"],
        school=PERSONAL["school"],
        bio=PERSONAL["bio"],
        adviser="a-1",
        contact={k: PERSONAL[k] for k in ("phone", "email", "wechat")},
        consent={"push": True, "plan": True},
    )
    store.upsert("graduates", [prepare("graduates", person), prepare("graduates", graduate("g-y"))])
    s = settings.replace(
        api_worker=False, quiet_hours="off", webhook_urls="http://127.0.0.1:9/hook"
    )
    with TestClient(create_app(s, store, encoder=FakeEncoder(32))) as client:
        adviser, bureau = key_headers(store, "adviser", adviser="a-1"), key_headers(store, "bureau")
        plan = client.post("/plans", json={"graduate_id": "g-x"}, headers=adviser)
        assert plan.status_code == 201, plan.text
        plan = plan.json()
        assert any(i["kind"] == "guidance" and i["scheduled_at"] for i in plan["items"])
        noted = client.post(
            f"/plans/{plan['id']}/notes", json={"text": PERSONAL["note"]}, headers=adviser
        )
        assert noted.status_code == 200, noted.text
        offers = [
            client.post(
                "/offers", json={"graduate_id": "g-x", "position_id": f"p-{i}"}, headers=bureau
            )
            for i in (1, 2)
        ]
        assert [o.status_code for o in offers] == [201, 201], [o.text for o in offers]
        with store.engine.begin() as conn:  # the first offer's message went out already
            conn.execute(
                sa.update(tables.outbox)
                .where(tables.outbox.c.offer_id == offers[0].json()["id"])
                .values(status="delivered")
            )
        shown = client.get("/graduates/g-x/recommendations", headers=bureau)
        assert shown.status_code == 200, shown.text
        logged = {i["surface"] for i in impressions.of_graduate(store, "g-x")}
        assert logged == {"plan", "api"}  # the lists they were shown
        before = _everything_in_tables(store.engine)
        assert all(value in before for value in PERSONAL.values())  # the test sees them

        erased = client.delete("/graduates/g-x", headers=bureau)
        assert erased.status_code == 200, erased.text
        body = erased.json()
        assert body["id"] == "g-x" and body["status"] == "not_seeking" and body["erased_at"]
        assert body["erased"]["messages_cancelled"] == 1
        assert body["erased"]["messages_redacted"] == 1
        assert body["erased"]["plans_closed"] == 1 and body["erased"]["sessions_cancelled"] == 1
        assert body["erased"]["impressions_deleted"] == 2
        assert impressions.of_graduate(store, "g-x") == []

        after = _everything_in_tables(store.engine)
        left = {k: v for k, v in PERSONAL.items() if v in after}
        assert not left, left
        with store.engine.connect() as conn:
            messages = conn.execute(sa.select(tables.outbox)).mappings().all()
            plan_row = conn.execute(sa.select(tables.plans)).mappings().one()
        assert sorted(m["status"] for m in messages) == ["cancelled", "delivered"]
        assert all(set(m["payload"]["graduate"]) == {"id"} for m in messages)
        assert plan_row["status"] == "closed"

        folder = s.resolved_index_dir
        keys = np.concatenate([np.load(p) for p in folder.rglob("keys.npy")])
        assert "g-y" in keys and "g-x" not in keys  # its row is gone, not just tombstoned
        files = _files(s.data_dir)
        assert any(p.name == "vectors.npy" for p in files)
        for path in files:
            raw = path.read_bytes()
            found = [k for k, v in PERSONAL.items() if v.encode() in raw]
            assert not found, (path, found)


def test_consent_to_planning_is_kept_and_decides_whether_a_plan_is_drafted(store, settings):
    """``consent.plan`` survives validation through the API: a graduate who refused a plan
    gets none even with push consent; one who agreed gets one without push consent."""
    store.upsert(
        "positions",
        [prepare("positions", position(f"p-{i}", expires_at="2099-12-31")) for i in range(4)],
    )
    s = settings.replace(api_worker=False, quiet_hours="off")
    with TestClient(create_app(s, store, encoder=FakeEncoder(32))) as client:
        bureau = key_headers(store, "bureau")
        for gid, consent in (
            ("g-no", {"push": True, "plan": False}),
            ("g-yes", {"push": False, "plan": True}),
        ):
            written = client.post("/graduates", json=graduate(gid, consent=consent), headers=bureau)
            assert written.status_code in (200, 201), written.text
            assert client.get(f"/graduates/{gid}", headers=bureau).json()["consent"] == consent
        refused = client.post("/plans", json={"graduate_id": "g-no"}, headers=bureau)
        assert refused.status_code == 422 and refused.json()["field"] == "consent", refused.text
        agreed = client.post("/plans", json={"graduate_id": "g-yes"}, headers=bureau)
        assert agreed.status_code == 201, agreed.text
