"""Résumé text → :class:`~matcher.resumes.draft.ResumeDraft`, in this order: normalise (radical
look-alikes, width), find the sections, drop protected traits and take contact details out
(before any field reads a line), then each field, and what no field took for the bio."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from matcher.errors import UnreadableFileError
from matcher.resumes import education, experience, sections, terms, wishes
from matcher.resumes.draft import (
    Contact,
    Desired,
    FileFacts,
    Found,
    ResumeDraft,
    Skill,
    Study,
    Work,
    removed_note,
)
from matcher.resumes.extracted import Extracted
from matcher.resumes.fields import Contact as Taken
from matcher.resumes.fields import lone_name, name_in, take_contact
from matcher.resumes.files import extract, read_file
from matcher.resumes.normalise import has_radicals, normalise
from matcher.resumes.protected import strip
from matcher.resumes.sections import (
    AWARDS,
    CAMPUS,
    COURSES,
    EDUCATION,
    EXPERIENCE,
    HEADER,
    OBJECTIVE,
    PERSONAL,
    PROJECT,
    SELF,
    SKILLS,
    lines_in,
)
from matcher.taxonomy.skills import CERTIFICATE

#: a text shorter than this (after normalising) holds no résumé
MIN_CHARS = 20
#: a skills line at least this long that ends in a word may go on in the next line
WRAPPED = 10
_NO_SKILLS_IN = {EDUCATION, COURSES, OBJECTIVE}


def parse_file(path: Path, *, ocr: bool = True, today: date | None = None) -> ResumeDraft:
    return _from(read_file(path, ocr=ocr), today)


def parse_bytes(data: bytes, *, ocr: bool = True, today: date | None = None) -> ResumeDraft:
    return _from(extract(data, ocr=ocr), today)


def parse_text(text: str, *, today: date | None = None) -> ResumeDraft:
    """A pasted résumé."""
    return _from(Extracted(text, "pasted"), today)


def _from(extracted: Extracted, today: date | None) -> ResumeDraft:
    facts = FileFacts(
        extracted.format,
        extracted.pages,
        extracted.ocr,
        extracted.columns,
        has_radicals(extracted.text),
    )
    return parse(extracted.text, facts, today or date.today())


def parse(text: str, facts: FileFacts, today: date) -> ResumeDraft:
    raw = normalise(text).split("\n")
    if len(re.sub(r"\s", "", "".join(raw))) < MIN_CHARS:
        raise UnreadableFileError(
            "the résumé holds (almost) no text",
            reason="no_text",
            zh="简历中几乎没有可读取的文字：请检查文件，或直接粘贴简历文字",
        )
    found_sections, content = sections.split(raw)
    personal = set(lines_in(found_sections, HEADER, PERSONAL))
    lines, removed = strip(content, personal)
    taken = Taken()
    lines = [take_contact(line, taken) for line in lines]
    used: set[int] = set()

    header = lines_in(found_sections, HEADER, PERSONAL)
    name = name_in(lines, header)
    if name is None:
        skills_lines = set(lines_in(found_sections, SKILLS))
        name = lone_name([x for i, x in enumerate(lines) if i not in skills_lines])
    if name is not None:
        used.update(i for i, x in enumerate(lines) if x == name[1] and len(x) <= len(name[0]) + 12)

    studies = _studies(lines, found_sections)
    main = education.main_entry(studies)
    for entry in studies:
        used.update(entry.lines)

    jobs: list[experience.Job] = []
    for section in found_sections:
        if section.kind == EXPERIENCE:
            jobs += experience.jobs(lines, section.lines, section.title, today)
    for job in jobs:
        used.update(job.lines)  # the bio tells each job with its duties

    skills = _skills(lines, found_sections, used)
    wanted = wishes.read(lines, lines_in(found_sections, OBJECTIVE))
    used.update(i for i in lines_in(found_sections, OBJECTIVE) if lines[i] in wanted.sources)

    notes = []
    if removed:
        notes.append(removed_note(removed))
    if facts.ocr:
        notes.append("简历文字由图片识别（OCR）得到，可能有错字，请逐项核对")
    return ResumeDraft(
        name=Found(name[0], name[1]) if name else None,
        school=_found(main, "school"),
        major=_found(main, "major"),
        major_code=main.major_code if main else None,
        degree=_found(main, "degree"),
        graduation_year=Found(main.graduation_year, _source(main))
        if main and main.graduation_year
        else None,
        skills=tuple(skills),
        experience=tuple(_work(job) for job in jobs),
        education=tuple(_study(e) for e in studies),
        desired=Desired(
            tuple(wanted.cities),
            tuple(wanted.districts),
            tuple(wanted.kinds),
            tuple(wanted.titles),
            wanted.salary_min,
            "\n".join(wanted.sources),
        ),
        contact=Contact(taken.phone, taken.email, taken.wechat),
        unparsed="\n".join(line for i, line in enumerate(lines) if line and i not in used),
        removed=removed,
        file=facts,
        notes=tuple(notes),
    )


def _studies(lines: list[str], found: list[sections.Section]) -> list[education.Entry]:
    """Education entries of the education sections and of labelled fields in the header; when
    there are none, of lines naming a school and a degree wherever they are."""
    out = education.entries(lines, lines_in(found, EDUCATION))
    header = education.entries(lines, lines_in(found, HEADER, PERSONAL), in_section=False)
    out += [e for e in header if e.school and (e.major or e.degree)]
    if not out:
        elsewhere = [
            i
            for i in lines_in(found, HEADER, PERSONAL, SELF, AWARDS, CAMPUS, SKILLS, OBJECTIVE)
            if education.school_in(lines[i]) and education.degree_in(lines[i])
        ]
        out = education.entries(lines, elsewhere, in_section=False)
    return out


def _groups(lines: list[str], indices: list[int]) -> list[list[int]]:
    """Lines of a skills section, a line cut inside a term (``护士执业资`` / ``格证书``) kept
    with the line it goes on in."""
    groups: list[list[int]] = []
    for i in indices:
        if groups and _cut(lines[groups[-1][-1]], lines[i]):
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _cut(line: str, following: str) -> bool:
    if len(line) < WRAPPED or not re.search(r"\w$", line):
        return False
    return any(
        h.start < len(line) < h.end and h.end - h.start >= 3 for h in terms.hits(line + following)
    )


def _skills(lines: list[str], found: list[sections.Section], used: set[int]) -> list[Skill]:
    out: dict[str, Skill] = {}
    for section in found:
        if section.kind in _NO_SKILLS_IN:
            continue
        in_skills = section.kind == SKILLS
        groups = _groups(lines, section.lines) if in_skills else [[i] for i in section.lines]
        for group in groups:
            line = "".join(lines[i] for i in group)
            if not line or (education.school_in(line) and section.kind not in (SKILLS, PROJECT)):
                continue
            terms_found = terms.terms_in(line, skills_section=in_skills)
            if section.kind == AWARDS:  # a prize names a contest, not a skill
                terms_found = [t for t in terms_found if t.kind == CERTIFICATE]
            for term in terms_found:
                out.setdefault(term.name, Skill(term.name, term.kind, line))
            if in_skills and terms_found and len(terms.leftover(line)) < 4:
                used.update(group)
    return list(out.values())


def _found(entry: education.Entry | None, key: str) -> Found[str] | None:
    value = getattr(entry, key) if entry else None
    return Found(value, _source(entry)) if entry and value else None


def _source(entry: education.Entry | None) -> str:
    return " / ".join(entry.sources[:3]) if entry else ""


def _study(e: education.Entry) -> Study:
    start, end = e.period.iso() if e.period else (None, None)
    return Study(
        e.school, e.major, e.major_code, e.degree, start, end, e.graduation_year, _source(e)
    )


def _work(job: experience.Job) -> Work:
    start, end = job.period.iso() if job.period else (None, None)
    return Work(
        job.employer,
        job.role,
        job.months,
        start,
        end,
        job.kind,
        tuple(job.details),
        " / ".join(job.sources[:3]),
    )
