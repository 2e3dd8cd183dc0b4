"""A small constructed talent pool for August 2022 with known answers: postings that are new,
open, expired, closed before or after the month's end, flagged, outside Chongqing; seekers
with one, two or no desired districts; offers, feedback events, campaigns and plans."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from matcher.records.prepare import prepare
from matcher.store import Store
from matcher.store.tables import (
    campaigns,
    feedback_events,
    offers,
    plan_items,
    plans,
    positions,
)
from tests.conftest import graduate, position

MONTH = "2022-08"


def utc(text: str) -> datetime:
    """A UTC instant written ``YYYY-MM-DD HH:MM``."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _posting(pid: str, code: str | None, **changes: Any) -> dict[str, Any]:
    record = position(pid, **changes)
    record["location"] = {"code": code} if code and code.isdigit() else {"city": "重庆"}
    return {k: v for k, v in record.items() if v is not None}


POSTINGS = [
    _posting("p-1", "500112", posted_at="2022-08-05", expires_at="2022-10-31", headcount=3),
    _posting(
        "p-2",
        "500105",
        kind="traineeship",
        industry="汽车制造业",
        majors=["机械类", "计算机类"],
        education_min="大专",
        headcount=10,
        posted_at="2022-06-01",
        expires_at="2022-12-31",
        skills=["AutoCAD", "PLC"],
    ),
    _posting("p-3", "500112", posted_at="2022-07-01", expires_at="2022-08-15"),
    _posting("p-4", "500103", kind="internship", posted_at="2022-08-20", expires_at="2022-09-30"),
    _posting("p-5", "500103", posted_at="2022-07-10", expires_at=None, headcount=1),
    _posting("p-6", "500229", kind="grassroots", posted_at="2022-08-31", expires_at="2022-12-31"),
    _posting(
        "p-7",
        "440305",
        kind="public_institution",
        majors=[],
        headcount=None,
        posted_at="2022-08-02",
        expires_at="2022-11-30",
    ),
    _posting("p-8", None, posted_at="2022-09-02", expires_at="2022-12-31"),
    _posting(
        "p-9",
        "500112",
        title="护士",
        industry="卫生",
        majors=["护理类"],
        education_min="大专",
        headcount=2,
        posted_at="2022-07-15",
        expires_at="2022-09-30",
        skills=["静脉输液", "急救"],
    ),
    _posting(
        "p-10",
        "500105",
        industry="不存在的行业名称",
        education_min="硕士",
        headcount=4,
        posted_at="2022-08-10",
        expires_at="2022-12-31",
    ),
]
#: Store-managed state set after loading: (status, last change, flagged).
STATE = {
    "p-4": ("closed", utc("2022-08-25 02:00"), False),
    "p-5": ("closed", utc("2022-09-03 02:00"), False),
    "p-6": ("open", utc("2022-08-31 02:00"), True),
}
GRADUATES = [
    graduate("g-1", major="软件工程", degree="本科"),
    graduate(
        "g-2",
        major="计算机应用技术",
        degree="大专",
        desired={"districts": ["渝北区", "江北区"], "kinds": ["full_time", "traineeship"]},
    ),
    graduate("g-3", major="护理", degree="大专", desired={}, district="万州区"),
    graduate("g-4", major="会计学", degree="本科", desired={"cities": ["重庆"]}),
    graduate("g-5", status="employed", support=["low_income_family"]),
    graduate(
        "g-6",
        major="机械设计制造及其自动化",
        support=["disabled", "poverty_alleviated"],
        desired={"districts": ["江北区"], "kinds": ["traineeship"]},
        skills=["AutoCAD"],
    ),
    graduate(
        "g-7",
        major="护理学",
        support=["zero_employment_family"],
        desired={"districts": ["渝北区"]},
    ),
]


def load(store: Store) -> None:
    store.upsert("positions", [prepare("positions", p) for p in POSTINGS])
    store.upsert("graduates", [prepare("graduates", g) for g in GRADUATES])
    p = positions.c
    with store.engine.begin() as conn:
        for pid, (status, changed, flagged) in STATE.items():
            conn.execute(
                sa.update(positions)
                .where(p.id == pid)
                .values(status=status, updated_at=changed, flagged=flagged)
            )
        conn.execute(
            sa.insert(campaigns),
            [
                {
                    "id": "c-1",
                    "name": "渝北江北专场",
                    "segment": {},
                    "k": 3,
                    "kinds": [],
                    "status": "done",
                    "counts": {},
                    "created_at": utc("2022-08-01 01:00"),
                }
            ],
        )
        offer_rows = [
            ("o-1", "g-1", "p-1", "c-1", "2022-08-10 01:00"),
            ("o-2", "g-2", "p-1", "c-1", "2022-08-11 01:00"),
            ("o-3", "g-2", "p-2", "c-1", "2022-08-12 01:00"),
            ("o-4", "g-6", "p-2", None, "2022-08-20 01:00"),
            ("o-5", "g-7", "p-9", None, "2022-07-30 01:00"),  # July
            ("o-6", "g-4", "p-10", None, "2022-08-31 12:00"),  # 20:00 on the 31st in China
            ("o-7", "g-3", "p-9", None, "2022-08-31 16:30"),  # 00:30 on 1 September in China
        ]
        conn.execute(
            sa.insert(offers),
            [
                {
                    "id": oid,
                    "graduate_id": gid,
                    "position_id": pid,
                    "campaign_id": cid,
                    "status": "sent",
                    "created_at": utc(at),
                    "updated_at": utc(at),
                }
                for oid, gid, pid, cid, at in offer_rows
            ],
        )
        events = [
            ("g-1", "p-1", "viewed"),
            ("g-1", "p-1", "applied"),
            ("g-1", "p-1", "hired"),
            ("g-2", "p-1", "viewed"),
            ("g-2", "p-1", "declined"),
            ("g-6", "p-2", "viewed"),
            ("g-6", "p-2", "applied"),
            ("g-7", "p-9", "applied"),
            ("g-4", "p-10", "view"),
            ("g-3", "p-9", "hired"),
        ]
        conn.execute(
            sa.insert(feedback_events),
            [
                {"graduate_id": g, "position_id": p_, "event": e, "at": utc("2022-09-01 01:00")}
                for g, p_, e in events
            ],
        )
        plan_rows = [
            ("pl-1", "g-6", "active", None, "2022-08-05 01:00"),
            ("pl-2", "g-5", "closed", "employed", "2022-06-01 01:00"),
            ("pl-3", "g-7", "active", None, "2022-09-10 01:00"),  # after the month
        ]
        conn.execute(
            sa.insert(plans),
            [
                {
                    "id": pid,
                    "graduate_id": gid,
                    "status": status,
                    "outcome": outcome,
                    "created_at": utc(at),
                    "updated_at": utc(at),
                }
                for pid, gid, status, outcome, at in plan_rows
            ],
        )
        conn.execute(
            sa.insert(plan_items),
            [
                {
                    "id": iid,
                    "plan_id": plan,
                    "kind": kind,
                    "status": status,
                    "reasons": [],
                    "created_at": utc("2022-08-05 01:00"),
                    "updated_at": utc("2022-08-05 01:00"),
                }
                for iid, plan, kind, status in (
                    ("i-1", "pl-1", "guidance", "done"),
                    ("i-2", "pl-1", "job", "proposed"),
                    ("i-3", "pl-3", "job", "proposed"),
                )
            ],
        )


@pytest.fixture
def pool(any_store: Store) -> Store:
    load(any_store)
    return any_store


@pytest.fixture
def sqlite_pool(store: Store) -> Store:
    load(store)
    return store
