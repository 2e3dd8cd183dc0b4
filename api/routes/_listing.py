"""Shared pieces of the listing endpoints: page size, cursor and region filters."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from api.schemas import Page
from matcher.records.prepare import Entity
from matcher.store import Store
from matcher.store.filters import Where
from matcher.taxonomy.regions import load_regions

Limit = Annotated[int, Query(ge=1, le=500, description="page size")]
Cursor = Annotated[str | None, Query(description="next_cursor of the previous page")]
WithTotal = Annotated[bool, Query(description="also count all matching records")]


def region_code(place: str | None) -> str | None:
    """The division code of ``place`` (a district, city, zone or code), to match records whose
    code lies inside it; None when no place is given."""
    return load_regions().resolve(place).code if place else None


def page(
    store: Store,
    entity: Entity,
    where: Where,
    cursor: str | None,
    limit: int,
    with_total: bool,
) -> Page:
    items, next_cursor = store.list(entity, where=where, after=cursor, limit=limit)
    total = store.count(entity, where) if with_total else None
    return Page(items=items, next_cursor=next_cursor, total=total)
