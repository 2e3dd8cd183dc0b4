"""A university partner's own figures, by calendar month (UTC): graduates it contributed, those
shown recommendations, offers made to them, and applications and hires recorded for them; with
where its graduates stand today. Read from what the store keeps (record stamps, the lists
served, offers and feedback events), so nothing is counted twice by a retry."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from matcher.errors import ConflictError
from matcher.store import tables
from matcher.store.partners import Partners
from matcher.store.repository import Store

MEASURES = ("contributed", "matched", "offered", "applied", "hired")


def _month(at: datetime) -> str:
    return at.strftime("%Y-%m")


def _by_month(rows: Iterable[Any], distinct: bool = False) -> Counter[str]:
    """Rows of (month key, graduate id): one count a row, or one a graduate a month."""
    if not distinct:
        return Counter(_month(at) for at, _ in rows)
    return Counter(month for month, _ in {(_month(at), gid) for at, gid in rows})


def university_figures(store: Store, partner_id: str) -> dict[str, Any]:
    """Figures of a university partner by month and its graduates' status today. Raises
    ``NotFoundError`` for an unknown partner and ``ConflictError`` for another kind."""
    partner = Partners(store).get(partner_id)
    if partner["kind"] != "university":
        raise ConflictError(
            f"figures are kept for universities only so far, not for a {partner['kind']}",
            zh="目前只提供高校合作机构的统计",
        )
    g, o, i, f = (
        tables.graduates.c,
        tables.offers.c,
        tables.impressions.c,
        tables.feedback_events.c,
    )
    own = sa.select(g.id).where(g.partner_id == partner_id).scalar_subquery()
    with store.engine.connect() as conn:
        counts = {
            "contributed": _by_month(
                conn.execute(sa.select(g.created_at, g.id).where(g.partner_id == partner_id))
            ),
            "matched": _by_month(
                conn.execute(sa.select(i.served_at, i.graduate_id).where(i.graduate_id.in_(own))),
                distinct=True,
            ),
            "offered": _by_month(
                conn.execute(sa.select(o.created_at, o.id).where(o.graduate_id.in_(own)))
            ),
        }
        events = conn.execute(
            sa.select(f.at, f.graduate_id, f.event).where(
                f.graduate_id.in_(own), f.event.in_(("applied", "hired"))
            )
        ).all()
        statuses: dict[str, int] = dict(
            conn.execute(
                sa.select(g.status, sa.func.count())
                .where(g.partner_id == partner_id)
                .group_by(g.status)
            ).all()
        )
    for event in ("applied", "hired"):
        counts[event] = _by_month(((at, gid) for at, gid, e in events if e == event), True)
    months: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
    for measure, by_month in counts.items():
        for month, n in by_month.items():
            months[month][measure] = n
    total = sum(statuses.values())
    employed = int(statuses.get("employed", 0))
    return {
        "partner_id": partner_id,
        "months": [{"month": m, **months[m]} for m in sorted(months)],
        "graduates": total,
        "by_status": {str(k): int(v) for k, v in sorted(statuses.items())},
        "employment_rate": round(employed / total, 4) if total else None,
    }
