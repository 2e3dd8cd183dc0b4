"""Employers' side of the store: the employer of each posting (created when first seen in a
posting, matched by credit code or name) and the blacklist, written to the audit log."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from matcher.errors import NotFoundError
from matcher.records.limits import text_breach
from matcher.records.prepare import Prepared, content_hash, employer_id
from matcher.store import tables
from matcher.store.db import chunks, next_seq, utcnow
from matcher.store.rows import ROW_BUILDERS, public


def link_employers(
    conn: sa.Connection, batch: list[Prepared], seq: int, at: datetime
) -> dict[str, str]:
    """Employer id of each posting, creating employers first seen in a posting."""
    refs = {p.id: p.record["employer"] for p in batch if p.record.get("employer")}
    if not refs:
        return {}
    e = tables.employers.c
    codes = {r["credit_code"] for r in refs.values() if r.get("credit_code")}
    names = {r["name"] for r in refs.values()}
    # the ids new employers would get: an employer stored under one of them (its credit code
    # since removed, say) is that employer, not a new one
    ids = {employer_id(r["name"], r.get("credit_code")) for r in refs.values()}
    by_code: dict[str, str] = {}
    by_name: dict[str, str] = {}
    known: set[str] = set()
    for chunk in chunks(sorted(codes | names | ids), 500):
        for eid, name, code in conn.execute(
            sa.select(e.id, e.name, e.credit_code).where(
                sa.or_(e.credit_code.in_(chunk), e.name.in_(chunk), e.id.in_(chunk))
            )
        ):
            known.add(eid)
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
            if eid not in new and eid not in known:
                record = {"id": eid, **ref}
                new[eid] = ROW_BUILDERS["employers"](record) | {
                    "id": eid,
                    "data": record,
                    "content_hash": content_hash(record),
                    "seq": seq,
                    "created_at": at,
                    "updated_at": at,
                }
        links[pid] = eid
    if new:
        conn.execute(sa.insert(tables.employers), list(new.values()))
    return links


class EmployerWrites:
    engine: sa.Engine

    def find_employer(self, ref: Mapping[str, Any]) -> dict[str, Any] | None:
        """The stored employer a posting's ``employer`` names, matched as postings are linked
        (:func:`link_employers`): by ``id``, then credit code, then name or the id the name
        would get. None when none is stored or the reference holds no usable text."""

        def text(key: str) -> str | None:
            value = ref.get(key)
            ok = isinstance(value, str) and value.strip() and text_breach(value) is None
            return value.strip() if ok and isinstance(value, str) else None

        eid, code, name = text("id"), text("credit_code"), text("name")
        wanted = [
            (tables.employers.c.id, eid),
            (tables.employers.c.credit_code, code),
            (tables.employers.c.name, name),
            (tables.employers.c.id, employer_id(name, code) if name else None),
        ]
        conditions = [column == value for column, value in wanted if value]
        if not conditions:
            return None
        with self.engine.connect() as conn:
            rows = list(
                conn.execute(sa.select(tables.employers).where(sa.or_(*conditions))).mappings()
            )
        for column, value in wanted:  # in order of precedence
            for row in rows:
                if value and row[column.name] == value:
                    return public("employers", row)
        return None

    def set_blacklisted(
        self, employer_id: str, blacklisted: bool, reason: str | None, actor: str = "system"
    ) -> None:
        """Blacklist (or clear) an employer: all its postings leave (or return to) the
        recommendable pool at the next sync. The change is written to the audit log."""
        e = tables.employers.c
        now = utcnow()
        with self.engine.begin() as conn:
            seq = next_seq(conn)
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
