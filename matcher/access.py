"""Who may do what: API keys, roles and scopes (no web framework here; ``api/deps.py`` applies
these rules to requests).

A key looks like ``mk_<id>_<secret>``; only a SHA-256 hash of the secret is stored. Roles:

- ``admin``: everything, including key management;
- ``bureau``: everything but key management;
- ``adviser``: graduates in their caseload (``scope.adviser``) or districts (``scope.districts``),
  their recommendations, plans and offers;
- ``employer``: its own postings (``scope.employer``) and their candidates, without contact
  details;
- ``graduate``: its own profile (``scope.graduate``), recommendations and offers;
- ``service``: bulk ingestion and campaigns for the bureau's other systems.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from matcher.errors import MatcherError


class Role(StrEnum):
    ADMIN = "admin"
    BUREAU = "bureau"
    ADVISER = "adviser"
    EMPLOYER = "employer"
    GRADUATE = "graduate"
    SERVICE = "service"


#: The scope entries each role needs (``matcher keys create --scope`` checks them).
SCOPE_KEYS: dict[Role, tuple[str, ...]] = {
    Role.ADVISER: ("adviser", "districts"),
    Role.EMPLOYER: ("employer",),
    Role.GRADUATE: ("graduate",),
}
#: Chinese names of the roles, for messages.
ROLE_ZH = {
    Role.ADMIN: "系统管理员",
    Role.BUREAU: "经办人员",
    Role.ADVISER: "就业指导员",
    Role.EMPLOYER: "用人单位",
    Role.GRADUATE: "毕业生",
    Role.SERVICE: "对接系统",
}
#: Fields of a graduate profile an employer never sees.
CONTACT_FIELDS = ("contact", "name", "adviser", "support", "bio")


class AccessDenied(MatcherError):
    """The caller's role or scope does not allow the request."""

    zh_default = "无权执行此操作：您的角色或权限范围不允许"


class Unauthenticated(MatcherError):
    """No API key, or a key that is unknown or revoked."""

    zh_default = "缺少有效的 API 密钥，或密钥已被吊销"


@dataclass(frozen=True)
class Principal:
    """The caller behind an API key."""

    key_id: str
    role: Role
    scope: dict[str, Any] = field(default_factory=dict)

    @property
    def actor(self) -> str:
        return f"{self.role.value}:{self.key_id}"

    def is_staff(self) -> bool:
        return self.role in (Role.ADMIN, Role.BUREAU)

    def allow(self, *roles: Role) -> None:
        if self.role is Role.ADMIN or self.role in roles:
            return
        raise AccessDenied(
            f"role {self.role.value} may not do this",
            zh=f"当前角色（{ROLE_ZH[self.role]}）无权执行此操作",
        )

    def sees_graduate(self, graduate: dict[str, Any]) -> bool:
        """Whether this caller may read (and act on) the graduate's profile."""
        if self.is_staff():
            return True
        if self.role is Role.GRADUATE:
            return bool(graduate.get("id") == self.scope.get("graduate"))
        if self.role is Role.ADVISER:
            if self.scope.get("adviser") and graduate.get("adviser") == self.scope["adviser"]:
                return True
            code = str(graduate.get("district_code") or "")
            return any(code.startswith(str(d)) for d in self.scope.get("districts", ()))
        return False

    def check_graduate(self, graduate: dict[str, Any]) -> None:
        if not self.sees_graduate(graduate):
            raise AccessDenied(
                f"graduate {graduate.get('id')!r} is outside the scope of key {self.key_id}",
                zh=f"毕业生 {graduate.get('id')} 不在您的服务范围内",
            )

    def owns_position(self, position: dict[str, Any]) -> bool:
        if self.role in (Role.ADMIN, Role.BUREAU, Role.SERVICE):
            return True
        if self.role is Role.EMPLOYER:
            return bool(position.get("employer_id") == self.scope.get("employer"))
        return False

    def check_position(self, position: dict[str, Any]) -> None:
        if not self.owns_position(position):
            raise AccessDenied(
                f"position {position.get('id')!r} belongs to another employer than key "
                f"{self.key_id}'s",
                zh=f"岗位 {position.get('id')} 属于其他用人单位",
            )


def without_contact(graduate: dict[str, Any]) -> dict[str, Any]:
    """A graduate profile as an employer sees it."""
    return {k: v for k, v in graduate.items() if k not in CONTACT_FIELDS}


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
    if len(parts) != 3 or parts[0] != "mk" or not parts[1] or not parts[2]:
        raise Unauthenticated(
            "malformed API key: expected mk_<id>_<secret>",
            zh="API 密钥格式不对：应为 mk_<编号>_<密钥>",
        )
    return parts[1], parts[2]


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)


def check_scope(role: Role, scope: dict[str, Any]) -> dict[str, Any]:
    """Validate a key's scope for its role; returns it with unknown entries refused."""
    needed = SCOPE_KEYS.get(role, ())
    unknown = set(scope) - set(needed)
    if unknown:
        raise ValueError(
            f"scope entries {sorted(unknown)} do not apply to role {role.value}"
            + (f"; it takes {', '.join(needed)}" if needed else "; it takes no scope")
        )
    if role is Role.ADVISER and not (scope.get("adviser") or scope.get("districts")):
        raise ValueError("an adviser key needs --scope adviser=ID and/or districts=CODE[,CODE]")
    for name in needed:
        if role is not Role.ADVISER and not scope.get(name):
            raise ValueError(f"a {role.value} key needs --scope {name}=ID")
    return scope
