"""A university's monthly destination report: where each of its graduates stood in a month
(employed, further study, seeking, not seeking). Every report is kept, one per graduate,
month and university (the database's key: sending the same report again changes nothing).
It becomes the graduate's status for that month only under the precedence rule of
:mod:`matcher.store.history`; when a higher-ranked source set the month otherwise, the
report stays beside the history as a disagreement the adviser sees. A report for the newest
month on record also updates the graduate's current status, so the record and the history
agree."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from matcher.errors import ConflictError, EntryProblem, ValidationError
from matcher.records.limits import text_breach
from matcher.store import history, rejects
from matcher.store.db import serialised, utcnow
from matcher.store.partners import Partners
from matcher.store.repository import Store
from matcher.store.tables import destination_reports, graduate_months, graduates
from matcher.taxonomy.vocab import GraduateStatus
from matcher.types import Month

STATUSES = {s.value for s in GraduateStatus}
MAX_REPORT = 5000


@dataclass
class Reported:
    month: str
    recorded: int = 0
    applied: int = 0  # became the month's status
    disagreements: int = 0  # kept beside a higher-ranked status
    errors: list[EntryProblem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "recorded": self.recorded,
            "applied": self.applied,
            "disagreements": self.disagreements,
            "errors": [vars(e) for e in self.errors],
        }


def parse_month(text: Any, now: datetime) -> Month:
    """The reported month: ``YYYY-MM``, not after the current month (China time)."""
    try:
        month = Month.parse(text)
    except ValueError as exc:
        raise ValidationError(
            str(exc), field="month", zh="月份格式应为 YYYY-MM，例如 2026-11"
        ) from exc
    if str(month) > history.month_of(now):
        raise ValidationError(
            f"month {month} has not begun; report a month up to {history.month_of(now)}",
            field="month",
            zh=f"不能报告尚未开始的月份（{month}）",
        )
    return month


def _entries(raw: list[Any], reported: Reported) -> dict[str, tuple[int, str]]:
    """Valid entries (id → index, status); the others named in ``reported.errors``."""
    valid: dict[str, tuple[int, str]] = {}
    for index, entry in enumerate(raw):
        gid = entry.get("id") if isinstance(entry, dict) else None
        status = entry.get("status") if isinstance(entry, dict) else None
        if not isinstance(gid, str) or not gid or text_breach(gid) is not None:
            problem = ("id", "each entry needs the graduate's id", "每条记录须填写毕业生编号")
        elif status not in STATUSES:
            problem = (
                "status",
                f"status must be one of {', '.join(sorted(STATUSES))}; got {status!r:.40}",
                "去向须为 employed（已就业）、further_study（升学）、seeking（求职中）"
                "或 not_seeking（暂不就业）",
            )
        else:
            valid[gid] = (index, status)
            continue
        name = gid if isinstance(gid, str) else None
        reported.errors.append(EntryProblem(index, name, *problem))
    return valid


def report(
    store: Store,
    partner_id: str,
    month_text: Any,
    raw: list[Any],
    reported_by: str,
) -> Reported:
    """Record a university's destinations for a month; entries that are malformed or not the
    university's graduates are named in ``errors`` and the others are kept."""
    partner = Partners(store).get(partner_id)
    if partner["kind"] != "university":
        raise ConflictError(
            f"partner {partner_id!r} is a {partner['kind']}; destinations come from universities",
            zh="只有高校可以报告毕业生去向",
        )
    now = utcnow()
    month = parse_month(month_text, now)
    if not isinstance(raw, list) or len(raw) > MAX_REPORT:
        raise ValidationError(
            f"destinations is a list of at most {MAX_REPORT} entries",
            field="destinations",
            zh=f"去向记录应为列表，每次最多 {MAX_REPORT} 条",
        )
    reported = Reported(str(month))
    valid = _entries(raw, reported)
    source = f"partner:{partner_id}"
    g, d = graduates.c, destination_reports.c
    with serialised(store.engine, "records") as conn:
        ids = list(valid)
        own = {
            i: row
            for start in range(0, len(ids), 500)
            for i, *row in conn.execute(
                sa.select(g.id, g.status, g.desired_codes, g.support, g.partner_id, g.data).where(
                    g.id.in_(ids[start : start + 500]), g.partner_id == partner_id
                )
            )
        }
        for gid, (index, _) in valid.items():
            if gid not in own:
                reported.errors.append(
                    EntryProblem(
                        index,
                        gid,
                        "id",
                        f"graduate {gid!r} is not on this university's roster",
                        f"毕业生 {gid} 不在本校报送的名单中",
                    )
                )
        mine = [gid for gid in ids if gid in own]
        if mine:
            conn.execute(
                sa.delete(destination_reports).where(
                    d.graduate_id.in_(mine), d.month == str(month), d.partner_id == partner_id
                )
            )
            conn.execute(
                sa.insert(destination_reports),
                [
                    {
                        "graduate_id": gid,
                        "month": str(month),
                        "partner_id": partner_id,
                        "status": valid[gid][1],
                        "reported_by": reported_by,
                        "reported_at": now,
                    }
                    for gid in mine
                ],
            )
        reported.recorded = len(mine)
        newest = _apply(conn, {g: valid[g][1] for g in mine}, own, month, now, source, reported)
    for gid, status in newest.items():
        store.revise("graduates", gid, {"status": status}, source=source)
    reported.errors.sort(key=lambda e: e.index)
    rejects.record(store, partner_id, "destinations", reported.errors)
    return reported


