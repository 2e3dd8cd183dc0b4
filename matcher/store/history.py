"""Each graduate's history, month by month: status, wished kinds and places, support flags,
the supplying university, and who set the status.

A row is written for the month (China time) of every write that changes a graduate, in the
transaction of the write itself, so the history never disagrees with the record; the last
write of a month is the month's state. A month without a write carries the previous state
forward: the state in month M is the row of the latest month up to M. Earlier months are
never rewritten by later writes.

Who says what a graduate's status is — the precedence rule, highest first:

1. a hire recorded on an offer (the employer's or adviser's confirmation of the outcome);
2. the graduate, on their own pages or with their own key;
3. an adviser or the bureau;
4. the university, in its monthly destination report;
5. bulk imports without a named source.

A university's report for a month sets that month's status only when nothing ranked above it
set the status in the same month; otherwise the report is kept beside the history as a
disagreement the adviser sees (:func:`graduate_history`), never silently dropped. Every direct
write of the record is a fact about the record and is kept; the rule decides only what a
later, lower-ranked report may overwrite."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from matcher.store.tables import destination_reports, graduate_months
from matcher.types import REPORT_TZ, Month

#: Rank of each kind of source (the part of ``source`` before the first colon).
RANKS: dict[str, int] = {
    "hired": 5,
    "graduate": 4,
    "adviser": 3,
    "bureau": 3,
    "admin": 3,
    "system": 3,
    "partner": 2,
    "import": 1,
}
SOURCE_LABELS = {
    "hired": "录用记录",
    "graduate": "本人",
    "adviser": "就业指导员",
    "bureau": "经办人员",
    "admin": "管理员",
    "system": "系统",
    "partner": "高校报告",
    "import": "批量导入",
}
IMPORT = "import"


def rank(source: str | None) -> int:
    return RANKS.get((source or IMPORT).split(":", 1)[0], RANKS[IMPORT])


def source_label(source: str | None) -> str:
    return SOURCE_LABELS.get((source or IMPORT).split(":", 1)[0], SOURCE_LABELS[IMPORT])


def month_of(at: datetime) -> str:
    """``YYYY-MM`` of the instant ``at`` in China time."""
    return at.astimezone(REPORT_TZ).strftime("%Y-%m")


def _joined(values: Iterable[str]) -> str:
    values = list(values)
    return f",{','.join(values)}," if values else ""


def state_of(columns: dict[str, Any], record: dict[str, Any]) -> dict[str, Any]:
    """The history's view of a graduate written with ``columns`` (the stored row)."""
    return {
        "status": columns["status"],
        "kinds": _joined((record.get("desired") or {}).get("kinds") or []),
        "region_codes": columns.get("desired_codes") or "",
        "support": columns.get("support") or "",
        "partner_id": columns.get("partner_id"),
    }


def latest(conn: sa.Connection, ids: Sequence[str], month: str) -> dict[str, sa.Row[Any]]:
    """The row of the latest month up to ``month`` of each graduate in ``ids`` that has one."""
    h = graduate_months.c
    found: dict[str, sa.Row[Any]] = {}
    for start in range(0, len(ids), 500):
        rows = conn.execute(
            sa.select(graduate_months)
            .where(h.graduate_id.in_(ids[start : start + 500]), h.month <= month)
            .order_by(h.graduate_id, h.month)
        ).all()
        for row in rows:
            found[row.graduate_id] = row  # ordered by month: the last one stays
    return found


