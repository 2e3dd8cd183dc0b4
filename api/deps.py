"""Typed dependencies: settings, the store, the engine and the caller (API key → role)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from matcher.access import ROLE_ZH, AccessDenied, Principal, Role, Unauthenticated
from matcher.config import Settings
from matcher.credentials import authenticate, parse_key
from matcher.engine.orchestrator import Matcher
from matcher.store import Store
from matcher.store.keys import ApiKeys
from matcher.store.partners import Partners

#: Used when MATCHER_AUTH=false (local experiments only).
ANONYMOUS_ADMIN = Principal("anonymous", Role.ADMIN)


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_matcher(request: Request) -> Matcher:
    """The engine, brought up to date with the store before it answers."""
    matcher: Matcher = request.app.state.matcher
    matcher.refresh()
    return matcher


def get_principal(request: Request) -> Principal:
    """The caller, from ``Authorization: Bearer mk_...`` or ``X-API-Key: mk_...``. A key that
    does not open gets one answer whether its id exists or not (nothing to probe)."""
    settings: Settings = request.app.state.settings
    if not settings.auth:
        return ANONYMOUS_ADMIN
    header = request.headers.get("authorization", "")
    key = header[7:].strip() if header.lower().startswith("bearer ") else ""
    key = key or request.headers.get("x-api-key", "").strip()
    if not key:
        raise Unauthenticated(
            "an API key is required: send Authorization: Bearer mk_<id>_<secret>",
            zh="需要 API 密钥：请在 Authorization 头中发送 Bearer mk_<编号>_<密钥>",
        )
    key_id, secret = parse_key(key)
    store = request.app.state.store
    principal = authenticate(key_id, secret, ApiKeys(store).get(key_id))
    if principal.role is Role.PARTNER:  # read on every request: a suspension acts at once
        Partners(store).require_active(str(principal.scope["partner"]))
    return principal


def allow(*roles: Role) -> Callable[[Principal], Principal]:
    """A dependency admitting admins and the given roles."""

    def check(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
        if principal.role is not Role.ADMIN and principal.role not in roles:
            raise AccessDenied(
                f"role {principal.role.value} may not do this",
                zh=f"当前角色（{ROLE_ZH[principal.role]}）无权执行此操作",
            )
        return principal

    return check


SettingsDep = Annotated[Settings, Depends(get_settings)]
MatcherDep = Annotated[Matcher, Depends(get_matcher)]
StoreDep = Annotated[Store, Depends(get_store)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]
Staff = Annotated[Principal, Depends(allow(Role.BUREAU))]
StaffOrService = Annotated[Principal, Depends(allow(Role.BUREAU, Role.SERVICE))]
Anyone = PrincipalDep
