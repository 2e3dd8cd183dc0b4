"""The occupations table and the wishes read from a graduate's own words (issue 18)."""

from __future__ import annotations

import pytest

from matcher.engine.wishes import wishes_of
from matcher.taxonomy.occupations import GROUPS, names_occupation, occupations, related_words


def test_every_occupation_has_a_group_and_words():
    table = occupations()
    assert len(table) >= 50
    assert len({o.name for o in table}) == len(table)
    for occupation in table:
        assert occupation.group in GROUPS and occupation.words[0] == occupation.name.lower()


def test_a_word_widens_to_its_occupation_and_the_longest_name_wins():
    assert {"维修", "电工", "设备"} <= related_words(["机修"])
    assert "ui" not in related_words(["机械设计"])  # 机械设计 is its own occupation, not 设计
    assert {"文员", "秘书"} <= related_words(["文秘"])
    assert related_words(["东西"]) == frozenset()
    assert names_occupation("出纳") and not names_occupation("公司")


@pytest.mark.parametrize(
    ("bio", "wanted", "avoided"),
    [
        ("想找人事专员或招聘助理，重庆成都都可以。", {"人事", "招聘"}, set()),
        (
            "其实不太想当老师，更想去企业做文字相关的工作，比如行政文秘、新媒体文案这类。",
            {"行政", "新媒体", "文案"},
            {"老师"},
        ),
        ("机械本科毕业一年了，觉得画图不适合自己，想转行做销售。", {"销售"}, set()),
        ("社工岗位太少，想在重庆找人事、行政一类跟人打交道的工作。", {"人事", "行政"}, {"社工"}),
    ],
)
def test_wishes_are_read_from_the_bio(bio, wanted, avoided):
    found = wishes_of({"bio": bio})
    assert wanted <= found.wanted
    assert avoided <= found.avoided
    assert not found.wanted & found.avoided
    assert "重庆" not in found.wanted and "成都" not in found.wanted  # places are not wishes


def test_a_bio_without_wishes_gives_none():
    assert wishes_of({"bio": "做过校园二手平台的后端。"}).wanted == frozenset()
    assert wishes_of({}).wanted == frozenset()
