"""Chinese labels for the codes the store keeps: districts (national division codes), major
classes and categories (门类 / 高职大类), industry sections (GB/T 4754 门类), degrees, kinds."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from matcher.errors import TaxonomyError
from matcher.taxonomy.industries import load_industries
from matcher.taxonomy.majors import UNDERGRADUATE, VOCATIONAL, MajorClass, load_majors
from matcher.taxonomy.regions import CHONGQING, load_regions
from matcher.taxonomy.vocab import DEGREE_ORDER, Degree, degree_rank

#: Special district keys beside 6-digit Chongqing codes.
OUTSIDE = "outside"  # a place outside Chongqing
UNSPECIFIED = "unspecified"  # Chongqing without a district, or no place at all
ANY = "any"  # a seeker who named no district and gave no residence
DISTRICT_SPECIAL = {OUTSIDE: "市外", UNSPECIFIED: "未指定区县", ANY: "不限区县"}
UNKNOWN = "unknown"
NO_MAJOR = "*"  # a posting open to every major
LEVEL_LABELS = {UNDERGRADUATE: "本科", VOCATIONAL: "专科"}


def district_key(code: str | None, home: str = CHONGQING) -> str:
    """The report's district of a division code: the 6-digit code inside the home province,
    ``outside`` for other provinces, ``unspecified`` for a city-wide or missing place."""
    if not code:
        return UNSPECIFIED
    if not code.startswith(home):
        return OUTSIDE
    return code if len(code) == 6 else UNSPECIFIED


def district_label(key: str) -> str:
    if key in DISTRICT_SPECIAL:
        return DISTRICT_SPECIAL[key]
    try:
        return load_regions().get(key).name
    except TaxonomyError:  # an unknown code is shown as it is
        return key


@dataclass(frozen=True, slots=True)
class ClassInfo:
    code: str
    name: str
    level: str
    category: str  # 门类 or 大类 code (the two catalogs use disjoint codes)


@cache
def _classes() -> dict[str, ClassInfo]:
    return {c.code: _info(c) for c in load_majors().classes()}


def _info(c: MajorClass) -> ClassInfo:
    return ClassInfo(c.code, c.name, c.level, c.category_code)


def major_class(code: str | None) -> ClassInfo | None:
    """The 专业类 of a catalog major code (its first four characters) or of a class code."""
    return _classes().get(code[:4]) if code else None


@lru_cache(maxsize=4096)
def posting_class(name: str, education_rank: int | None) -> ClassInfo | None:
    """The 专业类 a posting means by a name in its ``majors``: a class name (计算机类) or a
    major's (软件工程). A name found in both catalogs is read in the undergraduate catalog when
    the posting asks for 本科 or more, and in the vocational one otherwise."""
    wants_degree = education_rank is not None and education_rank >= degree_rank(Degree.BENKE)
    levels = (UNDERGRADUATE, VOCATIONAL) if wants_degree else (VOCATIONAL, UNDERGRADUATE)
    catalog = load_majors()
    for level in levels:
        found = catalog.major_class(name, level) if name.strip() else None
        if found is not None:
            return _info(found)
    return None


@cache
def category_label(code: str) -> str:
    """``08`` → ``工学（本科）``, ``51`` → ``电子与信息大类（专科）``."""
    if code in (UNKNOWN, NO_MAJOR):
        return {UNKNOWN: "专业未识别", NO_MAJOR: "不限专业"}[code]
    for c in load_majors().classes():
        if c.category_code == code:
            return f"{c.category_name}（{LEVEL_LABELS[c.level]}）"
    return code


def industry_section(code: str | None) -> str:
    """The GB/T 4754 section letter of any industry code; ``unknown`` when it has none."""
    if not code:
        return UNKNOWN
    try:
        industries = load_industries()
        return industries.section_of(industries.get(code)).code
    except TaxonomyError:
        return UNKNOWN


def industry_label(section: str) -> str:
    if section == UNKNOWN:
        return "行业未识别"
    try:
        return f"{section} {load_industries().get(section).name}"
    except TaxonomyError:
        return section


def degree_label(rank: int | None) -> str:
    if rank is None or not 0 <= rank < len(DEGREE_ORDER):
        return "未填写"
    return DEGREE_ORDER[rank].value


STATUS_LABELS = {
    "seeking": "求职中",
    "employed": "已就业",
    "further_study": "升学",
    "not_seeking": "暂不就业",
}
