"""Canonical records (see :mod:`matcher.records.prepare`) back to the domain types of
:mod:`matcher.types`."""

from __future__ import annotations

from datetime import date
from typing import Any

from matcher.records.schema import GraduateIn, PositionIn
from matcher.types import (
    Degree,
    Desired,
    Employer,
    EmployerRef,
    Graduate,
    GraduateStatus,
    Location,
    Position,
    PositionKind,
    PositionStatus,
    Salary,
    SalaryUnit,
    SupportFlag,
    Training,
)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _location(loc: dict[str, Any] | None) -> Location:
    loc = loc or {}
    return Location(loc.get("city"), loc.get("district"), loc.get("code"), loc.get("zone"))


_KNOWN_POSITION = set(PositionIn.model_fields) | {"industry_code"}


def to_position(r: dict[str, Any]) -> Position:
    emp, sal = r.get("employer"), r.get("salary")
    return Position(
        id=r["id"],
        title=r["title"],
        description=r.get("description", ""),
        kind=PositionKind(r.get("kind", "full_time")),
        employer=EmployerRef(emp["name"], emp.get("credit_code"), emp.get("size")) if emp else None,
        location=_location(r.get("location")),
        education_min=Degree(r["education_min"]) if r.get("education_min") else None,
        experience_min_years=r.get("experience_min_years"),
        salary=Salary(sal.get("min"), sal.get("max"), SalaryUnit(sal.get("unit", "month")))
        if sal
        else None,
        majors=tuple(r.get("majors", ())),
        skills=tuple(r.get("skills", ())),
        industry=r.get("industry"),
        industry_code=r.get("industry_code"),
        headcount=r.get("headcount"),
        posted_at=_day(r.get("posted_at")),
        expires_at=_day(r.get("expires_at")),
        source=r.get("source"),
        status=PositionStatus(r.get("status", "open")),
        extra={k: v for k, v in r.items() if k not in _KNOWN_POSITION},
    )


_KNOWN_GRADUATE = set(GraduateIn.model_fields) | {"major_code", "major_class", "district_code"}


def to_graduate(r: dict[str, Any]) -> Graduate:
    d = r.get("desired", {})
    desired = Desired(
        cities=tuple(d.get("cities", ())),
        districts=tuple(d.get("districts", ())),
        kinds=tuple(PositionKind(k) for k in d.get("kinds", ())),
        industries=tuple(d.get("industries", ())),
        salary_min=d.get("salary_min"),
        region_codes=tuple(d.get("region_codes", ())),
    )
    return Graduate(
        id=r["id"],
        name=r.get("name"),
        school=r.get("school"),
        major=r.get("major"),
        major_code=r.get("major_code"),
        degree=Degree(r["degree"]) if r.get("degree") else None,
        graduation_year=r.get("graduation_year"),
        skills=tuple(r.get("skills", ())),
        bio=r.get("bio", ""),
        desired=desired,
        status=GraduateStatus(r.get("status", "seeking")),
        support=tuple(SupportFlag(s) for s in r.get("support", ())),
        consent_push=bool(r.get("consent", {}).get("push", False)),
        district=r.get("district"),
        extra={k: v for k, v in r.items() if k not in _KNOWN_GRADUATE},
    )


def to_employer(r: dict[str, Any]) -> Employer:
    return Employer(
        id=r["id"],
        name=r["name"],
        credit_code=r.get("credit_code"),
        size=r.get("size"),
        industry=r.get("industry"),
        district=r.get("district"),
        blacklisted=bool(r.get("blacklisted", False)),
        blacklist_reason=r.get("blacklist_reason"),
    )


def to_training(r: dict[str, Any]) -> Training:
    return Training(
        id=r["id"],
        title=r["title"],
        provider=r.get("provider"),
        description=r.get("description", ""),
        skills=tuple(r.get("skills", ())),
        majors=tuple(r.get("majors", ())),
        location=_location(r.get("location")),
        start_date=_day(r.get("start_date")),
        end_date=_day(r.get("end_date")),
        capacity=r.get("capacity"),
        fee=r.get("fee"),
        subsidised=bool(r.get("subsidised")),
    )
