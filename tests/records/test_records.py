"""Validation and normalisation of exchange-format records."""

import pytest

from matcher.errors import ValidationError
from matcher.records.domain import to_graduate, to_position
from matcher.records.prepare import content_hash, prepare
from matcher.types import Degree, PositionKind, SalaryUnit
from tests.conftest import graduate, position


def test_a_full_position_is_normalised_with_resolved_codes():
    prepared = prepare("positions", position())
    record = prepared.record
    assert prepared.id == "p-1"
    assert record["location"] == {"city": "重庆", "district": "渝北区", "code": "500112"}
    assert record["industry_code"] == "65"
    item = to_position(record)
    assert item.kind is PositionKind.FULL_TIME
    assert item.education_min is Degree.BENKE
    assert item.salary is not None and item.salary.unit is SalaryUnit.MONTH
    assert item.posted_at is not None and item.posted_at.isoformat() == "2022-08-01"


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ({"code": "500112"}, {"code": "500112", "district": "渝北区", "city": "重庆"}),
        (
            {"city": "重庆", "district": "两江新区"},
            {"code": "500112", "district": "渝北区", "city": "重庆", "zone": "两江新区"},
        ),
        ({"city": "北京", "district": None}, {"code": "11", "city": "北京"}),
        (
            {"city": "深圳", "district": "龙华新区"},
            {"code": "440309", "district": "龙华区", "city": "深圳"},
        ),
        (
            {"city": "上海", "district": "南山区"},
            {"code": "31", "district": "南山区", "city": "上海"},
        ),
        (
            {"city": "北京", "district": "朝阳区"},
            {"code": "110105", "district": "朝阳区", "city": "北京"},
        ),
    ],
)
def test_locations_by_name_zone_and_code(location, expected):
    assert prepare("positions", position(location=location)).record["location"] == expected


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": None}, "title"),
        ({"title": 42}, "title"),
        ({"kind": "part_time"}, "kind"),
        ({"salary": {"min": "很多", "max": 9000}}, "salary.min"),
        ({"salary": {"min": float("inf")}}, "salary.min"),
        ({"salary": {"min": float("nan")}}, "salary.min"),
        ({"salary": {"max": 1e12}}, "salary.max"),
        ({"salary": "看能力"}, "salary"),
        ({"salary": {"min": 9000, "max": 6000}}, "salary"),
        ({"headcount": "3-5"}, "headcount"),
        ({"headcount": 10**9}, "headcount"),
        ({"experience_min_years": 99}, "experience_min_years"),
        ({"education_min": "幼儿园"}, "education_min"),
        ({"skills": "Java"}, "skills"),
        ({"location": {"district": "火星区"}}, "location.district"),
        ({"location": {"city": "火星市", "district": "火星区"}}, "location.city"),
        ({"location": {"code": "999999"}}, "location.code"),
        ({"posted_at": "yesterday"}, "posted_at"),
        ({"expires_at": "2022-01-01"}, "record"),
        (
            {"employer": {"name": "某公司", "credit_code": "915000000000000000"}},
            "employer.credit_code",
        ),
    ],
)
def test_bad_positions_name_the_field(changes, field):
    with pytest.raises(ValidationError) as info:
        prepare("positions", position(**changes))
    assert info.value.field == field
    assert info.value.record_id == "p-1"
    assert field in str(info.value)


def test_scraped_ads_with_blank_title_or_employer_name_are_kept():
    record = prepare("positions", position(title="", employer={"name": " ", "size": "20人"})).record
    assert record["title"] == ""
    assert "employer" not in record
    messy = prepare("positions", position(employer={"name": "重庆 某科技\n  有限公司"})).record
    assert messy["employer"]["name"] == "重庆 某科技 有限公司"
    pasted = prepare("positions", position(employer={"name": "公司简介" * 100})).record
    assert len(pasted["employer"]["name"]) == 200


def test_missing_id_is_reported():
    record = position()
    del record["id"]
    with pytest.raises(ValidationError) as info:
        prepare("positions", record)
    assert info.value.field == "id"
    assert info.value.record_id is None


def test_unknown_fields_are_kept_and_education_unlimited_is_none():
    record = prepare("positions", position(benefits="五险一金", education_min="不限")).record
    assert record["benefits"] == "五险一金"
    assert "education_min" not in record
    assert to_position(record).extra == {"benefits": "五险一金"}


def test_content_hash_ignores_key_order_but_not_values():
    a = prepare("positions", position()).content_hash
    b = prepare("positions", dict(reversed(list(position().items())))).content_hash
    c = prepare("positions", position(headcount=4)).content_hash
    assert a == b != c
    assert content_hash({"a": 1, "b": 2}) == content_hash({"b": 2, "a": 1})


def test_graduate_protected_traits_are_never_kept():
    record = prepare("graduates", graduate(gender="女", hukou="重庆", religion="无")).record
    assert not {"gender", "hukou", "religion"} & set(record)


def test_graduate_desired_places_and_major_are_resolved():
    record = prepare("graduates", graduate(major="软件工程专业")).record
    assert record["desired"]["region_codes"] == ["50", "500112"]
    assert record["major_code"] == "080902"
    item = to_graduate(record)
    assert item.desired.kinds == (PositionKind.FULL_TIME,)
    assert item.consent_push is True


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"degree": "小学"}, "degree"),
        ({"desired": {"districts": ["火星区"]}}, "desired.districts[0]"),
        ({"desired": {"kinds": ["gig"]}}, "desired.kinds[0]"),
        ({"support": ["rich"]}, "support[0]"),
        ({"graduation_year": 22022}, "graduation_year"),
        ({"consent": {"push": "yes"}}, "consent.push"),
    ],
)
def test_bad_graduates_name_the_field(changes, field):
    with pytest.raises(ValidationError) as info:
        prepare("graduates", graduate(**changes))
    assert info.value.field == field


def test_employer_with_credit_code_is_keyed_by_it():
    import random

    from matcher.taxonomy.credit_code import make

    code = make(random.Random(1), "500112")
    record = prepare("employers", {"id": "e-7", "name": "重庆某公司", "credit_code": code}).record
    assert record["id"] == code
    assert record["external_id"] == "e-7"
    plain = prepare("employers", {"name": "重庆某公司"}).record
    assert plain["id"].startswith("e-")
