"""Plan rows on SQLite and PostgreSQL: one plan per graduate, every change with its history
entry, places held by open plans only; months unemployed (issue 8)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from matcher.errors import ConflictError
from matcher.records.prepare import prepare
from matcher.store.caseload import latest_graduation_year, months_unemployed
from matcher.store.plans import NewItem, NewPlan, Plans
from tests.conftest import graduate


def _plan(pid: str, gid: str = "g-1") -> NewPlan:
    items = [
        NewItem(f"{pid}-i1", "traineeship", "p-t", "proposed", 0, ["r"], 0.5),
        NewItem(f"{pid}-i2", "training", None, "proposed", 1, ["暂无"]),
    ]
    return NewPlan(pid, gid, "a-1", items, "adviser:a-1/k1")


def test_plan_tables_and_one_plan_per_graduate(any_store):
    names = set(sa.inspect(any_store.engine).get_table_names())
    assert names >= {"plans", "plan_items", "plan_events", "plan_exclusions", "plan_jobs"}
    any_store.upsert("graduates", [prepare("graduates", graduate("g-1"))])
    plans = Plans(any_store)
    made = plans.create(_plan("pl-1"))
    assert made["status"] == "draft" and len(made["items"]) == 2
    with pytest.raises(ConflictError, match="already has a plan"):
        plans.create(_plan("pl-2"))
    assert plans.of_graduates(["g-1", "g-2"]) == {"g-1": "pl-1"}


def test_changes_are_written_with_their_history_and_places_follow_open_plans(any_store):
    any_store.upsert("graduates", [prepare("graduates", graduate("g-1"))])
    plans = Plans(any_store)
    plans.create(_plan("pl-1"))
    assert plans.held("traineeship") == {"p-t": 1}
    assert plans.held("training") == {}  # an empty item holds nothing
    plans.update_item(
        "pl-1", "pl-1-i1", {"status": "declined"}, "adviser:a-1/k1", "item_status", {}
    )
    assert plans.held("traineeship") == {}
    plans.update_item("pl-1", "pl-1-i1", {"status": "placed"}, "adviser:a-1/k1", "item_status", {})
    plans.update(
        "pl-1", {"status": "closed", "outcome": "employed"}, "adviser:a-1/k1", "status", {}
    )
    assert plans.held("traineeship") == {}  # a closed plan frees its places
    plans.exclude("pl-1", "p-x", "adviser:a-1/k1")
    plans.exclude("pl-1", "p-x", "adviser:a-1/k1")  # idempotent
    assert plans.exclusions("pl-1") == ["p-x"]
    history = plans.history("pl-1")
    assert [e["action"] for e in history] == [
        "created",
        "item_status",
        "item_status",
        "status",
        "excluded",
    ]
    assert all(e["actor"] == "adviser:a-1/k1" and e["at"].endswith("+00:00") for e in history)


def test_months_unemployed_counts_from_graduation_or_the_given_date():
    today = date(2026, 11, 26)
    assert months_unemployed({"graduation_year": 2025, "status": "seeking"}, today) == 16
    assert months_unemployed({"graduation_year": 2026, "status": "seeking"}, today) == 4
    assert months_unemployed({"graduation_year": 2025, "status": "employed"}, today) is None
    given = {"graduation_year": 2020, "unemployed_since": "2026-05-27"}
    assert months_unemployed(given, today) == 5
    assert latest_graduation_year(4, today) == 2026
    assert latest_graduation_year(5, today) == 2025
    assert latest_graduation_year(16, today) == 2025
    assert latest_graduation_year(17, today) == 2024
