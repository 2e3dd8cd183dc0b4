"""What the monthly history says about a month: flows between statuses since the previous
month's end, how long those still seeking have been seeking, who fell back to seeking, and
which help the newly employed had received before. Read by the monthly report and the
adviser console (:mod:`matcher.store.history` keeps the rows)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import sqlalchemy as sa

from matcher.store import Store
from matcher.store.history import states_at
from matcher.store.tables import graduate_months, graduates, offers, plan_items, plans
from matcher.types import Month

SEEKING = "seeking"
#: Statuses out of which a return to seeking is a fall back.
PLACED = ("employed", "further_study")
NEW = "new"  # no history before the month
#: Help counted as given before employment: plan items in these statuses, and any offer.
HELP_ITEMS: dict[str, tuple[str, ...]] = {
    "guidance": ("done",),
    "training": ("enrolled", "done"),
    "traineeship": ("placed", "done"),
}
HELP = ("offer", *HELP_ITEMS)
#: Buckets of consecutive months seeking (up to and including the report's month).
DURATIONS = ((1, 1), (2, 2), (3, 5), (6, 11), (12, None))


def months_between(first: str, last: str) -> int:
    """Months from ``first`` to ``last`` inclusive (both ``YYYY-MM``)."""
    a, b = Month.parse(first), Month.parse(last)
    return (b.year - a.year) * 12 + b.month - a.month + 1


def _transitions(conn: sa.Connection, month: Month) -> dict[tuple[str, str], int]:
    now, before = states_at(month), states_at(month.previous())
    query = (
        sa.select(before.c.status, now.c.status, sa.func.count())
        .select_from(now.outerjoin(before, before.c.graduate_id == now.c.graduate_id))
        .group_by(before.c.status, now.c.status)
    )
    return {(b or NEW, a): int(n) for b, a, n in conn.execute(query)}


def _seeking_since(conn: sa.Connection, month: Month) -> Counter[str]:
    """For graduates seeking at the month's end: how many began their current spell of
    seeking in each month (the first month after their last month in another status)."""
    h = graduate_months.c
    end = str(month)
    last_other = (
        sa.select(h.graduate_id, sa.func.max(h.month).label("month"))
        .where(h.month <= end, h.status != SEEKING)
        .group_by(h.graduate_id)
        .subquery()
    )
    now = states_at(month)
    start = (
        sa.select(h.graduate_id, sa.func.min(h.month).label("since"))
        .select_from(
            graduate_months.join(now, now.c.graduate_id == h.graduate_id).outerjoin(
                last_other, last_other.c.graduate_id == h.graduate_id
            )
        )
        .where(
            now.c.status == SEEKING,
            h.month <= end,
            sa.or_(last_other.c.month.is_(None), h.month > last_other.c.month),
        )
        .group_by(h.graduate_id)
        .subquery()
    )
    query = sa.select(start.c.since, sa.func.count()).group_by(start.c.since)
    return Counter({since: int(n) for since, n in conn.execute(query)})


def _help_before(conn: sa.Connection, month: Month) -> dict[str, int]:
    """Of the graduates who became employed during the month, how many had each kind of
    help (recorded before the month's end), and how many had none."""
    now, before = states_at(month), states_at(month.previous())
    newly = (
        sa.select(now.c.graduate_id)
        .select_from(now.outerjoin(before, before.c.graduate_id == now.c.graduate_id))
        .where(
            now.c.status == "employed",
            sa.or_(before.c.status.is_(None), before.c.status != "employed"),
        )
    )
    ids = list(conn.execute(newly).scalars())
    had: dict[str, set[str]] = {kind: set() for kind in HELP}
    o, pl, it = offers.c, plans.c, plan_items.c
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        had["offer"].update(
            conn.execute(
                sa.select(o.graduate_id)
                .where(o.graduate_id.in_(part), o.created_at < month.end_utc)
                .distinct()
            ).scalars()
        )
        for kind, done in HELP_ITEMS.items():
            had[kind].update(
                conn.execute(
                    sa.select(pl.graduate_id)
                    .select_from(plan_items.join(plans, pl.id == it.plan_id))
                    .where(
                        pl.graduate_id.in_(part),
                        it.kind == kind,
                        it.status.in_(done),
                        it.updated_at < month.end_utc,
                    )
                    .distinct()
                ).scalars()
            )
    helped = set().union(*had.values())
    return {
        "employed": len(ids),
        **{k: len(v) for k, v in had.items()},
        "none": len(ids) - len(helped),
    }


def monthly_flows(store: Store, month: Month) -> dict[str, Any]:
    """The month's flows, durations and help before employment, from the monthly history."""
    with store.engine.connect() as conn:
        moves = _transitions(conn, month)
        since = _seeking_since(conn, month)
        helped = _help_before(conn, month)
    durations = Counter[int]()
    for first, n in since.items():
        durations[months_between(first, str(month))] += n
    at_end = Counter[str]()
    for (_, now), n in moves.items():
        at_end[now] += n
    return {
        "previous_month": str(month.previous()),
        "transitions": [
            {"from": b, "to": a, "graduates": n} for (b, a), n in sorted(moves.items())
        ],
        "at_month_end": dict(sorted(at_end.items())),
        "became_employed": sum(
            n for (b, a), n in moves.items() if a == "employed" and b != "employed"
        ),
        "fell_back": sum(n for (b, a), n in moves.items() if b in PLACED and a == SEEKING),
        "seeking": at_end[SEEKING],
        "seeking_months": [
            {
                "from": low,
                "to": high,
                "graduates": sum(
                    n for m, n in durations.items() if m >= low and (high is None or m <= high)
                ),
            }
            for low, high in DURATIONS
        ],
        "seeking_3_months_or_more": sum(n for m, n in durations.items() if m >= 3),
        "help_before_employment": helped,
    }


def fell_back(store: Store, month: Month, adviser: str | None = None) -> list[dict[str, Any]]:
    """Graduates seeking at the month's end who were employed or studying at the previous
    month's end — the console's alert list (one adviser's caseload when ``adviser`` is
    given), with the status they left and who recorded the fall."""
    now, before = states_at(month), states_at(month.previous())
    g = graduates.c
    query = (
        sa.select(g.id, g.name, g.adviser_id, before.c.status, now.c.source)
        .select_from(
            now.join(before, before.c.graduate_id == now.c.graduate_id).join(
                graduates, g.id == now.c.graduate_id
            )
        )
        .where(now.c.status == SEEKING, before.c.status.in_(PLACED))
        .order_by(g.id)
    )
    if adviser is not None:
        query = query.where(g.adviser_id == adviser)
    with store.engine.connect() as conn:
        return [
            {"id": i, "name": name, "adviser": a, "previous": prev, "source": source}
            for i, name, a, prev, source in conn.execute(query)
        ]
