"""Provenance of every stored record: who created it, and for each top-level field changed
since, who changed it last and when. Written by :meth:`Store.upsert` in the same transaction
as the record (``created_by`` and ``changed_by`` columns); a field never changed since the
record was created is attributed to its creator. Sources are those of
:mod:`matcher.store.history` (``partner:<id>``, ``adviser:<key>``, ``graduate:<key>``, ...;
a write that names none is a bulk import)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from matcher.errors import NotFoundError
from matcher.records.prepare import Entity
from matcher.store.history import IMPORT, source_label
from matcher.store.rows import TABLES


def changed_fields(
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    kept: Mapping[str, Any] | None,
    source: str | None,
    at: datetime,
) -> dict[str, list[str]]:
    """``kept`` (the stored ``changed_by``) with every top-level field whose value differs
    between the two versions of a record attributed to ``source`` at ``at``."""
    out = {str(k): list(v) for k, v in (kept or {}).items()}
    stamp = [source or IMPORT, at.isoformat()]
    for name in sorted(set(before) | set(after)):
        if name != "id" and before.get(name) != after.get(name):
            out[name] = stamp
    return out


def _label(source: str) -> str:
    kind, _, who = source.partition(":")
    return f"合作机构 {who}" if kind == "partner" else source_label(source)


def of_record(engine: sa.Engine, entity: Entity, record_id: str) -> dict[str, Any]:
    """Who created the record, and who last set each of its fields, and when."""
    table = TABLES[entity]
    c = table.c
    query = sa.select(c.data, c.created_by, c.created_at, c.changed_by).where(c.id == record_id)
    with engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        raise NotFoundError(entity.rstrip("s"), record_id)
    data, created_by, created_at, changed = row
    creator = created_by or IMPORT
    if created_at.tzinfo is None:  # SQLite keeps UTC without its zone
        created_at = created_at.replace(tzinfo=UTC)
    fields: dict[str, dict[str, Any]] = {}
    for name in sorted(set(data) | set(changed or {})):
        if name == "id":
            continue
        source, at = (changed or {}).get(name) or (creator, created_at.isoformat())
        fields[name] = {
            "source": source,
            "source_zh": _label(source),
            "at": at,
            "present": name in data,
        }
    return {
        "id": record_id,
        "created_by": creator,
        "created_by_zh": _label(creator),
        "created_at": created_at.isoformat(),
        "fields": fields,
    }
