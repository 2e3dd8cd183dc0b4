"""Job postings: kind, family, employer, place, pay and a composed ad, with a small share of
planted discriminatory phrases and harmless look-alikes (and their ground-truth labels)."""

from __future__ import annotations

import datetime
from typing import Any

from matcher.datasets import plants
from matcher.datasets.employers import Employer
from matcher.datasets.family import Family
from matcher.datasets.occupations import families, families_for
from matcher.datasets.places import CODE_SHARE, Geography, zone_for
from matcher.datasets.sampling import Draw, Weighted, weighted
from matcher.datasets.text import Ad, Composer

KIND_SHARES = {
    "full_time": 0.80,
    "traineeship": 0.11,
    "internship": 0.03,
    "grassroots": 0.025,
    "public_institution": 0.035,
}
_CATEGORIES = {
    "full_time": ("company",),
    "internship": ("company",),
    "traineeship": ("company", "public"),
    "grassroots": ("grassroots",),
    "public_institution": ("public",),
}
_EDU_PAY = {"中专": 0.85, "大专": 0.92, "本科": 1.0, "硕士": 1.25, "博士": 1.6, "": 0.9}
_UG_LEVELS = frozenset({"本科", "硕士", "博士"})
_EXPERIENCE = weighted("1:5 2:3 3:2")
_SOURCES = weighted("employer:62 hr_agency:18 university:12 training_provider:8")
_HEADCOUNT = {
    "full_time": (1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 5, 6, 8, 10),
    "internship": (1, 1, 2, 2, 3, 3, 5, 6, 8, 10),
    "traineeship": (1, 2, 2, 3, 3, 4, 5, 5, 6, 8, 10, 12, 15, 20),
    "grassroots": (1, 1, 2, 2, 3, 4, 5),
    "public_institution": (1, 1, 1, 2, 2, 3),
}
_POSTED_WINDOW = 180


def _matches(spec: str, sector: str) -> bool:
    return sector == spec or sector.startswith(spec + ":")


