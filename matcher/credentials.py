"""API keys: making them (``mk_<id>_<secret>``, only a hash of the secret is kept), reading a
presented one, the caller behind it, and the key's scope typed per role (``--scope
adviser=ID``, ``districts=CODES``...) with errors that name the entry in English and Chinese."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Annotated, Any

import pydantic
from pydantic import BaseModel, ConfigDict, Field, Strict

from matcher.access import ROLE_ZH, SCOPE_KEYS, AccessDenied, Principal, Role, Unauthenticated

BAD_KEY = (
    "API key is unknown, revoked or does not match",
    "API 密钥无效、已被吊销或不匹配",
)
#: Compared against when the id is unknown, so that both cases take the same time.
_NO_HASH = hashlib.sha256(b"no such key").hexdigest()
_KEY_ID = frozenset("0123456789abcdefABCDEF")


def new_key() -> tuple[str, str, str]:
    """A fresh key: (key id, full key to hand out once, hash to store)."""
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(24)
    return key_id, f"mk_{key_id}_{secret}", hash_secret(secret)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def parse_key(key: str) -> tuple[str, str]:
    """(key id, secret) of a presented key; raises :class:`Unauthenticated` when malformed."""
    parts = key.strip().split("_", 2)
    if (
        len(parts) != 3
        or parts[0] != "mk"
        or not 0 < len(parts[1]) <= 32
        or not set(parts[1]) <= _KEY_ID
        or not 0 < len(parts[2]) <= 200
    ):
        raise Unauthenticated(
            "malformed API key: expected mk_<id>_<secret>",
            zh="API 密钥格式不对：应为 mk_<编号>_<密钥>",
        )
    return parts[1], parts[2]


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)


def authenticate(key_id: str, secret: str, stored: dict[str, Any] | None) -> Principal:
    """The caller behind a presented key, given the stored key of that id (None: no such id).
    An unknown id, a revoked key and a wrong secret get the same answer, in the same time."""
    matches = secret_matches(secret, stored["secret_hash"] if stored else _NO_HASH)
    if stored is None or stored["revoked_at"] is not None or not matches:
        raise Unauthenticated(BAD_KEY[0], zh=BAD_KEY[1])
    return stored_principal(key_id, stored)


def stored_principal(key_id: str, stored: dict[str, Any]) -> Principal:
    """The principal of a stored key; a key stored before scopes were typed whose scope is not
    valid any more is refused rather than read loosely (a text ``districts`` would widen)."""
    try:
        role = Role(stored["role"])
        scope = check_scope(role, stored["scope"] or {})
    except ValueError:
        raise AccessDenied(
            f"API key {key_id} has an invalid scope; an admin must issue a new key",
            zh="该 API 密钥的权限范围无效，请联系管理员重新签发",
        ) from None
    return Principal(key_id, role, scope)


class ScopeError(ValueError):
    """A key's scope that does not fit its role: ``field`` names the entry (``scope.districts``)."""

    def __init__(self, field: str, message: str, zh: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.zh = zh


_Ref = Annotated[str, Strict(), Field(min_length=1, max_length=128, pattern=r"^[^\W_][\w.:@-]*$")]
_Code = Annotated[str, Strict(), Field(pattern=r"^[0-9]{2,12}$")]


class KeyScope(BaseModel):
    """A key's scope, typed: an adviser, employer or graduate id is a text; districts are a
    non-empty list of division codes (a prefix such as ``5001`` covers the city)."""

    model_config = ConfigDict(extra="forbid")

    adviser: _Ref | None = None
    employer: _Ref | None = None
    graduate: _Ref | None = None
    partner: _Ref | None = None
    districts: Annotated[list[_Code], Field(min_length=1, max_length=100)] | None = None


_SCOPE_ZH = {
    "string_type": "应为文本（编号）",
    "list_type": '应为行政区划代码的列表，如 ["500112"]',
    "too_short": "不能为空",
    "too_long": "条目过多（最多 100 项）",
    "string_too_short": "不能为空",
    "string_too_long": "过长（最多 128 个字符）",
    "string_pattern_mismatch": "编号只能包含字母、数字、汉字和 - _ . : @",
    "districts:string_pattern_mismatch": "应为行政区划代码（2 至 12 位数字，如 500112）",
}


def _scope_error(error: Any) -> ScopeError:
    loc = [str(p) if isinstance(p, str) else f"[{p}]" for p in error["loc"]]
    field = "scope." + ".".join(loc).replace(".[", "[")
    kind = error["type"]
    zh = _SCOPE_ZH.get(f"{loc[0]}:{kind}", _SCOPE_ZH.get(kind, "取值无效"))
    return ScopeError(field, f"{error['msg']} (got {error.get('input')!r:.40})", zh)


def check_scope(role: Role, scope: Any) -> dict[str, Any]:
    """Validate a key's scope for its role (:class:`KeyScope`); returns it as stored."""
    if not isinstance(scope, dict):
        raise ScopeError("scope", 'must be an object such as {"adviser": "a-1"}', "应为对象")
    needed = SCOPE_KEYS.get(role, ())
    unknown = sorted(set(scope) - set(needed))
    if unknown:
        takes = f"; it takes {', '.join(needed)}" if needed else "; it takes no scope"
        raise ScopeError(
            f"scope.{unknown[0]}",
            f"scope entries {unknown} do not apply to role {role.value}{takes}",
            f"权限范围 {'、'.join(unknown)} 不适用于{ROLE_ZH[role]}密钥"
            + (f"（可用：{'、'.join(needed)}）" if needed else "（该角色不需要权限范围）"),
        )
    try:
        typed = KeyScope.model_validate(scope).model_dump(exclude_none=True)
    except pydantic.ValidationError as exc:
        raise _scope_error(exc.errors()[0]) from None
    if role is Role.ADVISER and not typed:
        raise ScopeError(
            "scope",
            "an adviser key needs --scope adviser=ID and/or districts=CODE[,CODE]",
            "指导员密钥需要权限范围 adviser（指导员编号）和/或 districts（行政区划代码）",
        )
    for name in needed:
        if role is not Role.ADVISER and name not in typed:
            raise ScopeError(
                f"scope.{name}",
                f"a {role.value} key needs --scope {name}=ID",
                f"{ROLE_ZH[role]}密钥需要权限范围 {name}",
            )
    return typed
