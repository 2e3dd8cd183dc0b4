"""Compliance plants: discriminatory or fraudulent phrases (with their category) and harmless
look-alikes, inserted into a small share of generated postings so that the compliance screener
can be measured against known answers.

``slot`` says where a phrase reads naturally: ``req`` among the requirements, ``benefit``
among the benefits."""

from __future__ import annotations

from dataclasses import dataclass

from matcher.datasets.sampling import Weighted

VIOLATION_SHARE = 0.015
LOOKALIKE_SHARE = 0.03


@dataclass(frozen=True, slots=True)
class Plant:
    phrase: str
    category: str | None  # None for a harmless look-alike
    slot: str  # "req" or "benefit"


_VIOLATIONS: dict[str, tuple[float, tuple[str, ...]]] = {
    "gender": (0.2, ("限男性", "男性优先", "仅限女性", "女性优先", "只招男生")),
    "age": (0.24, ("年龄35岁以下", "18-28岁", "年龄在30周岁以内", "年龄22-30岁", "限90后")),
    "hukou_region": (0.1, ("限重庆户籍", "需本地户口", "仅限重庆生源", "要求本市户口")),
    "ethnicity": (0.04, ("限汉族", "汉族优先")),
    "religion": (0.03, ("无宗教信仰", "不接受有宗教信仰者")),
    "marriage_childbearing": (
        0.1,
        ("已婚已育优先", "限未婚", "三年内无生育计划", "已婚未育者勿扰"),
    ),
    "health": (0.08, ("乙肝携带者勿扰", "无乙肝", "无既往病史", "身体无残疾")),
    "appearance": (
        0.12,
        ("身高160cm以上、形象好", "五官端正", "身高170cm以上", "形象气质佳，身高165以上"),
    ),
    "fees_fraud": (
        0.09,
        (
            "入职需缴纳服装费200元",
            "先交培训费",
            "需缴纳押金500元",
            "入职需交工牌押金300元",
            "报名需先交资料费100元",
        ),
    ),
}

_LOOKALIKES: tuple[Plant, ...] = (
    Plant("男女不限", None, "req"),
    Plant("户籍不限", None, "req"),
    Plant("提供子女医疗补助", None, "benefit"),
    Plant("三八妇女节福利", None, "benefit"),
    Plant("婚假产假按国家规定执行", None, "benefit"),
    Plant("欢迎应届毕业生（年满18周岁）", None, "req"),
    Plant("年龄不限", None, "req"),
    Plant("民族不限", None, "req"),
    Plant("全程无需缴纳任何费用", None, "req"),
    Plant("提供免费入职体检", None, "benefit"),
    Plant("女职工享受生育津贴", None, "benefit"),
)
#: Only for food, catering and hotel families.
FOOD_LOOKALIKE = Plant("食品行业需办理健康证", None, "req")
FOOD_FAMILIES = frozenset({"food_qa", "chef", "hotel"})

VIOLATIONS: Weighted[str] = Weighted([(cat, w) for cat, (w, _) in _VIOLATIONS.items()])
CATEGORIES: tuple[str, ...] = tuple(_VIOLATIONS)
#: Every planted violation phrase by category.
VIOLATION_PHRASES: dict[str, tuple[str, ...]] = {cat: p for cat, (_, p) in _VIOLATIONS.items()}


def violation(category: str, r: float) -> Plant:
    phrases = _VIOLATIONS[category][1]
    return Plant(phrases[int(r * len(phrases))], category, "req")


def lookalike(family_key: str, r: float) -> Plant:
    pool = _LOOKALIKES + ((FOOD_LOOKALIKE, FOOD_LOOKALIKE) if family_key in FOOD_FAMILIES else ())
    return pool[int(r * len(pool))]
