"""Plans, their items, history and exclusions, and cohort generation jobs. Every change to a
plan is written together with its history entry (one transaction)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from matcher.errors import ConflictError, NotFoundError
from matcher.store import tables
from matcher.store.db import chunks, utcnow
from matcher.store.repository import Store

#: Plan statuses in which a plan holds places (closed plans free theirs).
OPEN_PLAN = ("draft", "agreed", "in_progress")
#: Item statuses that no longer hold a place.
RELEASED = ("declined", "missed")


@dataclass(frozen=True)
class NewItem:
    id: str
    kind: str  # posting, traineeship, training, guidance
    ref_id: str | None
    status: str
    rank: int
    reasons: list[str]
    score: float | None = None
    scheduled_at: datetime | None = None


@dataclass(frozen=True)
class NewPlan:
    id: str
    graduate_id: str
    adviser_id: str | None
    items: list[NewItem]
    created_by: str
    detail: dict[str, Any] = field(default_factory=dict)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return _aware(value).isoformat()
    return value.isoformat() if isinstance(value, date) else value


def _row(row: sa.RowMapping) -> dict[str, Any]:
    return {k: _plain(v) for k, v in row.items()}


class Plans:
    """Reads and writes of plans; ``actor`` is who made a change (``adviser:<key id>``)."""

    def __init__(self, store: Store) -> None:
        self.engine = store.engine

    # ---- plans -------------------------------------------------------------------------
    def create(self, plan: NewPlan) -> dict[str, Any]:
        """Insert a draft plan with its items and a ``created`` history entry; a graduate
        who already has a plan raises :class:`ConflictError` and nothing is stored."""
        now = utcnow()
        items = [
            {
                "id": i.id,
                "plan_id": plan.id,
                "kind": i.kind,
                "ref_id": i.ref_id,
                "status": i.status,
                "pinned": False,
                "rank": i.rank,
                "reasons": i.reasons,
                "score": i.score,
                "scheduled_at": i.scheduled_at,
                "created_at": now,
                "updated_at": now,
            }
            for i in plan.items
        ]
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    sa.insert(tables.plans).values(
                        id=plan.id,
                        graduate_id=plan.graduate_id,
                        adviser_id=plan.adviser_id,
                        status="draft",
                        notes="",
                        created_by=plan.created_by,
                        created_at=now,
                        updated_at=now,
                    )
                )
                if items:
                    conn.execute(sa.insert(tables.plan_items), items)
                self._event(conn, plan.id, None, plan.created_by, "created", plan.detail, now)
        except sa.exc.IntegrityError as exc:
            raise ConflictError(
                f"graduate {plan.graduate_id!r} already has a plan; open it instead of making "
                "a second one",
                zh="该毕业生已有帮扶计划：请打开已有计划，不要重复生成",
            ) from exc
        return self.get(plan.id)

    def get(self, plan_id: str) -> dict[str, Any]:
        p, i = tables.plans.c, tables.plan_items.c
        with self.engine.connect() as conn:
            found = conn.execute(sa.select(tables.plans).where(p.id == plan_id)).mappings().first()
            if found is None:
                raise NotFoundError("plan", plan_id)
            items = conn.execute(
                sa.select(tables.plan_items).where(i.plan_id == plan_id).order_by(i.rank, i.id)
            ).mappings()
            plan = _row(found)
            plan["items"] = [_row(r) for r in items]
        return plan

    def of_graduates(self, graduate_ids: Iterable[str]) -> dict[str, str]:
        """Plan id of each graduate who has one."""
        p = tables.plans.c
        out: dict[str, str] = {}
        with self.engine.connect() as conn:
            for chunk in chunks(list(graduate_ids), 500):
                query = sa.select(p.graduate_id, p.id).where(p.graduate_id.in_(chunk))
                out.update({g: pid for g, pid in conn.execute(query)})
        return out

    def update(
        self, plan_id: str, values: dict[str, Any], actor: str, action: str, detail: dict[str, Any]
    ) -> dict[str, Any]:
        """Change plan fields and record the change in its history."""
        now = utcnow()
        with self.engine.begin() as conn:
            done = conn.execute(
                sa.update(tables.plans)
                .where(tables.plans.c.id == plan_id)
                .values(**values, updated_at=now)
            ).rowcount
            if not done:
                raise NotFoundError("plan", plan_id)
            self._event(conn, plan_id, None, actor, action, detail, now)
        return self.get(plan_id)

    def update_item(
        self,
        plan_id: str,
        item_id: str,
        values: dict[str, Any],
        actor: str,
        action: str,
        detail: dict[str, Any],
    ) -> dict[str, Any]:
        """Change one item (and touch its plan) with a history entry."""
        now = utcnow()
        i = tables.plan_items.c
        with self.engine.begin() as conn:
            done = conn.execute(
                sa.update(tables.plan_items)
                .where(i.id == item_id, i.plan_id == plan_id)
                .values(**values, updated_at=now)
            ).rowcount
            if not done:
                raise NotFoundError("plan item", item_id)
            conn.execute(
                sa.update(tables.plans).where(tables.plans.c.id == plan_id).values(updated_at=now)
            )
            self._event(conn, plan_id, item_id, actor, action, detail, now)
        return self.get(plan_id)

    def exclude(self, plan_id: str, ref_id: str, actor: str) -> None:
        """Rule a posting out of a plan (recorded in the history); idempotent."""
        now = utcnow()
        x = tables.plan_exclusions.c
        with self.engine.begin() as conn:
            there = conn.execute(
                sa.select(x.ref_id).where(x.plan_id == plan_id, x.ref_id == ref_id)
            ).first()
            if there:
                return
            conn.execute(
                sa.insert(tables.plan_exclusions).values(
                    plan_id=plan_id, ref_id=ref_id, created_by=actor, created_at=now
                )
            )
            conn.execute(
                sa.update(tables.plans).where(tables.plans.c.id == plan_id).values(updated_at=now)
            )
            self._event(conn, plan_id, None, actor, "excluded", {"ref_id": ref_id}, now)

    def exclusions(self, plan_id: str) -> list[str]:
        x = tables.plan_exclusions.c
        with self.engine.connect() as conn:
            query = sa.select(x.ref_id).where(x.plan_id == plan_id).order_by(x.created_at)
            return list(conn.execute(query).scalars())

    def history(self, plan_id: str) -> list[dict[str, Any]]:
        e = tables.plan_events.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(tables.plan_events).where(e.plan_id == plan_id).order_by(e.id)
            ).mappings()
            return [_row(r) for r in rows]

    def _event(
        self,
        conn: sa.Connection,
        plan_id: str,
        item_id: str | None,
        actor: str,
        action: str,
        detail: dict[str, Any],
        at: datetime,
    ) -> None:
        conn.execute(
            sa.insert(tables.plan_events).values(
                plan_id=plan_id, item_id=item_id, at=at, actor=actor, action=action, detail=detail
            )
        )

    # ---- capacity and slots --------------------------------------------------------------
    def held(self, kind: str, ref_ids: Sequence[str] | None = None) -> dict[str, int]:
        """Places each posting or course of ``kind`` holds in open plans."""
        p, i = tables.plans.c, tables.plan_items.c
        query = (
            sa.select(i.ref_id, sa.func.count())
            .select_from(tables.plan_items.join(tables.plans, p.id == i.plan_id))
            .where(
                i.kind == kind,
                i.ref_id.is_not(None),
                i.status.not_in(RELEASED),
                p.status.in_(OPEN_PLAN),
            )
            .group_by(i.ref_id)
        )
        with self.engine.connect() as conn:
            if ref_ids is None:
                return {str(r): int(n) for r, n in conn.execute(query)}
            out: dict[str, int] = {}
            for chunk in chunks(list(ref_ids), 500):
                rows = conn.execute(query.where(i.ref_id.in_(chunk)))
                out.update({str(r): int(n) for r, n in rows})
            return out

    def sent_to(self, kind: str, ref_id: str) -> list[dict[str, Any]]:
        """The graduates whose plans hold ``ref_id`` (a course, a traineeship): plan and item,
        the item's status, and the graduate's id and name, oldest item first."""
        p, i, g = tables.plans.c, tables.plan_items.c, tables.graduates.c
        query = (
            sa.select(
                p.graduate_id,
                g.name,
                i.plan_id,
                i.id.label("item_id"),
                i.status,
                p.status.label("plan_status"),
                i.updated_at,
            )
            .select_from(
                tables.plan_items.join(tables.plans, p.id == i.plan_id).join(
                    tables.graduates, g.id == p.graduate_id
                )
            )
            .where(i.kind == kind, i.ref_id == ref_id)
            .order_by(i.created_at, i.id)
        )
        with self.engine.connect() as conn:
            return [
                dict(r) | {"updated_at": _aware(r["updated_at"]).isoformat()}
                for r in conn.execute(query).mappings()
            ]

    def booked(self, adviser_id: str) -> set[datetime]:
        """Guidance sessions already booked with an adviser."""
        p, i = tables.plans.c, tables.plan_items.c
        query = (
            sa.select(i.scheduled_at)
            .select_from(tables.plan_items.join(tables.plans, p.id == i.plan_id))
            .where(p.adviser_id == adviser_id, i.kind == "guidance", i.scheduled_at.is_not(None))
        )
        with self.engine.connect() as conn:
            return {_aware(t) for t in conn.execute(query).scalars()}


def _aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes for what was stored in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)