def record(
    conn: sa.Connection,
    states: dict[str, dict[str, Any]],
    at: datetime,
    source: str | None,
    new: frozenset[str] = frozenset(),
) -> None:
    """Write the month's row of each graduate in ``states`` (id → :func:`state_of`). A status
    that did not change keeps the source that set it. ``new``: ids just created, which have no
    history yet (nothing to look up or replace)."""
    if not states:
        return
    month = month_of(at)
    ids = [i for i in states if i not in new]
    before = latest(conn, ids, month) if ids else {}
    rows = []
    for graduate_id, state in states.items():
        previous = before.get(graduate_id)
        kept_from = previous.source if previous is not None else None
        kept = previous is not None and previous.status == state["status"]
        rows.append(
            {
                "graduate_id": graduate_id,
                "month": month,
                **state,
                "source": kept_from if kept and kept_from else (source or IMPORT),
                "recorded_at": at,
            }
        )
    h = graduate_months.c
    for start in range(0, len(ids), 500):  # a row of this month written earlier is replaced
        conn.execute(
            sa.delete(graduate_months).where(
                h.graduate_id.in_(ids[start : start + 500]), h.month == month
            )
        )
    conn.execute(sa.insert(graduate_months), rows)


def redact(conn: sa.Connection, graduate_id: str) -> int:
    """Erasure: keep each month's status (the counts still add up), drop wishes and flags."""
    h = graduate_months.c
    return int(
        conn.execute(
            sa.update(graduate_months)
            .where(h.graduate_id == graduate_id)
            .values(kinds="", region_codes="", support="")
        ).rowcount
    )


def months_of(conn: sa.Connection, graduate_id: str) -> list[dict[str, Any]]:
    """A graduate's rows, oldest first, each with the destination reports of its month that
    disagree with it."""
    h, d = graduate_months.c, destination_reports.c
    rows = conn.execute(
        sa.select(graduate_months).where(h.graduate_id == graduate_id).order_by(h.month)
    ).all()
    reports = conn.execute(
        sa.select(destination_reports).where(d.graduate_id == graduate_id).order_by(d.month)
    ).all()
    out = [
        {
            "month": r.month,
            "status": r.status,
            "kinds": [k for k in r.kinds.split(",") if k],
            "region_codes": [c for c in r.region_codes.split(",") if c],
            "support": [s for s in r.support.split(",") if s],
            "partner": r.partner_id,
            "source": r.source,
            "source_label": source_label(r.source),
            "recorded_at": r.recorded_at.isoformat(),
            "reports": [],
        }
        for r in rows
    ]
    by_month = {m["month"]: m for m in out}
    for report in reports:
        state = _state_in(out, report.month)
        entry = {
            "partner": report.partner_id,
            "status": report.status,
            "reported_at": report.reported_at.isoformat(),
            "agrees": state is not None and state["status"] == report.status,
        }
        target = by_month.get(report.month) or state
        if target is not None:
            target["reports"].append(entry)
    return out


def _state_in(months: list[dict[str, Any]], month: str) -> dict[str, Any] | None:
    state = None
    for row in months:
        if row["month"] <= month:
            state = row
    return state


def states_at(month: Month) -> sa.Subquery:
    """Every graduate's state in ``month`` (graduate_id, status, month of the row)."""
    h = graduate_months.c
    last = (
        sa.select(h.graduate_id, sa.func.max(h.month).label("month"))
        .where(h.month <= str(month))
        .group_by(h.graduate_id)
        .subquery()
    )
    return (
        sa.select(h.graduate_id, h.status, h.source, h.support, h.partner_id)
        .select_from(
            graduate_months.join(
                last, sa.and_(last.c.graduate_id == h.graduate_id, last.c.month == h.month)
            )
        )
        .subquery()
    )


def graduate_history(engine: sa.Engine, graduate_id: str) -> dict[str, Any]:
    """A graduate's months and the reports that disagree with them (the adviser's view)."""
    with engine.connect() as conn:
        months = months_of(conn, graduate_id)
    return {
        "id": graduate_id,
        "months": months,
        "disagreements": [
            {
                "month": m["month"],
                "status": m["status"],
                "source": m["source"],
                "source_label": m["source_label"],
                "partner": r["partner"],
                "reported": r["status"],
                "reported_at": r["reported_at"],
            }
            for m in months
            for r in m["reports"]
            if not r["agrees"]
        ],
    }
