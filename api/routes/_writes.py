"""Record writes shared by the resource routers: one record, or a bulk batch with the same rules
and per-record errors as ``matcher ingest`` (a bad record is reported; the others are stored)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request

from api.schemas import BulkError, BulkResult
from matcher.errors import ValidationError
from matcher.records.prepare import Entity, Prepared, prepare
from matcher.store import Store

MAX_BULK = 5000


def index_writes(request: Request) -> None:
    """Bring the engine up to date right after a write, so that vectors are computed on the
    write path and never inside a later recommendation request."""
    request.app.state.matcher.refresh()


def write_one(
    store: Store, entity: Entity, raw: dict[str, Any], check: Callable[[Prepared], None]
) -> dict[str, Any]:
    """Validate, authorise and upsert one record; returns the stored record."""
    item = prepare(entity, raw)
    check(item)
    store.upsert(entity, [item])
    return store.get(entity, item.id)


def write_many(
    store: Store, entity: Entity, raws: list[Any], check: Callable[[Prepared], None]
) -> BulkResult:
    if len(raws) > MAX_BULK:
        raise ValidationError(
            f"a bulk request takes at most {MAX_BULK} records, got {len(raws)}; send batches",
            field="body",
        )
    valid: list[Prepared] = []
    errors: list[BulkError] = []
    for index, raw in enumerate(raws):
        try:
            item = prepare(entity, raw)
            check(item)
            valid.append(item)
        except ValidationError as exc:
            errors.append(
                BulkError(index=index, id=exc.record_id, field=exc.field or "", message=str(exc))
            )
    counts = store.upsert(entity, valid)
    return BulkResult(
        inserted=counts.inserted, updated=counts.updated, unchanged=counts.unchanged, errors=errors
    )


def with_status(store: Store, entity: Entity, record_id: str, **changes: Any) -> dict[str, Any]:
    """Store a record again with some fields changed (close a posting, erase a profile)."""
    current = store.get(entity, record_id)
    record = {k: v for k, v in current.items() if k not in _MANAGED} | changes
    return write_one(store, entity, record, lambda _: None)


#: Fields the store adds to records it returns; not part of the exchange format.
_MANAGED = {"updated_at", "flagged", "employer_id", "blacklisted", "blacklist_reason"}
