"""Chinese higher-education major catalogs: the MoE undergraduate catalog (本科专业目录, 门类 →
专业类 → 专业) and the 2021 vocational catalog (高职专科, 大类 → 专业类 → 专业), with the
occupation families and skills each 专业类 typically leads to, and tolerant name lookup."""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from matcher.errors import TaxonomyError

UNDERGRADUATE = "undergraduate"
VOCATIONAL = "vocational"
LEVELS: tuple[str, ...] = (UNDERGRADUATE, VOCATIONAL)


@dataclass(frozen=True, slots=True)
class MajorClass:
    level: str  # "undergraduate" or "vocational"
    code: str  # 4 digits: "0809" (计算机类), "5102" (高职 计算机类)
    name: str
    category_code: str  # 门类 ("08") or 大类 ("51")
    category_name: str
    families: tuple[str, ...]  # occupation families graduates usually go into
    skills: tuple[str, ...]  # skills and tools employers ask for


@dataclass(frozen=True, slots=True)
class Major:
    level: str
    code: str  # 6 digits plus the catalog's K/T letters: "080902", "120203K", "510203"
    name: str
    major_class: MajorClass


#: Informal names → (undergraduate, vocational) catalog names; "" where a level has none.
MAJOR_ALIASES: dict[str, tuple[str, str]] = {
    "计算机": ("计算机科学与技术", "计算机应用技术"),
    "计科": ("计算机科学与技术", ""),
    "计算机科学": ("计算机科学与技术", ""),
    "软件": ("软件工程", "软件技术"),
    "会计": ("会计学", "大数据与会计"),
    "会计电算化": ("", "大数据与会计"),
    "财务管理": ("", "大数据与财务管理"),
    "英语专业": ("英语", "应用英语"),
    "英语": ("", "应用英语"),
    "临床": ("临床医学", "临床医学"),
    "土木": ("土木工程", "建筑工程技术"),
    "电气": ("电气工程及其自动化", "电气自动化技术"),
    "机械": ("机械设计制造及其自动化", "机械制造及自动化"),
    "机电": ("机械电子工程", "机电一体化技术"),
    "机电一体化": ("", "机电一体化技术"),
    "电子": ("电子信息工程", "电子信息工程技术"),
    "通信": ("通信工程", "现代通信技术"),
    "大数据": ("数据科学与大数据技术", "大数据技术"),
    "人工智能": ("", "人工智能技术应用"),
    "物联网": ("物联网工程", "物联网应用技术"),
    "计算机网络": ("网络工程", "计算机网络技术"),
    "信安": ("信息安全", "信息安全技术应用"),
    "网安": ("网络空间安全", ""),
    "信管": ("信息管理与信息系统", ""),
    "数媒": ("数字媒体技术", "数字媒体技术"),
    "护理": ("护理学", ""),
    "中医": ("中医学", "中医学"),
    "口腔": ("口腔医学", "口腔医学"),
    "法律": ("法学", "法律事务"),
    "金融": ("金融学", "金融服务与管理"),
    "国贸": ("国际经济与贸易", "国际经济与贸易"),
    "工商": ("工商管理", "工商企业管理"),
    "营销": ("市场营销", "市场营销"),
    "人力": ("人力资源管理", "人力资源管理"),
    "物流": ("物流管理", "现代物流管理"),
    "物流管理": ("", "现代物流管理"),
    "酒店管理": ("", "酒店管理与数字化运营"),
    "电商": ("电子商务", "电子商务"),
    "造价": ("工程造价", "工程造价"),
    "汽修": ("", "汽车检测与维修技术"),
    "汽车维修": ("", "汽车检测与维修技术"),
    "幼师": ("学前教育", "学前教育"),
    "思政": ("思想政治教育", ""),
    "社工": ("社会工作", "社会工作"),
    "文秘": ("秘书学", "现代文秘"),
    "数学": ("数学与应用数学", ""),
    "应用数学": ("数学与应用数学", ""),
    "环艺": ("环境设计", "环境艺术设计"),
    "视传": ("视觉传达设计", "视觉传达设计"),
    "平面设计": ("视觉传达设计", "视觉传达设计"),
    "播音主持": ("播音与主持艺术", "播音与主持"),
}

