"""An adviser's caseload (graduates joined with their plans, with alerts) and the figures of the
workbench dashboard: plan coverage and supply versus demand."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from matcher.store import tables
from matcher.store.db import chunks
from matcher.store.plans import OPEN_PLAN
from matcher.store.repository import Store
from matcher.types import Month

#: Days without any change after which an open plan counts as stalled.
STALLED_DAYS = 30
#: A traineeship ending within this many days raises an alert.
ENDING_DAYS = 30
#: Employed or studying within this many months before the current one, and seeking now.
FELL_BACK_MONTHS = 3
ALERTS = ("no_plan", "stalled", "traineeship_ending", "fell_back", "disagreement")


@dataclass(frozen=True)
class CaseloadQuery:
    """Filters of the caseload listing; every one given must hold."""

    where: Sequence[sa.ColumnElement[bool]] = ()  # the caller's scope
    support: str | None = None
    status: str | None = None
    plan_status: str | None = None  # draft, agreed, in_progress, closed, or none
    latest_graduation_year: int | None = None  # months unemployed, as a graduation-year bound
    alert: str | None = None
    needs_support: bool | None = True
    today: date | None = None


def _alerts(today: date) -> dict[str, sa.ColumnElement[bool]]:
    g, p, i = tables.graduates.c, tables.plans.c, tables.plan_items.c
    stale = datetime.combine(today - timedelta(days=STALLED_DAYS), datetime.min.time(), UTC)
    ending = (
        sa.select(i.plan_id)
        .where(
            i.kind == "traineeship",
            i.status == "placed",
            i.ends_on.is_not(None),
            i.ends_on <= today + timedelta(days=ENDING_DAYS),
        )
        .scalar_subquery()
    )
    h, d = tables.graduate_months.c, tables.destination_reports.c
    since = Month.containing(today)
    for _ in range(FELL_BACK_MONTHS):
        since = since.previous()
    placed = (
        sa.select(h.graduate_id)
        .where(h.status.in_(("employed", "further_study")), h.month >= str(since))
        .scalar_subquery()
    )
    differs = (
        sa.select(d.graduate_id)
        .select_from(
            tables.destination_reports.join(
                tables.graduate_months,
                sa.and_(h.graduate_id == d.graduate_id, h.month == d.month),
            )
        )
        .where(h.status != d.status)
        .scalar_subquery()
    )
    return {
        "fell_back": sa.and_(g.status == "seeking", g.id.in_(placed)),
        "disagreement": g.id.in_(differs),
        "no_plan": sa.and_(p.id.is_(None), g.status == "seeking"),
        "stalled": sa.and_(p.status.in_(OPEN_PLAN), p.updated_at < stale),
        "traineeship_ending": sa.and_(p.status.in_(OPEN_PLAN), p.id.in_(ending)),
    }


def _conditions(q: CaseloadQuery) -> list[sa.ColumnElement[bool]]:
    g, p = tables.graduates.c, tables.plans.c
    where = list(q.where)
    if q.needs_support is not None:
        where.append(g.needs_support.is_(q.needs_support))
    if q.support:
        where.append(g.support.contains(q.support))
    if q.status:
        where.append(g.status == q.status)
    if q.plan_status == "none":
        where.append(p.id.is_(None))
    elif q.plan_status:
        where.append(p.status == q.plan_status)
    if q.latest_graduation_year is not None:
        where.append(g.graduation_year <= q.latest_graduation_year)
        where.append(g.status == "seeking")
    if q.alert:
        if q.alert not in ALERTS:
            raise ValueError(f"unknown alert {q.alert!r}; use one of {', '.join(ALERTS)}")
        where.append(_alerts(q.today or date.today())[q.alert])
    return where


def _joined() -> sa.FromClause:
    g, p = tables.graduates.c, tables.plans.c
    return tables.graduates.outerjoin(tables.plans, p.graduate_id == g.id)


def caseload(
    store: Store, q: CaseloadQuery, after: str | None = None, limit: int = 50
) -> tuple[list[dict[str, Any]], str | None, int]:
    """One page of the caseload ordered by graduate id, the next cursor and the total."""
    g, p = tables.graduates.c, tables.plans.c
    today = q.today or date.today()
    where = _conditions(q)
    alerts = _alerts(today)
    columns = [
        g.id,
        g.data,
        g.status,
        g.support,
        g.graduation_year,
        g.adviser_id,
        p.id.label("plan_id"),
        p.status.label("plan_status"),
        p.outcome,
        p.updated_at.label("plan_updated_at"),
        *(sa.case((cond, True), else_=False).label(name) for name, cond in alerts.items()),
    ]
    query = sa.select(*columns).select_from(_joined()).where(*where).order_by(g.id)
    if after:
        query = query.where(g.id > after)
    with store.engine.connect() as conn:
        rows = list(conn.execute(query.limit(limit + 1)).mappings())
        total = conn.execute(
            sa.select(sa.func.count()).select_from(_joined()).where(*where)
        ).scalar_one()
    out = []
    for r in rows[:limit]:
        data = r["data"] or {}
        out.append(
            {
                "id": r["id"],
                "name": data.get("name"),
                "major": data.get("major"),
                "degree": data.get("degree"),
                "school": data.get("school"),
                "graduation_year": r["graduation_year"],
                "status": r["status"],
                "support": [s for s in str(r["support"] or "").split(",") if s],
                "adviser": r["adviser_id"],
                "months_unemployed": months_unemployed(data, today),
                "plan_id": r["plan_id"],
                "plan_status": r["plan_status"],
                "outcome": r["outcome"],
                "plan_updated_at": r["plan_updated_at"].isoformat()
                if r["plan_updated_at"]
                else None,
                "alerts": [name for name in ALERTS if r[name]],
            }
        )
    return out, (out[-1]["id"] if len(rows) > limit else None), int(total)


def months_unemployed(graduate: dict[str, Any], today: date) -> int | None:
    """Whole months since graduation (1 July of the graduation year, or ``unemployed_since``
    when the profile gives it) for a graduate still seeking work; None otherwise."""
    if graduate.get("status", "seeking") != "seeking":
        return None
    since_text = graduate.get("unemployed_since")
    if since_text:
        since = date.fromisoformat(str(since_text)[:10])
    elif graduate.get("graduation_year"):
        since = date(int(graduate["graduation_year"]), 7, 1)
    else:
        return None
    months = (today.year - since.year) * 12 + today.month - since.month
    if today.day < since.day:
        months -= 1
    return max(months, 0)


def latest_graduation_year(months: int, today: date) -> int:
    """The latest graduation year whose graduates have been out of school ``months`` months."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    cutoff = date(year, month + 1, min(today.day, 28))
    return cutoff.year if cutoff >= date(cutoff.year, 7, 1) else cutoff.year - 1


