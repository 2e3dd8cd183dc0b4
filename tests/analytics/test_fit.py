"""Hard-to-fill postings and hard-to-place graduates: who is judged, the sample and its
estimate, and the gaps each hard case gets (constructed cases with known answers)."""

from __future__ import annotations

import pytest

from matcher.analytics import Month
from matcher.analytics.fit import Probe, hard_to_fill, hard_to_place, missing_skills
from matcher.analytics.sampling import estimate, stratified_sample
from matcher.analytics.supply import Availability
from matcher.engine.orchestrator import Match, Matcher
from matcher.records.prepare import prepare
from matcher.store.analytics import demand_cells, seeker_cells
from matcher.text.encoders import FakeEncoder
from tests.analytics.conftest import MONTH
from tests.conftest import graduate, position

AUGUST = Month.parse(MONTH)


@pytest.fixture
def engine(settings, sqlite_pool):
    extra = [
        # nobody studies philosophy: no seeker of the class at all
        position(
            "p-11",
            majors=["哲学类"],
            posted_at="2022-07-01",
            expires_at="2022-12-31",
            location={"code": "500112"},
        ),
        # 护理类 seekers exist (g-3, anywhere) but none with a doctorate
        position(
            "p-12",
            majors=["护理类"],
            education_min="博士",
            posted_at="2022-07-01",
            expires_at="2022-12-31",
            location={"code": "500112"},
        ),
    ]
    sqlite_pool.upsert("positions", [prepare("positions", p) for p in extra])
    # 计算机类 postings exist, but none in 城口县
    g8 = graduate("g-8", major="软件工程", desired={"districts": ["城口县"]})
    sqlite_pool.upsert("graduates", [prepare("graduates", g8)])
    return Matcher.open(settings, store=sqlite_pool, encoder=FakeEncoder(32))


def _supply(store):
    return Availability.of(demand_cells(store, AUGUST, "region"), seeker_cells(store, AUGUST))


def _cases(part):
    return {c["id"]: c for c in part["cases"]}


def test_hard_to_fill_judges_postings_open_thirty_days_and_names_their_gaps(engine):
    everything = hard_to_fill(
        engine, AUGUST, Probe(threshold=1.01, sample=50), _supply(engine.store)
    )
    # open at the month's end and posted by 1 August: p-2, p-5, p-9, p-11, p-12 (not p-1: 26 days)
    assert everything["population"] == everything["judged"] == everything["hard"] == 5
    assert everything["exact"] and everything["estimate"] == 5
    cases = _cases(everything)
    assert set(cases) == {"p-2", "p-5", "p-9", "p-11", "p-12"}
    assert "major" in cases["p-11"]["gaps"]
    assert "education" in cases["p-12"]["gaps"]
    assert "region" in cases["p-5"]["gaps"]  # 计算机类 seekers want 渝北 or 江北, not 渝中
    assert cases["p-9"]["gaps"] == ["skills"]  # g-3 can take it but lacks both skills
    assert set(cases["p-9"]["missing_skills"]) == {"静脉输液", "急救"}
    assert cases["p-2"]["days_open"] == 91
    by_gap = {g["key"]: g["cases"] for g in everything["gaps"]}
    assert by_gap["major"] == 1 and by_gap["education"] == 1
    nothing = hard_to_fill(engine, AUGUST, Probe(threshold=0.0, sample=50), _supply(engine.store))
    # with no bar to clear only postings the engine finds nobody for remain hard
    assert all(c["best_score"] is None for c in nothing["cases"])
    assert nothing["hard"] < everything["hard"]


def test_hard_to_place_judges_seekers_and_names_their_gaps(engine):
    part = hard_to_place(engine, AUGUST, Probe(threshold=1.01, sample=50), _supply(engine.store))
    assert part["population"] == part["hard"] == 7  # g-5 is employed
    cases = _cases(part)
    assert "major" in cases["g-4"]["gaps"]  # no posting names 工商管理类
    assert "major" in cases["g-7"]["gaps"]  # 护理学类 (本科) is not the vocational 护理类
    assert "region" in cases["g-8"]["gaps"]
    # g-2 (大专) can only be shown p-9, whose skills she lacks (p-2 was offered to her already)
    assert cases["g-2"]["gaps"] == ["skills"]
    assert set(cases["g-2"]["missing_skills"]) == {"静脉输液", "急救"}
    # the only traineeship in 江北 was offered to g-6 already: nothing left to recommend
    assert cases["g-6"]["gaps"] == ["no_candidate"] and cases["g-6"]["best_score"] is None
    assert {d["key"]: d["population"] for d in part["by_degree"]} == {"1": 2, "2": 5}


def test_a_sample_smaller_than_the_population_is_stratified_and_repeatable(engine):
    probe = Probe(threshold=1.01, sample=3)
    first = hard_to_place(engine, AUGUST, probe, _supply(engine.store))
    again = hard_to_place(engine, AUGUST, probe, _supply(engine.store))
    assert first["judged"] == 3 and not first["exact"]
    assert [c["id"] for c in first["cases"]] == [c["id"] for c in again["cases"]]
    assert {d["key"]: d["judged"] for d in first["by_degree"]} == {"1": 1, "2": 2}
    assert first["estimate"] == 7 and first["low"] <= 7 <= first["high"]


def test_stratified_sample_is_proportional_with_one_per_stratum():
    population = [(f"a{i}", "a") for i in range(90)] + [(f"b{i}", "b") for i in range(9)]
    population.append(("c0", "c"))
    drawn = stratified_sample(population, 10, "seed")
    assert {s: (n, len(ids)) for s, (n, ids) in drawn.items()} == {
        "a": (90, 9),
        "b": (9, 1),
        "c": (1, 1),
    }
    assert drawn == stratified_sample(population, 10, "seed")
    assert drawn != stratified_sample(population, 10, "other")
    whole = stratified_sample(population, 100, "seed")
    assert sum(len(ids) for _, ids in whole.values()) == 100


def test_estimate_weights_strata_and_shrinks_to_exact_when_all_are_judged():
    part = estimate({"a": (900, 10, 5), "b": (100, 10, 0)})
    assert part["estimate"] == 450 and part["share"] == 0.45
    assert part["low"] < 450 < part["high"]
    exact = estimate({"a": (10, 10, 3)})
    assert exact["exact"] and exact["low"] == exact["high"] == exact["estimate"] == 3
    assert estimate({})["population"] == 0


def test_missing_skills_are_read_from_the_match_notes():
    match = Match("p", 0.4, {}, [], ["缺少：Java、MySQL", "其他说明"])
    assert missing_skills(match) == ["Java", "MySQL"]
