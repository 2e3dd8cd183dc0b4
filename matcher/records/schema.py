"""The exchange format (DESIGN.md section 4) as pydantic models, and their conversion to the
domain types of :mod:`matcher.types`. Strict: a wrong type or an unknown enum value is an error
naming the field; unknown extra fields are kept (within the bounds of ``limits``), protected
traits dropped. Every text and list is bounded: short texts (names, places, codes) 200
characters, list entries 100, descriptions 20,000; skills at most 100 entries, other lists 50."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from matcher.taxonomy import credit_code
from matcher.taxonomy.vocab import (
    GraduateStatus,
    PositionKind,
    PositionStatus,
    SalaryUnit,
    SupportFlag,
    parse_degree,
)

#: Never stored: DESIGN.md section 4 forbids keeping protected traits of graduates.
PROTECTED_TRAITS = frozenset(
    {
        "gender",
        "sex",
        "ethnicity",
        "nation",
        "religion",
        "marital_status",
        "married",
        "hukou",
        "health",
        "age",
        "birth_date",
        "id_card",
        "height",
        "photo",
    }
)
#: Set by the store when a graduate is erased; a caller cannot set it.
SYSTEM_FIELDS = frozenset({"erased_at"})

#: An id: letters, digits or Chinese characters, then also - _ . : @ (no spaces, slashes,
#: quotes or semicolons: ids appear in URLs, file names and logs).
_ID = re.compile(r"[^\W_][\w.:@-]*")
SKILLS_MAX = 100
LIST_MAX = 50
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)
DAY_RANGE = {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()}


def _id_text(value: str) -> str:
    if not _ID.fullmatch(value):
        raise PydanticCustomError(
            "id_characters",
            "an id holds only letters, digits, Chinese characters and - _ . : @, and starts "
            "with a letter, digit or Chinese character",
        )
    return value


def _iso_day(value: Any) -> Any:
    """A day is written as ISO text (``2022-08-01``), never as a number of seconds."""
    if value is None or isinstance(value, str | date):
        return value
    raise PydanticCustomError("date_type", "Input should be a date written YYYY-MM-DD")


def _plausible_day(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise PydanticCustomError(
            "date_range", "Input should be a day between {first} and {last}", DAY_RANGE
        )
    return value


# Scalars are strict (no "6000" → 6000 or "yes" → True); enums and ISO dates are read from text.
Str = Annotated[str, Strict(), Field(max_length=200)]  # short text: a name, a place, a code
Item = Annotated[str, Strict(), Field(max_length=100)]  # one entry of a list (a skill, a major)
Short = Annotated[str, Strict(), Field(max_length=100)]  # a person's name or id (column: 100)
Groups = Annotated[list[SupportFlag], AfterValidator(lambda v: list(dict.fromkeys(v)))]  # once
Int = Annotated[int, Strict()]
Num = Annotated[float, Strict()]
Bool = Annotated[bool, Strict()]
Text = Annotated[str, Strict(), Field(max_length=20_000)]
Reason = Annotated[str, Strict(), Field(max_length=2_000)]
Id = Annotated[str, Strict(), Field(min_length=1, max_length=128), AfterValidator(_id_text)]
Name = Annotated[str, Strict(), Field(min_length=1, max_length=200)]
EMPLOYER_NAME_MAX = 200
Title = Annotated[str, Strict(), Field(max_length=500)]  # present; may be blank in scraped ads
Count = Annotated[int, Strict(), Field(ge=0, le=1_000_000)]
#: Yuan: finite, not negative, at most ten million (a salary, a fee or a wish).
Amount = Annotated[float, Strict(), Field(ge=0, le=10_000_000, allow_inf_nan=False)]
#: ISO text such as "2022-08-01", between 1900 and 2100.
Day = Annotated[date, BeforeValidator(_iso_day), AfterValidator(_plausible_day)]


def _items(limit: int = LIST_MAX) -> Any:
    return Field(default_factory=list, max_length=limit)


class _Record(BaseModel):
    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)


class _Closed(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


def _degree_or_none(value: Any, requirement: bool = False) -> str | None:
    """``本科及以上`` → ``本科``; ``不限`` → None (validated before the strict str check)."""
    if not isinstance(value, str):
        return value  # type: ignore[no-any-return]  # None passes, other types fail as str
    degree = parse_degree(value, requirement=requirement)
    return degree.value if degree else None


class EmployerRefIn(_Closed):
    name: Name
    credit_code: Str | None = None
    size: Str | None = None

    @field_validator("credit_code")
    @classmethod
    def _check_code(cls, value: str | None) -> str | None:
        return credit_code.checked(value)


class LocationIn(_Closed):
    city: Str | None = None
    district: Str | None = None
    code: Str | None = None


class SalaryIn(_Closed):
    min: Amount | None = None
    max: Amount | None = None
    unit: SalaryUnit = SalaryUnit.MONTH
    negotiable: Bool | None = None  # 面议 (true): the ad gives no figure

    @model_validator(mode="after")
    def _ordered(self) -> SalaryIn:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min:g} is above max {self.max:g}")
        return self


class PositionIn(_Record):
    id: Id
    title: Title
    description: Text | None = None
    kind: PositionKind = PositionKind.FULL_TIME
    employer: EmployerRefIn | None = None
    location: LocationIn | None = None
    education_min: Str | None = None
    experience_min_years: Annotated[int, Strict(), Field(ge=0, le=50)] | None = None
    salary: SalaryIn | None = None
    majors: list[Item] = _items()
    skills: list[Item] = _items(SKILLS_MAX)
    industry: Str | None = None
    headcount: Annotated[int, Strict(), Field(ge=1, le=100_000)] | None = None
    posted_at: Day | None = None
    expires_at: Day | None = None
    source: Annotated[str, Strict(), Field(max_length=32)] | None = None  # its column holds 32
    status: PositionStatus = PositionStatus.OPEN

    @field_validator("education_min", mode="before")
    @classmethod
    def _education(cls, value: Any) -> str | None:
        return _degree_or_none(value, requirement=True)

    @field_validator("employer", mode="before")
    @classmethod
    def _blank_employer(cls, value: Any) -> Any:
        """Scraped ads often carry an employer with an empty name (then: no employer) or with a
        company profile pasted into the name (then: whitespace collapsed, cut to 200 chars)."""
        if isinstance(value, dict) and not str(value.get("name") or "").strip():
            return None if not value.get("credit_code") else value
        if isinstance(value, dict) and isinstance(value.get("name"), str):
            return {**value, "name": " ".join(value["name"].split())[:EMPLOYER_NAME_MAX]}
        return value

    @model_validator(mode="after")
    def _dates(self) -> PositionIn:
        if self.posted_at and self.expires_at and self.expires_at < self.posted_at:
            raise ValueError("expires_at is before posted_at")
        return self


class DesiredIn(_Closed):
    cities: list[Item] = _items()
    districts: list[Item] = _items()
    kinds: list[PositionKind] = _items()
    industries: list[Item] = _items()
    salary_min: Amount | None = None


class ShareIn(_Closed):
    """The graduate's choices of sharing with partners (:mod:`matcher.records.sharing`);
    unset follows the default for the partner's purpose."""

    school: Bool | None = None
    agencies: Bool | None = None
    training: Bool | None = None


