"""Pair features of (graduate, posting), each in [0, 1] and computed for a batch of candidates.

semantic (dense cosine), lexical (BM25, scaled per query), major fit (catalog class and its
occupation families), skills (the graduate's skills found in the posting, with implied skills:
Spring Boot → Java, Vue → JavaScript...), title (a skill or the major named in the title),
wish (an occupation the graduate asked for named in the title; wish_text: in the skills or the
opening of the description; avoid: one they said they do not want, in the title; see
:mod:`matcher.engine.wishes`), education, experience (for new graduates), region, salary, kind
and freshness.
Support flags and protected traits are never features."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from matcher.engine.wishes import wishes_of
from matcher.taxonomy.majors import load_majors
from matcher.taxonomy.vocab import MONTHLY_FACTOR, Degree, SalaryUnit, degree_rank

FEATURES = (
    "semantic",
    "lexical",
    "major",
    "skills",
    "title",
    "wish",
    "wish_text",
    "avoid",
    "education",
    "experience",
    "region",
    "salary",
    "kind",
    "freshness",
)

#: Features that read what the graduate wrote (major, skills, free text): meaningless for a
#: profile that says almost nothing, which is then ranked by the others only.
CONTENT_FEATURES = frozenset(
    {"semantic", "lexical", "major", "skills", "title", "wish", "wish_text", "avoid"}
)
#: Characters of a posting's text after its title that ``wish_text`` reads (its skills and the
#: opening of the description: a wished-for word deep in a long description says little).
WISH_TEXT_CHARS = 100
#: A bio shorter than this says nothing a ranking can use.
MIN_BIO_CHARS = 10


def says_little(graduate: Mapping[str, Any]) -> bool:
    """A profile with no major, no skills and (almost) no free text."""
    return not (
        str(graduate.get("major") or "").strip()
        or graduate.get("skills")
        or len(str(graduate.get("bio") or "").strip()) >= MIN_BIO_CHARS
    )


#: A skill that implies others: knowing the framework means knowing its language.
IMPLIES: dict[str, tuple[str, ...]] = {
    "spring boot": ("java", "spring"),
    "spring cloud": ("java", "spring"),
    "spring": ("java",),
    "springboot": ("java", "spring"),
    "mybatis": ("java",),
    "jvm": ("java",),
    "hibernate": ("java",),
    "android": ("java", "kotlin"),
    "kotlin": ("android",),
    "vue": ("javascript", "前端"),
    "react": ("javascript", "前端"),
    "angular": ("javascript", "前端"),
    "typescript": ("javascript", "前端"),
    "node.js": ("javascript",),
    "nodejs": ("javascript",),
    "jquery": ("javascript", "前端"),
    "html": ("前端",),
    "css": ("前端",),
    "webpack": ("前端",),
    "django": ("python",),
    "flask": ("python",),
    "pandas": ("python",),
    "numpy": ("python",),
    "pytorch": ("python", "深度学习"),
    "tensorflow": ("python", "深度学习"),
    "gin": ("go", "golang"),
    "golang": ("go",),
    "go": ("golang",),
    "laravel": ("php",),
    "thinkphp": ("php",),
    ".net": ("c#",),
    "asp.net": ("c#", ".net"),
    "unity": ("c#", "游戏"),
    "qt": ("c++",),
    "stl": ("c++",),
    "swift": ("ios",),
    "objective-c": ("ios",),
    "ios": ("swift", "objective-c"),
    "flutter": ("dart", "android"),
}
LATIN = re.compile(r"[a-z][a-z0-9+#.]*")


def expand_skills(skills: Sequence[str]) -> set[str]:
    """Lower-cased skills plus what they imply."""
    out = {s.strip().lower() for s in skills if s and s.strip()}
    for skill in list(out):
        out.update(IMPLIES.get(skill, ()))
    return out


def contains(text: str, skill: str) -> bool:
    """``skill`` occurs in ``text`` (lower-case); Latin skills must match whole words so that
    ``java`` does not match ``javascript`` and ``go`` does not match ``google``."""
    if not skill or skill not in text:  # the common case, decided by a plain substring test
        return False
    if not LATIN.fullmatch(skill):
        return True
    return _whole_word(skill).search(text) is not None


@lru_cache(maxsize=8192)
def _whole_word(skill: str) -> re.Pattern[str]:
    """Not preceded by a Latin letter or digit, not followed by one (nor by + or #)."""
    return re.compile(rf"(?<![a-z0-9]){re.escape(skill)}(?![a-z0-9+#])")


@dataclass(frozen=True)
class Profile:
    """What the features need of a graduate, computed once per query."""

    skills: frozenset[str]
    major: str
    major_class: str
    class_terms: frozenset[str]
    degree_rank: int | None
    experience: int  # years of work experience (0 unless the profile says otherwise)
    places: tuple[str, ...]
    kinds: frozenset[str]
    salary_min: float | None
    wanted: frozenset[str] = frozenset()  # occupation words the graduate asked for
    avoided: frozenset[str] = frozenset()  # ... and said they do not want

    @classmethod
    def of(cls, graduate: Mapping[str, Any], today: date) -> Profile:
        found = load_majors().lookup(graduate.get("major") or "")
        klass = found.major_class if found else None
        terms = {t.lower() for t in (klass.skills + klass.families)} if klass else set()
        desired = graduate.get("desired") or {}
        wishes = wishes_of(graduate)
        return cls(
            skills=frozenset(expand_skills(graduate.get("skills") or ())),
            major=(found.name if found else (graduate.get("major") or "")).lower(),
            major_class=klass.name if klass else "",
            class_terms=frozenset(terms),
            degree_rank=degree_rank(Degree(graduate["degree"])) if graduate.get("degree") else None,
            experience=experience_years(graduate),
            places=tuple(desired.get("region_codes") or ()),
            kinds=frozenset(desired.get("kinds") or ()),
            salary_min=desired.get("salary_min"),
            wanted=wishes.wanted,
            avoided=wishes.avoided,
        )


def pair_features(
    profile: Profile, posting: Mapping[str, Any], *, semantic: float, lexical: float, today: date
) -> dict[str, float]:
    """All features of one pair (see the module docstring). The engine computes the same
    values for many candidates at once in :mod:`matcher.engine.scoring`."""
    title, body = posting_body(posting)
    skills, in_title, major = text_features(profile, title, body)
    if profile.major_class and profile.major_class in (posting.get("majors") or ()):
        major = 1.0
    wish, wish_text, avoid = wish_features(profile, title, body)
    return {
        "semantic": max(0.0, semantic),
        "lexical": lexical,
        "major": major,
        "skills": skills,
        "title": in_title,
        "wish": wish,
        "wish_text": wish_text,
        "avoid": avoid,
        "education": _education(profile, posting),
        "experience": _experience(profile, posting),
        "region": _region(profile, posting),
        "salary": _salary(profile, posting),
        "kind": 1.0
        if not profile.kinds or posting.get("kind", "full_time") in profile.kinds
        else 0.0,
        "freshness": _freshness(posting, today),
    }


def posting_body(posting: Mapping[str, Any]) -> tuple[str, str]:
    """(title, body) lower-cased as the text features read them: the body is the title, the
    skills and the description."""
    title = str(posting.get("title") or "").lower()
    skills = " ".join(str(s) for s in posting.get("skills") or ())
    return title, " ".join([title, skills, str(posting.get("description") or "")]).lower()


def text_features(profile: Profile, title: str, body: str) -> tuple[float, float, float]:
    """skills, title, and the major from its class's terms found in the (lower-case) body."""
    own = sum(1 for s in profile.skills if contains(body, s))
    skills = own / len(profile.skills) if profile.skills else 0.0
    in_title = any(contains(title, s) for s in profile.skills) or (
        len(profile.major) >= 2 and profile.major in title
    )
    if profile.class_terms:
        hits = sum(1 for t in profile.class_terms if contains(body, t))
        major = min(1.0, hits / 3)
    else:
        major = 0.0
    return skills, 1.0 if in_title else 0.0, major


def wish_features(profile: Profile, title: str, body: str) -> tuple[float, float, float]:
    """wish, wish_text and avoid (each 0 or 1) of a (lower-case) title and body."""
    opening = body[: len(title) + 1 + WISH_TEXT_CHARS]
    return (
        1.0 if any(contains(title, w) for w in profile.wanted) else 0.0,
        1.0 if any(contains(opening, w) for w in profile.wanted) else 0.0,
        1.0 if any(contains(title, w) for w in profile.avoided) else 0.0,
    )


def _education(profile: Profile, posting: Mapping[str, Any]) -> float:
    need = posting.get("education_min")
    if profile.degree_rank is None or not need:
        return 0.8
    gap = profile.degree_rank - degree_rank(Degree(need))
    return 1.0 if gap == 0 else (0.8 if gap == 1 else 0.6) if gap > 0 else 0.0


def experience_years(graduate: Mapping[str, Any]) -> int:
    """Years of work experience a profile states (``experience_years``); graduates without it
    are treated as entry level."""
    value = graduate.get("experience_years")
    return int(value) if isinstance(value, int | float) and value > 0 else 0


def _experience(profile: Profile, posting: Mapping[str, Any]) -> float:
    """1 when the posting asks no more experience than the graduate has, less per missing
    year (postings asking three or more years beyond it are filtered out before ranking)."""
    years = posting.get("experience_min_years")
    if years is None:
        return 0.7
    gap = int(years) - profile.experience
    return {0: 1.0, 1: 0.5, 2: 0.3}.get(gap, 1.0 if gap < 0 else 0.0)


def _region(profile: Profile, posting: Mapping[str, Any]) -> float:
    code = str((posting.get("location") or {}).get("code") or "")
    if not profile.places:
        return 0.5
    if any(len(p) == 6 and code == p for p in profile.places):
        return 1.0
    return 0.8 if any(code.startswith(p) for p in profile.places) else 0.0


def _salary(profile: Profile, posting: Mapping[str, Any]) -> float:
    salary = posting.get("salary") or {}
    top = salary.get("max") or salary.get("min")
    if not profile.salary_min or not top:
        return 0.5
    monthly = float(top) * MONTHLY_FACTOR[SalaryUnit(salary.get("unit", "month"))]
    return min(1.0, monthly / profile.salary_min)


def _freshness(posting: Mapping[str, Any], today: date) -> float:
    posted = posting.get("posted_at")
    if not posted:
        return 0.5
    age = (today - date.fromisoformat(posted)).days
    return math.exp(-max(age, 0) / 60)