def cohort_items(
    store: Store, where: Sequence[sa.ColumnElement[bool]]
) -> tuple[dict[str, dict[str, Any]], list[tuple[str, str, str]]]:
    """The cohort's graduates (status, plan status, agreed) and the (graduate, kind, status)
    of every item of their plans."""
    g, p, i = tables.graduates.c, tables.plans.c, tables.plan_items.c
    query = (
        sa.select(g.id, g.status, p.id.label("plan_id"), p.status.label("plan"), p.agreed_at)
        .select_from(_joined())
        .where(*where)
    )
    people: dict[str, dict[str, Any]] = {}
    plan_of: dict[str, str] = {}
    with store.engine.connect() as conn:
        for r in conn.execute(query).mappings():
            people[r["id"]] = {
                "status": r["status"],
                "plan": r["plan"],
                "agreed": r["agreed_at"] is not None,
            }
            if r["plan_id"]:
                plan_of[r["plan_id"]] = r["id"]
        items: list[tuple[str, str, str]] = []
        for chunk in chunks(list(plan_of), 500):
            rows = conn.execute(sa.select(i.plan_id, i.kind, i.status).where(i.plan_id.in_(chunk)))
            items.extend((plan_of[pid], kind, status) for pid, kind, status in rows)
    return people, items
