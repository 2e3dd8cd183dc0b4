"""National administrative divisions (NBS codes, 2023) and name resolution.

``resolve`` accepts ``重庆市渝北区``, ``渝北区``, ``渝北``, ``500112``, a Chongqing town or
sub-district (``观音桥街道``), and the functional zones used in ads (``两江新区``)."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from matcher.errors import TaxonomyError
from matcher.taxonomy.zones import ZONES, Zone


@dataclass(frozen=True, slots=True)
class Region:
    """A resolved national administrative division (county level when known)."""

    code: str  # 6-digit area code, 4-digit city code or 2-digit province code
    name: str
    province_code: str
    province: str
    city_code: str | None = None
    city: str | None = None
    zone: str | None = None  # functional zone the name came from (两江新区...), if any

    @property
    def level(self) -> str:
        return {2: "province", 4: "city", 6: "area"}[len(self.code)]


CHONGQING = "50"
_MUNICIPAL_CITY_NAMES = {"市辖区", "县"}
_AUTONOMOUS = re.compile(r"^(.{2,}?)(?:[\u4e00-\u9fff]{1,3}?族)+自治(?:县|旗|州)$")
_AREA_SUFFIX = re.compile(r"(?:新区|林区|特区|区|县|市|旗)$")
_CITY_SUFFIX = re.compile(r"(?:地区|盟|市)$")
_PROVINCE_SUFFIX = re.compile(r"(?:壮族|回族|维吾尔|维吾尔族)?自治区$|特别行政区$|省$|市$")
_TOWN_SUFFIX = re.compile(r"(街道|镇|乡)$")


#: Names of county-level areas abolished or renamed since, still seen in ads and old records.
FORMER_NAMES: dict[str, str] = {
    "双桥区": "500111",
    "龙华新区": "440309",
    "光明新区": "440311",
    "坪山新区": "440310",
    "大鹏新区": "440307",
    "萝岗区": "440112",
    "闸北区": "310106",
    "卢湾区": "310101",
    "南汇区": "310115",
    "崇文区": "110101",
    "宣武区": "110102",
}


def short_area_name(name: str) -> str:
    """``渝北区`` → ``渝北``, ``石柱土家族自治县`` → ``石柱``; names that would drop below two
    characters are kept whole."""
    return _short(_AREA_SUFFIX, name)


def _short(pattern: re.Pattern[str], name: str) -> str:
    autonomous = _AUTONOMOUS.match(name)
    short = autonomous.group(1) if autonomous else pattern.sub("", name)
    return short if len(short) >= 2 else name


def _rows(filename: str) -> Iterator[dict[str, str]]:
    with (
        resources.files("matcher.taxonomy")
        .joinpath("data")
        .joinpath(filename)
        .open(encoding="utf-8") as f
    ):
        yield from csv.DictReader(f)


class RegionCatalog:
    """Lookup over provinces, prefecture cities, county-level areas and Chongqing's towns."""

    def __init__(self, home_province: str = CHONGQING) -> None:
        self.home_province = home_province
        self._provinces = {r["code"]: r["name"] for r in _rows("provinces.csv")}
        self._cities: dict[str, str] = {}
        for r in _rows("cities.csv"):
            name = r["name"]
            if name in _MUNICIPAL_CITY_NAMES:
                name = self._provinces[r["provinceCode"]]
            self._cities[r["code"]] = name
        self._areas = {r["code"]: r["name"] for r in _rows("areas.csv")}
        self._towns: dict[str, list[str]] = defaultdict(list)
        for r in _rows("chongqing_streets.csv"):
            for key in {r["name"], _short(_TOWN_SUFFIX, r["name"])}:
                self._towns[key].append(r["areaCode"])
        self._area_names: dict[str, list[str]] = defaultdict(list)
        for code, name in self._areas.items():
            for key in {name, short_area_name(name)}:
                self._area_names[key].append(code)
        for name, code in FORMER_NAMES.items():
            self._area_names[name].append(code)
        self._city_names: dict[str, list[str]] = defaultdict(list)
        for code, name in self._cities.items():
            for key in {name, _short(_CITY_SUFFIX, name)}:
                if code[:2] + "01" == code or self._cities[code] != self._provinces[code[:2]]:
                    self._city_names[key].append(code)
        self._province_names: dict[str, str] = {}
        for code, name in self._provinces.items():
            for key in {name, _short(_PROVINCE_SUFFIX, name)}:
                self._province_names[key] = code
        self._zones: dict[str, Zone] = {}
        for zone in ZONES:
            for key in (zone.name, *zone.aliases):
                self._zones[key] = zone

    def is_place(self, word: str) -> bool:
        """Whether ``word`` names a province, city, county-level area or zone (大连, 渝北)."""
        return any(
            word in names
            for names in (self._province_names, self._city_names, self._area_names, self._zones)
        )

    # ---- construction of Region values -------------------------------------------------
    def get(self, code: str) -> Region:
        """The region with this 2-, 4- or 6-digit code; ``TaxonomyError`` when unknown."""
        province_code = code[:2]
        province = self._provinces.get(province_code)
        if province is None or len(code) not in (2, 4, 6):
            raise TaxonomyError(
                f"unknown division code {code!r}; use a 2, 4 or 6-digit NBS code",
                zh=f"无法识别的行政区划代码 {code}：请使用 2、4 或 6 位国家统计局代码",
            )
        if len(code) == 2:
            return Region(code, province, province_code, province)
        if len(code) == 4:
            if code not in self._cities:
                raise TaxonomyError(f"unknown city code {code!r}", zh=f"无法识别的城市代码 {code}")
            name = self._cities[code]
            return Region(code, name, province_code, province, code, name)
        if code not in self._areas:
            raise TaxonomyError(f"unknown area code {code!r}", zh=f"无法识别的区县代码 {code}")
        city_code = code[:4]
        return Region(
            code,
            self._areas[code],
            province_code,
            province,
            city_code,
            self._cities.get(city_code, province),
        )

    # ---- resolution ---------------------------------------------------------------------
    def resolve(self, text: str, within: str | None = None, *, city: bool = False) -> Region:
        """Resolve a place name or code. ``within`` (a code or name of a province or city)
        narrows ambiguous names; the home province (Chongqing) is preferred otherwise. In a
        city field (``city``) a province or prefecture-level city wins over a county-level
        area of the same name (西安 is 西安市, not the 西安区 of 辽源 or 牡丹江)."""
        name = re.sub(r"\s+", "", text or "")
        if not name:
            raise TaxonomyError(
                "empty place name; give a district name or a division code",
                zh="地点为空：请填写区县名称或行政区划代码",
            )
        if name.isdigit():
            if len(name) == 9:
                return self.get(self._town_area(name))
            return self.get(name)
        scope = self._scope(within) if within else ""
        zone = self._zones.get(name)
        if zone is not None:
            base = self.get(zone.code)
            return Region(
                base.code,
                base.name,
                base.province_code,
                base.province,
                base.city_code,
                base.city,
                zone=zone.name,
            )
        found = self._lookup(name, scope, text, city)
        if found is not None:
            return found
        rest, prefix = self._peel(name)
        if rest in {"省", "市", "区", "县"}:
            rest = ""
        if not rest and prefix:
            return self.get(prefix)
        found = self._lookup(rest, prefix or scope, text, city) if rest else None
        if found is None:
            raise TaxonomyError(
                f"unknown place {text!r}; give a district or county name (e.g. 渝北区), "
                "a 6-digit division code, or a functional zone such as 两江新区",
                zh=f"无法识别的地点“{text}”：请填写区县名称（如 渝北区）、6 位行政区划代码，"
                "或功能区名称（如 两江新区）",
            )
        return found

    def _lookup(self, name: str, scope: str, text: str, city: bool = False) -> Region | None:
        """Exact name lookup: area, then province, then city, then Chongqing town (for a city
        field: province, then city, then area, then town)."""
        code = None if city else self._pick(self._area_names.get(name, []), scope, text)
        if code is None and name in self._province_names:
            code = self._province_names[name]
        if code is None:
            code = self._pick(self._city_names.get(name, []), scope, text)
        if code is None and city:
            code = self._pick(self._area_names.get(name, []), scope, text)
        if code is None:
            town = self._pick(self._towns.get(name, []), scope, text)
            code = town
        return self.get(code) if code is not None else None

    def try_resolve(
        self, text: str | None, within: str | None = None, *, city: bool = False
    ) -> Region | None:
        if not text:
            return None
        try:
            return self.resolve(text, within, city=city)
        except TaxonomyError:
            return None

    def _scope(self, within: str) -> str:
        if within.isdigit():
            return within
        rest, prefix = self._peel(within)
        if not rest and prefix:
            return prefix
        return self.resolve(within, city=True).code

    def _peel(self, name: str) -> tuple[str, str]:
        """Strip a leading province and city name; returns (rest, code of what was stripped)."""
        prefix = ""
        for key in sorted(self._province_names, key=len, reverse=True):
            if name.startswith(key) and len(key) >= 2:
                prefix, name = self._province_names[key], name[len(key) :]
                break
        for key in sorted(self._city_names, key=len, reverse=True):
            codes = [c for c in self._city_names[key] if c.startswith(prefix)]
            if name.startswith(key) and len(key) >= 2 and len(codes) == 1 and len(name) > len(key):
                if key in self._area_names and name[len(key) :] in {"区", "县", "市"}:
                    break
                prefix, name = codes[0], name[len(key) :]
                break
        return name, prefix

    def _pick(self, codes: list[str], scope: str, text: str) -> str | None:
        """One code among ``codes``: inside ``scope`` when given (None if none is), else
        preferring the home province; an ambiguous choice raises with the candidates."""
        unique = sorted(set(codes))
        if scope:
            unique = [c for c in unique if c.startswith(scope)]
        else:
            unique = [c for c in unique if c.startswith(self.home_province)] or unique
        if len(unique) <= 1:
            return unique[0] if unique else None
        names = ", ".join(f"{self.get(c).city or ''}{self.get(c).name} ({c})" for c in unique[:6])
        raise TaxonomyError(
            f"place {text!r} is ambiguous: {names}; add the city or use a code",
            zh=f"地点“{text}”有多个同名地区（{names}）：请加上所在城市，或改用行政区划代码",
        )

    def _town_area(self, code: str) -> str:
        for row in _rows("chongqing_streets.csv"):
            if row["code"] == code:
                return row["areaCode"]
        raise TaxonomyError(f"unknown town code {code!r}", zh=f"无法识别的街道乡镇代码 {code}")

    # ---- listings ---------------------------------------------------------------------
    def areas(self, within: str) -> list[Region]:
        """All county-level areas whose code starts with ``within`` (e.g. ``50``)."""
        return [self.get(c) for c in sorted(self._areas) if c.startswith(within)]

    def chongqing_districts(self) -> list[Region]:
        """Chongqing's 38 districts and counties (26 区, 12 县)."""
        return self.areas(CHONGQING)

    def zones(self) -> tuple[Zone, ...]:
        return ZONES

    def towns(self, area_code: str) -> list[str]:
        return [r["name"] for r in _rows("chongqing_streets.csv") if r["areaCode"] == area_code]


def place_name(location: Mapping[str, Any] | None) -> str:
    """How a record's place is shown: its functional zone, else its district, else its city."""
    loc = location or {}
    return str(loc.get("zone") or loc.get("district") or loc.get("city") or "")


@cache
def load_regions(home_province: str = CHONGQING) -> RegionCatalog:
    return RegionCatalog(home_province)
