"""Education: each entry's school, major (resolved against the majors catalog), degree and
years, from the education section, labelled fields anywhere (``毕业院校 | 重庆大学``) and, when
no section says so, lines that name a school with a degree; the draft takes the highest degree
(the latest when two are equal)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from matcher.resumes.dates import Period, goes_on, graduation_year, periods, strip_periods
from matcher.resumes.fields import labelled, segments
from matcher.taxonomy.majors import Major, load_majors

_SUFFIX = (
    "师范高等专科学校|高等专科学校|职业技术学院|职业技术大学|职业学院|专科学校|职业技术学校|职业学校|"
    "中等专业学校|技工学校|技师学院|卫生学校|师范学校|工业学校|职业教育中心|职教中心|大学|学院|学校"
)
SCHOOL = re.compile(
    rf"[\u4e00-\u9fff]{{1,24}}(?:{_SUFFIX})(?:[(（][\u4e00-\u9fff]{{2,8}}校区[)）])?"
)
HIGH_SCHOOL = re.compile(r"[\u4e00-\u9fff]{2,16}(?:中学|高中|一中|二中|三中)")
_PREFIX = re.compile(
    r"^(?:本人|目前|现|已|于|在|毕业|就读|在读|求学|本科|硕士|专科|大专|研究生|博士)+于?"
)
_FILLER = re.compile(r"^(?:本人)?(?:就读于|毕业于|在读于|求学于|就读|毕业|在读)")
#: what follows 大学 in a department's name (计算机学院), not in an independent college's
_DEPARTMENT = re.compile(
    r"大学.{0,10}(计算机|信息|软件|电子|通信|电气|机械|土木|建筑|经济|管理|会计|金融|外国语|文学|新闻|"
    r"传媒|法学|医学|护理|药学|教育|数学|物理|化学|生命|艺术|音乐|美术|体育|马克思|材料|环境|能源|动力|"
    r"交通|航空|汽车|智能|自动化|人文|历史|哲学|社会|公共|政治|农学|园艺|资源|商学|工程)[^大]*学院$"
)
DEGREE = re.compile(
    r"博士研究生|博士|硕士研究生|硕士|研究生|MBA|MPAcc|MPA|学士|本科|专升本|大专|专科|高职|中专|中职|职高|技校|高中"
)
_DEGREE_OF = {
    **dict.fromkeys(["博士研究生", "博士"], "博士"),
    **dict.fromkeys(["硕士研究生", "硕士", "研究生", "MBA", "MPAcc", "MPA"], "硕士"),
    **dict.fromkeys(["学士", "本科", "专升本"], "本科"),
    **dict.fromkeys(["大专", "专科", "高职"], "大专"),
    **dict.fromkeys(["中专", "中职", "职高", "技校"], "中专"),
    "高中": "高中",
}
RANK = {"高中": -1, "中专": 0, "大专": 1, "本科": 2, "硕士": 3, "博士": 4}
YEARS = {"中专": 3, "大专": 3, "本科": 4, "硕士": 3, "博士": 4, "高中": 3}
_SCHOOL_LABELS = (
    "学校",
    "毕业院校",
    "毕业学校",
    "院校",
    "就读学校",
    "学校名称",
    "院校名称",
    "所在院校",
)
_MAJOR_LABELS = ("专业", "所学专业", "专业名称", "主修专业", "专业方向", "就读专业")
_DEGREE_LABELS = ("学历", "学位", "学历层次", "最高学历", "学历学位", "培养层次", "学历/学位")
_YEAR_LABELS = ("毕业时间", "毕业年份", "毕业日期", "毕业年月", "届别", "预计毕业时间", "毕业")
_NOT_MAJOR = re.compile(
    r"简历|履历|排名|绩点|GPA|主修|课程|荣誉|奖学金|学院$|系$|部$|学校$|大学$|在读|毕业|全日制|统招|\d"
)
_COURSES = re.compile(r"^(主修|专业|核心|主要|相关|所学)?课程")


@dataclass
class Entry:
    school: str | None = None
    major: str | None = None  # catalog name when resolved, else as written
    major_code: str | None = None
    degree: str | None = None
    period: Period | None = None
    year: int | None = None
    written: str | None = None  # the major as labelled (专业：...), resolved at the end
    texts: list[str] = field(default_factory=list)  # unlabelled lines without school and dates
    sources: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

    @property
    def graduation_year(self) -> int | None:
        if self.year:
            return self.year
        if self.period is None:
            return None
        if self.period.end is not None:
            return self.period.end[0]
        return self.period.start[0] + YEARS.get(self.degree or "本科", 4)

    def rank(self) -> tuple[int, int]:
        return RANK.get(self.degree or "", -2), self.graduation_year or 0


def school_in(line: str, *, high_school: bool = False) -> str | None:
    """The school a line names, without ``毕业于`` before it or a department after it."""
    for m in SCHOOL.finditer(line):
        name = _PREFIX.sub("", m.group(0))
        if _DEPARTMENT.search(name):
            name = name[: name.index("大学") + 2]
        if len(name) >= 4:
            return name
    high = HIGH_SCHOOL.search(line) if high_school else None
    if high is not None:
        return _PREFIX.sub("", high.group(0))
    return None


def degree_in(text: str) -> str | None:
    found = [_DEGREE_OF[m.group(0)] for m in DEGREE.finditer(text)]
    return max(found, key=lambda d: RANK[d]) if found else None


def _level(degree: str | None) -> tuple[str, ...]:
    if degree in ("大专", "中专"):
        return ("vocational", "undergraduate")
    return ("undergraduate", "vocational")


def resolve_major(text: str, degree: str | None) -> Major | None:
    """A catalog major written as ``text`` (tolerantly: 专业, notes, aliases), of the level
    the degree suggests first; else the one catalog name ``text`` is the start of."""
    catalog = load_majors()
    cleaned = DEGREE.sub("", text).strip(" ()（）")
    for level in _level(degree):
        found = catalog.lookup(cleaned, level)
        if found is not None:
            return found
    cleaned = cleaned.removesuffix("专业")
    if len(cleaned) >= 4:
        for level in _level(degree):
            names = [m for m in catalog.majors(level) if m.name.startswith(cleaned)]
            if len(names) == 1:  # 汽车检测与维修 → 汽车检测与维修技术
                return names[0]
    return None


def _names_in(text: str, degree: str | None) -> Major | None:
    """The longest catalog name written inside glued text (``重庆大学软件工程本科``)."""
    catalog = load_majors()
    for level in _level(degree):
        names = [m.name for m in catalog.majors(level) if len(m.name) >= 3 and m.name in text]
        if names:
            return catalog.lookup(max(names, key=len), level)
    return None


def _set(entry: Entry, found: Major | None, written: str | None) -> bool:
    if found is not None:
        entry.major, entry.major_code = found.name, found.code
    elif written:
        entry.major, entry.major_code = written, None
    return bool(entry.major)


def _finish(entry: Entry) -> None:
    """The major, once the entry's degree is known (it may come on a later line)."""
    if entry.written:
        written = DEGREE.sub("", entry.written).strip(" ()（）").removesuffix("专业")
        _set(entry, resolve_major(entry.written, entry.degree), written)
        return
    tokens = [
        _FILLER.sub("", t)
        for text in entry.texts
        for t in segments(text)
        if not DEGREE.fullmatch(t.strip(" ()（）"))
    ]
    tokens = [t for t in tokens if t]
    for token in tokens:
        if _set(entry, resolve_major(token, entry.degree), None):
            return
    plain = [
        t
        for t in tokens
        if re.fullmatch(r"[\u4e00-\u9fff()（）]{2,20}", t) and not _NOT_MAJOR.search(t)
    ]
    if len(plain) == 1:
        _set(entry, None, DEGREE.sub("", plain[0]).removesuffix("专业") or None)
        return
    _set(entry, _names_in("".join(tokens), entry.degree), None)


