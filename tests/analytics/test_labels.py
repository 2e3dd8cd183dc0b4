"""The reporting month and the labels of codes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from matcher.analytics import Month
from matcher.analytics.labels import (
    ANY,
    OUTSIDE,
    UNKNOWN,
    UNSPECIFIED,
    category_label,
    district_key,
    district_label,
    industry_label,
    industry_section,
    posting_class,
)


def test_month_bounds_are_china_midnights_in_utc():
    august = Month.parse("2022-08")
    assert (august.first, august.last) == (date(2022, 8, 1), date(2022, 8, 31))
    assert august.start_utc == datetime(2022, 7, 31, 16, tzinfo=UTC)
    assert august.end_utc == datetime(2022, 8, 31, 16, tzinfo=UTC)
    assert str(Month.parse("2022-12").previous()) == "2022-11"
    assert Month.parse("2022-12").next_first == date(2023, 1, 1)
    assert str(Month.containing(date(2023, 1, 5)).previous()) == "2022-12"


@pytest.mark.parametrize("text", ["2022-13", "2022-8", "22-08", "August", "2022-00", ""])
def test_a_bad_month_says_the_expected_form(text):
    with pytest.raises(ValueError, match="YYYY-MM"):
        Month.parse(text)


def test_district_keys_and_labels():
    assert district_key("500112") == "500112" and district_label("500112") == "渝北区"
    assert district_key("440305") == OUTSIDE and district_label(OUTSIDE) == "市外"
    assert district_key("50") == district_key(None) == UNSPECIFIED
    assert district_label(ANY) == "不限区县"


def test_a_class_name_in_both_catalogs_follows_the_required_education():
    assert posting_class("计算机类", 2).code == "0809"  # 本科
    assert posting_class("计算机类", 1).code == "5102"  # 大专
    assert posting_class("计算机类", None).code == "5102"
    assert posting_class("机械类", 1).code == "0802"  # only in the undergraduate catalog
    assert posting_class("不存在类", 2) is None
    assert posting_class("软件工程", 2).name == "计算机类"  # a major's name gives its class
    assert category_label("08") == "工学（本科）"
    assert category_label("51") == "电子与信息大类（专科）"


def test_industry_sections_of_any_code():
    assert industry_section("65") == industry_section("I") == "I"
    assert industry_section("6511") == "I"
    assert industry_section(None) == industry_section("zz") == UNKNOWN
    assert industry_label("C") == "C 制造业"
