"""The impressions log (issue #18, item 3) on SQLite and PostgreSQL: lists are written in
batches, pruned after the retention period, deleted when their graduate is erased, and read
back joined with the feedback that followed them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import nullcontext
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from matcher.config import Settings
from matcher.records.prepare import prepare
from matcher.store import Store, impressions, migrate, tables
from matcher.store.db import create_engine
from matcher.store.erasure import erase_graduate
from matcher.store.impressions import Impression, Item
from matcher.worker import Worker
from tests.conftest import graduate
from tests.processes import fresh_postgres

NOW = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Store]:
    """A store on SQLite, or on a PostgreSQL database of its own (dropped afterwards)."""
    with fresh_postgres() if request.param == "postgres" else nullcontext("") as url:
        store = Store.open(settings.replace(database_url=url) if url else settings)
        yield store
        store.close()


def _list(gid: str, pids: list[str], surface: str = "api", **kw) -> Impression:
    items = tuple(Item(pid, n, 1.0 - n / 10, 1.0) for n, pid in enumerate(pids, 1))
    return Impression(gid, surface, "weights:test", items, **kw)


def _inserts(store: Store) -> tuple[list[int], object]:
    seen: list[int] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO IMPRESSIONS"):
            seen.append(len(parameters) if executemany else 1)

    sa.event.listen(store.engine, "before_cursor_execute", count)
    return seen, count


def test_lists_round_trip_and_are_written_one_insert_per_thousand(db):
    seen, hook = _inserts(db)
    lists = [_list(f"g-{i:04d}", ["p-1", "p-2", "p-3"]) for i in range(2500)]
    try:
        assert impressions.record(db, lists, at=NOW) == 2500
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", hook)
    assert seen == [1000, 1000, 500]
    (row,) = impressions.of_graduate(db, "g-0007")
    assert row["surface"] == "api" and row["ranker"] == "weights:test"
    assert row["served_at"] == NOW and not row["explored"] and row["swap"] is None
    assert row["items"] == [
        {"position_id": p, "rank": n, "score": pytest.approx(1 - n / 10), "propensity": 1.0,
         "model_rank": n}
        for n, p in enumerate(["p-1", "p-2", "p-3"], 1)
    ]  # fmt: skip
    with pytest.raises(ValueError, match="surface"):
        _list("g-1", ["p-1"], surface="sms")


def test_retention_prunes_old_lists_only(db, monkeypatch):
    impressions.record(db, [_list(f"g-old-{i}", ["p-1"]) for i in range(5)], NOW - timedelta(181))
    impressions.record(db, [_list("g-recent", ["p-1"])], NOW - timedelta(days=179))
    impressions.record(db, [_list("g-new", ["p-1"])], NOW)
    monkeypatch.setattr(impressions, "PRUNE_BATCH", 2)  # several short transactions
    assert impressions.prune(db, 180, now=NOW) == 5
    assert impressions.prune(db, 180, now=NOW) == 0
    with db.engine.connect() as conn:
        left = conn.execute(sa.select(tables.impressions.c.graduate_id)).scalars().all()
    assert sorted(left) == ["g-new", "g-recent"]


def test_erasing_a_graduate_deletes_their_lists_and_no_one_elses(db):
    db.upsert("graduates", [prepare("graduates", graduate(g)) for g in ("g-x", "g-y")])
    impressions.record(db, [_list("g-x", ["p-1"]), _list("g-x", ["p-2"]), _list("g-y", ["p-1"])])
    done = erase_graduate(db, "g-x")
    assert done.impressions_deleted == 2 and done.as_dict()["impressions_deleted"] == 2
    assert impressions.of_graduate(db, "g-x") == []
    assert len(impressions.of_graduate(db, "g-y")) == 1


def _event(conn: sa.Connection, gid: str, pid: str, event: str, at: datetime) -> None:
    conn.execute(
        sa.insert(tables.feedback_events).values(
            graduate_id=gid, position_id=pid, event=event, source="test", at=at
        )
    )


def test_joined_labels_each_shown_item_with_the_strongest_later_feedback(db):
    pids = ["p-hire", "p-apply", "p-refuse", "p-view", "p-before", "p-late", "p-none"]
    impressions.record(db, [_list("g-1", pids)], at=NOW)
    impressions.record(db, [_list("g-2", ["p-hire"])], at=NOW + timedelta(minutes=1))
    with db.engine.begin() as conn:
        h = timedelta(hours=1)
        for pid, event, at in [
            ("p-hire", "viewed", NOW + h),
            ("p-hire", "applied", NOW + 2 * h),
            ("p-hire", "hired", NOW + timedelta(days=9)),
            ("p-apply", "applied", NOW + h),
            ("p-apply", "declined", NOW + 2 * h),  # an application outweighs the refusal
            ("p-refuse", "viewed", NOW + h),
            ("p-refuse", "not_interested", NOW + 2 * h),  # a refusal outweighs a view
            ("p-view", "viewed", NOW + h),
            ("p-before", "applied", NOW - h),  # before the list was served
            ("p-late", "hired", NOW + timedelta(days=31)),  # after the 30-day window
        ]:
            _event(conn, "g-1", pid, event, at)
    rows = list(impressions.joined(db, NOW - timedelta(days=1), NOW + timedelta(days=1)))
    first = {r.position_id: r for r in rows if r.graduate_id == "g-1"}
    assert {p: (r.outcome, r.label) for p, r in first.items()} == {
        "p-hire": ("hired", 3),
        "p-apply": ("applied", 2),
        "p-refuse": ("not_interested", -1),
        "p-view": ("viewed", 1),
        "p-before": ("none", 0),
        "p-late": ("none", 0),
        "p-none": ("none", 0),
    }
    assert [r.shown_rank for r in rows if r.graduate_id == "g-1"] == list(range(1, 8))
    graduate_id, position_id, rank, propensity, score, version, served_at, outcome = rows[0][:8]
    assert (graduate_id, position_id, rank, propensity) == ("g-1", "p-hire", 1, 1.0)
    assert score == pytest.approx(0.9)
    assert version == "weights:test" and served_at == NOW and outcome == "hired"
    (other,) = [r for r in rows if r.graduate_id == "g-2"]
    assert other.outcome == "none"  # g-1's hire is not g-2's
    wider = list(impressions.joined(db, NOW, NOW + timedelta(days=1), window=timedelta(days=40)))
    assert {r.position_id: r.outcome for r in wider if r.graduate_id == "g-1"}["p-late"] == "hired"
    assert list(impressions.joined(db, NOW + timedelta(hours=2), NOW + timedelta(days=1))) == []


def test_joined_reads_in_batches_in_the_order_served(db):
    for minute in range(7):
        impressions.record(
            db, [_list(f"g-{minute}", ["p-1", "p-2"])], NOW + timedelta(minutes=minute)
        )
    impressions.record(db, [_list("g-tie-a", ["p-1"]), _list("g-tie-b", ["p-1"])], NOW)
    rows = list(impressions.joined(db, NOW, NOW + timedelta(hours=1), batch=2))
    assert len(rows) == 7 * 2 + 2 and len({(r.impression_id, r.position_id) for r in rows}) == 16
    assert [r.served_at for r in rows] == sorted(r.served_at for r in rows)


def test_kept_lists_leave_out_refused_offers_and_renumber():
    lists = [_list("g-1", ["p-1", "p-2", "p-3"]), _list("g-2", ["p-9"])]
    (left,) = impressions.kept(lists, {("g-1", "p-1"), ("g-1", "p-3"), ("g-2", "p-1")})
    assert [(i.position_id, i.rank, i.model_rank) for i in left.items] == [
        ("p-1", 1, 1),
        ("p-3", 2, 3),
    ]


def test_migration_0008_creates_and_drops_the_impressions_table(settings):
    engine = create_engine(settings.resolved_database_url)
    migrate.upgrade(engine, "0007")
    assert "impressions" not in sa.inspect(engine).get_table_names()
    assert migrate.upgrade(engine) == migrate.head_revision()
    assert "impressions" in sa.inspect(engine).get_table_names()
    indexes = {i["name"] for i in sa.inspect(engine).get_indexes("impressions")}
    assert indexes == {"ix_impressions_graduate_id", "ix_impressions_served_at"}
    assert migrate.downgrade(engine, "0007") == "0007"
    assert "impressions" not in sa.inspect(engine).get_table_names()
    engine.dispose()


def test_the_worker_prunes_past_the_retention_at_most_once_an_hour(store, settings):
    old = datetime.now(UTC) - timedelta(days=settings.impression_days + 1)
    impressions.record(store, [_list("g-old", ["p-1"])], old)
    worker = Worker(store, settings)
    worker.run_once()
    assert impressions.of_graduate(store, "g-old") == []
    impressions.record(store, [_list("g-old", ["p-1"])], old)
    assert worker.maintain() == 0  # pruned less than an hour ago
    assert worker.maintain(every=0) == 1
