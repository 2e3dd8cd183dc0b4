"""Lists read for plan building and the plans page: every training course, and a page of plans
of the graduates an account may see."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from matcher.store import tables
from matcher.store.plans import _row
from matcher.store.repository import Store


def trainings(store: Store) -> list[dict[str, Any]]:
    """Every training course (a few hundred to a few thousand): the plan builder scores them
    all for each graduate."""
    t = tables.trainings.c
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(t.id, t.data).order_by(t.id))
        return [{**dict(data), "id": rid} for rid, data in rows]


def page(
    store: Store,
    where: Sequence[sa.ColumnElement[bool]],
    status: str | None = None,
    after: str | None = None,
    limit: int = 50,
) -> tuple[list[dict[str, Any]], str | None]:
    """Plans (without items) of graduates matching ``where``, ordered by plan id."""
    p, g = tables.plans.c, tables.graduates.c
    query = (
        sa.select(tables.plans)
        .select_from(tables.plans.join(tables.graduates, g.id == p.graduate_id))
        .where(*where)
        .order_by(p.id)
        .limit(limit + 1)
    )
    if status:
        query = query.where(p.status == status)
    if after:
        query = query.where(p.id > after)
    with store.engine.connect() as conn:
        rows = [_row(r) for r in conn.execute(query).mappings()]
    return rows[:limit], (rows[limit - 1]["id"] if len(rows) > limit else None)
