"""Sections of a résumé by their headings, however they are worded and decorated:
``教育背景``, ``【教育经历】``, ``二、学习经历 EDUCATION``, ``实习/工作经历``, ``技能与证书``,
``求职意向：会计`` (a heading with its content on the same line)...

Each line belongs to one section; lines before the first heading are the ``header`` (name,
contact details). The field parsers look in the sections where a field is usually written and
fall back to the whole text, so a heading this table lacks costs little."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

HEADER, PERSONAL, EDUCATION, EXPERIENCE, PROJECT, CAMPUS = (
    "header",
    "personal",
    "education",
    "experience",
    "project",
    "campus",
)
SKILLS, AWARDS, OBJECTIVE, SELF, COURSES, OTHER = (
    "skills",
    "awards",
    "objective",
    "self",
    "courses",
    "other",
)
#: heading words → section kind. Words after "|" are headings only on a line of their own
#: (``学历：本科`` is a field, ``实习：3 个月`` a sentence).
_WORDS = {
    PERSONAL: "个人信息 基本信息 基本资料 个人资料 个人概况 个人档案 个人情况 联系方式 联系信息 "
    "个人基本信息 基本情况 | 资料",
    EDUCATION: "教育背景 教育经历 教育情况 学历背景 学习经历 求学经历 教育信息 学历教育 "
    "教育培训经历 "
    "| 教育 学历 学业",
    EXPERIENCE: "实习经历 实习经验 工作经历 工作经验 工作履历 职业经历 从业经历 实践经历 实习实践 "
    "社会实践 实践经验 实习工作经历 工作实习经历 社会实践经历 兼职经历 | 实习 实践 工作 经历",
    PROJECT: "项目经历 项目经验 项目实践 科研经历 科研项目 课题研究 毕业设计 项目 | 科研",
    CAMPUS: "校园经历 在校经历 校内经历 校园实践 校内实践 学生工作 社团经历 社团活动 校园活动 "
    "学生干部经历 任职经历 在校情况 学生工作经历",
    SKILLS: "专业技能 个人技能 职业技能 技能特长 技能证书 资格证书 所获证书 获得证书 职业资格 "
    "技能专长 掌握技能 语言能力 计算机能力 软件技能 专业能力 证书 技能 IT技能 外语能力 "
    "资格认证 职业证书 | 能力 特长",
    AWARDS: "荣誉奖项 获奖情况 获奖经历 所获荣誉 奖惩情况 荣誉证书 获奖荣誉 奖励情况 在校荣誉 "
    "| 荣誉 奖励 奖项",
    OBJECTIVE: "求职意向 求职目标 期望工作 意向岗位 职业意向 应聘岗位 应聘职位 期望职位 求职岗位 "
    "工作意向 职业目标 | 意向 期望",
    SELF: "自我评价 个人评价 自我介绍 个人简介 个人总结 自我描述 个人优势 自我鉴定 关于我 个人特点",
    COURSES: "主修课程 专业课程 核心课程 主要课程 所学课程 相关课程",
    OTHER: "兴趣爱好 其他信息 附加信息 | 爱好 其他",
}
_INLINE: dict[str, str] = {}
_ALONE: dict[str, str] = {}
for _kind, _text in _WORDS.items():
    _inline, _, _alone = _text.partition("|")
    _INLINE.update(dict.fromkeys(_inline.split(), _kind))
    _ALONE.update(dict.fromkeys(_inline.split() + _alone.split(), _kind))
#: when a combined heading names several kinds (技能与荣誉), the first of this order wins
_PRIORITY = (EDUCATION, EXPERIENCE, SKILLS, OBJECTIVE, PROJECT, CAMPUS, AWARDS, SELF, COURSES)
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|\d{1,2}[、.．)]|\(\w\)|0\d\s)")
_DECORATION = re.compile(r"^[\W_]+|[\W_]+$")
_LATIN_WORDS = re.compile(r"[A-Za-z][A-Za-z &/-]*")
_JOINERS = re.compile(r"[与及和&、/|+]+|以及")
_INLINE_HEAD = re.compile(r"^[\W_]*([\u4e00-\u9fffA-Za-z]{2,8})\s*[:]\s*(.+)$")
_BRACKET_HEAD = re.compile(r"^\s*[【\[]\s*([\u4e00-\u9fffA-Za-z]{2,8})\s*[】\]]\s*(.+)$")
_ENGLISH = {
    **dict.fromkeys(["education", "educationbackground", "academicbackground"], EDUCATION),
    **dict.fromkeys(
        ["experience", "workexperience", "internship", "internships", "internshipexperience"],
        EXPERIENCE,
    ),
    **dict.fromkeys(["projects", "projectexperience"], PROJECT),
    **dict.fromkeys(["skills", "certificates", "skillsandcertificates", "certifications"], SKILLS),
    **dict.fromkeys(["awards", "honors", "honours"], AWARDS),
    **dict.fromkeys(["objective", "careerobjective", "jobobjective"], OBJECTIVE),
    **dict.fromkeys(["selfevaluation", "summary", "aboutme", "profile"], SELF),
    **dict.fromkeys(["personalinformation", "personalinfo", "contact"], PERSONAL),
}
MAX_HEADING = 16
#: a short line ending with one of these nouns is a heading of a kind its words tell
_GENERIC_END = re.compile(
    r"(经历|经验|履历|背景|情况|技能|证书|能力|评价|意向|信息|资料|荣誉|奖项|课程)$"
)
#: words before a generic heading noun (我的技能, 持有证书, 语言能力); not 格证书
_MODIFIERS = set(
    "我的 个人 主要 相关 其他 所获 持有 获得 专业 职业 语言 外语 实习 工作 实践 学习 教育 求学 "
    "项目 "
    "科研 校园 在校 校内 社团 学生 基本 联系 荣誉 获奖 技能 资格 能力 兼职 社会 从业 培训".split()
)
_GENERIC_PREFIX = re.compile(r"(教育|学习|实习|工作|实践|项目|校园|技能|个人)$")
_GENERIC = (
    (EDUCATION, "教育|学习|学历|求学"),
    (EXPERIENCE, "实习|工作|实践|职业|从业|兼职|任职"),
    (PROJECT, "项目|科研|课题"),
    (CAMPUS, "校园|社团|学生|在校|校内"),
    (SKILLS, "技能|证书|能力|资格"),
    (AWARDS, "荣誉|奖"),
    (OBJECTIVE, "意向|期望|目标"),
    (SELF, "评价|自我"),
    (PERSONAL, "个人|基本|联系"),
    (COURSES, "课程"),
)


@dataclass
class Section:
    kind: str
    title: str = ""
    lines: list[int] = field(default_factory=list)  # indices into the résumé's lines


def heading_kind(line: str) -> str | None:
    """The kind of section a line opens when it is a heading on its own, else None."""
    text = _NUMBERING.sub("", line.strip())
    if not re.search(r"[\u4e00-\u9fff]", text):  # EDUCATION, Work Experience
        return _ENGLISH.get(re.sub(r"[^a-z]", "", text.lower()))
    text = _LATIN_WORDS.sub(" ", text)
    text = _DECORATION.sub("", text.replace(" ", ""))
    if not text or len(text) > MAX_HEADING:
        return None
    if text in _ALONE:
        return _ALONE[text]
    end = _GENERIC_END.search(text)
    prefix = text[: end.start()] if end else ""
    if end and (prefix in _MODIFIERS or (_GENERIC_PREFIX.search(prefix) and len(prefix) <= 4)):
        # 实习履历, 学习背景, 语言技能, 受教育情况; not 英语六级证书, 教师资格证书
        for kind, words in _GENERIC:
            if re.search(words, text):
                return kind
    parts = [p for p in _JOINERS.split(text) if p]
    if len(parts) < 2:
        return None
    kinds: list[str] = []
    for part in parts:
        found = _ALONE.get(part) or _ALONE.get(part + "经历") or _ALONE.get(part + "证书")
        if found is None:
            return None
        kind = found
        kinds.append(kind)
    return min(kinds, key=lambda k: _PRIORITY.index(k) if k in _PRIORITY else len(_PRIORITY))


def inline_heading(line: str) -> tuple[str, str] | None:
    """``求职意向：会计`` or ``【求职意向】会计`` → (objective, 会计): a heading with its
    content after a colon or a closing bracket."""
    match = _INLINE_HEAD.match(line) or _BRACKET_HEAD.match(line)
    if match is None:
        return None
    kind = _INLINE.get(match.group(1))
    return (kind, match.group(2).strip()) if kind else None


def split(lines: list[str]) -> tuple[list[Section], list[str]]:
    """Sections in order, and the lines with inline headings cut down to their content.
    Heading lines belong to no section."""
    sections = [Section(HEADER)]
    content = list(lines)
    for i, line in enumerate(lines):
        kind = heading_kind(line)
        if kind is not None:
            sections.append(Section(kind, line))
            content[i] = ""
            continue
        inline = inline_heading(line)
        if inline is not None and inline[0] != COURSES:  # 主修课程： stays in its section
            kind, rest = inline
            if kind != sections[-1].kind:
                sections.append(Section(kind, line))
            content[i] = rest
        sections[-1].lines.append(i)
    return [s for s in sections if s.lines or s.kind != HEADER], content


def lines_in(sections: list[Section], *kinds: str) -> list[int]:
    """Indices of the lines of every section of these kinds, in order."""
    return sorted(i for s in sections if s.kind in kinds for i in s.lines)
