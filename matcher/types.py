"""Domain types: frozen dataclasses shared by every stage. Validation happens at the edges
(``matcher/records/schema.py`` for the exchange format, ``api/schemas.py`` for HTTP bodies)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from matcher.taxonomy.vocab import (
    Degree,
    GraduateStatus,
    PositionKind,
    PositionStatus,
    SalaryUnit,
    SupportFlag,
)

__all__ = [
    "REPORT_TZ",
    "Degree",
    "Desired",
    "Employer",
    "EmployerRef",
    "FeedbackEvent",
    "Graduate",
    "GraduateStatus",
    "Location",
    "Month",
    "Offer",
    "Position",
    "PositionKind",
    "PositionStatus",
    "Salary",
    "SalaryUnit",
    "SupportFlag",
    "Training",
]


@dataclass(frozen=True, slots=True)
class Location:
    city: str | None = None
    district: str | None = None
    code: str | None = None  # resolved division code
    zone: str | None = None


@dataclass(frozen=True, slots=True)
class Salary:
    min: float | None = None
    max: float | None = None
    unit: SalaryUnit = SalaryUnit.MONTH


@dataclass(frozen=True, slots=True)
class EmployerRef:
    name: str
    credit_code: str | None = None
    size: str | None = None


@dataclass(frozen=True, slots=True)
class Position:
    id: str
    title: str
    description: str = ""
    kind: PositionKind = PositionKind.FULL_TIME
    employer: EmployerRef | None = None
    location: Location = field(default_factory=Location)
    education_min: Degree | None = None
    experience_min_years: int | None = None
    salary: Salary | None = None
    majors: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    industry: str | None = None
    industry_code: str | None = None
    headcount: int | None = None
    posted_at: date | None = None
    expires_at: date | None = None
    source: str | None = None
    status: PositionStatus = PositionStatus.OPEN
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True, slots=True)
class Desired:
    cities: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    kinds: tuple[PositionKind, ...] = ()
    industries: tuple[str, ...] = ()
    salary_min: float | None = None
    region_codes: tuple[str, ...] = ()  # resolved division codes of cities and districts


@dataclass(frozen=True, slots=True)
class Graduate:
    id: str
    name: str | None = None
    school: str | None = None
    major: str | None = None
    major_code: str | None = None  # resolved catalog code of the major, when known
    degree: Degree | None = None
    graduation_year: int | None = None
    skills: tuple[str, ...] = ()
    bio: str = ""
    desired: Desired = field(default_factory=Desired)
    status: GraduateStatus = GraduateStatus.SEEKING
    support: tuple[SupportFlag, ...] = ()
    consent_push: bool = False
    district: str | None = None  # where the graduate lives, if given
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True, slots=True)
class Employer:
    id: str
    name: str
    credit_code: str | None = None
    size: str | None = None
    industry: str | None = None
    district: str | None = None
    blacklisted: bool = False
    blacklist_reason: str | None = None


@dataclass(frozen=True, slots=True)
class Training:
    id: str
    title: str
    provider: str | None = None
    description: str = ""
    skills: tuple[str, ...] = ()
    majors: tuple[str, ...] = ()
    location: Location = field(default_factory=Location)
    start_date: date | None = None
    end_date: date | None = None
    capacity: int | None = None
    fee: float | None = None  # yuan paid by the trainee; 0 for free or fully subsidised
    subsidised: bool = False


@dataclass(frozen=True, slots=True)
class Offer:
    id: str
    graduate_id: str
    position_id: str
    message: str = ""
    campaign_id: str | None = None
    status: str = "pending"
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class FeedbackEvent:
    graduate_id: str
    position_id: str
    event: str  # view < apply < hire; also dismiss
    at: datetime
    offer_id: str | None = None


# ---- the reporting month -------------------------------------------------------------------
#: Month boundaries are midnight in China Standard Time (the bureau's calendar); timestamps in
#: the store are UTC, so bounds are converted before they are compared with them.
REPORT_TZ = ZoneInfo("Asia/Shanghai")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """``2022-08`` → Month(2022, 8), from 1900-01 to 2100-12; ``ValueError`` saying the
        expected form otherwise."""
        found = _MONTH.match(text.strip()) if isinstance(text, str) else None
        if found is None or not 1 <= int(found.group(2)) <= 12:
            raise ValueError(f"month must be written YYYY-MM, e.g. 2022-08; got {text!r:.40}")
        if not 1900 <= int(found.group(1)) <= 2100:
            raise ValueError(f"month must lie between 1900-01 and 2100-12; got {text!r}")
        return cls(int(found.group(1)), int(found.group(2)))

    @classmethod
    def containing(cls, day: date) -> Month:
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def next_first(self) -> date:
        return date(self.year + self.month // 12, self.month % 12 + 1, 1)

    @property
    def last(self) -> date:
        """The last day of the month: the report's reference date ("月末")."""
        return self.next_first - timedelta(days=1)

    def previous(self) -> Month:
        return Month.containing(self.first - timedelta(days=1))

    @property
    def start_utc(self) -> datetime:
        """The month's first instant (00:00 China time), in UTC."""
        return _midnight_utc(self.first)

    @property
    def end_utc(self) -> datetime:
        """The first instant after the month (00:00 China time on the 1st of the next), in UTC."""
        return _midnight_utc(self.next_first)


def _midnight_utc(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=REPORT_TZ).astimezone(UTC)
