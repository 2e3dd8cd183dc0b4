"""Plans for the demo cohort (issue 8): every hard-to-employ graduate seeking work who consents
gets a plan, no traineeship, course or posting is in more plans than it has places, and the
min-cost assignment scores at least as much as greedy."""

from __future__ import annotations

from datetime import date

import pytest

from matcher.config import Settings
from matcher.datasets import generate
from matcher.engine.orchestrator import Matcher
from matcher.ingest.files import ingest_folder
from matcher.plans.advisers import assign_advisers
from matcher.plans.build import consents
from matcher.plans.build import generate as generate_plans
from matcher.plans.dashboard import coverage, oversubscribed_places
from matcher.store import Store
from matcher.store.campaigns import segment_ids
from matcher.store.plans import Plans
from matcher.text.encoders import load_encoder


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cohort")
    generate(folder / "data", scale=1500, graduates=3000, seed=5, as_of=date.today())
    settings = Settings.from_env(env={}, data_dir=folder / "var", plan_posting_factor=1)
    store = Store.open(settings)
    ingest_folder(store, folder / "data")
    given = assign_advisers(store)
    matcher = Matcher.open(settings, store=store, encoder=load_encoder("default"))
    ids = segment_ids(store, needs_support=True, statuses=())
    report = generate_plans(matcher, ids, actor="test")
    yield matcher, ids, report, given
    store.close()


def test_every_consenting_support_graduate_seeking_work_gets_a_full_plan(cohort):
    matcher, ids, report, given = cohort
    store = matcher.store
    assert 60 <= len(ids) <= 120  # about 3% of 3,000 generated graduates
    assert sum(given.values()) == len(ids)  # everyone got a district adviser
    records = store.get_many("graduates", ids)
    wanted = {g for g in ids if records[g]["status"] == "seeking" and consents(records[g])}
    planned = Plans(store).of_graduates(ids)
    assert set(planned) == wanted and report.made == len(wanted) == report.eligible
    assert report.skipped["not_seeking"] + report.skipped["no_consent"] == len(ids) - len(wanted)
    full = 0
    for plan_id in planned.values():
        plan = Plans(store).get(plan_id)
        kinds = [i["kind"] for i in plan["items"]]
        assert kinds == ["guidance", "posting", "posting", "posting", "training", "traineeship"]
        assert all(i["reasons"] for i in plan["items"])
        guidance = plan["items"][0]
        assert guidance["ref_id"] == records[plan["graduate_id"]]["adviser"]
        assert guidance["scheduled_at"]
        full += all(i["ref_id"] for i in plan["items"])
    assert full >= 0.8 * len(planned)


def test_no_place_is_oversubscribed_and_min_cost_is_at_least_greedy(cohort):
    matcher, _, report, _ = cohort
    assert oversubscribed_places(matcher.store, 1) == {
        "posting": [],
        "traineeship": [],
        "training": [],
    }
    for kind, both in report.assignment.items():
        best, base = both["min_cost"], both["greedy"]
        assert best["assigned"] >= base["assigned"], kind
        assert best["score"] >= base["score"] - 1e-6, kind
        assert report.oversubscribed[kind] == {}


def test_guidance_slots_of_one_adviser_never_clash(cohort):
    matcher, ids, _, _ = cohort
    plans = Plans(matcher.store)
    seen: dict[str, set[str]] = {}
    for plan_id in plans.of_graduates(ids).values():
        plan = plans.get(plan_id)
        slot = plan["items"][0]["scheduled_at"]
        assert slot not in seen.setdefault(plan["adviser_id"], set())
        seen[plan["adviser_id"]].add(slot)


def test_a_second_run_makes_nothing_new_and_coverage_counts_the_plans(cohort):
    matcher, ids, report, _ = cohort
    again = generate_plans(matcher, ids, actor="test")
    assert again.made == 0 and again.skipped["has_plan"] == report.made
    figures = coverage(matcher.store, [])
    assert figures["with_plan"] == report.made and figures["agreed"] == 0


def test_dashboard_supply_and_demand_are_the_monthly_report_figures(store):
    """The workbench dashboard reads its supply-versus-demand bars from the monthly report."""
    from datetime import date

    from matcher.analytics import Month, monthly_report
    from matcher.plans.dashboard import supply_demand
    from matcher.records.prepare import prepare
    from tests.conftest import graduate, position

    store.upsert(
        "positions",
        [
            prepare("positions", position("p-1", headcount=4, expires_at="2099-12-31")),
            prepare(
                "positions",
                position(
                    "p-2",
                    headcount=2,
                    location={"city": "重庆", "district": "江北区"},
                    expires_at="2099-12-31",
                ),
            ),
        ],
    )
    store.upsert("graduates", [prepare("graduates", graduate(f"g-{i}")) for i in range(3)])
    figures = supply_demand(store, today=date.today())
    report = monthly_report(store, Month.containing(date.today()), sample=0)
    by_key = {r["key"]: r for r in figures["districts"]}
    for row in report["postings"]["by_district"]:
        assert by_key[row["key"]]["supply"] == row["open_headcount"]
    assert by_key["500112"]["supply"] == 4 and by_key["500105"]["supply"] == 2
    assert by_key["500112"]["demand"] == 3  # all three wish for 渝北区
    majors = {r["name"]: r for r in figures["majors"]}
    assert sum(r["demand"] for r in majors.values()) == 3
