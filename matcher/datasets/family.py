"""The shape of a job family: what one kind of graduate job looks like in a Chongqing ad.

A family holds title variants, duty and requirement sentences, concrete skills, the 专业类
(major class) names it recruits from, the GB/T 4754 divisions of the employers that post it,
a monthly salary band (full-time graduate, 主城 districts), typical education and the position
kinds it occurs under. The data lives in ``families_*.py``; :mod:`matcher.datasets.occupations`
holds the registry."""

from __future__ import annotations

from dataclasses import dataclass, field

from matcher.datasets.sampling import Weighted, weighted

#: Kinds posted by companies in the open market.
GENERAL = ("full_time", "traineeship", "internship")


@dataclass(frozen=True, slots=True)
class Family:
    key: str
    name: str  # short Chinese label, e.g. 软件开发
    titles: tuple[str, ...]
    duties: tuple[str, ...]
    requirements: tuple[str, ...]
    skills: tuple[str, ...]
    majors_ug: tuple[str, ...]  # undergraduate 专业类 names
    majors_voc: tuple[str, ...]  # higher-vocational 专业类 names
    divisions: tuple[str, ...]  # GB/T 4754 division codes of the employers posting it
    salary: tuple[int, int]  # monthly yuan for a full-time graduate in 主城
    education: Weighted[str]  # "" means no requirement
    kinds: tuple[str, ...]
    weight: float  # relative share among postings of the same kind
    #: titles that narrow the majors asked for ("初中物理教师" → 物理学类)
    title_majors: dict[str, tuple[str, ...]] = field(compare=False)

    @property
    def majors(self) -> tuple[str, ...]:
        return self.majors_ug + tuple(m for m in self.majors_voc if m not in self.majors_ug)


def _split(text: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in text.split("|") if s.strip())


def fam(
    key: str,
    name: str,
    *,
    titles: str,
    duties: str,
    reqs: str,
    skills: str,
    ug: str,
    voc: str,
    div: str,
    pay: tuple[int, int],
    edu: str,
    kinds: tuple[str, ...] = GENERAL,
    weight: float = 1.0,
) -> Family:
    """Build a family from compact ``|``-separated text (commas separate skills, majors and
    divisions). A title may end in ``@class,class`` to narrow the majors it asks for."""
    plain: list[str] = []
    hints: dict[str, tuple[str, ...]] = {}
    for title in _split(titles):
        title, _, narrowed = title.partition("@")
        plain.append(title)
        if narrowed:
            hints[title] = tuple(narrowed.split(","))
    return Family(
        key=key,
        name=name,
        titles=tuple(plain),
        duties=_split(duties),
        requirements=_split(reqs),
        skills=tuple(s.strip() for s in skills.split(",") if s.strip()),
        majors_ug=tuple(m for m in ug.split(",") if m),
        majors_voc=tuple(m for m in voc.split(",") if m),
        divisions=tuple(d for d in div.split(",") if d),
        salary=pay,
        education=weighted(edu),
        kinds=kinds,
        weight=weight,
        title_majors=hints,
    )
