"""The résumé draft as ``POST /resumes/parse`` answers it (see :mod:`matcher.resumes.draft`),
and the pasted-text body it takes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

#: characters of pasted résumé text read at most
MAX_PASTED = 100_000


class PastedResume(BaseModel):
    """A résumé pasted as text."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_PASTED, description="the résumé's text")


class _Answer(BaseModel):
    model_config = ConfigDict(extra="allow")


class FoundText(_Answer):
    value: str
    source: str = Field(description="the line(s) of the résumé it was read from")


class FoundYear(_Answer):
    value: int
    source: str


class DraftSkill(_Answer):
    name: str = Field(description="the skills vocabulary's name (大学英语四级 → CET-4)")
    kind: str = Field(description="certificate, tool or skill")
    source: str


class DraftStudy(_Answer):
    school: str | None
    major: str | None
    major_code: str | None
    degree: str | None
    start: str | None
    end: str | None
    graduation_year: int | None
    source: str


class DraftWork(_Answer):
    employer: str
    role: str
    months: int | None
    start: str | None
    end: str | None = Field(description="null with a start: ongoing (至今)")
    kind: str = Field(description="internship, work or practice")
    details: list[str]
    source: str


class DraftDesired(_Answer):
    cities: list[str]
    districts: list[str]
    kinds: list[str]
    titles: list[str]
    salary_min: int | None
    source: str


class DraftContact(_Answer):
    phone: str | None
    email: str | None
    wechat: str | None


class DraftFile(_Answer):
    format: str = Field(description="pdf, docx, html, text, image or pasted")
    pages: int
    ocr: bool
    columns: int = Field(description="pages read as two columns")
    radicals: bool = Field(description="Kangxi radicals were mapped to ideographs")


class ResumeDraftAnswer(_Answer):
    """The profile draft a résumé gives, each field with the text it came from, for the
    graduate to confirm or correct. Protected traits are never in it: ``removed`` names the
    kinds that were found and dropped. ``record`` is the graduate record (exchange format)
    the draft makes, when the graduate's id is known."""

    name: FoundText | None
    school: FoundText | None
    major: FoundText | None
    major_code: str | None
    degree: FoundText | None
    graduation_year: FoundYear | None
    skills: list[DraftSkill]
    experience: list[DraftWork]
    education: list[DraftStudy]
    desired: DraftDesired
    contact: DraftContact
    unparsed: str = Field(description="text no field took: the bio, to edit")
    removed: list[str] = Field(description="kinds of protected traits found and dropped")
    file: DraftFile
    notes: list[str] = Field(description="what the graduate should know, in Chinese")
    record: dict[str, Any] | None = Field(description="the graduate record, when an id is known")
