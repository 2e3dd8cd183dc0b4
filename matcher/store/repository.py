"""The talent-pool store: keyed upserts that skip unchanged records, lookups, filtered listings
with cursor pagination, counts and the change watermark."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from matcher.config import Settings
from matcher.errors import NotFoundError, StoreError
from matcher.records import Entity, Prepared, content_hash, employer_id
from matcher.store import migrate, tables
from matcher.store.db import create_engine
from matcher.store.rows import ROW_BUILDERS, position_row

TABLES: dict[str, sa.Table] = {
    "positions": tables.positions,
    "graduates": tables.graduates,
    "employers": tables.employers,
    "trainings": tables.trainings,
}


@dataclass
class UpsertCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    flagged: int = 0  # inserted or changed postings the compliance screener flagged
    inserted_ids: list[str] = field(default_factory=list, repr=False)
    updated_ids: list[str] = field(default_factory=list, repr=False)
    flagged_ids: list[str] = field(default_factory=list, repr=False)

    def add(self, other: UpsertCounts) -> None:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.flagged += other.flagged


def _now() -> datetime:
    return datetime.now(UTC)


class Store:
    """All reads and writes of the talent pool go through here (SQLAlchemy Core)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, settings: Settings) -> Store:
        """Connect to the configured database, migrating it to the latest schema when
        ``auto_migrate`` is on (the default) and refusing an outdated schema otherwise."""
        store = cls(create_engine(settings.resolved_database_url))
        try:
            current = migrate.current_revision(store.engine)
        except sa.exc.OperationalError as exc:
            raise StoreError(f"cannot open the database: {exc.orig}") from exc
        if current != migrate.head_revision():
            if not settings.auto_migrate:
                raise StoreError(
                    f"database schema is at {current or 'nothing'}, expected "
                    f"{migrate.head_revision()}; run `matcher db upgrade`"
                )
            migrate.upgrade(store.engine)
        return store

    def close(self) -> None:
        self.engine.dispose()

    # ---- writes ----------------------------------------------------------------------
    def upsert(self, entity: Entity, batch: Sequence[Prepared]) -> UpsertCounts:
        """Insert new ids, update changed ones, skip those whose content hash is unchanged.
        One transaction per call; a record repeated in the batch counts once per change."""
        table = TABLES[entity]
        counts = UpsertCounts()
        latest: dict[str, Prepared] = {}
        for item in batch:
            previous = latest.get(item.id)
            if previous is not None:
                if previous.content_hash == item.content_hash:
                    counts.unchanged += 1
                else:
                    counts.updated += 1
            latest[item.id] = item
        if not latest:
            return counts
        now = _now()
        with self.engine.begin() as conn:
            stored = dict(
                conn.execute(
                    sa.select(table.c.id, table.c.content_hash).where(table.c.id.in_(list(latest)))
                ).all()
            )
            fresh = [p for p in latest.values() if p.id not in stored]
            changed = [
                p for p in latest.values() if p.id in stored and stored[p.id] != p.content_hash
            ]
            counts.unchanged += len(latest) - len(fresh) - len(changed)
            if not fresh and not changed:
                return counts
            seq = self._next_seq(conn)
            links = (
                self._link_employers(conn, fresh + changed, seq, now)
                if entity == "positions"
                else {}
            )
            build = ROW_BUILDERS[entity]

            def row(p: Prepared) -> dict[str, Any]:
                columns = (  # a posting screened while it was prepared keeps that result
                    build(p.record) if p.flags is None else position_row(p.record, p.flags)
                )
                values = columns | {
                    "data": p.record,
                    "content_hash": p.content_hash,
                    "seq": seq,
                    "updated_at": now,
                }
                if entity == "positions":
                    values["employer_id"] = links.get(p.id)
                return values

            fresh_rows = [row(p) | {"id": p.id, "created_at": now} for p in fresh]
            changed_rows = [row(p) | {"_id": p.id} for p in changed]
            if fresh_rows:
                conn.execute(sa.insert(table), fresh_rows)
            if changed_rows:
                by_id = table.c.id == sa.bindparam("_id")
                conn.execute(sa.update(table).where(by_id), changed_rows)
        counts.flagged_ids = [
            str(r.get("id") or r.get("_id")) for r in fresh_rows + changed_rows if r.get("flagged")
        ]
        counts.flagged = len(counts.flagged_ids)
        counts.inserted += len(fresh)
        counts.updated += len(changed)
        counts.inserted_ids = [p.id for p in fresh]
        counts.updated_ids = [p.id for p in changed]
        return counts

    def _next_seq(self, conn: sa.Connection) -> int:
        return next_seq(conn)

    def _link_employers(
        self, conn: sa.Connection, batch: list[Prepared], seq: int, now: datetime
    ) -> dict[str, str]:
        """Employer id of each posting, creating employers first seen in a posting."""
        refs = {p.id: p.record["employer"] for p in batch if p.record.get("employer")}
        if not refs:
            return {}
        e = tables.employers.c
        codes = {r["credit_code"] for r in refs.values() if r.get("credit_code")}
        names = {r["name"] for r in refs.values()}
        by_code: dict[str, str] = {}
        by_name: dict[str, str] = {}
        for chunk in _chunks(sorted(codes | names), 500):
            for eid, name, code in conn.execute(
                sa.select(e.id, e.name, e.credit_code).where(
                    sa.or_(e.credit_code.in_(chunk), e.name.in_(chunk))
                )
            ):
                if code:
                    by_code[code] = eid
                by_name.setdefault(name, eid)
        new: dict[str, dict[str, Any]] = {}
        links: dict[str, str] = {}
        for pid, ref in refs.items():
            code = ref.get("credit_code")
            eid = by_code.get(code) if code else by_name.get(ref["name"])
            if eid is None:
                eid = employer_id(ref["name"], code)
                if eid not in new:
                    record = {"id": eid, **ref}
                    new[eid] = ROW_BUILDERS["employers"](record) | {
                        "id": eid,
                        "data": record,
                        "content_hash": content_hash(record),
                        "seq": seq,
                        "created_at": now,
                        "updated_at": now,
                    }
            links[pid] = eid
        if new:
            conn.execute(sa.insert(tables.employers), list(new.values()))
        return links

    def set_blacklisted(
        self, employer_id: str, blacklisted: bool, reason: str | None, actor: str = "system"
    ) -> None:
        """Blacklist (or clear) an employer: all its postings leave (or return to) the
        recommendable pool at the next sync. The change is written to the audit log."""
        e = tables.employers.c
        now = _now()
        with self.engine.begin() as conn:
            seq = self._next_seq(conn)
            done = conn.execute(
                sa.update(tables.employers)
                .where(e.id == employer_id)
                .values(
                    blacklisted=blacklisted,
                    blacklist_reason=reason if blacklisted else None,
                    blacklisted_at=now if blacklisted else None,
                    seq=seq,
                    updated_at=now,
                )
            ).rowcount
            if not done:
                raise NotFoundError("employer", employer_id)
            conn.execute(
                sa.insert(tables.audit_log).values(
                    at=now,
                    actor=actor,
                    action="blacklist" if blacklisted else "clear_blacklist",
                    entity="employer",
                    entity_id=employer_id,
                    detail={"reason": reason},
                )
            )

    # ---- reads -----------------------------------------------------------------------
    def get(self, entity: Entity, record_id: str) -> dict[str, Any]:
        table = TABLES[entity]
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(table).where(table.c.id == record_id)).mappings().first()
        if row is None:
            raise NotFoundError(entity.rstrip("s"), record_id)
        return _public(entity, row)

    def get_many(self, entity: Entity, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        table = TABLES[entity]
        out: dict[str, dict[str, Any]] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(list(ids), 500):
                for row in conn.execute(sa.select(table).where(table.c.id.in_(chunk))).mappings():
                    out[row["id"]] = _public(entity, row)
        return out

    def list(
        self,
        entity: Entity,
        *,
        where: Sequence[sa.ColumnElement[bool]] = (),
        after: str | None = None,
        limit: int = 50,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page ordered by id; returns the items and the cursor of the next page."""
        table = TABLES[entity]
        query = sa.select(table).where(*where).order_by(table.c.id).limit(limit + 1)
        if after:
            query = query.where(table.c.id > after)
        with self.engine.connect() as conn:
            rows = list(conn.execute(query).mappings())
        items = [_public(entity, r) for r in rows[:limit]]
        return items, (items[-1]["id"] if len(rows) > limit else None)

    def count(self, entity: Entity, where: Sequence[sa.ColumnElement[bool]] = ()) -> int:
        table = TABLES[entity]
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    sa.select(sa.func.count()).select_from(table).where(*where)
                ).scalar_one()
            )

    def grouped_counts(self, entity: Entity, column: str) -> dict[str, int]:
        table = TABLES[entity]
        col = table.c[column]
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(col, sa.func.count()).group_by(col)).all()
        return {str(k): int(n) for k, n in rows}

    def changed_positions(
        self, after_seq: int, batch: int = 5000
    ) -> Iterator[builtins.list[tuple[dict[str, Any], bool]]]:
        """Postings whose record or employer changed after ``after_seq``, in batches of
        (public record, recommendable) where recommendable means open, unflagged and not from a
        blacklisted employer."""
        p, e = tables.positions.c, tables.employers.c
        query = (
            sa.select(tables.positions, e.blacklisted.label("employer_blacklisted"))
            .select_from(tables.positions.outerjoin(tables.employers, p.employer_id == e.id))
            .where(sa.or_(p.seq > after_seq, e.seq > after_seq))
            .order_by(p.id)
        )
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=batch).execute(query).mappings()
            for rows in result.partitions(batch):
                yield [
                    (
                        _public("positions", r),
                        r["status"] == "open"
                        and not r["flagged"]
                        and not r["employer_blacklisted"],
                    )
                    for r in rows
                ]

    def changed(
        self, entity: Entity, after_seq: int, batch: int = 5000
    ) -> Iterator[builtins.list[dict[str, Any]]]:
        """Records of ``entity`` changed after ``after_seq``, in batches."""
        table = TABLES[entity]
        query = sa.select(table).where(table.c.seq > after_seq).order_by(table.c.id)
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=batch).execute(query).mappings()
            for rows in result.partitions(batch):
                yield [_public(entity, r) for r in rows]

    def already_reached(self, graduate_ids: Sequence[str]) -> dict[str, set[str]]:
        """Postings each graduate was already offered, applied for, was hired on or turned down
        (never shown or offered again)."""
        o, f = tables.offers.c, tables.feedback_events.c
        out: dict[str, set[str]] = {g: set() for g in graduate_ids}
        with self.engine.connect() as conn:
            for chunk in _chunks(list(graduate_ids), 500):
                offered = sa.select(o.graduate_id, o.position_id).where(o.graduate_id.in_(chunk))
                applied = sa.select(f.graduate_id, f.position_id).where(
                    f.graduate_id.in_(chunk),
                    f.event.in_(("applied", "hired", "declined", "not_interested")),
                )
                for gid, pid in conn.execute(sa.union(offered, applied)):
                    out[gid].add(pid)
        return out

    def reachable_graduates(self) -> builtins.list[str]:
        """Ids of graduates seeking work who consented to be contacted."""
        g = tables.graduates.c
        with self.engine.connect() as conn:
            return list(
                conn.execute(
                    sa.select(g.id).where(g.status == "seeking", g.consent_push.is_(True))
                ).scalars()
            )

    def watermark(self) -> int:
        """The change counter: it grows with every batch that inserts or updates a record."""
        c = tables.counters.c
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(c.value).where(c.name == "seq")).scalar_one())

    def ping(self) -> bool:
        with self.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return True


def next_seq(conn: sa.Connection) -> int:
    """Take the next value of the change counter (in the caller's transaction)."""
    c = tables.counters.c
    value = conn.execute(
        sa.update(tables.counters)
        .where(c.name == "seq")
        .values(value=c.value + 1)
        .returning(c.value)
    ).scalar_one()
    return int(value)


def _public(entity: str, row: sa.RowMapping) -> dict[str, Any]:
    """The stored record plus the store-managed fields a caller may need."""
    out = dict(row["data"])
    out["id"] = row["id"]
    if entity == "positions":
        out.update(status=row["status"], flagged=row["flagged"], employer_id=row["employer_id"])
        if row["review_status"]:
            out["compliance"] = {
                "status": row["review_status"],
                "categories": [c for c in (row["flag_categories"] or "").split(",") if c],
                "flags": row["compliance_flags"] or [],
                "reviewed_by": row["reviewed_by"],
                "reviewed_at": row["reviewed_at"].isoformat() if row["reviewed_at"] else None,
                "reason": row["review_reason"],
            }
        else:  # a record read back and stored again carries no stale review
            out.pop("compliance", None)
    elif entity == "employers":
        out.update(blacklisted=row["blacklisted"], blacklist_reason=row["blacklist_reason"])
    out["updated_at"] = row["updated_at"].isoformat() if row["updated_at"] else None
    return out


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
