"""Employers: companies named the way Chongqing firms are registered, public institutions
(事业单位: hospitals, schools, service centres) and grassroots units (街道 and 乡镇 service
centres, township schools and clinics), each with a valid unified social credit code."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from matcher.datasets.places import District, Geography
from matcher.datasets.sampling import Draw, Weighted, weighted
from matcher.datasets.sectors import BRAND_CHARS, COMPANY_FORMS, SECTORS, Sector
from matcher.taxonomy import credit_code
from matcher.taxonomy.industries import load_industries

_CN = "一二三四五六七八九"
_SIZES: dict[str, Weighted[str]] = {
    "company": weighted(
        "20人以下:3 20-49人:3 50-149人:3 150-499人:2 500-999人:1 1000-4999人:0.6 5000人以上:0.2"
    ),
    "public": weighted("20-49人:1 50-149人:3 150-499人:3 500-999人:1.5 1000-4999人:0.5"),
    "grassroots": weighted("20人以下:3 20-49人:2 50-149人:0.5"),
}
_CATEGORY_SHARE = {"company": 0.88, "public": 0.08, "grassroots": 0.04}
_COMPANY_ENDINGS = (
    "有限公司",
    "有限责任公司",
    "支行",
    "分行",
    "营业部",
    "分公司",
    "支公司",
    "分所",
    "合伙）",
)


@dataclass(frozen=True, slots=True)
class Employer:
    index: int
    id: str
    name: str
    credit_code: str
    size: str
    industry: str
    sector: str  # sector key, e.g. "65" or "72:law"
    category: str  # company, public or grassroots
    district: District
    town: str

    def record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "credit_code": self.credit_code,
            "size": self.size,
            "industry": self.industry,
            "district": self.district.name,
        }

    def ref(self) -> dict[str, str]:
        return {"name": self.name, "credit_code": self.credit_code}


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals (第十八中学)."""
    if n < 10:
        return _CN[n - 1]
    tens, ones = divmod(n, 10)
    head = "十" if tens == 1 else _CN[tens - 1] + "十"
    return head + (_CN[ones - 1] if ones else "")


def short_town(name: str) -> str:
    for suffix in ("街道", "镇", "乡"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def credit_kind(name: str, category: str) -> str:
    if name.startswith("共青团"):
        return "mass_organisation"
    if category != "company":
        return "public_institution"
    if "律师事务所" in name:
        return "law_firm"
    if name.endswith("合作社"):
        return "cooperative"
    if name.endswith(_COMPANY_ENDINGS):
        return "company"
    return "private_non_enterprise"


class EmployerFactory:
    def __init__(self, draw: Draw, geo: Geography) -> None:
        self.d = draw
        self.geo = geo
        self.names: set[str] = set()
        self.codes: set[str] = set()
        industries = load_industries()
        self.industry = {s.key: industries.get(s.division).name for s in SECTORS}
        self.by_category = {
            cat: Weighted([(s, s.weight) for s in SECTORS if s.category == cat])
            for cat in _CATEGORY_SHARE
        }
        self.category = Weighted(list(_CATEGORY_SHARE.items()))
        public = [(d, self.geo.economic.share(d) ** 0.5) for d in geo.districts]
        self.public_district = Weighted(public)

    def _brand(self) -> str:
        d = self.d
        a = d.pick(BRAND_CHARS)
        b = d.pick(BRAND_CHARS)
        while b == a:
            b = d.pick(BRAND_CHARS)
        if d.random() < 0.12:
            c = d.pick(BRAND_CHARS)
            return a + b + c if c not in (a, b) else a + b
        return a + b

    def _district(self, sector: Sector) -> District:
        r = self.d.random()
        if sector.category == "grassroots":
            return self.geo.rural(r)
        if sector.category == "public":
            return self.public_district(r)
        return self.geo.economic(r)

    def _town(self, sector: Sector, district: District) -> str:
        towns = district.towns or (district.name,)
        town = self.d.pick(towns)
        if sector.category == "grassroots" and sector.division in ("05", "83", "84"):
            for _ in range(4):  # village schools, clinics and farm centres sit in 镇 and 乡
                if not town.endswith("街道"):
                    break
                town = self.d.pick(towns)
        return town

    def _name(self, sector: Sector, district: District, town: str) -> str:
        d = self.d
        forms = sector.forms or COMPANY_FORMS
        form = d.pick(forms)
        word = d.pick(sector.words) if sector.words else ""
        service = "社区服务中心" if town.endswith("街道") else "便民服务中心"
        return form.format(
            b=self._brand(),
            w=word,
            d=district.short,
            D=district.name,
            t=short_town(town),
            T=town,
            n=chinese_number(d.between(1, 40)),
            svc=service,
        )

    def make(self, index: int, sector: Sector) -> Employer | None:
        """A new employer of ``sector``; None when its name forms are used up."""
        d = self.d
        for _ in range(12):
            district = self._district(sector)
            town = self._town(sector, district)
            name = self._name(sector, district, town)
            if name not in self.names:
                break
        else:
            return None
        self.names.add(name)
        kind = credit_kind(name, sector.category)
        area = "500000" if sector.category == "company" and d.random() < 0.12 else district.code
        code = credit_code.make(d.rng, area, kind)
        while code in self.codes:
            code = credit_code.make(d.rng, area, kind)
        self.codes.add(code)
        size = _SIZES[sector.category](d.random())
        return Employer(
            index,
            f"e-{index + 1:06d}",
            name,
            code,
            size,
            self.industry[sector.key],
            sector.key,
            sector.category,
            district,
            town,
        )

    def generate(self, count: int) -> Iterator[Employer]:
        """One employer per sector first (so that every family has somewhere to post), then
        ``count`` in total drawn by category and sector weight."""
        index = 0
        for sector in SECTORS:
            made = self.make(index, sector)
            if made is None:
                raise RuntimeError(f"sector {sector.key} cannot name an employer")
            yield made
            index += 1
        while index < count:
            sector = self.by_category[self.category(self.d.random())](self.d.random())
            made = self.make(index, sector)
            if made is not None:
                yield made
                index += 1
