"""The store on SQLite and on a real PostgreSQL server (``any_store``)."""

import pytest
import sqlalchemy as sa

from matcher.errors import NotFoundError, StoreError
from matcher.records.prepare import prepare
from matcher.store import Store, migrate
from matcher.store.tables import positions
from tests.conftest import graduate, position


def _positions(*records):
    return [prepare("positions", r) for r in records]


def test_schema_is_migrated_to_head(any_store):
    assert migrate.current_revision(any_store.engine) == migrate.head_revision()
    names = set(sa.inspect(any_store.engine).get_table_names())
    assert names >= {
        "employers",
        "positions",
        "graduates",
        "trainings",
        "offers",
        "campaigns",
        "plans",
        "plan_items",
        "feedback_events",
        "audit_log",
        "alembic_version",
    }


def test_upsert_inserts_skips_unchanged_and_updates_changed(any_store):
    first = any_store.upsert("positions", _positions(position("p-1"), position("p-2")))
    assert (first.inserted, first.updated, first.unchanged) == (2, 0, 0)
    mark = any_store.watermark()

    again = any_store.upsert("positions", _positions(position("p-1"), position("p-2")))
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    assert any_store.watermark() == mark  # nothing changed, no new watermark

    edited = any_store.upsert(
        "positions", _positions(position("p-1", headcount=9), position("p-3"))
    )
    assert (edited.inserted, edited.updated, edited.unchanged) == (1, 1, 0)
    assert edited.updated_ids == ["p-1"]
    assert any_store.watermark() > mark
    assert any_store.get("positions", "p-1")["headcount"] == 9
    assert any_store.count("positions") == 3


def test_repeated_id_in_one_batch_keeps_the_last_version(any_store):
    counts = any_store.upsert(
        "positions", _positions(position("p-1", headcount=1), position("p-1", headcount=2))
    )
    assert any_store.count("positions") == 1
    assert any_store.get("positions", "p-1")["headcount"] == 2
    assert counts.inserted == 1


def test_postings_link_to_employers_created_once(any_store):
    any_store.upsert("positions", _positions(position("p-1"), position("p-2")))
    employer_ids = {any_store.get("positions", p)["employer_id"] for p in ("p-1", "p-2")}
    assert len(employer_ids) == 1
    employer = any_store.get("employers", employer_ids.pop())
    assert employer["name"] == "重庆某科技有限公司"
    assert employer["blacklisted"] is False
    assert any_store.count("employers") == 1


def test_a_posting_links_to_the_employer_stored_under_its_code_without_it(any_store):
    """Issue 21 (schema fuzzing): an employer stored again under its credit code as id but
    without the code made the next write of one of its postings insert the same id again."""
    code = "91500105598733267M"
    any_store.upsert(
        "positions", _positions(position("p-1", employer={"name": "甲", "credit_code": code}))
    )
    any_store.upsert("employers", [prepare("employers", {"id": code, "name": "乙"})])
    closed = any_store.revise("positions", "p-1", {"status": "closed"})
    assert closed["status"] == "closed" and closed["employer_id"] == code
    assert any_store.count("employers") == 1


def test_listing_pages_by_cursor_and_filters(any_store):
    any_store.upsert("positions", _positions(*(position(f"p-{i:02d}") for i in range(7))))
    any_store.upsert("positions", _positions(position("t-1", kind="traineeship")))
    seen, cursor = [], None
    while True:
        items, cursor = any_store.list("positions", after=cursor, limit=3)
        seen += [i["id"] for i in items]
        if cursor is None:
            break
    assert seen == sorted(seen) and len(seen) == 8
    items, _ = any_store.list("positions", where=[positions.c.kind == "traineeship"])
    assert [i["id"] for i in items] == ["t-1"]
    assert any_store.grouped_counts("positions", "kind") == {"full_time": 7, "traineeship": 1}


def test_graduates_round_trip(any_store):
    any_store.upsert("graduates", [prepare("graduates", graduate("g-1", support=["disabled"]))])
    stored = any_store.get("graduates", "g-1")
    assert stored["support"] == ["disabled"]
    assert any_store.get_many("graduates", ["g-1", "nobody"]).keys() == {"g-1"}


def test_missing_record_raises_not_found(any_store):
    with pytest.raises(NotFoundError, match="position 'nope' not found"):
        any_store.get("positions", "nope")


def test_sqlite_runs_in_wal_mode(store):
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_outdated_schema_is_refused_without_auto_migrate(settings):
    from matcher.store.db import create_engine

    create_engine(settings.resolved_database_url).dispose()  # an empty database file
    with pytest.raises(StoreError, match="matcher db upgrade"):
        Store.open(settings.replace(auto_migrate=False))
