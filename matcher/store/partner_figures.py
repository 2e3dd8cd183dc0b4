"""A partner's own figures by month (China time), read from what the store keeps — record
stamps, refused records, the lists served, plans, offers and feedback events — so nothing is
counted twice by a retry. Each kind of partner has its own measures:

- a university: its graduates contributed, refused, shown recommendations, offered, who
  applied, who were hired; where they stand today, and its employment rate month by month
  from the monthly history;
- an employer (its postings) and an agency (the postings it wrote): postings contributed,
  refused, held for compliance review, proposed in advisers' plans, offered, applied to,
  hires;
- a training institution: courses contributed, refused, graduates sent to its courses in
  plans, enrolled, completed, declined."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from matcher.records.prepare import employer_id
from matcher.store import rejects, tables
from matcher.store.db import utcnow
from matcher.store.history import month_of, states_at
from matcher.store.partners import Partners
from matcher.store.repository import Store
from matcher.types import Month

MEASURES: dict[str, tuple[str, ...]] = {
    "university": ("contributed", "rejected", "matched", "offered", "applied", "hired"),
    "employer": ("contributed", "rejected", "flagged", "matched", "offered", "applied", "hired"),
    "agency": ("contributed", "rejected", "flagged", "matched", "offered", "applied", "hired"),
    "training": ("contributed", "rejected", "sent", "enrolled", "done", "declined"),
}
LABELS = {
    "contributed": "提交记录",
    "rejected": "被拒收",
    "flagged": "待合规审核",
    "matched": "获得匹配",
    "offered": "推送",
    "applied": "投递",
    "hired": "录用",
    "sent": "派送学员",
    "enrolled": "入学",
    "done": "结业",
    "declined": "未参加或退学",
}
APPLIED, HIRED = ("apply", "applied"), ("hire", "hired")
#: How many months of the employment rate a university's figures show.
RATE_MONTHS = 12


def _month(at: datetime) -> str:
    return month_of(at if at.tzinfo else at.replace(tzinfo=UTC))


def _by_month(rows: Iterable[Any], distinct: bool = False) -> Counter[str]:
    """Rows of (time, key): one count a row, or one a key a month."""
    if not distinct:
        return Counter(_month(at) for at, _ in rows)
    return Counter(month for month, _ in {(_month(at), key) for at, key in rows})


def _table(counts: dict[str, Counter[str]], measures: tuple[str, ...]) -> list[dict[str, Any]]:
    months: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(measures, 0))
    for measure, by_month in counts.items():
        for month, n in by_month.items():
            months[month][measure] = n
    return [{"month": m, **months[m]} for m in sorted(months)]


def figures(store: Store, partner_id: str) -> dict[str, Any]:
    """A partner's figures by month, with what its kind adds. Raises ``NotFoundError`` for an
    unknown partner."""
    partner = Partners(store).get(partner_id)
    kind = partner["kind"]
    with store.engine.connect() as conn:
        if kind == "university":
            counts, extra = _university(conn, partner_id)
        elif kind == "training":
            counts, extra = _training(conn, partner_id)
        else:
            counts, extra = _postings(conn, partner, kind)
        counts["rejected"] = Counter(rejects.by_month(conn, partner_id))
    measures = MEASURES[kind]
    return {
        "partner_id": partner_id,
        "kind": kind,
        "measures": list(measures),
        "labels": {m: LABELS[m] for m in measures},
        "months": _table(counts, measures),
        **extra,
    }


def _university(conn: sa.Connection, partner_id: str) -> tuple[dict[str, Counter[str]], Any]:
    g, o, i, f = tables.graduates.c, tables.offers.c, tables.impressions.c, tables.feedback_events.c
    own = sa.select(g.id).where(g.partner_id == partner_id).scalar_subquery()
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
            f.graduate_id.in_(own), f.event.in_(APPLIED + HIRED)
        )
    ).all()
    for name, spellings in (("applied", APPLIED), ("hired", HIRED)):
        picked = ((at, gid) for at, gid, e in events if e in spellings)
        counts[name] = _by_month(picked, distinct=True)
    statuses = {
        str(k): int(n)
        for k, n in conn.execute(
            sa.select(g.status, sa.func.count())
            .where(g.partner_id == partner_id)
            .group_by(g.status)
        )
    }
    total = sum(statuses.values())
    employed = statuses.get("employed", 0)
    return counts, {
        "graduates": total,
        "by_status": dict(sorted(statuses.items())),
        "employment_rate": round(employed / total, 4) if total else None,
        "employment_by_month": _rates(conn, partner_id),
    }


def _rates(conn: sa.Connection, partner_id: str) -> list[dict[str, Any]]:
    """Where the university's graduates stood at the end of each of the last months (the
    monthly history, each month's supplying university): counts by status and the share
    employed."""
    h = tables.graduate_months.c
    first = conn.execute(
        sa.select(sa.func.min(h.month)).where(h.partner_id == partner_id)
    ).scalar_one()
    if first is None:
        return []
    month = Month.parse(month_of(utcnow()))
    out: list[dict[str, Any]] = []
    while str(month) >= first and len(out) < RATE_MONTHS:
        state = states_at(month)
        rows = conn.execute(
            sa.select(state.c.status, sa.func.count())
            .where(state.c.partner_id == partner_id)
            .group_by(state.c.status)
        )
        by_status = {str(s): int(n) for s, n in rows}
        total = sum(by_status.values())
        out.append(
            {
                "month": str(month),
                "graduates": total,
                "by_status": dict(sorted(by_status.items())),
                "employment_rate": round(by_status.get("employed", 0) / total, 4)
                if total
                else None,
            }
        )
        month = month.previous()
    return out[::-1]


def _postings(
    conn: sa.Connection, partner: dict[str, Any], kind: str
) -> tuple[dict[str, Counter[str]], Any]:
    """An employer's postings (by its credit code), or those an agency wrote."""
    p, o, f, i = tables.positions.c, tables.offers.c, tables.feedback_events.c, tables.plan_items.c
    if kind == "employer":
        mine = p.employer_id == employer_id(partner["name"], partner["code"])
    else:
        mine = p.created_by == f"partner:{partner['id']}"
    own = sa.select(p.id).where(mine).scalar_subquery()
    rows = conn.execute(sa.select(p.created_at, p.id, p.flagged, p.status).where(mine)).all()
    counts = {
        "contributed": _by_month((at, pid) for at, pid, _, _ in rows),
        "flagged": _by_month((at, pid) for at, pid, flagged, _ in rows if flagged),
        "matched": _by_month(
            conn.execute(
                sa.select(i.created_at, i.id).where(
                    i.kind.in_(("posting", "traineeship")), i.ref_id.in_(own)
                )
            )
        ),
        "offered": _by_month(
            conn.execute(sa.select(o.created_at, o.id).where(o.position_id.in_(own)))
        ),
    }
    events = conn.execute(
        sa.select(f.at, f.graduate_id, f.position_id, f.event).where(
            f.position_id.in_(own), f.event.in_(APPLIED + HIRED)
        )
    ).all()
    for name, spellings in (("applied", APPLIED), ("hired", HIRED)):
        picked = ((at, (gid, pid)) for at, gid, pid, e in events if e in spellings)
        counts[name] = _by_month(picked, distinct=True)
    return counts, {
        "postings": len(rows),
        "open_postings": sum(1 for *_, status in rows if status == "open"),
    }


def _training(conn: sa.Connection, partner_id: str) -> tuple[dict[str, Counter[str]], Any]:
    t, i, e = tables.trainings.c, tables.plan_items.c, tables.plan_events.c
    courses = conn.execute(sa.select(t.created_at, t.id).where(t.partner_id == partner_id)).all()
    own = sa.select(t.id).where(t.partner_id == partner_id).scalar_subquery()
    items = sa.select(i.id).where(i.kind == "training", i.ref_id.in_(own)).scalar_subquery()
    counts = {
        "contributed": _by_month(courses),
        "sent": _by_month(
            conn.execute(
                sa.select(i.created_at, i.id).where(i.kind == "training", i.ref_id.in_(own))
            )
        ),
    }
    moves = conn.execute(
        sa.select(e.at, e.item_id, e.detail).where(e.item_id.in_(items), e.action == "item_status")
    ).all()
    for status in ("enrolled", "done", "declined"):
        picked = ((at, item) for at, item, detail in moves if (detail or {}).get("to") == status)
        counts[status] = _by_month(picked, distinct=True)
    return counts, {"courses": len(courses)}
