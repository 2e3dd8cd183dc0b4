"""Supply and demand tables from the grouped rows of :mod:`matcher.store.analytics`:
postings by kind, district and industry section; seekers by major category, degree and
district; posting-to-seeker ratios (求人倍率: open headcount per seeker)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from matcher.analytics.labels import (
    ANY,
    NO_MAJOR,
    UNKNOWN,
    category_label,
    degree_label,
    district_key,
    district_label,
    industry_label,
    industry_section,
    major_class,
    posting_class,
)
from matcher.store.analytics import DemandCell, PostingCell, SeekerCell
from matcher.taxonomy.vocab import kind_label

Row = dict[str, Any]
_POSTING_FIGURES = ("new", "new_headcount", "open", "open_headcount")


def posting_tables(cells: Iterable[PostingCell]) -> dict[str, Any]:
    """New and open postings (and headcount) by kind, district and industry section."""
    axes: dict[str, Callable[[PostingCell], str]] = {
        "by_kind": lambda c: c.kind,
        "by_district": lambda c: district_key(c.region_code),
        "by_industry": lambda c: industry_section(c.industry_code),
    }
    labels: dict[str, Callable[[str], str]] = {
        "by_kind": kind_label,
        "by_district": district_label,
        "by_industry": industry_label,
    }
    sums: dict[str, dict[str, dict[str, int]]] = {axis: {} for axis in axes}
    total = dict.fromkeys(_POSTING_FIGURES, 0)
    for cell in cells:
        for axis, key_of in axes.items():
            bucket = sums[axis].setdefault(key_of(cell), dict.fromkeys(_POSTING_FIGURES, 0))
            for name in _POSTING_FIGURES:
                bucket[name] += getattr(cell, name)
        for name in _POSTING_FIGURES:
            total[name] += getattr(cell, name)
    out: dict[str, Any] = {"total": total}
    for axis, buckets in sums.items():
        out[axis] = sorted(
            ({"key": k, "label": labels[axis](k), **v} for k, v in buckets.items()),
            key=lambda r: (-r["open_headcount"], -r["new"], r["key"]),
        )
    return out


def _category_of_class(code: str | None) -> str:
    info = major_class(code)
    return info.category if info else UNKNOWN


def _seeker_district(cell: SeekerCell) -> str:
    return ANY if cell.source == "none" else district_key(cell.district_code)


def seeker_tables(
    by_class: Iterable[tuple[str | None, int | None, int]], cells: Iterable[SeekerCell]
) -> dict[str, Any]:
    """Seekers by major category and degree (each once) and by district (a seeker naming
    several districts counts in each; without one, where they live; else 不限区县)."""
    categories: dict[str, int] = defaultdict(int)
    degrees: dict[int | None, int] = defaultdict(int)
    total = 0
    for code, degree, n in by_class:
        categories[_category_of_class(code)] += n
        degrees[degree] += n
        total += n
    districts: dict[str, int] = defaultdict(int)
    for cell in cells:
        districts[_seeker_district(cell)] += cell.seekers
    return {
        "total": total,
        "by_category": _ranked(categories, category_label, "seekers"),
        "by_degree": [
            {"key": "" if d is None else str(d), "label": degree_label(d), "seekers": n}
            for d, n in sorted(degrees.items(), key=lambda x: (x[0] is None, x[0] or 0))
        ],
        "by_district": _ranked(districts, district_label, "seekers"),
    }


def _ranked(counts: dict[str, int], label: Callable[[str], str], name: str) -> list[Row]:
    return [
        {"key": k, "label": label(k), name: n}
        for k, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))
    ]


def _demand_category(cell: DemandCell) -> str:
    if not cell.major:
        return NO_MAJOR
    info = posting_class(cell.major, cell.education)
    return info.category if info else UNKNOWN


def _ratio(headcount: float, seekers: float) -> float | None:
    return round(headcount / seekers, 2) if seekers > 0 else None


def district_category_ratios(
    demand: Iterable[DemandCell], seekers: Iterable[SeekerCell]
) -> list[Row]:
    """Open headcount per seeker for each district × major category; 不限专业 postings are set
    against all the district's seekers. Seekers who named no district are left out (they
    would take a job in any district)."""
    supply: dict[tuple[str, str], int] = defaultdict(int)
    per_district: dict[str, int] = defaultdict(int)
    for s in seekers:
        district = _seeker_district(s)
        if district == ANY:
            continue
        supply[(district, _category_of_class(s.class_code))] += s.seekers
        per_district[district] += s.seekers
    need: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for d in demand:
        figures = need[(district_key(d.where), _demand_category(d))]
        figures[0] += d.postings
        figures[1] += d.headcount
    rows = []
    for key in set(supply) | set(need):
        district, category = key
        postings, headcount = need.get(key, [0.0, 0.0])
        sought = per_district[district] if category == NO_MAJOR else supply.get(key, 0)
        rows.append(
            {
                "district": district,
                "district_label": district_label(district),
                "category": category,
                "category_label": category_label(category),
                "postings": round(postings, 1),
                "headcount": round(headcount, 1),
                "seekers": sought,
                "ratio": _ratio(headcount, sought),
            }
        )
    rows.sort(key=lambda r: (r["district"], r["category"]))
    return rows


def industry_ratios(
    demand: Iterable[DemandCell], by_class: Iterable[tuple[str | None, int | None, int]]
) -> list[Row]:
    """Open headcount per seeker by industry section. Seekers have no industry: each major
    class's seekers are shared among the industries in proportion to that class's open
    headcount there (a seeker of a class nobody asks for is not counted)."""
    seekers: dict[str, float] = defaultdict(float)
    for code, _, n in by_class:
        info = major_class(code)
        if info is not None:
            seekers[info.name] += n
    by_class_industry: dict[tuple[str, str], float] = defaultdict(float)
    class_total: dict[str, float] = defaultdict(float)
    total: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for d in demand:
        section = industry_section(d.where)
        total[section][0] += d.postings
        total[section][1] += d.headcount
        info = posting_class(d.major, d.education) if d.major else None
        if info is not None:
            by_class_industry[(info.name, section)] += d.headcount
            class_total[info.name] += d.headcount
    allocated: dict[str, float] = defaultdict(float)
    for (name, section), headcount in by_class_industry.items():
        allocated[section] += seekers.get(name, 0.0) * headcount / class_total[name]
    rows: list[Row] = [
        {
            "key": section,
            "label": industry_label(section),
            "postings": round(postings, 1),
            "headcount": round(headcount, 1),
            "seekers": round(allocated.get(section, 0.0), 1),
            "ratio": _ratio(headcount, allocated.get(section, 0.0)),
        }
        for section, (postings, headcount) in total.items()
    ]
    rows.sort(key=lambda r: (-r["headcount"], r["key"]))
    return rows


@dataclass
class Availability:
    """Lookups for the gap analysis: who could fill what, by major class name."""

    #: class name → district (or 不限区县) → degree rank → seekers
    seekers: dict[str, dict[str, dict[int | None, int]]] = field(default_factory=dict)
    #: class name → district → required education rank (None: any) → open postings
    postings: dict[str, dict[str, dict[int | None, float]]] = field(default_factory=dict)

    @classmethod
    def of(cls, demand: Iterable[DemandCell], seekers: Iterable[SeekerCell]) -> Availability:
        out = cls()
        for s in seekers:
            info = major_class(s.class_code)
            if info is None:
                continue
            # only a desired district restricts where a seeker would work
            place = district_key(s.district_code) if s.source == "desired" else ANY
            where = out.seekers.setdefault(info.name, {}).setdefault(place, {})
            where[s.degree] = where.get(s.degree, 0) + s.seekers
        for d in demand:
            found = posting_class(d.major, d.education) if d.major else None
            name = found.name if found else (d.major or NO_MAJOR)
            where_p = out.postings.setdefault(name, {}).setdefault(district_key(d.where), {})
            where_p[d.education] = where_p.get(d.education, 0.0) + d.postings
        return out
