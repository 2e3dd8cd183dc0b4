"""What the graduate wants, where the résumé says it (求职意向, 期望工作...): places resolved
against the national divisions, kinds of position (全职, 实习, 见习, 三支一扶, 事业单位), the jobs
named and the lowest salary asked."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from matcher.resumes.fields import labelled
from matcher.taxonomy.regions import load_regions

_KINDS = (
    (re.compile(r"全职|全日制工作|正式工作"), "full_time"),
    (re.compile(r"就业见习|见习"), "traineeship"),
    (re.compile(r"实习(?!经历)"), "internship"),
    (re.compile(r"三支一扶|西部计划|特岗|大学生村官|基层"), "grassroots"),
    (re.compile(r"事业单位|事业编"), "public_institution"),
)
_PLACE_LABELS = (
    "期望城市",
    "工作地点",
    "意向城市",
    "期望地点",
    "工作城市",
    "意向地区",
    "期望工作地区",
    "工作地区",
    "期望地区",
    "期望工作地点",
    "意向地点",
)
_TITLE_LABELS = (
    "期望职位",
    "意向岗位",
    "应聘岗位",
    "求职岗位",
    "期望岗位",
    "目标职位",
    "意向职位",
    "应聘职位",
    "期望从事职业",
    "求职意向",
    "岗位",
    "职位",
)
_SALARY_LABELS = ("期望薪资", "期望薪酬", "期望月薪", "薪资要求", "期望工资", "薪资")
_KIND_LABELS = ("工作性质", "工作类型", "求职类型", "期望性质", "求职性质")
_SALARY = re.compile(
    r"(\d+(?:\.\d+)?)\s*([kK千])?\s*(?:(?:-|~|至|到)\s*\d+(?:\.\d+)?\s*([kK千])?)?"
)
_SENTENCE = re.compile(r"期望|希望|愿意|工作地点|随时|到岗|可接受|服从")
_MAIN_CITY = re.compile(r"^(重庆)?主城(九区|区|都市区)?$")
_NOT_PLACE = re.compile(r"岗|职|员|师|工作|经理|助理|专员|会计|销售|运营|开发|设计|教师|护士|\d")


@dataclass
class Wishes:
    cities: list[str] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    salary_min: int | None = None
    sources: list[str] = field(default_factory=list)


def _place(token: str, wishes: Wishes) -> bool:
    if _MAIN_CITY.match(token):
        if "重庆" not in wishes.cities:
            wishes.cities.append("重庆")
        return True
    if not re.fullmatch(r"[\u4e00-\u9fff]{2,8}", token) or _NOT_PLACE.search(token):
        return False
    region = load_regions().try_resolve(token, city=not token.endswith(("区", "县")))
    if region is None:
        return False
    target = wishes.districts if len(region.code) == 6 else wishes.cities
    name = region.name if len(region.code) == 6 else re.sub(r"市$", "", region.name)
    if name not in target:
        target.append(name)
    return True


def _salary(value: str) -> int | None:
    m = _SALARY.search(value)
    if m is None:
        return None
    thousands = bool(m.group(2) or m.group(3))  # 4-6K: both ends in thousands
    amount = float(m.group(1)) * (1000 if thousands else 1)
    return int(amount) if 500 <= amount <= 100_000 else None


_ALL_LABELS = "|".join(_PLACE_LABELS + _TITLE_LABELS + _SALARY_LABELS + _KIND_LABELS)


def _rest(line: str, label: str) -> str:
    """What follows ``label`` up to the next label."""
    rest = line[line.index(label) + len(label) :].lstrip(":| ")
    return re.split(rf"\s*\|?\s*(?:{_ALL_LABELS})\s*[:|]", rest)[0]


_WISH_WORDS = re.compile(
    r"^(?:期望|希望|意向|愿意|可以|可|想)?(?:在|到|去)?|(?:工作|地区|发展|一带|周边|附近|均可|优先)+$"
)


def _pieces(text: str) -> list[str]:
    """Parts of a sentence of wishes: ``期望在万州或重庆主城工作`` → 万州, 重庆主城."""
    parts = re.split(r"[\s、,，;；/|·]+|或|和|及", text)
    return [p for p in (_WISH_WORDS.sub("", x.strip()) for x in parts) if p]


def read(lines: list[str], indices: list[int]) -> Wishes:
    wishes = Wishes()
    for i in indices:
        line = lines[i]
        if not line:
            continue
        used = False
        for label, _ in labelled(line, _PLACE_LABELS):
            used = True
            for token in re.split(r"[、,/ |·]+|或", _rest(line, label)):
                _place(token.strip(), wishes)
        for _, value in labelled(line, _SALARY_LABELS):
            used = True
            wishes.salary_min = wishes.salary_min or _salary(value)
        for pattern, kind in _KINDS:
            if pattern.search(line) and kind not in wishes.kinds:
                wishes.kinds.append(kind)
                used = True
        titles = [v for _, v in labelled(line, _TITLE_LABELS)]
        if not titles:  # the words before any other label: 会计/财务助理 期望薪资：...
            before = re.split(rf"(?:{_ALL_LABELS})\s*[:|]", line)[0]
            titles = [t for t in _pieces(before) if not _place(t, wishes)]
        for title in titles:
            for part in re.split(r"[、/]|或", title):
                part = re.sub(r"[(（].*?[)）]", "", part).strip()
                if (
                    part
                    and 2 <= len(part) <= 16
                    and not any(p.search(part) for p, _ in _KINDS)
                    and not _SENTENCE.search(part)
                ):
                    wishes.titles.append(part)
                    used = True
        if used:
            wishes.sources.append(line)
    wishes.titles = list(dict.fromkeys(wishes.titles))
    return wishes
