"""Small readers shared by the field parsers: segments of a line, labelled values (``专业：会计学``,
``毕业院校 | 重庆大学``), the graduate's name, and contact details (kept out of the bio: an
employer sees the bio, never the contact details)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

_SEGMENT = re.compile(r"\s*\|\s*|\s+|[，,;；]")
_NAME_LABELS = ("姓名", "名字", "Name", "name", "NAME")
_NAME = re.compile(r"^[\u4e00-\u9fff]{1,2}[\u4e00-\u9fff·]{1,4}$")
_TITLE_WORDS = re.compile(
    r"(的)?(个人|求职|应聘)?(简历|履历)(表)?$|^(个人|求职|应聘)?(简历|履历)(表)?"
)
_NOT_NAMES = re.compile(
    r"简历|信息|资料|电话|手机|邮箱|地址|求职|意向|教育|经历|技能|证书|评价|大学|学院|学校|专业|"
    r"本科|大专|硕士|毕业|联系|个人|基本|应届|同学|先生|女士|学生|实习|工作|自我"
)
#: the most common surnames (about 85% of people)
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤冉"
)
PHONE = re.compile(r"(?<![\d-])(?:\+?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}(?!\d)")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_CONTACT_LABELS = re.compile(
    r"(?:联系电话|手机号码|手机号|电话号码|联系方式|电话|手机|Tel|TEL|Phone|Mobile|邮箱|电子邮箱|"
    r"电子邮件|E-?mail|e-?mail|EMAIL|QQ号?|微信号?|WeChat|wechat)\s*[:]?\s*$"
)
_LABEL_FIRST = re.compile(
    r"^(?:联系电话|手机号码|手机号|电话号码|电话|手机|Tel|TEL|Phone|Mobile|邮箱|电子邮箱|电子邮件|"
    r"E-?mail|e-?mail|EMAIL|QQ号?|微信号?|WeChat|wechat)\s*:"
)
_WECHAT = re.compile(r"(?:微信号?|WeChat|wechat|微信)\s*:\s*([A-Za-z][\w-]{5,19})")
_QQ = re.compile(r"QQ号?\s*:?\s*\d{5,11}")


def segments(line: str) -> list[str]:
    """The parts of a line between spaces, table-cell bars and commas."""
    return [s for s in _SEGMENT.split(line) if s]


def labelled(line: str, labels: Sequence[str]) -> list[tuple[str, str]]:
    """(label, value) pairs of the given labels: ``专业:会计学`` and ``专业: 会计学`` anywhere,
    ``专业 | 会计学`` between the cells of a table row."""
    table = "|" in line
    parts = segments(line)
    out: list[tuple[str, str]] = []
    known = sorted(labels, key=len, reverse=True)
    i = 0
    while i < len(parts):
        part = parts[i]
        for label in known:
            if not part.startswith(label):
                continue
            rest = part[len(label) :]
            if rest.startswith(":"):
                value = rest[1:].strip()
            elif not rest and table:
                value = ""
            else:
                continue
            if not value and i + 1 < len(parts) and not _is_label(parts[i + 1], known):
                i += 1
                value = parts[i]
            if value:
                out.append((label, value))
            break
        i += 1
    return out


def _is_label(part: str, labels: Sequence[str]) -> bool:
    return any(part == label or part.startswith(label + ":") for label in labels)


def name_in(lines: Sequence[str], indices: Sequence[int]) -> tuple[str, str] | None:
    """(name, source line) from ``姓名：`` or a first line that is only a name."""
    for i in indices:
        for _, value in labelled(lines[i], _NAME_LABELS):
            if _NAME.match(value):
                return value, lines[i]
    for i in list(indices)[:4]:
        line = lines[i]
        if re.fullmatch(r"(?:[\u4e00-\u9fff] ){1,3}[\u4e00-\u9fff]", line):  # 李 四
            line = line.replace(" ", "")
        for part in [p for p in segments(line) if re.search(r"[\u4e00-\u9fff]", p)][:2]:
            candidate = _TITLE_WORDS.sub("", part.strip(":-_"))
            if _NAME.match(candidate) and not _NOT_NAMES.search(candidate):
                return candidate, lines[i]
    return None


def lone_name(lines: Sequence[str]) -> tuple[str, str] | None:
    """A line that is only a name of a common surname (a name drawn apart from the text, as
    two-column templates do)."""
    for line in lines:
        name_like = 2 <= len(line) <= 4 and line[0] in SURNAMES and _NAME.match(line)
        if name_like and not _NOT_NAMES.search(line):
            return line, line
    return None


@dataclass
class Contact:
    phone: str | None = None
    email: str | None = None
    wechat: str | None = None
    found: list[str] = field(default_factory=list)  # kinds, for the draft's notes


def take_contact(line: str, contact: Contact) -> str:
    """``line`` without phone numbers, e-mail addresses, WeChat and QQ ids (and their labels);
    the first of each is kept in ``contact``."""
    for kind, pattern in (("phone", PHONE), ("email", EMAIL)):
        for m in pattern.finditer(line):
            if getattr(contact, kind) is None:
                value = re.sub(r"[\s-]", "", m.group(0)) if kind == "phone" else m.group(0)
                setattr(contact, kind, value)
        line = pattern.sub("\x00", line)
    wechat = _WECHAT.search(line)
    if wechat and contact.wechat is None:
        contact.wechat = wechat.group(1)
    line = _QQ.sub("\x00", _WECHAT.sub("\x00", line))
    if _LABEL_FIRST.match(line) and "\x00" not in line:  # 邮箱：cv12@foxma (cut by a line break)
        return ""
    pieces = [p.strip() for p in line.split("\x00")]
    kept = [
        _CONTACT_LABELS.sub("", p).strip(" |") if j < len(pieces) - 1 else p
        for j, p in enumerate(pieces)
    ]
    return " ".join(p for p in kept if p).strip(" |")