def _apply_labels(entry: Entry, line: str) -> bool:
    """Fields of an entry written with labels; whether the line had any."""
    pairs = labelled(line, _SCHOOL_LABELS + _MAJOR_LABELS + _DEGREE_LABELS + _YEAR_LABELS)
    for label, value in pairs:
        if label in _SCHOOL_LABELS and not entry.school:
            entry.school = school_in(value) or value
        elif label in _DEGREE_LABELS and not entry.degree:
            entry.degree = degree_in(value)
        elif label in _YEAR_LABELS and not entry.year:
            found = periods(value)
            years = re.findall(r"(?:19|20)\d{2}", value)
            entry.year = (found[0].end_year if found else None) or (
                int(years[-1]) if years else None
            )
        elif label in _MAJOR_LABELS and not entry.written:
            entry.written = value
    return bool(pairs)


def _read(entry: Entry, line: str, *, in_section: bool) -> None:
    if _COURSES.match(line):
        return
    if _apply_labels(entry, line):
        return
    school = school_in(line, high_school=in_section)
    entry.school = entry.school or school
    entry.degree = entry.degree or degree_in(line.replace(school, "") if school else line)
    found = periods(line)
    if found and entry.period is None:
        entry.period = found[0]
    entry.year = entry.year or graduation_year(line)
    entry.texts.append(strip_periods(line.replace(school, " ") if school else line))


