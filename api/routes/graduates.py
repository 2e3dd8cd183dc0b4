"""Graduate profiles: listing with filters, one profile."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter

from api.deps import StoreDep
from api.routes._listing import Cursor, Limit, WithTotal, page, region_prefix
from api.schemas import Page
from matcher.store.tables import graduates as t
from matcher.taxonomy.vocab import Degree, GraduateStatus, SupportFlag, degree_rank

router = APIRouter(prefix="/graduates", tags=["graduates"])


@router.get("", response_model=Page)
def list_graduates(
    store: StoreDep,
    status: GraduateStatus | None = None,
    degree: Degree | None = None,
    graduation_year: int | None = None,
    major_code: str | None = None,
    school: str | None = None,
    district: str | None = None,
    support: SupportFlag | None = None,
    needs_support: bool | None = None,
    cursor: Cursor = None,
    limit: Limit = 50,
    count: WithTotal = False,
) -> Page:
    """Graduates ordered by id. ``major_code`` matches a major or a class code prefix
    (``0809`` = 计算机类); ``support`` filters one support group."""
    where: list[sa.ColumnElement[bool]] = []
    if status:
        where.append(t.c.status == status.value)
    if degree:
        where.append(t.c.degree == degree_rank(degree))
    if graduation_year:
        where.append(t.c.graduation_year == graduation_year)
    if major_code:
        where.append(t.c.major_code.startswith(major_code))
    if school:
        where.append(t.c.school == school)
    if district:
        where.append(region_prefix(t.c.district_code, district))
    if support:
        where.append(t.c.support.contains(support.value))
    if needs_support is not None:
        where.append(t.c.needs_support.is_(needs_support))
    return page(store, "graduates", where, cursor, limit, count)


@router.get("/{graduate_id}")
def get_graduate(graduate_id: str, store: StoreDep) -> dict[str, Any]:
    return store.get("graduates", graduate_id)
