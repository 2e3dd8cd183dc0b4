"""The profile draft a résumé gives: each field with the words it was read from, for the graduate
to confirm or correct; the text no field took (for the bio); the kinds of protected traits that
were found and dropped (never their values). :meth:`ResumeDraft.to_graduate` is the graduate
record in the exchange format once confirmed."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Generic, TypeVar

from matcher.taxonomy.vocab import Degree

T = TypeVar("T")
#: what the graduate sees for each kind of protected trait that was dropped
REMOVED_ZH = {
    "gender": "性别",
    "age": "年龄",
    "birth_date": "出生日期",
    "ethnicity": "民族",
    "marital_status": "婚姻状况",
    "hukou": "户籍/籍贯",
    "photo": "照片",
    "id_number": "身份证号",
    "health": "健康状况",
    "height": "身高",
    "weight": "体重",
    "political": "政治面貌",
    "religion": "宗教信仰",
    "address": "家庭住址",
}
BIO_MAX = 20_000
SKILLS_MAX = 100


@dataclass(frozen=True, slots=True)
class Found(Generic[T]):
    """A field's value and the line of the résumé it was read from."""

    value: T
    source: str


@dataclass(frozen=True, slots=True)
class Skill:
    name: str  # the vocabulary's name
    kind: str  # certificate, tool or skill
    source: str


@dataclass(frozen=True, slots=True)
class Study:
    school: str | None
    major: str | None
    major_code: str | None
    degree: str | None
    start: str | None  # YYYY-MM or YYYY
    end: str | None
    graduation_year: int | None
    source: str


@dataclass(frozen=True, slots=True)
class Work:
    employer: str
    role: str
    months: int | None
    start: str | None
    end: str | None  # None with a start: ongoing (至今)
    kind: str  # internship, work or practice
    details: tuple[str, ...]
    source: str


@dataclass(frozen=True, slots=True)
class Desired:
    cities: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    salary_min: int | None = None
    source: str = ""


@dataclass(frozen=True, slots=True)
class Contact:
    phone: str | None = None
    email: str | None = None
    wechat: str | None = None


@dataclass(frozen=True, slots=True)
class FileFacts:
    format: str  # pdf, docx, html, text, image, pasted
    pages: int = 1
    ocr: bool = False
    columns: int = 0  # pages read as two columns
    radicals: bool = False  # Kangxi radicals were mapped to ideographs


@dataclass(frozen=True)
class ResumeDraft:
    name: Found[str] | None = None
    school: Found[str] | None = None
    major: Found[str] | None = None
    major_code: str | None = None
    degree: Found[str] | None = None
    graduation_year: Found[int] | None = None
    skills: tuple[Skill, ...] = ()
    experience: tuple[Work, ...] = ()
    education: tuple[Study, ...] = ()
    desired: Desired = field(default_factory=Desired)
    contact: Contact = field(default_factory=Contact)
    unparsed: str = ""
    removed: tuple[str, ...] = ()
    file: FileFacts = field(default_factory=lambda: FileFacts("pasted"))
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The draft as JSON-ready data (what ``--json`` prints and the API answers)."""
        return asdict(self)

    def bio(self) -> str:
        """The free text of the profile: what is wanted, each job with its duties, the rest."""
        parts: list[str] = []
        if self.desired.titles:
            parts.append("求职意向：" + "、".join(self.desired.titles))
        for job in self.experience:
            when = f"{job.start or ''}—{job.end or ('至今' if job.start else '')}".strip("—")
            head = " ".join(p for p in (when, job.employer, job.role) if p)
            parts.append(head + ("：" + "".join(job.details) if job.details else ""))
        if self.unparsed:
            parts.append(self.unparsed)
        return "\n".join(parts)[:BIO_MAX]

    def to_graduate(self, graduate_id: str, **changes: Any) -> dict[str, Any]:
        """The graduate record (exchange format) this draft makes, with ``changes`` (the
        graduate's corrections) applied last."""
        record: dict[str, Any] = {"id": graduate_id}
        for key in ("name", "school", "major", "graduation_year"):
            found = getattr(self, key)
            if found is not None:
                record[key] = found.value
        if self.degree is not None and self.degree.value in {d.value for d in Degree}:
            record["degree"] = self.degree.value
        if self.skills:
            record["skills"] = list(dict.fromkeys(s.name for s in self.skills))[:SKILLS_MAX]
        bio = self.bio()
        if bio:
            record["bio"] = bio
        desired: dict[str, Any] = {
            "cities": list(self.desired.cities),
            "districts": list(self.desired.districts),
            "kinds": list(self.desired.kinds),
        }
        if self.desired.salary_min:
            desired["salary_min"] = self.desired.salary_min
        record["desired"] = {k: v for k, v in desired.items() if v}
        contact = {k: v for k, v in asdict(self.contact).items() if v}
        if contact:
            record["contact"] = contact
        record.update(changes)
        return record


def removed_note(kinds: tuple[str, ...]) -> str:
    """The sentence the graduate reads about the protected traits that were dropped."""
    names = "、".join(REMOVED_ZH.get(k, k) for k in kinds)
    return f"简历中的{names}等个人敏感信息已删除，不会保存，也不会用于推荐"
