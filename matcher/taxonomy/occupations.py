"""Occupations as job ads name them: for each common occupation of graduates, its group in the
national occupational classification (GB/T 6565-2015 大类) and the words ads and graduates use
for it (data/occupations.csv: 会计 is also 财务, 记账, 做账; 设备维修 is also 机修, 维护, 电工).

A graduate who writes 想做机修 wants postings titled 设备维修工 too: :func:`related_words`
widens a word to the words of every occupation it names."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

#: GB/T 6565-2015 大类 (major groups)
GROUPS: dict[str, str] = {
    "1": "党的机关、国家机关、群众团体和社会组织、企事业单位负责人",
    "2": "专业技术人员",
    "3": "办事人员和有关人员",
    "4": "社会生产服务和生活服务人员",
    "5": "农、林、牧、渔业生产及辅助人员",
    "6": "生产制造及有关人员",
    "7": "军人",
    "8": "不便分类的其他从业人员",
}
_LATIN = re.compile(r"[a-z0-9+#.]+")


@dataclass(frozen=True, slots=True)
class Occupation:
    name: str
    group: str  # a key of GROUPS
    words: tuple[str, ...]  # lower case; the name first


@cache
def occupations() -> tuple[Occupation, ...]:
    """The table, read once. Raises ``ValueError`` naming the row at fault."""
    out = []
    path = resources.files("matcher.taxonomy").joinpath("data/occupations.csv")
    with path.open(encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            name, group = (row.get("name") or "").strip(), (row.get("group") or "").strip()
            words = [w.strip().lower() for w in (row.get("aliases") or "").split("|")]
            if not name or group not in GROUPS or not all(words):
                raise ValueError(
                    f"occupations.csv line {number}: give a name, a group among "
                    f"{sorted(GROUPS)} and aliases separated by |"
                )
            out.append(Occupation(name, group, tuple(dict.fromkeys([name.lower(), *words]))))
    return tuple(out)


def _named(word: str) -> list[Occupation]:
    """The occupations ``word`` names: those with it as a word; else those with the longest of
    their (Chinese) words inside it (新媒体文案 names 新媒体运营; 机械设计 names 机械设计,
    not 设计, since it is one of 机械设计's own words)."""
    exact = [o for o in occupations() if word in o.words]
    if exact:
        return exact
    best, found = 1, list[Occupation]()
    for occupation in occupations():
        for alias in occupation.words:
            if len(alias) >= best and not _LATIN.fullmatch(alias) and alias in word:
                if len(alias) > best:
                    best, found = len(alias), []
                found.append(occupation)
    return found


@cache
def _related(word: str) -> frozenset[str]:
    found: set[str] = set()
    for occupation in _named(word):
        found.update(occupation.words)
    return frozenset(found | {word}) if found else frozenset()


def names_occupation(word: str) -> bool:
    """Whether ``word`` (lower case) names an occupation of the table."""
    return bool(_related(word.lower()))


def related_words(words: Iterable[str]) -> frozenset[str]:
    """The words that name an occupation, with the words of every occupation they name (lower
    case); words that name none are left out."""
    out: set[str] = set()
    for word in words:
        out |= _related(word.lower())
    return frozenset(out)
