"""Job postings: listing with filters, one posting."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter

from api.deps import StoreDep
from api.routes._listing import Cursor, Limit, WithTotal, page, region_prefix
from api.schemas import Page
from matcher.store.tables import positions as t
from matcher.taxonomy.vocab import Degree, PositionKind, PositionStatus, degree_rank

router = APIRouter(prefix="/positions", tags=["positions"])


@router.get("", response_model=Page)
def list_positions(
    store: StoreDep,
    kind: PositionKind | None = None,
    status: PositionStatus | None = None,
    district: str | None = None,
    employer_id: str | None = None,
    industry: str | None = None,
    degree: Degree | None = None,
    cursor: Cursor = None,
    limit: Limit = 50,
    count: WithTotal = False,
) -> Page:
    """Postings ordered by id. ``district`` accepts a name, zone or division code;
    ``degree`` keeps postings whose education requirement that degree meets."""
    where: list[sa.ColumnElement[bool]] = []
    if kind:
        where.append(t.c.kind == kind.value)
    if status:
        where.append(t.c.status == status.value)
    if district:
        where.append(region_prefix(t.c.region_code, district))
    if employer_id:
        where.append(t.c.employer_id == employer_id)
    if industry:
        where.append(t.c.industry_code.startswith(industry))
    if degree:
        where.append(sa.or_(t.c.education_min.is_(None), t.c.education_min <= degree_rank(degree)))
    return page(store, "positions", where, cursor, limit, count)


@router.get("/{position_id}")
def get_position(position_id: str, store: StoreDep) -> dict[str, Any]:
    return store.get("positions", position_id)