class ConsentIn(_Closed):
    push: Bool = False
    share: ShareIn | None = None
    plan: Bool | None = None  # to the one-person-one-plan service (else push decides)
    how: Str | None = None  # how it was obtained: written, phone, in_person, online
    recorded_by: Str | None = None  # who recorded it (an adviser's actor id)
    recorded_at: Str | None = None  # when (ISO instant)


class ContactIn(_Closed):
    """How the bureau's messaging systems reach a graduate; never shown to employers."""

    phone: Str | None = None
    email: Str | None = None
    wechat: Str | None = None


class GraduateIn(_Record):
    id: Id
    name: Short | None = None
    school: Str | None = None
    major: Str | None = None
    degree: Str | None = None
    graduation_year: Annotated[int, Strict(), Field(ge=1950, le=2100)] | None = None
    skills: list[Item] = _items(SKILLS_MAX)
    bio: Text | None = None
    desired: DesiredIn = Field(default_factory=DesiredIn)
    status: GraduateStatus = GraduateStatus.SEEKING
    support: Groups = _items()
    consent: ConsentIn = Field(default_factory=ConsentIn)
    district: Str | None = None
    contact: ContactIn | None = None
    adviser: Short | None = None  # id of the career adviser responsible for this graduate
    partner: Short | None = None  # the registered university that supplies this record

    @field_validator("degree", mode="before")
    @classmethod
    def _check_degree(cls, value: Any) -> str | None:
        return _degree_or_none(value)

    @model_validator(mode="before")
    @classmethod
    def _drop_protected(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k not in PROTECTED_TRAITS | SYSTEM_FIELDS}
        return data


class EmployerIn(_Record):
    id: Id | None = None
    name: Name
    credit_code: Str | None = None
    size: Str | None = None
    industry: Str | None = None
    district: Str | None = None
    blacklisted: Bool = False
    blacklist_reason: Reason | None = None

    @field_validator("credit_code")
    @classmethod
    def _check_code(cls, value: str | None) -> str | None:
        return credit_code.checked(value)


class TrainingIn(_Record):
    id: Id
    title: Name
    provider: Str | None = None
    description: Text | None = None
    skills: list[Item] = _items(SKILLS_MAX)
    majors: list[Item] = _items()
    location: LocationIn | None = None
    start_date: Day | None = None
    end_date: Day | None = None
    capacity: Count | None = None
    fee: Amount | None = None
    subsidised: Bool = False
    partner: Short | None = None  # the registered training institution that offers it
