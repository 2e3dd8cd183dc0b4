"""Records a partner sent that were refused (a bulk line, a report entry), kept for the
partner's own figures: one row per partner, month, kind of record and record (its id, or its
place in the request when it had none), so sending the same batch again counts nothing twice —
the database's key decides, across processes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from matcher.errors import EntryProblem
from matcher.store.db import utcnow
from matcher.store.history import month_of
from matcher.store.repository import Store
from matcher.store.tables import rejected_records


def record(store: Store, partner_id: str, entity: str, problems: Iterable[EntryProblem]) -> int:
    """Keep the refused entries of one request; returns how many rows were new."""
    at = utcnow()
    month = month_of(at)
    rows: dict[str, dict[str, Any]] = {}
    for p in problems:
        ref = (p.id or f"#{p.index}")[:160]
        rows.setdefault(
            ref,
            {
                "partner_id": partner_id,
                "month": month,
                "entity": entity,
                "ref": ref,
                "field": (p.field or "")[:64],
                "message": p.message[:500],
                "recorded_at": at,
            },
        )
    if not rows:
        return 0
    dialect = sqlite if store.engine.dialect.name == "sqlite" else postgresql
    query = dialect.insert(rejected_records).on_conflict_do_nothing()
    with store.engine.begin() as conn:
        return int(conn.execute(query, list(rows.values())).rowcount or 0)


def by_month(conn: sa.Connection, partner_id: str) -> dict[str, int]:
    """Refused records of a partner by month."""
    r = rejected_records.c
    query = sa.select(r.month, sa.func.count()).where(r.partner_id == partner_id).group_by(r.month)
    return {str(m): int(n) for m, n in conn.execute(query)}
