"""Closed vocabularies: degrees (ordered), position kinds, graduate status and support flags."""

from __future__ import annotations

import re
from enum import StrEnum


class Degree(StrEnum):
    """Education levels in order: 中专 < 大专 < 本科 < 硕士 < 博士 (see :func:`degree_rank`)."""

    ZHONGZHUAN = "中专"
    DAZHUAN = "大专"
    BENKE = "本科"
    SHUOSHI = "硕士"
    BOSHI = "博士"


DEGREE_ORDER: tuple[Degree, ...] = tuple(Degree)

_DEGREE_ALIASES: dict[str, Degree | None] = {
    "中专": Degree.ZHONGZHUAN,
    "中职": Degree.ZHONGZHUAN,
    "职高": Degree.ZHONGZHUAN,
    "技校": Degree.ZHONGZHUAN,
    "高中": Degree.ZHONGZHUAN,
    "中技": Degree.ZHONGZHUAN,
    "大专": Degree.DAZHUAN,
    "专科": Degree.DAZHUAN,
    "高职": Degree.DAZHUAN,
    "高职专科": Degree.DAZHUAN,
    "大学专科": Degree.DAZHUAN,
    "本科": Degree.BENKE,
    "学士": Degree.BENKE,
    "大学本科": Degree.BENKE,
    "统招本科": Degree.BENKE,
    "硕士": Degree.SHUOSHI,
    "研究生": Degree.SHUOSHI,
    "硕士研究生": Degree.SHUOSHI,
    "博士": Degree.BOSHI,
    "博士研究生": Degree.BOSHI,
    "不限": None,
    "学历不限": None,
    "无": None,
    "无要求": None,
}
_DEGREE_SUFFIX = re.compile(r"(及以上|以上|学历|毕业)+$")
#: Below 中专 there is no rank: as a posting's requirement it asks for nothing; it is not a
#: graduate's degree.
_BELOW_RANKS = frozenset({"初中", "小学", "初中及以下", "初中以下", "小学及以下"})


def degree_rank(degree: Degree) -> int:
    """0 for 中专 up to 4 for 博士."""
    return DEGREE_ORDER.index(degree)


def parse_degree(text: str, *, requirement: bool = False) -> Degree | None:
    """Read a degree as written in ads and forms: ``本科及以上`` → 本科, ``不限`` → None; as a
    posting's ``requirement``, ``初中及以下`` → None too (it asks for nothing).

    Raises ``ValueError`` naming the accepted values when the text is not a degree.
    """
    if requirement and text.strip() in _BELOW_RANKS:
        return None
    cleaned = _DEGREE_SUFFIX.sub("", text.strip()) or text.strip()
    if cleaned in _DEGREE_ALIASES:
        return _DEGREE_ALIASES[cleaned]
    raise ValueError(
        f"unknown degree {text!r}; use one of {', '.join(d.value for d in Degree)} or 不限"
    )


class PositionKind(StrEnum):
    FULL_TIME = "full_time"
    INTERNSHIP = "internship"
    TRAINEESHIP = "traineeship"
    GRASSROOTS = "grassroots"
    PUBLIC_INSTITUTION = "public_institution"


KIND_LABELS: dict[PositionKind, str] = {
    PositionKind.FULL_TIME: "全职",
    PositionKind.INTERNSHIP: "实习",
    PositionKind.TRAINEESHIP: "见习",
    PositionKind.GRASSROOTS: "基层项目",
    PositionKind.PUBLIC_INSTITUTION: "事业单位",
}


def kind_label(kind: str) -> str:
    """The Chinese label of a position kind; an unknown kind is shown as written."""
    try:
        return KIND_LABELS[PositionKind(kind)]
    except ValueError:
        return kind


class PositionStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    DELETED = "deleted"


class GraduateStatus(StrEnum):
    SEEKING = "seeking"
    EMPLOYED = "employed"
    FURTHER_STUDY = "further_study"
    NOT_SEEKING = "not_seeking"


class SupportFlag(StrEnum):
    """Groups the bureau must help first. Never a ranking feature, never a reason to rank lower."""

    POVERTY_ALLEVIATED = "poverty_alleviated"
    LOW_INCOME_FAMILY = "low_income_family"
    ZERO_EMPLOYMENT_FAMILY = "zero_employment_family"
    DISABLED = "disabled"
    LONG_TERM_UNEMPLOYED = "long_term_unemployed"


SUPPORT_LABELS: dict[SupportFlag, str] = {
    SupportFlag.POVERTY_ALLEVIATED: "脱贫家庭",
    SupportFlag.LOW_INCOME_FAMILY: "低保家庭",
    SupportFlag.ZERO_EMPLOYMENT_FAMILY: "零就业家庭",
    SupportFlag.DISABLED: "残疾",
    SupportFlag.LONG_TERM_UNEMPLOYED: "长期失业",
}


class SalaryUnit(StrEnum):
    MONTH = "month"
    DAY = "day"
    HOUR = "hour"
    YEAR = "year"


#: Rough factor to compare salaries in yuan per month.
MONTHLY_FACTOR: dict[SalaryUnit, float] = {
    SalaryUnit.MONTH: 1.0,
    SalaryUnit.DAY: 21.75,
    SalaryUnit.HOUR: 174.0,
    SalaryUnit.YEAR: 1 / 12,
}


#: Chinese labels of an offer's statuses (the feedback events set the last five).
OFFER_STATUS_LABELS = {
    "recorded": "已记录（未发送）",
    "queued": "待发送",
    "sent": "已送达",
    "undeliverable": "无法送达",
    "withdrawn": "已撤回",
    "viewed": "已查看",
    "applied": "已投递",
    "declined": "已拒绝",
    "not_interested": "不感兴趣",
    "hired": "已录用",
}
