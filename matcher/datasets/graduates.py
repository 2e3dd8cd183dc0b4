"""Graduate profiles: a Chongqing school, a real catalog major of the school's level, skills of
that major's class, a short bio, and what the graduate is looking for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from matcher.datasets.occupations import families
from matcher.datasets.people import bio, person_name
from matcher.datasets.places import Geography
from matcher.datasets.sampling import Draw, Weighted, pairs, weighted
from matcher.datasets.schools import SCHOOLS, School
from matcher.taxonomy.industries import load_industries
from matcher.taxonomy.majors import Major, MajorClass, load_majors

_LEVEL_SHARE = {"secondary": 0.02, "vocational": 0.45, "undergraduate": 0.53}
#: (硕士, 博士) odds by a university's postgraduate programmes; overall about 10% and 1%.
_POSTGRADUATE = {0: (0.0, 0.0), 1: (0.08, 0.0), 2: (0.148, 0.019)}
_YEARS = weighted("0:55 1:25 2:12 3:8")
_STATUS = weighted("seeking:75 employed:13 further_study:5 not_seeking:7")
_SUPPORT = weighted(
    "poverty_alleviated:35 low_income_family:30 zero_employment_family:10 "
    "disabled:10 long_term_unemployed:15"
)
_SUPPORT_SHARE = 0.03
_KINDS: Weighted[tuple[str, ...]] = Weighted(
    [
        (("full_time",), 35),
        (("full_time", "traineeship"), 18),
        (("full_time", "public_institution"), 14),
        (("full_time", "internship"), 4),
        (("traineeship",), 5),
        (("public_institution",), 5),
        (("public_institution", "grassroots"), 5),
        (("full_time", "grassroots"), 3),
        (("grassroots",), 2),
        (("full_time", "traineeship", "public_institution"), 6),
    ]
)
_PAY = {
    "中专": (3000, 4000),
    "大专": (3000, 5500),
    "本科": (4000, 7500),
    "硕士": (6000, 10000),
    "博士": (8000, 15000),
}


@dataclass(frozen=True, slots=True)
class _Pool:
    cls: MajorClass
    majors: Weighted[Major]
    variants: dict[str, tuple[str, ...]]  # major code → accepted written variants
    industries: tuple[str, ...]
    field: str
    certs: tuple[str, ...]


def _variants(major: Major, level: str) -> tuple[str, ...]:
    catalog = load_majors()
    note = "（本科）" if level == "undergraduate" else "(大专)"
    out = []
    for text in (f"{major.name}专业", f"{major.name}{note}"):
        found = catalog.lookup(text, level)
        if found is not None and found.code == major.code:
            out.append(text)
    return tuple(out)


class GraduateFactory:
    def __init__(
        self, draw: Draw, geo: Geography, as_of_year: int, companies: dict[str, list[str]]
    ) -> None:
        """``companies``: employer names by industry, for internships mentioned in bios."""
        self.d = draw
        self.geo = geo
        self.year = as_of_year
        self.companies = companies
        self.any_company = [n for names in companies.values() for n in names] or ["一家本地企业"]
        catalog = load_majors()
        industries = load_industries()
        class_divs: dict[str, list[str]] = {}
        for f in families():
            for name in f.majors:
                bucket = class_divs.setdefault(name, [])
                for div in f.divisions:
                    name_ = industries.get(div.split(":")[0]).name
                    if name_ not in bucket:
                        bucket.append(name_)
        self.pools: dict[tuple[str, str], _Pool] = {}
        for level in ("undergraduate", "vocational"):
            for cls in catalog.classes(level):
                majors = [m for m in catalog.majors(level) if m.major_class is cls]
                if not majors:
                    continue
                self.pools[(level, cls.name)] = _Pool(
                    cls,
                    Weighted([(m, 1 / (1 + 0.3 * i)) for i, m in enumerate(majors)]),
                    {m.code: _variants(m, level) for m in majors},
                    tuple(class_divs.get(cls.name, ())),
                    cls.name.removesuffix("类"),
                    tuple(s for s in cls.skills if "证" in s or "资格" in s),
                )
        self.schools = {
            level: Weighted([(s, s.size) for s in SCHOOLS if s.level == level])
            for level in _LEVEL_SHARE
        }
        self.school_classes = {
            s.name: Weighted(
                [(c, w) for c, w in pairs(s.classes) if (self._catalog_level(s), c) in self.pools]
            )
            for s in SCHOOLS
        }
        self.level = Weighted(list(_LEVEL_SHARE.items()))

    @staticmethod
    def _catalog_level(school: School) -> str:
        return "undergraduate" if school.level == "undergraduate" else "vocational"

    def _degree(self, school: School) -> str:
        if school.level == "secondary":
            return "中专"
        if school.level == "vocational":
            return "大专"
        master, doctor = _POSTGRADUATE[school.postgraduate]
        r = self.d.random()
        return "博士" if r < doctor else "硕士" if r < doctor + master else "本科"

    def make(self, index: int) -> dict[str, Any]:
        d = self.d
        school = self.schools[self.level(d.random())](d.random())
        level = self._catalog_level(school)
        pool = self.pools[(level, self.school_classes[school.name](d.random()))]
        major = pool.majors(d.random())
        major_text = major.name
        variants = pool.variants[major.code]
        if variants and d.random() < 0.05:
            major_text = d.pick(variants)
        degree = self._degree(school)
        grad_year = self.year - int(_YEARS(d.random()))
        skills = d.some(pool.cls.skills, 3, 6)
        kinds = list(_KINDS(d.random()))
        if grad_year < self.year and "internship" in kinds:  # graduates cannot intern
            kinds[kinds.index("internship")] = "traineeship"
        status = _STATUS(d.random())
        districts = self._districts(school)
        families_ = pool.cls.families or (pool.field,)
        industries: list[str] = []
        if pool.industries and d.random() < 0.2:
            industries = d.some(pool.industries, 1, 2)
        lo, hi = _PAY[degree]
        salary = None if d.random() < 0.25 else (lo + 500 * d.between(0, (hi - lo) // 500))
        support: list[str] = []
        if d.random() < _SUPPORT_SHARE:
            support = self._support(grad_year)
        text = bio(
            d,
            company=self._company(pool),
            field=pool.field,
            family=d.pick(families_),
            skills=skills,
            district=districts[0] if districts else school.district,
            kinds=kinds,
            status=status,
            class_name=pool.cls.name,
            certs=pool.certs,
        )
        return {
            "id": f"g-{index + 1:07d}",
            "name": person_name(d),
            "school": school.name,
            "major": major_text,
            "degree": degree,
            "graduation_year": grad_year,
            "skills": skills,
            "bio": text,
            "desired": {
                "cities": ["重庆"],
                "districts": districts,
                "kinds": kinds,
                "industries": industries,
                "salary_min": salary,
            },
            "status": status,
            "support": support,
            "consent": {"push": d.random() < 0.8},
        }

    def _company(self, pool: _Pool) -> str:
        d = self.d
        if pool.industries:
            names = self.companies.get(d.pick(pool.industries))
            if names:
                return d.pick(names)
        return d.pick(self.any_company)

    def _districts(self, school: School) -> list[str]:
        d = self.d
        r = d.random()
        if r < 0.3:
            return []
        count = 1 if r < 0.65 else 2 if r < 0.88 else 3
        out: list[str] = []
        if d.random() < 0.35:
            out.append(school.district)
        while len(out) < count:
            name = self.geo.economic(d.random()).name
            if name not in out:
                out.append(name)
        return out

    def _support(self, grad_year: int) -> list[str]:
        d = self.d
        flags = [_SUPPORT(d.random())]
        if d.random() < 0.2:
            flags.append(_SUPPORT(d.random()))
        if grad_year > self.year - 1:
            flags = [f for f in flags if f != "long_term_unemployed"] or ["low_income_family"]
        return list(dict.fromkeys(flags))
