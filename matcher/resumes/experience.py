"""Internships and work: employer, role and months of each entry, however it is laid out —
one line (``2024.07-2024.08 重庆某某会计师事务所 审计助理``), a table row, a line each (period,
employer, role), or a sentence (``2023年7月至8月在重庆市第一人民医院实习，担任护士助理``).
Lines that are neither a period, an employer nor a role are the entry's duties."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from matcher.resumes.dates import Period, goes_on, periods, strip_periods
from matcher.resumes.fields import labelled, segments

_ORG_SUFFIX = (
    "股份有限公司|有限责任公司|有限公司|分公司|子公司|公司|集团|会计师事务所|律师事务所|事务所|"
    "设计研究院|研究院|研究所|设计院|人民医院|中医院|医院|卫生院|卫生服务中心|诊所|门诊部|大药房|药房|"
    "支行|分行|银行|信用社|幼儿园|小学|中学|学校|学院|大学|中心|协会|基金会|委员会|居委会|村委会|"
    "办事处|政府|法院|检察院|管理局|局|图书馆|博物馆|纪念馆|酒店|宾馆|饭店|餐厅|超市|商场|专卖店|门店|"
    "4S店|工厂|厂|工作室|电视台|报社|出版社|旅行社|合作社|农场|基地|车间|物业|项目部|店|馆"
)
ORG = re.compile(
    rf"[\u4e00-\u9fffA-Za-z0-9()（）]{{2,30}}(?:{_ORG_SUFFIX})(?:（[\u4e00-\u9fff]{{2,8}}）)?"
)
_ORG_PREFIX = re.compile(
    r"^(?:曾|先后|暑期|寒假|假期)?(?:就职于|任职于|供职于|实习于|在|于|到|赴|进入|加入)"
)
ROLE = re.compile(
    r"[\u4e00-\u9fffA-Za-z]{0,10}(?:实习生|实习教师|实习护士|工程师|设计师|技术员|助理|专员|顾问|主管|经理|"
    r"文员|会计|出纳|销售|客服|编辑|记者|策划|运营|护士|教师|老师|代表|秘书|翻译|导游|司机|干事|店长|店员|"
    r"收银员|营业员|学徒|操作员|操作工|厨师|律师|药师|医生|讲解员|管理员|接待|美工|助教|[员师工生])"
)
_ROLE_LABELS = (
    "职位",
    "岗位",
    "职务",
    "实习岗位",
    "工作岗位",
    "实习职位",
    "担任职务",
    "角色",
    "担任",
)
_ORG_LABELS = (
    "单位",
    "公司",
    "实习单位",
    "工作单位",
    "公司名称",
    "单位名称",
    "实习公司",
    "就职单位",
)
_ROLE_PHRASE = re.compile(
    r"(?:担任|出任|职位为|岗位为|任职为)([\u4e00-\u9fffA-Za-z]{2,12}?)(?:一职|岗位|职位|工作)?(?:[,，。;；]|$)"
)
_DUTY = re.compile(r"^(工作内容|主要职责|负责|参与|协助|完成|主要|工作职责|职责)")
_MONTHS = re.compile(r"(?:实习|工作|为期|共|历时)?\s*(\d{1,2})\s*个月")
_DEPARTMENT = re.compile(r"^[\u4e00-\u9fff]{1,8}(?:部|科|室|组|处|病区|门诊|车间)$")
#: a header line is at most this long; longer lines are duties, unless they are a sentence
#: naming a period and an employer
HEADER = 60


@dataclass
class Job:
    employer: str = ""
    role: str = ""
    period: Period | None = None
    months: int | None = None
    kind: str = "internship"  # internship, work or practice
    sources: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


def employer_in(text: str) -> str | None:
    for token in segments(strip_periods(text)):
        if _DUTY.match(token):
            continue
        m = ORG.search(_ORG_PREFIX.sub("", token))
        if m:
            return _ORG_PREFIX.sub("", m.group(0))
    return None


def _role_in(text: str, employer: str) -> str | None:
    for _, value in labelled(text, _ROLE_LABELS):
        return value
    m = _ROLE_PHRASE.search(text)
    if m:
        return m.group(1)
    rest = strip_periods(text.replace(employer, " ") if employer else text)
    tokens = [re.sub(r"[(（][^()（）]*[)）]", "", t) for t in segments(rest)]
    tokens = [t for t in tokens if t and not _DEPARTMENT.match(t)]
    for token in tokens:
        if ROLE.fullmatch(token) and not ORG.search(token):
            return token
    plain = [t for t in tokens if re.fullmatch(r"[\u4e00-\u9fffA-Za-z]{2,10}", t)]
    if employer and len(plain) == 1 and not _DUTY.match(plain[0]):  # 重庆某馆 讲解 → 讲解
        return plain[0]
    return None


def _title_line(line: str, job: Job) -> bool:
    """A line that is only a role: one ending like a role, or (right after the employer's
    line, in a layout of a line each) a short name without punctuation."""
    if len(line) > 16 or ORG.search(line):
        return False
    if ROLE.fullmatch(line):
        return True
    after_employer = bool(job.employer) and len(job.details) == 0
    return (
        after_employer
        and re.fullmatch(r"[\u4e00-\u9fffA-Za-z]{2,10}", line) is not None
        and not _DUTY.match(line)
    )


def _kind(section_title: str, job: Job) -> str:
    if "实习" in section_title or "实习" in job.role:
        return "internship"
    if "实践" in section_title or "志愿" in job.role:
        return "practice"
    return "work" if "工作" in section_title or "兼职" in section_title else "internship"


def _header(line: str) -> tuple[Period | None, str | None]:
    found = periods(line)
    employer = next((v for _, v in labelled(line, _ORG_LABELS)), None) or employer_in(line)
    if len(line) > HEADER and not (found and employer):
        return None, None
    return (found[0] if found else None), employer


def _rejoined(lines: list[str], indices: list[int]) -> dict[int, str]:
    """Lines with a last word cut off by a line break (``担任设计助`` / ``理。``) joined up."""
    out = {i: lines[i] for i in indices}
    for i, j in pairwise(indices):
        rest, cut = out[j], bool(re.search(r"\w$", out[i]))
        sentence = len(out[i]) >= 16 and ("," in out[i] or "，" in out[i])
        short = re.fullmatch(r"[\u4e00-\u9fff]{1,2}[。;；]?|[\u4e00-\u9fff]{1,3}。", rest)
        end = sentence and re.fullmatch(r"[^\s,，]{1,12}。", rest)
        if goes_on(out[i], rest) or (cut and (short or end)):
            out[i], out[j] = out[i] + rest, ""
    return out


def jobs(lines: list[str], indices: list[int], section_title: str, today: date) -> list[Job]:
    out: list[Job] = []
    whole = _rejoined(lines, indices)
    for i in indices:
        line = whole[i]
        if not line:
            continue
        period, employer = _header(line)
        current = out[-1] if out else None
        new = current is None or (period and current.period) or (employer and current.employer)
        if (period or employer) and new:
            out.append(Job())
        elif current is None:
            continue
        job = out[-1]
        job.lines.append(i)
        if period or employer:
            job.period = job.period or period
            job.employer = job.employer or (employer or "")
            job.sources.append(line)
            job.role = job.role or (_role_in(line, job.employer) or "")
        elif not job.role and (_title_line(line, job) or labelled(line, _ROLE_LABELS)):
            job.role = _role_in(line, "") or line
            job.sources.append(line)
        else:
            job.role = (
                job.role
                or (_role_in(line, job.employer) if _ROLE_PHRASE.search(line) else "")
                or ""
            )
            job.details.append(line)
        said = _MONTHS.search(line)
        if said:
            job.months = int(said.group(1))
    for job in out:
        job.kind = _kind(section_title, job)
        if job.months is None and job.period is not None:
            job.months = job.period.months(today)
    return [j for j in out if j.employer]
