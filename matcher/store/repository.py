"""The talent-pool store: keyed upserts that skip unchanged records, lookups, filtered listings
with cursor pagination and counts. What the engine reads to follow changes is in
:mod:`matcher.store.feed`; employers and the blacklist in :mod:`matcher.store.employers`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from matcher.config import Settings
from matcher.errors import NotFoundError, StoreError
from matcher.records.prepare import Entity, Prepared, prepare
from matcher.store import history, migrate
from matcher.store.db import chunks, create_engine, next_seq, serialised, utcnow
from matcher.store.employers import EmployerWrites, link_employers
from matcher.store.feed import ChangeFeed
from matcher.store.provenance import changed_fields
from matcher.store.rows import ROW_BUILDERS, TABLES, exchange, position_row, public


@dataclass
class UpsertCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    flagged: int = 0  # inserted or changed postings the compliance screener flagged
    inserted_ids: list[str] = field(default_factory=list, repr=False)
    updated_ids: list[str] = field(default_factory=list, repr=False)
    flagged_ids: list[str] = field(default_factory=list, repr=False)
    conflicts: list[str] = field(default_factory=list)  # changed since the caller checked

    def add(self, other: UpsertCounts) -> None:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.flagged += other.flagged


def _before(
    conn: sa.Connection, table: sa.Table, ids: list[str]
) -> dict[str, tuple[dict[str, Any], dict[str, Any] | None]]:
    """The stored content and field provenance of records about to change."""
    out: dict[str, tuple[dict[str, Any], dict[str, Any] | None]] = {}
    for chunk in chunks(ids, 500):
        query = sa.select(table.c.id, table.c.data, table.c.changed_by).where(table.c.id.in_(chunk))
        out.update({rid: (data, changed) for rid, data, changed in conn.execute(query)})
    return out


class Store(ChangeFeed, EmployerWrites):
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
            raise StoreError(
                f"cannot open the database: {exc.orig}",
                zh="无法打开数据库，请检查数据库地址和服务状态",
            ) from exc
        if current != migrate.head_revision():
            if not settings.auto_migrate:
                raise StoreError(
                    f"database schema is at {current or 'nothing'}, expected "
                    f"{migrate.head_revision()}; run `matcher db upgrade`",
                    zh="数据库结构版本不符：请先运行 matcher db upgrade",
                )
            migrate.upgrade(store.engine)
        return store

    def close(self) -> None:
        self.engine.dispose()

    # ---- writes ----------------------------------------------------------------------
    def upsert(
        self,
        entity: Entity,
        batch: Sequence[Prepared],
        guard: Mapping[str, str | None] | None = None,
        source: str | None = None,
    ) -> UpsertCounts:
        """Insert new ids, update changed ones, skip those whose content hash is unchanged.
        One transaction per call, holding the store's write lock (concurrent writers of the
        same new id never collide); a record repeated in the batch counts once per change.
        ``guard`` maps ids to the content hash (None: absent) the caller's checks saw: a
        record stored differently by now is left alone and listed in ``conflicts``. A graduate
        written gets its month's history row (:mod:`matcher.store.history`) in the same
        transaction, ``source`` (``role:id``) naming who set its status."""
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
        at = utcnow()
        with serialised(self.engine, "records") as conn:
            stored = dict(
                conn.execute(
                    sa.select(table.c.id, table.c.content_hash).where(table.c.id.in_(list(latest)))
                ).all()
            )
            if guard:
                counts.conflicts = [  # the same content written meanwhile is no conflict
                    i
                    for i, p in latest.items()
                    if i in guard and stored.get(i) not in (guard[i], p.content_hash)
                ]
                for record_id in counts.conflicts:
                    del latest[record_id]
            fresh = [p for p in latest.values() if p.id not in stored]
            changed = [
                p for p in latest.values() if p.id in stored and stored[p.id] != p.content_hash
            ]
            counts.unchanged += len(latest) - len(fresh) - len(changed)
            if not fresh and not changed:
                return counts
            seq = next_seq(conn)
            links = link_employers(conn, fresh + changed, seq, at) if entity == "positions" else {}
            build = ROW_BUILDERS[entity]

            def row(p: Prepared) -> dict[str, Any]:
                columns = (  # a posting screened while it was prepared keeps that result
                    build(p.record) if p.flags is None else position_row(p.record, p.flags)
                )
                values = columns | {
                    "data": p.record,
                    "content_hash": p.content_hash,
                    "seq": seq,
                    "updated_at": at,
                }
                if entity == "positions":
                    values["employer_id"] = links.get(p.id)
                return values

            creator = {"created_by": source or history.IMPORT, "created_at": at}
            fresh_rows = [row(p) | {"id": p.id} | creator for p in fresh]
            before = _before(conn, table, [p.id for p in changed])
            changed_rows = [
                row(p)
                | {
                    "_id": p.id,
                    "changed_by": changed_fields(
                        before[p.id][0], p.record, before[p.id][1], source, at
                    ),
                }
                for p in changed
            ]
            if fresh_rows:
                conn.execute(sa.insert(table), fresh_rows)
            if changed_rows:
                by_id = table.c.id == sa.bindparam("_id")
                conn.execute(sa.update(table).where(by_id), changed_rows)
            if entity == "graduates":
                states = {
                    str(r.get("id") or r.get("_id")): history.state_of(r, r["data"])
                    for r in fresh_rows + changed_rows
                }
                new = frozenset(p.id for p in fresh)
                history.record(conn, states, at, source, new)
        counts.flagged_ids = [
            str(r.get("id") or r.get("_id")) for r in fresh_rows + changed_rows if r.get("flagged")
        ]
        counts.flagged = len(counts.flagged_ids)
        counts.inserted += len(fresh)
        counts.updated += len(changed)
        counts.inserted_ids = [p.id for p in fresh]
        counts.updated_ids = [p.id for p in changed]
        return counts

    # ---- reads -----------------------------------------------------------------------
    def revise(
        self,
        entity: Entity,
        record_id: str,
        changes: Mapping[str, Any],
        source: str | None = None,
    ) -> dict[str, Any]:
        """Store a record again with some fields changed (validated like any write; nothing
        is written when nothing changes); returns the stored record."""
        record = exchange(self.get(entity, record_id)) | dict(changes)
        self.upsert(entity, [prepare(entity, record)], source=source)
        return self.get(entity, record_id)

    def get(self, entity: Entity, record_id: str) -> dict[str, Any]:
        table = TABLES[entity]
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(table).where(table.c.id == record_id)).mappings().first()
        if row is None:
            raise NotFoundError(entity.rstrip("s"), record_id)
        return public(entity, row)

    def get_many(self, entity: Entity, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        return self.versions(entity, ids)[0]

    def versions(
        self, entity: Entity, ids: Iterable[str]
    ) -> tuple[dict[str, dict[str, Any]], dict[str, str | None]]:
        """The stored records of ``ids`` and the content hash of each id (None: not stored),
        read together: the hashes are the ``guard`` of an :meth:`upsert` that must not
        overwrite what changed after the caller checked it."""
        table = TABLES[entity]
        wanted = list(ids)
        out: dict[str, dict[str, Any]] = {}
        hashes: dict[str, str | None] = dict.fromkeys(wanted)
        with self.engine.connect() as conn:
            for chunk in chunks(wanted, 500):
                for row in conn.execute(sa.select(table).where(table.c.id.in_(chunk))).mappings():
                    out[row["id"]] = public(entity, row)
                    hashes[row["id"]] = row["content_hash"]
        return out, hashes

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
        items = [public(entity, r) for r in rows[:limit]]
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

    def ping(self) -> bool:
        with self.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return True
