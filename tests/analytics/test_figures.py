"""The report's figures agree with direct counts over the constructed records (issue #9): a
brute-force reference walks the records with the report's definitions, and a few figures
are also checked by hand. Runs on SQLite and, where configured, PostgreSQL."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

import pytest

from matcher.analytics import Month, monthly_report
from matcher.analytics.labels import (
    ANY,
    NO_MAJOR,
    district_key,
    industry_section,
    major_class,
    posting_class,
)
from matcher.records.prepare import prepare
from matcher.taxonomy.vocab import Degree, degree_rank
from tests.analytics.conftest import GRADUATES, MONTH, POSTINGS, STATE

LAST = date(2022, 8, 31)
MONTH_END_UTC = Month.parse(MONTH).end_utc


def _postings():
    out = []
    for raw in POSTINGS:
        record = prepare("positions", raw).record
        status, changed, flagged = STATE.get(record["id"], ("open", None, False))
        posted = date.fromisoformat(record["posted_at"])
        expires = record.get("expires_at")
        is_open = (
            not flagged
            and posted <= LAST
            and (expires is None or date.fromisoformat(expires) >= LAST)
            and (status == "open" or changed >= MONTH_END_UTC)
        )
        is_new = not flagged and date(2022, 8, 1) <= posted <= LAST
        edu = record.get("education_min")
        out.append(
            {
                **record,
                "is_open": is_open,
                "is_new": is_new,
                "headcount": record.get("headcount") or 1,
                "rank": degree_rank(Degree(edu)) if edu else None,
                "district": district_key((record.get("location") or {}).get("code")),
                "section": industry_section(record.get("industry_code")),
            }
        )
    return out


def _seekers():
    out = []
    for raw in GRADUATES:
        record = prepare("graduates", raw).record
        if record.get("status", "seeking") != "seeking":
            continue
        wanted = [c for c in record["desired"].get("region_codes", []) if len(c) == 6]
        where = wanted or [record["district_code"]] if record.get("district_code") else wanted
        info = major_class(record.get("major_code"))
        out.append({**record, "districts": where or [ANY], "class": info})
    return out


@pytest.fixture
def report(pool):
    return monthly_report(pool, Month.parse(MONTH))


def _by(rows, key="key"):
    return {r[key]: r for r in rows}


def test_postings_by_kind_district_and_industry_match_direct_counts(report):
    postings = _postings()
    for axis, attr in (
        ("by_kind", "kind"),
        ("by_district", "district"),
        ("by_industry", "section"),
    ):
        expected = defaultdict(Counter)
        for p in postings:
            row = expected[p[attr]]
            row["new"] += p["is_new"]
            row["new_headcount"] += p["headcount"] * p["is_new"]
            row["open"] += p["is_open"]
            row["open_headcount"] += p["headcount"] * p["is_open"]
        expected = {k: dict(v) for k, v in expected.items() if v["new"] or v["open"]}
        got = {
            k: {f: v[f] for f in ("new", "new_headcount", "open", "open_headcount")}
            for k, v in _by(report["postings"][axis]).items()
        }
        assert got == expected, axis
    # by hand: p-1, p-4, p-7, p-10 are new; p-1, p-2, p-5 (closed after the month), p-7, p-9,
    # p-10 open; p-3 expired, p-6 flagged, p-8 posted in September
    assert report["postings"]["total"] == {
        "new": 4,
        "new_headcount": 11,
        "open": 6,
        "open_headcount": 21,
    }
    assert _by(report["postings"]["by_district"])["outside"]["open"] == 1


def test_seekers_by_category_degree_and_district_match_direct_counts(report):
    seekers = _seekers()
    s = report["seekers"]
    assert s["total"] == len(seekers) == 6
    categories = Counter(g["class"].category for g in seekers)
    assert {k: v["seekers"] for k, v in _by(s["by_category"]).items()} == categories
    degrees = Counter(str(degree_rank(Degree(g["degree"]))) for g in seekers)
    assert {k: v["seekers"] for k, v in _by(s["by_degree"]).items()} == degrees
    districts = Counter(d for g in seekers for d in g["districts"])
    assert {k: v["seekers"] for k, v in _by(s["by_district"]).items()} == districts
    # by hand: g-2 wants 渝北 and 江北 and counts in both; g-3 gave only where she lives
    assert districts == {"500112": 3, "500105": 2, "500101": 1, ANY: 1}


def test_district_by_category_ratios_match_direct_counts(report):
    need = defaultdict(float)
    for p in _postings():
        if not p["is_open"]:
            continue
        majors = p.get("majors") or []
        for name in majors:
            info = posting_class(name, p["rank"])
            need[(p["district"], info.category)] += p["headcount"] / len(majors)
        if not majors:
            need[(p["district"], NO_MAJOR)] += p["headcount"]
    supply = Counter(
        (d, g["class"].category) for g in _seekers() for d in g["districts"] if d != ANY
    )
    cells = {(c["district"], c["category"]): c for c in report["ratios"]["by_district_category"]}
    assert set(cells) == set(need) | set(supply)
    for key, cell in cells.items():
        assert cell["headcount"] == pytest.approx(need.get(key, 0.0), abs=0.05), key
        if key[1] != NO_MAJOR:
            assert cell["seekers"] == supply.get(key, 0), key
    # by hand: 江北区 工学 — p-2 gives half of its 10 places to 机械类, p-10 4 places; g-6
    assert cells[("500105", "08")]["ratio"] == 9.0
    # p-2's 计算机类 asks for 大专, so it is the vocational class (电子与信息大类) — g-2's
    assert cells[("500105", "51")]["ratio"] == 5.0
    assert cells[("500103", "08")]["ratio"] is None  # places but no seekers


def test_industry_ratios_share_seekers_by_where_their_class_is_asked_for(report):
    rows = _by(report["ratios"]["by_industry"])
    open_postings = [p for p in _postings() if p["is_open"]]
    for section, row in rows.items():
        assert row["headcount"] == sum(
            p["headcount"] for p in open_postings if p["section"] == section
        )
    # 计算机类 seekers (g-1, g-2) are shared by the 13 计算机类 places: 4 in I, 5 in C, 4 unknown
    assert rows["I"]["seekers"] == pytest.approx(round(2 * 4 / 13, 1))
    # C also gets g-6, the only 机械类 seeker, all of whose class's places are in C
    assert rows["C"]["seekers"] == pytest.approx(round(2 * 5 / 13 + 1, 1))
    # I's places: p-1 (3) and p-5 (1) ask for 计算机类, p-7 (1) for any major
    assert rows["I"]["ratio"] == pytest.approx(round(5 / (2 * 4 / 13), 2))


def test_offer_funnel_by_campaign_and_kind(report):
    f = report["funnel"]
    # o-5 was made in July and o-7 after midnight of 31 August, China time; o-6 counts
    assert {k: f["total"][k] for k in ("offered", "viewed", "applied", "hired")} == {
        "offered": 5,
        "viewed": 4,
        "applied": 2,
        "hired": 1,
    }
    campaigns = _by(f["by_campaign"])
    assert [campaigns["c-1"][s] for s in ("offered", "viewed", "applied", "hired")] == [3, 2, 1, 1]
    assert campaigns["c-1"]["label"] == "渝北江北专场"
    assert [campaigns["single"][s] for s in ("offered", "viewed", "applied", "hired")] == [
        2,
        2,
        1,
        0,
    ]
    kinds = _by(f["by_kind"])
    assert [kinds["full_time"][s] for s in ("offered", "viewed", "applied", "hired")] == [
        3,
        3,
        1,
        1,
    ]
    assert [kinds["traineeship"][s] for s in ("offered", "viewed", "applied", "hired")] == [
        2,
        1,
        1,
        0,
    ]
    assert f["total"]["viewed_rate"] == 0.8


def test_plan_coverage_and_outcomes_of_the_support_cohort(report):
    p = report["plans"]
    assert (p["cohort"], p["with_plan"], p["plans_opened"]) == (3, 2, 1)  # pl-3 is September's
    assert p["coverage"] == pytest.approx(2 / 3, abs=1e-4)
    flags = _by(p["by_flag"])
    assert (flags["disabled"]["cohort"], flags["disabled"]["with_plan"]) == (1, 1)
    assert (
        flags["zero_employment_family"]["cohort"],
        flags["zero_employment_family"]["with_plan"],
    ) == (1, 0)
    assert _by(p["by_status"])["seeking"] == {"key": "seeking", "with_plan": 1, "without_plan": 1}
    assert {(x["status"], x["outcome"], x["plans"]) for x in p["plans_by_outcome"]} == {
        ("active", "in_progress", 1),
        ("closed", "employed", 1),
    }
    assert {(x["kind"], x["status"], x["items"]) for x in p["items"]} == {
        ("guidance", "done", 1),
        ("job", "proposed", 1),
    }


def test_an_empty_month_has_zero_figures_and_empty_sections(pool):
    report = monthly_report(pool, Month.parse("2019-01"))
    assert report["postings"]["total"] == dict.fromkeys(
        ("new", "new_headcount", "open", "open_headcount"), 0
    )
    assert report["funnel"]["total"]["offered"] == 0 and report["funnel"]["by_campaign"] == []
    assert report["funnel"]["total"]["viewed_rate"] is None
    assert report["plans"]["with_plan"] == 0 and report["plans"]["cohort"] == 3
    assert report["fit"] is None and "hard_to_fill" not in report
