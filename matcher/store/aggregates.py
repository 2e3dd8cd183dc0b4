"""Aggregates over the store for reports: the recommendable pool by place and employer size."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from matcher.store import tables
from matcher.store.repository import Store


@dataclass(frozen=True)
class PoolCounts:
    """Recommendable postings (open, unflagged, employer not blacklisted, not expired)."""

    total: int
    by_region: dict[str, int]  # division code ("" when unknown)
    by_employer_size: dict[str, int]  # the employer's size as written ("" when unknown)


def recommendable_pool(store: Store, today: date) -> PoolCounts:
    p, e = tables.positions.c, tables.employers.c
    joined = tables.positions.outerjoin(tables.employers, p.employer_id == e.id)
    recommendable = (
        p.status == "open",
        p.flagged.is_(False),
        sa.or_(e.blacklisted.is_(None), e.blacklisted.is_(False)),
        sa.or_(p.expires_at.is_(None), p.expires_at >= today),
    )

    def grouped(column: sa.ColumnElement[str | None]) -> dict[str, int]:
        query = (
            sa.select(column, sa.func.count())
            .select_from(joined)
            .where(*recommendable)
            .group_by(column)
        )
        counts: Counter[str] = Counter()
        with store.engine.connect() as conn:
            for key, n in conn.execute(query):
                counts[key or ""] += int(n)
        return dict(counts)

    by_region = grouped(p.region_code)
    return PoolCounts(sum(by_region.values()), by_region, grouped(e.data["size"].as_string()))


def seeking_graduate_ids(store: Store) -> list[str]:
    """Ids of the graduates seeking work, in id order."""
    g = tables.graduates.c
    query = sa.select(g.id).where(g.status == "seeking").order_by(g.id)
    with store.engine.connect() as conn:
        return [str(i) for i in conn.execute(query).scalars()]
