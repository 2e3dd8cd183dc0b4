"""Each graduate's monthly history: a row per month written with every change (earlier months
kept), flows between months, months seeking, falls back, the help before employment, and a
university's destination reports under the precedence rule. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from matcher.errors import ConflictError, ValidationError
from matcher.records.prepare import prepare
from matcher.store import Store, destinations, history, migrate
from matcher.store import caseload as cl
from matcher.store.erasure import erase_graduate
from matcher.store.flows import fell_back, monthly_flows
from matcher.store.partners import Partners
from matcher.store.tables import destination_reports, offers
from matcher.types import REPORT_TZ, Month
from tests.conftest import AGENCY, UNIVERSITY, graduate, position


@pytest.fixture()
def store(any_store: Store) -> Store:
    """Each test on SQLite and on PostgreSQL."""
    return any_store


class Clock:
    """Sets the time the store stamps writes with (China time)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch

    def at(self, day: str) -> None:
        now = datetime.fromisoformat(f"{day}T12:00:00").replace(tzinfo=REPORT_TZ)
        for module in ("repository", "destinations", "erasure"):
            self.monkeypatch.setattr(f"matcher.store.{module}.utcnow", lambda now=now: now)


def write(store: Store, source: str, *records: dict[str, Any]) -> None:
    store.upsert("graduates", [prepare("graduates", r) for r in records], source=source)


def status(store: Store, gid: str, value: str, source: str) -> None:
    store.revise("graduates", gid, {"status": value}, source=source)


@pytest.fixture()
def pool(store: Store, monkeypatch: pytest.MonkeyPatch) -> tuple[Store, Clock]:
    """Five graduates of one university: g-1..g-4 seeking since September, g-5 employed."""
    clock = Clock(monkeypatch)
    Partners(store).add(UNIVERSITY, "test", partner_id="pt-a")
    Partners(store).add(AGENCY, "test", partner_id="pt-b")
    clock.at("2026-09-10")
    write(
        store,
        "import",
        *(graduate(f"g-{i}", partner="pt-a", adviser="a-1") for i in range(1, 5)),
        graduate("g-5", partner="pt-a", adviser="a-1", status="employed"),
        graduate("g-9", status="seeking"),  # another school's (none)
    )
    clock.at("2026-10-20")
    status(store, "g-1", "employed", "graduate:k1")
    status(store, "g-5", "seeking", "adviser:k2")
    write(
        store, "graduate:k3", graduate("g-2", partner="pt-a", adviser="a-1", support=["disabled"])
    )
    return store, clock


def test_each_write_keeps_its_month_and_earlier_months_stay(pool) -> None:
    store, _ = pool
    months = history.graduate_history(store.engine, "g-2")["months"]
    assert [(m["month"], m["status"], m["support"]) for m in months] == [
        ("2026-09", "seeking", []),
        ("2026-10", "seeking", ["disabled"]),
    ]
    assert months[1]["source"] == "import"  # the status did not change: who set it stays
    g1 = history.graduate_history(store.engine, "g-1")["months"]
    assert [(m["month"], m["status"], m["source"]) for m in g1] == [
        ("2026-09", "seeking", "import"),
        ("2026-10", "employed", "graduate:k1"),
    ]
    assert g1[1]["source_label"] == "本人" and g1[0]["kinds"] == ["full_time"]


def test_flows_durations_falls_back_and_help(pool) -> None:
    store, _ = pool
    store.upsert("positions", [prepare("positions", position("p-1"))])
    with store.engine.begin() as conn:  # an offer to g-1 in September: help before the job
        stamp = datetime(2026, 9, 12, tzinfo=REPORT_TZ)
        conn.execute(
            sa.insert(offers).values(
                id="o-1",
                graduate_id="g-1",
                position_id="p-1",
                status="delivered",
                detail={},
                created_at=stamp,
                updated_at=stamp,
            )
        )
    october = monthly_flows(store, Month(2026, 10))
    moves = {(t["from"], t["to"]): t["graduates"] for t in october["transitions"]}
    assert moves == {
        ("seeking", "employed"): 1,
        ("seeking", "seeking"): 4,  # g-2, g-3, g-4 and the other school's g-9
        ("employed", "seeking"): 1,
    }
    assert october["became_employed"] == 1 and october["fell_back"] == 1
    assert october["at_month_end"] == {"employed": 1, "seeking": 5}
    spans = {(d["from"], d["to"]): d["graduates"] for d in october["seeking_months"]}
    assert spans[(1, 1)] == 1 and spans[(2, 2)] == 4 and october["seeking_3_months_or_more"] == 0
    assert october["help_before_employment"] == {
        "employed": 1,
        "offer": 1,
        "guidance": 0,
        "training": 0,
        "traineeship": 0,
        "none": 0,
    }
    september = monthly_flows(store, Month(2026, 9))
    assert {t["from"] for t in september["transitions"]} == {"new"}
    assert september["help_before_employment"]["employed"] == 1  # g-5, new and employed
    assert september["help_before_employment"]["none"] == 1
    # November: no writes at all — everyone carries October forward, a month longer
    november = monthly_flows(store, Month(2026, 11))
    assert november["seeking_3_months_or_more"] == 4 and november["fell_back"] == 0
    assert [g["id"] for g in fell_back(store, Month(2026, 10), adviser="a-1")] == ["g-5"]
    assert fell_back(store, Month(2026, 10), adviser="a-9") == []
    assert fell_back(store, Month(2026, 10))[0]["previous"] == "employed"