class PositionFactory:
    def __init__(
        self, draw: Draw, geo: Geography, employers: list[Employer], as_of: datetime.date
    ) -> None:
        self.d = draw
        self.geo = geo
        self.composer = Composer(draw, as_of.year)
        self.year = as_of.year
        self.kind = Weighted(list(KIND_SHARES.items()))
        self.families: dict[str, Weighted[Family]] = {}
        for kind in KIND_SHARES:
            pairs = [
                (f, f.weight * (0.5 if kind == "public_institution" and len(f.kinds) > 1 else 1.0))
                for f in families_for(kind)
            ]
            self.families[kind] = Weighted(pairs)
        by_sector: dict[tuple[str, str], list[Employer]] = {}
        for e in employers:
            by_sector.setdefault((e.category, e.sector), []).append(e)
        self.pools: dict[tuple[str, str], list[Employer]] = {}
        for f in families():
            for kind in f.kinds:
                cats = _CATEGORIES[kind]
                if kind == "traineeship" and "public_institution" not in f.kinds:
                    cats = ("company",)
                pool = [
                    e
                    for (cat, sector), es in by_sector.items()
                    if cat in cats and any(_matches(s, sector) for s in f.divisions)
                    for e in es
                ]
                pool = pool or [e for e in employers if e.category in cats] or employers
                self.pools[(f.key, kind)] = pool
        first = as_of - datetime.timedelta(days=_POSTED_WINDOW - 1)
        self.dates = [
            (first + datetime.timedelta(days=i)).isoformat() for i in range(_POSTED_WINDOW + 121)
        ]

    def _salary(
        self, f: Family, kind: str, pay: float, edu: str, exp: int
    ) -> tuple[dict[str, Any], str]:
        d = self.d
        if kind == "traineeship":
            lo = 1800 + 100 * d.between(0, 5)
            hi = min(2500, lo + 100 * d.between(0, 4))
            text = (
                f"见习生活补贴{lo}元/月"
                if lo == hi
                else d.pick((f"见习生活补贴{lo}-{hi}元/月", f"见习补贴{lo}-{hi}元/月"))
            )
            return {"min": lo, "max": hi, "unit": "month"}, text
        if kind == "internship" and d.random() < 0.55:
            lo = 80 + 10 * d.between(0, 8)
            hi = min(200, lo + 10 * d.between(2, 8))
            return {"min": lo, "max": hi, "unit": "day"}, f"{lo}-{hi}元/天"
        if kind == "internship":
            lo = 2000 + 100 * d.between(0, 15)
            hi = lo + 100 * d.between(5, 15)
            return {"min": lo, "max": hi, "unit": "month"}, f"实习补贴{lo}-{hi}元/月"
        base_lo, base_hi = f.salary
        if kind in ("grassroots", "public_institution"):
            factor = pay**0.5 * (0.95 + 0.1 * d.random())
        else:
            factor = pay * _EDU_PAY[edu] * (1 + 0.08 * exp) * (0.85 + 0.3 * d.random())
        step = 500 if base_lo * factor >= 6000 else 100
        lo = max(step, round(base_lo * factor / step) * step)
        hi = max(lo + 500, round(base_hi * factor * (0.9 + 0.25 * d.random()) / step) * step)
        if kind == "grassroots":
            text = f"工作生活补贴{lo}-{hi}元/月"
        elif kind == "public_institution":
            text = f"薪酬按事业单位有关规定执行（约{lo}-{hi}元/月）"
        else:
            r = d.random()
            text = (
                f"{lo}-{hi}元/月"
                if r < 0.45 or (lo % 500 or hi % 500)
                else f"月薪{lo}-{hi}元"
                if r < 0.7
                else f"{lo / 1000:g}-{hi / 1000:g}K"
            )
        return {"min": lo, "max": hi, "unit": "month"}, text

    def _majors(self, f: Family, edu: str, base_title: str) -> list[str]:
        d = self.d
        hint = f.title_majors.get(base_title)
        if hint:
            level = f.majors_ug if edu in _UG_LEVELS else f.majors_voc
            chosen = [m for m in hint if m in level] or list(hint)
            return chosen[:3] if d.random() < 0.7 else chosen[:1]
        if edu in _UG_LEVELS:
            chosen = d.some(f.majors_ug, 1, 3)
        elif edu:
            chosen = d.some(f.majors_voc, 1, 2)
            if f.majors_ug and d.random() < 0.4:
                chosen.append(d.pick(f.majors_ug))
        else:
            chosen = d.some(f.majors, 1, 2)
        return list(dict.fromkeys(chosen or f.majors))

    def make(self, index: int) -> tuple[dict[str, Any], dict[str, Any] | None]:
        d = self.d
        kind = self.kind(d.random())
        f = self.families[kind](d.random())
        employer = d.pick(self.pools[(f.key, kind)])
        district = employer.district
        town = employer.town
        if employer.category == "company" and d.random() < 0.35:
            district = self.geo.economic(d.random())
            town = d.pick(district.towns) if district.towns else ""
        shown = district.name
        r = d.random()
        if r < CODE_SHARE:
            location: dict[str, str] = {"code": district.code}
        elif district.zones and d.random() < self.geo.zone_odds[district.name]:
            shown = zone_for(district, d.random())
            location = {"city": "重庆", "district": shown}
        else:
            location = {"city": "重庆", "district": district.name}
        edu = f.education(d.random())
        exp = int(_EXPERIENCE(d.random())) if kind == "full_time" and d.random() < 0.3 else 0
        salary, salary_text = self._salary(f, kind, district.pay, edu, exp)
        base_title = d.pick(f.titles)
        majors = self._majors(f, edu, base_title)
        skills = d.some(f.skills, 3, 6)
        title = self.composer.title(base_title, kind, district.short)
        headcount = d.pick(_HEADCOUNT[kind])
        plant = None
        r = d.random()
        if r < plants.VIOLATION_SHARE:
            plant = plants.violation(plants.VIOLATIONS(d.random()), d.random())
        elif r < plants.VIOLATION_SHARE + plants.LOOKALIKE_SHARE:
            plant = plants.lookalike(f.key, d.random())
        ad = Ad(
            f,
            kind,
            title,
            base_title,
            employer.name,
            employer.industry,
            shown,
            town,
            edu or None,
            majors,
            skills,
            exp,
            headcount,
            salary_text,
            plant,
        )
        description = self.composer.description(ad)
        posted = d.between(0, _POSTED_WINDOW - 1)
        pid = f"p-{index + 1:07d}"
        record = {
            "id": pid,
            "title": title,
            "description": description,
            "kind": kind,
            "employer": employer.ref(),
            "location": location,
            "education_min": edu or None,
            "experience_min_years": exp,
            "salary": salary,
            "majors": majors,
            "skills": skills,
            "industry": employer.industry,
            "headcount": headcount,
            "posted_at": self.dates[posted],
            "expires_at": self.dates[posted + d.between(30, 120)],
            "source": _SOURCES(d.random()),
        }
        label = None
        if plant is not None:
            cat = plant.category
            label = {
                "id": pid,
                "flags": [cat] if cat else [],
                "evidence": {cat: plant.phrase} if cat else {},
            }
        return record, label