_LEVEL_WORDS = {
    UNDERGRADUATE: UNDERGRADUATE,
    VOCATIONAL: VOCATIONAL,
    "本科": UNDERGRADUATE,
    "大专": VOCATIONAL,
    "专科": VOCATIONAL,
    "高职": VOCATIONAL,
    "高职专科": VOCATIONAL,
}
_OPENERS = ("(", "[", "{")
_TO_ASCII_BRACKETS = str.maketrans("【】〔〕〖〗《》〈〉", "[]()[][][]")
_NOTE = re.compile(r"[(\[{]([^()\[\]{}]*)[)\]}]")
_MAJOR_CODE = re.compile(r"^\d{6}(?!\d)[A-Z]{0,2}")
_CLASS_CODE = re.compile(r"^\d{4}$")
_SUFFIXES = ("专业", "方向")


@dataclass(frozen=True, slots=True)
class _Query:
    names: tuple[str, ...]  # cleaned text, then the text without 专业/方向 suffixes
    hint: str | None  # level asked for by a bracket note (大专, 本科...)
    code: str | None  # a leading 6-digit catalog code
    directional: bool  # a trailing 方向 was removed: allow a catalog-name prefix


def _parse(text: str) -> _Query:
    s = unicodedata.normalize("NFKC", text).translate(_TO_ASCII_BRACKETS).upper()
    notes = _NOTE.findall(s)
    s = _NOTE.sub("", s)
    for opener in _OPENERS:  # an unclosed note: "软件技术(大专"
        if opener in s:
            s, _, rest = s.partition(opener)
            notes.append(rest)
    s = re.sub(r"\s+", "", s).strip(":：-—_·,，、")
    hint = None
    joined = "".join(notes)
    if "本科" in joined or "专升本" in joined:
        hint = UNDERGRADUATE
    elif any(word in joined for word in ("大专", "专科", "高职", "高专")):
        hint = VOCATIONAL
    names = [s]
    stripped, directional = s, False
    while stripped.endswith(_SUFFIXES) and len(stripped) > 2:
        directional = directional or stripped.endswith("方向")
        stripped = stripped[:-2]
        names.append(stripped)
    match = _MAJOR_CODE.match(s)
    code = match.group(0) if match is not None else None
    return _Query(tuple(dict.fromkeys(names)), hint, code, directional)


def _levels(level: str | None) -> tuple[str, ...]:
    if level is None:
        return LEVELS
    if level not in _LEVEL_WORDS:
        raise ValueError(f"unknown level {level!r}; use one of {', '.join(LEVELS)}")
    return (_LEVEL_WORDS[level],)


def _ordered(levels: tuple[str, ...], hint: str | None) -> tuple[str, ...]:
    if hint is None or hint not in levels:
        return levels
    return (hint, *(lv for lv in levels if lv != hint))


