"""``matcher parse-resume FILE [--json]``: the profile draft a résumé (PDF, DOCX, web page or
text) gives, with Chinese field labels, or as JSON for partners who hold résumés. A file that
cannot be read (a scan without text, encrypted, damaged, too large, a legacy .doc) is answered
with a Chinese message that says what to do, and exit status 2."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from matcher.errors import UnreadableFileError
from matcher.resumes.draft import REMOVED_ZH, ResumeDraft
from matcher.taxonomy.vocab import kind_label

_WORK_KINDS = {"internship": "实习", "work": "工作", "practice": "实践"}


def render(draft: ResumeDraft) -> str:
    """The draft as the graduate (or an adviser) reads it."""
    out = ["简历解析结果（草稿：请逐项核对、修改后再保存）"]

    def field(label: str, value: Any, source: str = "") -> None:
        shown = value if value not in (None, "", ()) else "（未识别）"
        out.append(f"{label}：{shown}")
        if source and value:
            out.append(f"    原文：{source}")

    field("姓名", draft.name and draft.name.value, draft.name.source if draft.name else "")
    for label, found in (("学校", draft.school), ("学历", draft.degree)):
        field(label, found and found.value, found.source if found else "")
    major = draft.major.value if draft.major else None
    if major and draft.major_code:
        major = f"{major}（专业代码 {draft.major_code}）"
    elif major:
        major = f"{major}（未在专业目录中找到，请核对）"
    field("专业", major, draft.major.source if draft.major else "")
    year = draft.graduation_year
    field("毕业年份", year and year.value, year.source if year else "")
    field("技能与证书", "、".join(s.name for s in draft.skills))
    out.append("实习与工作经历：" + ("" if draft.experience else "（未识别）"))
    for n, job in enumerate(draft.experience, start=1):
        when = f"{job.start or '?'} 至 {job.end or '今'}" if job.start else "时间未识别"
        months = f"{job.months} 个月" if job.months else "时长未识别"
        role = job.role or "（岗位未识别）"
        out.append(f"  {n}. {job.employer} · {role} · {months}（{when}，{_WORK_KINDS[job.kind]}）")
    wanted = draft.desired
    wishes = []
    if wanted.titles:
        wishes.append("岗位 " + "、".join(wanted.titles))
    if wanted.cities or wanted.districts:
        wishes.append("地点 " + "、".join(wanted.cities + wanted.districts))
    if wanted.kinds:
        wishes.append("类型 " + "、".join(kind_label(k) for k in wanted.kinds))
    if wanted.salary_min:
        wishes.append(f"期望月薪不低于 {wanted.salary_min} 元")
    field("求职意向", "；".join(wishes))
    contact = [
        f"{label} {value}"
        for label, value in (
            ("电话", draft.contact.phone),
            ("邮箱", draft.contact.email),
            ("微信", draft.contact.wechat),
        )
        if value
    ]
    field("联系方式（不向用人单位展示）", "，".join(contact))
    if draft.unparsed:
        out.append("其他内容（将放入个人简介，可修改）：")
        out.extend("  " + line for line in draft.unparsed.splitlines())
    if draft.removed:
        names = "、".join(REMOVED_ZH.get(k, k) for k in draft.removed)
        out.append(f"已删除的个人敏感信息：{names}（不保存，不用于推荐）")
    for note in draft.notes[1 if draft.removed else 0 :]:
        out.append(f"提示：{note}")
    return "\n".join(out)


def cmd_parse_resume(args: argparse.Namespace) -> int:
    from matcher.resumes.parse import parse_file  # loads the PDF and Word readers

    path = Path(args.file)
    try:
        draft = parse_file(path, ocr=not args.no_ocr)
    except FileNotFoundError:
        print(f"错误：找不到文件 {path}（no such file）", file=sys.stderr)
        return 2
    except IsADirectoryError:
        print(f"错误：{path} 是文件夹，请给出简历文件（is a directory）", file=sys.stderr)
        return 2
    except UnreadableFileError as exc:
        print(f"无法读取简历：{exc.zh}\n（{exc.reason}: {exc}）", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(draft.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render(draft))
    return 0


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "parse-resume",
        help="read a résumé (PDF, DOCX, text) into a profile draft",
        description=__doc__,
    )
    parser.add_argument("file", help="the résumé: .pdf, .docx, .txt (or a web page saved as .doc)")
    parser.add_argument("--json", action="store_true", help="print the draft as JSON")
    parser.add_argument(
        "--no-ocr",
        action="store_true",
        help="do not recognise scanned pages even when OCR is installed (pip install '.[ocr]')",
    )
    parser.set_defaults(func=cmd_parse_resume)