def _unwrap(lines: list[str], indices: list[int]) -> dict[int, str]:
    """Lines of the given indices, a major cut by a line break put back together
    (``… 电气工程`` / ``及其自动化专业 本科``)."""
    out = {i: lines[i] for i in indices}
    for i, j in pairwise(indices):
        if goes_on(out[i], out[j]):
            out[i], out[j] = out[i] + out[j], ""
            continue
        tail = re.search(r"[\u4e00-\u9fff]{2,}$", out[i])
        head = re.match(r"[\u4e00-\u9fff]+", out[j])
        if not tail or not head or resolve_major(tail.group(0), None):
            continue
        for k in range(len(head.group(0)), 0, -1):
            whole = tail.group(0) + head.group(0)[:k]
            found = resolve_major(whole, None)
            if found is not None and found.name in whole:
                out[i], out[j] = out[i] + head.group(0)[:k], out[j][k:].strip()
                break
    return out


def entries(lines: list[str], indices: list[int], *, in_section: bool = True) -> list[Entry]:
    """Education entries of the given lines: a new one starts at a line naming a school (or
    a period) when the current one already has one."""
    out: list[Entry] = []
    whole = _unwrap(lines, indices)
    for i in indices:
        line = whole[i]
        if not line or _COURSES.match(line):
            continue
        starts = school_in(line, high_school=in_section) is not None and not labelled(
            line, _MAJOR_LABELS
        )
        dated = bool(periods(line)) and not labelled(line, _YEAR_LABELS)
        if not out or (starts and out[-1].school) or (dated and out[-1].period):
            out.append(Entry())
        entry = out[-1]
        _read(entry, line, in_section=in_section)
        entry.sources.append(line)
        entry.lines.append(i)
    for entry in out:
        _finish(entry)
        entry.lines = [i for i in entry.lines if _told(entry, whole[i])]
    return [e for e in out if e.school or e.major or e.degree]


def _told(entry: Entry, line: str) -> bool:
    """Whether a line gave the entry something (other lines go to the bio)."""
    said = (entry.school, entry.major, entry.written, entry.period.text if entry.period else None)
    return any(x and x in line for x in said) or bool(degree_in(line) or graduation_year(line))


def main_entry(found: list[Entry]) -> Entry | None:
    """The entry of the highest degree, the latest when two are equal."""
    return max(found, key=Entry.rank) if found else None
