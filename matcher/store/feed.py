"""What the engine reads to stay in step with the store: records changed since a watermark,
the postings each graduate was already reached with, the reachable graduates, and the change
counter itself."""

from __future__ import annotations

import builtins
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa

from matcher.records.prepare import Entity
from matcher.store import tables
from matcher.store.db import chunks
from matcher.store.rows import TABLES, public


class ChangeFeed:
    engine: sa.Engine

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
            .order_by(p.id)
        )
        if after_seq > 0:  # the few changed ids through the seq indexes, not a scan of all
            by_employer = sa.select(p.id).where(
                p.employer_id.in_(sa.select(e.id).where(e.seq > after_seq))
            )
            query = query.where(
                p.id.in_(sa.union(sa.select(p.id).where(p.seq > after_seq), by_employer))
            )
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=batch).execute(query).mappings()
            for rows in result.partitions(batch):
                yield [
                    (
                        public("positions", r),
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
        query = sa.select(table).order_by(table.c.id)
        if after_seq > 0:  # through the seq index (ordering by id alone would scan every row)
            query = query.where(
                table.c.id.in_(sa.select(table.c.id).where(table.c.seq > after_seq))
            )
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=batch).execute(query).mappings()
            for rows in result.partitions(batch):
                yield [public(entity, r) for r in rows]

    def already_reached(self, graduate_ids: Sequence[str]) -> dict[str, set[str]]:
        """Postings each graduate was already offered, applied for, was hired on or turned down
        (never shown or offered again)."""
        o, f = tables.offers.c, tables.feedback_events.c
        out: dict[str, set[str]] = {g: set() for g in graduate_ids}
        with self.engine.connect() as conn:
            for chunk in chunks(list(graduate_ids), 500):
                offered = sa.select(o.graduate_id, o.position_id).where(o.graduate_id.in_(chunk))
                applied = sa.select(f.graduate_id, f.position_id).where(
                    f.graduate_id.in_(chunk),
                    f.event.in_(("applied", "hired", "declined", "not_interested")),
                )
                for gid, pid in conn.execute(sa.union(offered, applied)):
                    out[gid].add(pid)
        return out

    def settled_graduates(self, position_ids: Sequence[str]) -> dict[str, set[str]]:
        """Graduates each posting is settled with: hired on it, or who declined it or said
        they were not interested (never put forward as its candidates again)."""
        f = tables.feedback_events.c
        out: dict[str, set[str]] = {p: set() for p in position_ids}
        with self.engine.connect() as conn:
            for chunk in chunks(list(position_ids), 500):
                query = sa.select(f.position_id, f.graduate_id).where(
                    f.position_id.in_(chunk), f.event.in_(("hired", "declined", "not_interested"))
                )
                for pid, gid in conn.execute(query):
                    out[pid].add(gid)
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