class MajorCatalog:
    """Both catalogs. ``level`` arguments take ``undergraduate``/``vocational`` (or 本科/大专/
    专科/高职) and restrict the search; ``None`` searches both, undergraduate first."""

    def __init__(self, classes: Iterable[MajorClass], majors: Iterable[Major]) -> None:
        self._classes = {c.code: c for c in sorted(classes, key=lambda c: c.code)}
        self._majors = sorted(majors, key=lambda m: (LEVELS.index(m.level), m.code))
        self._class_names: dict[str, dict[str, MajorClass]] = {lv: {} for lv in LEVELS}
        for c in self._classes.values():
            self._class_names[c.level][c.name] = c
        self._by_code: dict[str, Major] = {}
        self._names: dict[str, dict[str, Major]] = {lv: {} for lv in LEVELS}
        for m in self._majors:
            if m.code in self._by_code or m.code[:6] in self._by_code:
                raise TaxonomyError(
                    f"duplicate major code {m.code}", zh=f"专业目录中代码 {m.code} 重复"
                )
            if m.name in self._names[m.level]:
                raise TaxonomyError(
                    f"duplicate {m.level} major name {m.name}", zh=f"专业目录中名称 {m.name} 重复"
                )
            self._by_code[m.code] = self._by_code[m.code[:6]] = m
            self._names[m.level][m.name] = m

    def classes(self, level: str | None = None) -> list[MajorClass]:
        levels = _levels(level)
        return [c for c in self._classes.values() if c.level in levels]

    def majors(self, level: str | None = None) -> list[Major]:
        levels = _levels(level)
        return [m for m in self._majors if m.level in levels]

    def categories(self, level: str | None = None) -> dict[str, str]:
        """门类 (undergraduate) and 大类 (vocational) codes → names."""
        return {c.category_code: c.category_name for c in self.classes(level)}

    def lookup(self, text: str, level: str | None = None) -> Major | None:
        """A major by code, catalog name, or a tolerant variant of one; None when unknown."""
        query = _parse(text)
        levels = _levels(level)
        if query.code is not None:
            major = self._by_code.get(query.code) or self._by_code.get(query.code[:6])
            if major is not None and major.level in levels:
                return major
        ordered = _ordered(levels, query.hint)
        # With a level hint, the hinted catalog (names and aliases) goes first; without one,
        # an exact catalog name anywhere beats an informal alias.
        if query.hint in levels:
            steps = [(lv, alias) for lv in ordered for alias in (False, True)]
        else:
            steps = [(lv, alias) for alias in (False, True) for lv in ordered]
        for lv, alias in steps:
            for name in query.names:
                target = MAJOR_ALIASES.get(name, ("", ""))[LEVELS.index(lv)] if alias else name
                if target in self._names[lv]:
                    return self._names[lv][target]
        if query.directional:  # "软件工程嵌入式方向": the longest catalog name it starts with
            for lv in ordered:
                found = [n for n in self._names[lv] if query.names[-1].startswith(n)]
                if found:
                    return self._names[lv][max(found, key=len)]
        return None

    def major_class(self, text: str, level: str | None = None) -> MajorClass | None:
        """A 专业类 by 4-digit code or name (``计算机类``), or the class of a major text."""
        query = _parse(text)
        levels = _levels(level)
        if _CLASS_CODE.match(query.names[0]):
            found = self._classes.get(query.names[0])
            return found if found is not None and found.level in levels else None
        for lv in _ordered(levels, query.hint):
            for name in query.names:
                if name in self._class_names[lv]:
                    return self._class_names[lv][name]
        major = self.lookup(text, level)
        return major.major_class if major is not None else None

    def resolve(self, text: str, level: str | None = None) -> Major:
        """Like :meth:`lookup` but raises :class:`TaxonomyError` naming the closest majors."""
        major = self.lookup(text, level)
        if major is not None:
            return major
        levels = _levels(level)
        names = [n for lv in levels for n in self._names[lv]]
        names += [a for a, t in MAJOR_ALIASES.items() if any(t[LEVELS.index(lv)] for lv in levels)]
        names = list(dict.fromkeys(names))
        query = _parse(text).names[-1]
        close = difflib.get_close_matches(query, names, n=5, cutoff=0.5)
        close += [n for n in names if query and (query in n or n in query) and n not in close]
        scope = "" if level is None else f" in the {levels[0]} catalog"
        hint = f"closest names: {', '.join(close[:5])}" if close else "no similar catalog name"
        raise TaxonomyError(
            f"unknown major {text!r}{scope}; {hint}",
            zh=f"无法识别的专业“{text}”：请使用本科或高职专业目录中的名称或代码",
        )


def _read(name: str) -> list[dict[str, str]]:
    path = resources.files("matcher.taxonomy").joinpath("data").joinpath(name)
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@cache
def load_majors() -> MajorCatalog:
    """The undergraduate and vocational catalogs from ``matcher/taxonomy/data`` (cached)."""
    classes = {
        row["code"]: MajorClass(
            level=row["level"],
            code=row["code"],
            name=row["name"],
            category_code=row["category_code"],
            category_name=row["category_name"],
            families=tuple(row["families"].split("|")),
            skills=tuple(row["skills"].split("|")),
        )
        for row in _read("major_classes.csv")
    }
    majors: list[Major] = []
    for level, file_name in (
        (UNDERGRADUATE, "majors_undergraduate.csv"),
        (VOCATIONAL, "majors_vocational.csv"),
    ):
        for row in _read(file_name):
            major_class = classes.get(row["class_code"])
            if major_class is None or major_class.level != level:
                raise TaxonomyError(
                    f"{file_name}: major {row['code']} {row['name']} points to unknown "
                    f"{level} class {row['class_code']}",
                    zh=f"专业目录 {file_name} 中专业 {row['code']} 的专业类不存在",
                )
            majors.append(Major(level, row["code"], row["name"], major_class))
    return MajorCatalog(classes.values(), majors)