def test_destination_reports_follow_the_precedence_rule(pool) -> None:
    store, clock = pool
    clock.at("2026-11-05")
    status(store, "g-4", "further_study", "adviser:k2")  # an adviser says so in November
    clock.at("2026-11-28")
    done = destinations.report(
        store,
        "pt-a",
        "2026-11",
        [
            {"id": "g-3", "status": "employed"},  # nobody said otherwise: becomes the status
            {"id": "g-4", "status": "seeking"},  # outranked by the adviser: kept aside
            {"id": "g-9", "status": "employed"},  # not this school's graduate
            {"id": "g-1", "status": "married"},
            "g-2",
        ],
        "partner:pt-a",
    )
    assert (done.recorded, done.applied, done.disagreements) == (2, 1, 1)
    assert [(e.index, e.id, e.field) for e in done.errors] == [
        (2, "g-9", "id"),
        (3, "g-1", "status"),
        (4, None, "id"),
    ]
    assert "不在本校" in done.errors[0].message_zh and "去向须为" in done.errors[1].message_zh
    assert store.get("graduates", "g-3")["status"] == "employed"
    assert store.get("graduates", "g-4")["status"] == "further_study"
    seen = history.graduate_history(store.engine, "g-4")["disagreements"]
    assert [{k: v for k, v in d.items() if k != "reported_at"} for d in seen] == [
        {
            "month": "2026-11",
            "status": "further_study",
            "source": "adviser:k2",
            "source_label": "就业指导员",
            "partner": "pt-a",
            "reported": "seeking",
        }
    ]
    again = destinations.report(
        store, "pt-a", "2026-11", [{"id": "g-4", "status": "seeking"}], "partner:pt-a"
    )
    assert again.disagreements == 1
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(sa.func.count()).select_from(destination_reports))
        assert rows.scalar_one() == 2  # one per graduate, month and university


def test_a_report_for_an_earlier_month_fills_that_month(pool) -> None:
    store, clock = pool
    clock.at("2026-11-03")
    done = destinations.report(
        store, "pt-a", "2026-10", [{"id": "g-3", "status": "employed"}], "partner:pt-a"
    )
    assert done.applied == 1
    months = history.graduate_history(store.engine, "g-3")["months"]
    assert [(m["month"], m["status"]) for m in months] == [
        ("2026-09", "seeking"),
        ("2026-10", "employed"),
        ("2026-11", "employed"),  # the newest word: the record follows it
    ]
    assert store.get("graduates", "g-3")["status"] == "employed"
    # a report for October on g-1, whom the graduate herself declared employed in October
    later = destinations.report(
        store, "pt-a", "2026-10", [{"id": "g-1", "status": "seeking"}], "partner:pt-a"
    )
    assert later.disagreements == 1 and store.get("graduates", "g-1")["status"] == "employed"


def test_reports_are_refused_as_a_whole_when_they_cannot_be_taken(pool) -> None:
    store, clock = pool
    clock.at("2026-11-03")
    with pytest.raises(ValidationError) as future:
        destinations.report(store, "pt-a", "2026-12", [], "partner:pt-a")
    assert future.value.field == "month" and "尚未开始" in future.value.zh
    with pytest.raises(ValidationError) as shape:
        destinations.report(store, "pt-a", "2026/10", [], "partner:pt-a")
    assert "YYYY-MM" in shape.value.zh
    with pytest.raises(ConflictError) as kind:
        destinations.report(store, "pt-b", "2026-10", [], "partner:pt-b")
    assert "高校" in kind.value.zh


def test_erasure_keeps_statuses_and_drops_wishes(pool) -> None:
    store, clock = pool
    clock.at("2026-11-02")
    erase_graduate(store, "g-2")
    months = history.graduate_history(store.engine, "g-2")["months"]
    assert [m["status"] for m in months] == ["seeking", "seeking", "not_seeking"]
    assert all(m["kinds"] == [] and m["support"] == [] for m in months)


def test_the_caseload_raises_falls_back_and_disagreements(pool) -> None:
    store, clock = pool
    clock.at("2026-11-05")
    status(store, "g-4", "further_study", "adviser:k2")
    destinations.report(
        store, "pt-a", "2026-11", [{"id": "g-4", "status": "seeking"}], "partner:pt-a"
    )

    def alerted(alert: str, today: date) -> list[str]:
        query = cl.CaseloadQuery(alert=alert, needs_support=None, today=today)
        return [r["id"] for r in cl.caseload(store, query)[0]]

    assert alerted("fell_back", date(2026, 11, 20)) == ["g-5"]
    assert alerted("fell_back", date(2027, 3, 1)) == []  # employed too long ago to count
    assert alerted("disagreement", date(2026, 11, 20)) == ["g-4"]


def test_upgrading_gives_existing_graduates_their_current_month(store: Store) -> None:
    write(store, "graduate:k1", graduate("g-1", status="employed", support=["disabled"]))
    migrate.downgrade(store.engine, "0012")  # as before the history existed
    before = history.month_of(datetime.now(REPORT_TZ))
    migrate.upgrade(store.engine)
    months = history.graduate_history(store.engine, "g-1")["months"]
    assert [(m["status"], m["support"], m["source"]) for m in months] == [
        ("employed", ["disabled"], "import")
    ]
    # the month the upgrade ran in (it may have turned while it ran)
    assert months[0]["month"] in {before, history.month_of(datetime.now(REPORT_TZ))}