def _apply(
    conn: sa.Connection,
    said: dict[str, str],
    own: dict[str, Any],
    month: Month,
    now: datetime,
    source: str,
    reported: Reported,
) -> dict[str, str]:
    """Make each report the month's status unless outranked (counted in ``reported``); the
    graduates whose current status must follow (no later month on record) are returned."""
    ids, h = list(said), graduate_months.c
    before = history.latest(conn, ids, str(month))
    later = set(
        conn.execute(
            sa.select(h.graduate_id).where(h.graduate_id.in_(ids), h.month > str(month))
        ).scalars()
    )
    newest: dict[str, str] = {}
    past: dict[str, dict[str, Any]] = {}
    for gid, status in said.items():
        row = before.get(gid)
        if row is not None and row.month == str(month):
            if row.status == status:
                reported.applied += 1  # already so, by whoever said it first
                continue
            if history.rank(row.source) > history.rank(source):
                reported.disagreements += 1
                continue
        reported.applied += 1
        if gid not in later:
            newest[gid] = status
        if str(month) != history.month_of(now):  # the current month goes through the record
            past[gid] = _carried(row, own[gid]) | {"status": status}
    _write_month(conn, past, str(month), now, source)
    return newest


def _carried(row: sa.Row[Any] | None, stored: Any) -> dict[str, Any]:
    """What a month's row keeps besides the status: the month's (or the latest earlier) row,
    else the graduate's stored record."""
    if row is not None:
        names = ("status", "kinds", "region_codes", "support", "partner_id")
        return {name: getattr(row, name) for name in names}
    status, codes, support, partner_id, data = stored
    columns = {
        "status": status,
        "desired_codes": codes,
        "support": support,
        "partner_id": partner_id,
    }
    return history.state_of(columns, data)


def _write_month(
    conn: sa.Connection, states: dict[str, dict[str, Any]], month: str, at: datetime, source: str
) -> None:
    """Set the rows of a past month (reports for the current month go through the record)."""
    if not states:
        return
    h = graduate_months.c
    ids = list(states)
    conn.execute(sa.delete(graduate_months).where(h.graduate_id.in_(ids), h.month == month))
    conn.execute(
        sa.insert(graduate_months),
        [
            {"graduate_id": gid, "month": month, **state, "source": source, "recorded_at": at}
            for gid, state in states.items()
        ],
    )
