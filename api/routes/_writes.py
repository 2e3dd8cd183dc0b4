"""Record writes shared by the resource routers: one record, a bulk batch with the same rules
and per-record errors as ``matcher ingest`` (a bad record is reported; the others are stored),
or a JSON merge patch (RFC 7396) over a stored record.

Every write passes the caller's check both the incoming record and the stored one it would
replace, so a key can never take over a record that belongs to someone else by sending its
id."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fastapi import Request

from api.schemas import BulkError, BulkResult
from matcher.access import AccessDenied, Principal, Role
from matcher.errors import ConflictError, EntryProblem, ValidationError
from matcher.records.limits import text_breach
from matcher.records.prepare import Entity, Prepared, prepare
from matcher.store import Store, rejects
from matcher.store.rows import exchange

MAX_BULK = 5000
#: check(incoming, stored): raises when the caller may not write; stored is None for a new id
Check = Callable[[Prepared, dict[str, Any] | None], None]


def anyone(_item: Prepared, _stored: dict[str, Any] | None) -> None:
    """The check of routes whose role guard already decided (staff-only resources)."""


def index_writes(request: Request) -> None:
    """Bring the engine up to date right after a write, so that vectors are computed on the
    write path and never inside a later recommendation request."""
    request.app.state.matcher.refresh()


def write_one(
    store: Store,
    entity: Entity,
    raw: dict[str, Any],
    check: Check,
    *,
    keep: Sequence[str] = (),
    source: str | None = None,
) -> dict[str, Any]:
    """Validate, authorise and upsert one record; returns the stored record. Fields named in
    ``keep`` that the caller did not send are kept from the stored record (merged when both
    are objects)."""
    record_id = raw.get("id") if isinstance(raw, dict) else None
    record_id = record_id if storable_id(record_id) else None  # prepare says what is wrong
    records, hashes = store.versions(entity, [record_id] if record_id is not None else [])
    stored = records.get(record_id) if record_id is not None else None
    item = prepare(entity, kept(raw, stored, keep))
    check(item, stored_under(store, entity, item, records, hashes))
    guarded_upsert(store, entity, item, hashes.get(item.id), source)
    return store.get(entity, item.id)


def stored_under(
    store: Store,
    entity: Entity,
    item: Prepared,
    records: dict[str, dict[str, Any]],
    hashes: dict[str, str | None],
) -> dict[str, Any] | None:
    """The record stored under the id ``item`` will be written to — the one the caller's
    check must see. An id the content decides (an employer's credit code or name) may differ
    from the id sent: it is read now (``records`` and ``hashes`` are completed)."""
    if item.id not in hashes:
        found, seen = store.versions(entity, [item.id])
        records.update(found)
        hashes.update(seen)
    return records.get(item.id)


def storable_id(record_id: Any) -> bool:
    """Whether a record's id, as sent, can be looked up (a text a database can hold); one
    that cannot is refused by :func:`prepare`, naming the record and the field."""
    return isinstance(record_id, str) and text_breach(record_id) is None


def source_of(principal: Principal) -> str:
    """Who writes, as the history records it: a partner by its registry id, anyone else by
    role and key."""
    if principal.role is Role.PARTNER:
        return f"partner:{principal.scope.get('partner')}"
    return principal.actor


def partner_of(source: str | None) -> str | None:
    """The registered partner a write's source names, if any."""
    kind, _, who = (source or "").partition(":")
    return who if kind == "partner" and who else None


def guarded_upsert(
    store: Store, entity: Entity, item: Prepared, seen: str | None, source: str | None = None
) -> None:
    """Store ``item`` unless its stored version changed since the caller's checks read it
    (``seen``: its content hash then, None when it was absent)."""
    if store.upsert(entity, [item], guard={item.id: seen}, source=source).conflicts:
        raise ConflictError(
            f"{entity.rstrip('s')} {item.id!r} was changed by another request while this one "
            "was being checked; read it again and resend",
            zh=f"记录 {item.id} 在本次请求处理期间已被其他请求修改：请重新读取后再提交",
        )


def write_many(
    store: Store,
    entity: Entity,
    raws: list[Any],
    check: Check,
    *,
    keep: Sequence[str] = (),
    source: str | None = None,
) -> BulkResult:
    if len(raws) > MAX_BULK:
        raise ValidationError(
            f"a bulk request takes at most {MAX_BULK} records, got {len(raws)}; send batches",
            field="body",
            zh=f"批量提交最多 {MAX_BULK} 条，本次 {len(raws)} 条：请分批提交",
        )
    ids = [r["id"] for r in raws if isinstance(r, dict) and storable_id(r.get("id"))]
    stored, hashes = store.versions(entity, ids)
    valid: list[Prepared] = []
    at: dict[str, int] = {}  # id of each valid record → its index in the request
    errors: list[BulkError] = []
    for index, raw in enumerate(raws):
        try:
            current = stored.get(str(raw.get("id"))) if isinstance(raw, dict) else None
            item = prepare(entity, kept(raw, current, keep))
            check(item, stored_under(store, entity, item, stored, hashes))
            valid.append(item)
            at[item.id] = index
        except (ValidationError, AccessDenied) as exc:
            record_id = getattr(exc, "record_id", None) or (
                raw.get("id") if isinstance(raw, dict) else None
            )
            field = getattr(exc, "field", None) or ("id" if isinstance(exc, AccessDenied) else "")
            errors.append(
                BulkError(
                    index=index,
                    id=record_id if isinstance(record_id, str) else None,
                    field=field,
                    message=str(exc),
                    message_zh=exc.zh,
                )
            )
    counts = store.upsert(
        entity, valid, guard={p.id: hashes.get(p.id) for p in valid}, source=source
    )
    errors.extend(
        BulkError(
            index=at[rid],
            id=rid,
            field="id",
            message=f"changed by another request while this one was being checked ({rid!r}); "
            "read it again and resend",
            message_zh=f"记录 {rid} 在核对期间被其他请求修改：请重新读取后再提交",
        )
        for rid in counts.conflicts
    )
    if partner := partner_of(source):  # kept for the partner's own figures
        rejects.record(store, partner, entity, (EntryProblem(**e.model_dump()) for e in errors))
    return BulkResult(
        inserted=counts.inserted, updated=counts.updated, unchanged=counts.unchanged, errors=errors
    )


def patch_one(
    store: Store,
    entity: Entity,
    record_id: str,
    patch: Any,
    check: Check,
    source: str | None = None,
) -> dict[str, Any]:
    """Apply a JSON merge patch to the stored record (a key set to null removes the field;
    objects merge; anything else replaces), then validate, authorise and store it."""
    if not isinstance(patch, dict):
        raise ValidationError(
            "a merge patch is a JSON object of the fields to change",
            record_id=record_id,
            field="body",
            zh="部分更新的请求体应为 JSON 对象，只包含要修改的字段",
        )
    if "id" in patch and patch["id"] != record_id:
        raise ValidationError(
            f"the id of a record cannot change (path says {record_id!r}, body {patch['id']!r})",
            record_id=record_id,
            field="id",
            zh="记录编号不能修改",
        )
    records, hashes = store.versions(entity, [record_id])
    if record_id not in records:
        return store.get(entity, record_id)  # raises: not found
    stored = records[record_id]
    item = prepare(entity, merge_patch(exchange(stored), patch))
    check(item, stored)
    guarded_upsert(store, entity, item, hashes[record_id], source)
    return store.get(entity, record_id)


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 JSON merge patch."""
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


def kept(raw: Any, stored: Mapping[str, Any] | None, keep: Sequence[str]) -> Any:
    """``raw`` with the ``keep`` fields of the stored record it lacks (objects merged, the
    caller's values winning)."""
    if not keep or stored is None or not isinstance(raw, dict):
        return raw
    out = dict(raw)
    for name in keep:
        if name not in stored:
            continue
        if name not in out:
            out[name] = stored[name]
        elif isinstance(out[name], dict) and isinstance(stored[name], dict):
            out[name] = stored[name] | out[name]
    return out
