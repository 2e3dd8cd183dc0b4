"""Who may do what: roles and scopes of API keys (no web framework here; ``api/deps.py`` applies
these rules to requests; the keys themselves are :mod:`matcher.credentials`). Roles: ``admin``
everything, key management included; ``bureau`` everything but key management; ``adviser``
graduates of their caseload (``scope.adviser``) or districts (``scope.districts``), their
recommendations, plans and offers; ``employer`` its own postings (``scope.employer``) and their
candidates without contact details; ``graduate`` its own profile (``scope.graduate``),
recommendations and offers; ``service`` bulk ingestion and campaigns for the bureau's other
systems; ``partner`` one registered partner of the bureau (``scope.partner``), whose keys stop
working the moment it is suspended."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from matcher.errors import MatcherError
from matcher.records.sharing import shares


class Role(StrEnum):
    ADMIN = "admin"
    BUREAU = "bureau"
    ADVISER = "adviser"
    EMPLOYER = "employer"
    GRADUATE = "graduate"
    SERVICE = "service"
    PARTNER = "partner"


#: The scope entries each role needs (``matcher keys create --scope`` checks them).
SCOPE_KEYS: dict[Role, tuple[str, ...]] = {
    Role.ADVISER: ("adviser", "districts"),
    Role.EMPLOYER: ("employer",),
    Role.GRADUATE: ("graduate",),
    Role.PARTNER: ("partner",),
}
#: Chinese names of the roles, for messages.
ROLE_ZH = {
    Role.ADMIN: "系统管理员",
    Role.BUREAU: "经办人员",
    Role.ADVISER: "就业指导员",
    Role.EMPLOYER: "用人单位",
    Role.GRADUATE: "毕业生",
    Role.SERVICE: "对接系统",
    Role.PARTNER: "合作机构",
}
#: Fields of a graduate profile an employer never sees.
CONTACT_FIELDS = ("contact", "name", "adviser", "support", "bio")


class AccessDenied(MatcherError):
    """The caller's role or scope does not allow the request (``field``: the field of the
    record it may not set, when that is the reason)."""

    zh_default = "无权执行此操作：您的角色或权限范围不允许"

    def __init__(self, message: str = "", *, zh: str | None = None, field: str | None = None):
        super().__init__(message, zh=zh)
        self.field = field


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
        if self.role is Role.PARTNER:  # a university: the graduates it supplied who share
            return self.supplied(graduate) and shares(graduate, "school")
        if self.role is Role.ADVISER:
            if self.scope.get("adviser") and graduate.get("adviser") == self.scope["adviser"]:
                return True
            code = str(graduate.get("district_code") or "")
            return any(code.startswith(str(d)) for d in self.scope.get("districts", ()))
        return False

    def supplied(self, graduate: dict[str, Any]) -> bool:
        """Whether this is the university key that supplies the graduate's profile (it keeps
        the roster up to date even when the graduate does not share the rest with it)."""
        return bool(
            self.role is Role.PARTNER
            and graduate.get("partner")
            and graduate["partner"] == self.scope["partner"]
        )

    def check_graduate(self, graduate: dict[str, Any]) -> None:
        if not self.sees_graduate(graduate):
            raise AccessDenied(
                f"graduate {graduate.get('id')!r} is outside the scope of key {self.key_id}",
                zh=f"毕业生 {graduate.get('id')} 不在您的服务范围内",
            )

    def sees_flagged(self) -> bool:
        """Whether postings the compliance screener flagged (waiting for review, or rejected)
        are shown to this caller; an employer sees only its own (:meth:`sees_position`)."""
        return self.role in (Role.ADMIN, Role.BUREAU, Role.ADVISER)

    def own_employer(self) -> str | None:
        """The employer an employer key acts for; None for any other role."""
        return str(self.scope.get("employer")) if self.role is Role.EMPLOYER else None

    def sees_position(self, position: dict[str, Any]) -> bool:
        """Whether this caller may read the posting: a flagged one only staff, advisers and
        the employer who posted it (who sees its flag)."""
        if not position.get("flagged") or self.sees_flagged():
            return True
        return (
            self.own_employer() is not None and position.get("employer_id") == self.own_employer()
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


#: The answer to any key that does not open the door, whether its id exists or not.
