"""Conditions for the listing endpoints, built here so that SQL stays inside the store: each
function turns plain values (codes, enum values, flags) into the conditions that
:meth:`matcher.store.Store.list` and :meth:`~matcher.store.Store.count` take."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeAlias

import sqlalchemy as sa

from matcher.store.tables import employers, graduates, positions, trainings

#: Conditions combined with AND; opaque to callers outside the store.
Where: TypeAlias = list[sa.ColumnElement[bool]]


def position_filters(
    *,
    kind: str | None = None,
    status: str | None = None,
    region_code: str | None = None,
    employer_id: str | None = None,
    industry_code: str | None = None,
    education_rank: int | None = None,
) -> Where:
    """Postings of a kind and status, inside a division (code prefix), of one employer, in an
    industry (code prefix), and whose education requirement ``education_rank`` meets."""
    p = positions.c
    where: Where = []
    if kind:
        where.append(p.kind == kind)
    if status:
        where.append(p.status == status)
    if region_code:
        where.append(p.region_code.startswith(region_code))
    if employer_id:
        where.append(p.employer_id == employer_id)
    if industry_code:
        where.append(p.industry_code.startswith(industry_code))
    if education_rank is not None:
        where.append(sa.or_(p.education_min.is_(None), p.education_min <= education_rank))
    return where


def position_visibility(
    *, flagged: bool, employer_id: str | None = None, created_by: str | None = None
) -> Where:
    """Postings a caller may list: all of them when it sees ``flagged`` ones, otherwise those
    the compliance screener did not flag, plus an employer's own (``employer_id``) and those
    an agency submitted (``created_by``, its write source)."""
    if flagged:
        return []
    p = positions.c
    mine = [p.employer_id == employer_id] if employer_id else []
    mine += [p.created_by == created_by] if created_by else []
    return [sa.or_(p.flagged.is_(False), *mine)]


def graduate_scope(
    *,
    districts: Iterable[str] = (),
    adviser_id: str | None = None,
    graduate_id: str | None = None,
    partner_id: str | None = None,
) -> Where:
    """Profiles one caller who is not staff may see: an adviser's districts (code prefixes) or
    caseload, one graduate's own profile, or a university's own graduates who share with it;
    nothing when none is given."""
    g = graduates.c
    if graduate_id is not None:
        return [g.id == graduate_id]
    if partner_id is not None:  # its own graduates who did not withdraw sharing with it
        return [g.partner_id == partner_id, g.share_school.is_(True)]
    mine: Where = [g.district_code.startswith(str(d)) for d in districts]
    if adviser_id:
        mine.append(g.adviser_id == adviser_id)
    return [sa.or_(*mine) if mine else sa.false()]


def graduate_filters(
    *,
    status: str | None = None,
    degree_rank: int | None = None,
    graduation_year: int | None = None,
    major_code: str | None = None,
    school: str | None = None,
    region_code: str | None = None,
    support: str | None = None,
    needs_support: bool | None = None,
) -> Where:
    """Profiles by status, degree, year, major (code prefix), school, wanted district (code
    prefix), one support flag, or whether they belong to a support group."""
    g = graduates.c
    where: Where = []
    if status:
        where.append(g.status == status)
    if degree_rank is not None:
        where.append(g.degree == degree_rank)
    if graduation_year:
        where.append(g.graduation_year == graduation_year)
    if major_code:
        where.append(g.major_code.startswith(major_code))
    if school:
        where.append(g.school == school)
    if region_code:
        where.append(g.district_code.startswith(region_code))
    if support:
        where.append(g.support.contains(support))
    if needs_support is not None:
        where.append(g.needs_support.is_(needs_support))
    return where


def employer_filters(*, blacklisted: bool | None = None, name: str | None = None) -> Where:
    e = employers.c
    where: Where = []
    if blacklisted is not None:
        where.append(e.blacklisted.is_(blacklisted))
    if name:
        where.append(e.name.contains(name))
    return where


def training_filters(
    *, region_code: str | None = None, partner_id: str | None = None, provider: str | None = None
) -> Where:
    where: list[sa.ColumnElement[bool]] = []
    if provider:
        where.append(trainings.c.provider == provider)
    if region_code:
        where.append(trainings.c.region_code.startswith(region_code))
    if partner_id:
        where.append(trainings.c.partner_id == partner_id)
    return where


def combined(*parts: Sequence[sa.ColumnElement[bool]]) -> Where:
    """All the conditions of every part (AND)."""
    return [c for part in parts for c in part]
