"""Shared pieces of the listing endpoints: page size, cursor and region filters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

import sqlalchemy as sa
from fastapi import Query

from api.schemas import Page
from matcher.records import Entity
from matcher.store import Store
from matcher.taxonomy.regions import load_regions

Limit = Annotated[int, Query(ge=1, le=500, description="page size")]
Cursor = Annotated[str | None, Query(description="next_cursor of the previous page")]
WithTotal = Annotated[bool, Query(description="also count all matching records")]


def region_prefix(column: sa.ColumnElement[str | None], place: str) -> sa.ColumnElement[bool]:
    """Records whose division code lies inside ``place`` (a district, city, zone or code)."""
    code = load_regions().resolve(place).code
    return column.startswith(code)


def page(
    store: Store,
    entity: Entity,
    where: Sequence[sa.ColumnElement[bool]],
    cursor: str | None,
    limit: int,
    with_total: bool,
) -> Page:
    items, next_cursor = store.list(entity, where=where, after=cursor, limit=limit)
    total = store.count(entity, where) if with_total else None
    return Page(items=items, next_cursor=next_cursor, total=total)
