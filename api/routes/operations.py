"""Operator endpoints: the delivery outbox (dead letters and retries) and API keys."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from api.answers import Key, NewKey, OutboxPage, Requeued, Revoked
from api.deps import Staff, StoreDep
from api.openapi import Documented, list_of, responses
from api.routes._created import wake_worker
from api.routes._listing import Cursor, Limit
from api.schemas import KeyIn, Page, RetryIn
from matcher.access import Principal
from matcher.credentials import ScopeError, check_scope
from matcher.errors import ValidationError
from matcher.store.keys import ApiKeys
from matcher.store.outbox import Outbox

router = APIRouter(tags=["operations"], route_class=Documented)


@router.get("/outbox", response_model=Page, responses=responses(OutboxPage, 403))
def list_outbox(
    store: StoreDep,
    principal: Staff,
    status: str | None = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page:
    """Delivery messages; ``status=dead`` lists the dead letters. Roles: bureau."""
    items, after = Outbox(store).page(status, cursor, limit)
    return Page(items=items, next_cursor=after)


@router.post("/outbox/retry", responses=responses(Requeued, 403))
def retry_outbox(
    body: RetryIn, request: Request, store: StoreDep, principal: Staff
) -> dict[str, int]:
    """Queue dead letters again (all, or the ``ids`` given)."""
    n = Outbox(store).retry(body.ids)
    wake_worker(request)
    return {"requeued": n}


def _admin(principal: Principal) -> None:
    principal.allow()  # admins only


@router.post("/keys", status_code=201, responses=responses(NewKey, 403, status=201))
def create_key(body: KeyIn, store: StoreDep, principal: Staff) -> dict[str, Any]:
    """A new API key; the full key is shown in this answer only. Role: admin. The scope is
    typed (:class:`matcher.credentials.KeyScope`): ids are texts, ``districts`` a list of division
    codes; a wrong type or an entry the role does not take is refused naming the entry."""
    _admin(principal)
    try:
        scope = check_scope(body.role, body.scope)
    except ScopeError as exc:
        raise ValidationError(
            str(exc), field=exc.field, zh=f"密钥权限范围有误：{exc.field}：{exc.zh}"
        ) from None
    key_id, key = ApiKeys(store).issue(body.role.value, scope, body.name)
    return {"id": key_id, "key": key, "role": body.role.value, "scope": scope}


@router.get("/keys", responses=responses(list_of(Key), 403))
def list_keys(store: StoreDep, principal: Staff) -> list[dict[str, Any]]:
    _admin(principal)
    return ApiKeys(store).all()


@router.delete("/keys/{key_id}", responses=responses(Revoked, 403, 404))
def revoke_key(key_id: str, store: StoreDep, principal: Staff) -> dict[str, str]:
    _admin(principal)
    ApiKeys(store).revoke(key_id)
    return {"id": key_id, "status": "revoked"}
