"""Lenient about spelling, strict about meaning (issue 15, points 12-14): values written the
way Chinese ads and forms write them are stored, with a note of each rewrite; values that mean
something else still fail, and every error of a record is reported once."""

from __future__ import annotations

import pytest

from matcher.errors import ValidationError
from matcher.records.lenient import chinese_number, salary
from matcher.records.prepare import prepare
from matcher.taxonomy.regions import load_regions
from tests.conftest import graduate, position


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("面议", {"negotiable": True}),
        ("薪资面议", {"negotiable": True}),
        ("6000-9000元/月", {"min": 6000, "max": 9000, "unit": "month"}),
        ("6-9千", {"min": 6000, "max": 9000, "unit": "month"}),
        ("1.5-2万", {"min": 15000, "max": 20000, "unit": "month"}),
        ("８Ｋ", {"min": 8000, "max": 8000, "unit": "month"}),
        ("150元/天", {"min": 150, "max": 150, "unit": "day"}),
        ("10-15万/年", {"min": 100000, "max": 150000, "unit": "year"}),
        ("3000以上", {"min": 3000, "unit": "month"}),
        ("看能力", None),
        ("6000-9000元/周", None),
    ],
)
def test_salaries_written_as_text(text, expected):
    assert salary(text) == expected


def test_a_negotiable_salary_keeps_the_record_and_notes_it():
    item = prepare("positions", position("p-1", salary="面议"))
    assert item.record["salary"] == {"negotiable": True, "unit": "month"}
    assert item.notes == ("salary: '面议' → {'negotiable': True}",)
    bound = prepare("positions", position("p-2", salary={"min": "面议", "max": 9000}))
    assert bound.record["salary"] == {"max": 9000.0, "unit": "month", "negotiable": True}


@pytest.mark.parametrize(
    ("changes", "field", "value"),
    [
        ({"headcount": "3"}, "headcount", 3),
        ({"headcount": "3人"}, "headcount", 3),
        ({"headcount": "三名"}, "headcount", 3),
        ({"headcount": "若干"}, "headcount", None),
        ({"experience_min_years": "3年以上"}, "experience_min_years", 3),
        ({"experience_min_years": "1-3年"}, "experience_min_years", 1),
        ({"experience_min_years": "无经验"}, "experience_min_years", 0),
        ({"education_min": "高中"}, "education_min", "中专"),
        ({"education_min": "初中及以下"}, "education_min", None),
        ({"salary": {"min": "6000", "max": "9千"}}, "salary", {"min": 6000.0, "max": 9000.0}),
    ],
)
def test_posting_spellings_are_read_for_their_meaning(changes, field, value):
    record = prepare("positions", position("p-1", **changes)).record
    got = record.get(field)
    if field == "salary":
        got = {k: got[k] for k in ("min", "max")}
    assert got == value


@pytest.mark.parametrize(
    ("year", "expected"), [("2026届", 2026), ("２０２６届", 2026), ("2026年", 2026), ("2026", 2026)]
)
def test_graduation_years_as_written_on_forms(year, expected):
    item = prepare("graduates", graduate("g-1", graduation_year=year))
    assert item.record["graduation_year"] == expected
    assert item.notes == (f"graduation_year: {year!r} → {expected}",)


def test_a_graduate_below_zhongzhuan_is_not_given_a_degree_silently():
    with pytest.raises(ValidationError) as info:
        prepare("graduates", graduate("g-1", degree="初中"))
    assert info.value.field == "degree"


def test_every_error_of_a_record_is_reported_once_without_repeating_the_field():
    bad = position("p-1", kind="gig", headcount="3-5", salary={"min": "很多"})
    with pytest.raises(ValidationError) as info:
        prepare("positions", bad)
    fields = [f for f, _ in info.value.errors]
    assert fields == ["kind", "salary.min", "headcount"]
    message = str(info.value)
    assert message.count("kind:") == 1 and message.count("headcount:") == 1
    assert "salary.min: salary.min" not in message and "Value error" not in message


def test_chinese_numerals_for_counts():
    assert [chinese_number(t) for t in ("一", "十", "十二", "二十", "九十九", "两")] == [
        1,
        10,
        12,
        20,
        99,
        2,
    ]
    assert chinese_number("一百") is None and chinese_number("十来") is None


def test_a_city_field_prefers_the_city_over_a_district_of_the_same_name():
    regions = load_regions()
    assert regions.resolve("西安", city=True).code == "6101"
    assert regions.resolve("抚顺", city=True).code == "2104"
    assert regions.resolve("重庆", city=True).code == "50"
    record = prepare("positions", position("p-1", location={"city": "西安", "district": "雁塔区"}))
    assert record.record["location"]["code"] == "610113"
    only_city = prepare("positions", position("p-2", location={"city": "西安"}))
    assert only_city.record["location"]["code"] == "6101"
    wish = prepare("graduates", graduate("g-1", desired={"cities": ["西安"]}))
    assert wish.record["desired"]["region_codes"] == ["6101"]
