"""The bureau's partners (一库四联盟): universities and vocational colleges, employers, human-
resources service agencies and training institutions. Each is registered once by the bureau,
unique by kind and code (a university's 5-digit school code, anyone else's unified social
credit code — the database refuses a second registration), with the districts it serves and a
contact. A partner's API keys (role ``partner``) work only while it is active: suspending it
shuts them out on their next request. Every change is audited."""

from __future__ import annotations

import re
import secrets
from typing import Any

import sqlalchemy as sa

from matcher.access import Unauthenticated
from matcher.errors import ConflictError, NotFoundError, TaxonomyError, ValidationError
from matcher.store import tables
from matcher.store.db import utcnow
from matcher.store.keys import audit
from matcher.store.repository import Store
from matcher.taxonomy import credit_code
from matcher.taxonomy.regions import load_regions

#: The partner kinds and their Chinese names.
KINDS = {
    "university": "高校",
    "employer": "用人单位",
    "agency": "人力资源服务机构",
    "training": "培训机构",
}
STATUSES = {"active": "正常", "suspended": "已暂停"}
_SCHOOL_CODE = re.compile(r"^[0-9]{5}$")


def _invalid(field: str, message: str, zh: str, record_id: str | None = None) -> ValidationError:
    return ValidationError(message, record_id=record_id, field=field, zh=zh)


def checked(given: dict[str, Any]) -> dict[str, Any]:
    """A new partner's fields, validated: kind, name, code (checked for the kind), districts
    (division codes, at least one) and contact."""
    kind = str(given.get("kind") or "")
    if kind not in KINDS:
        raise _invalid(
            "kind",
            f"kind must be one of {', '.join(KINDS)}",
            f"合作机构类型须为：{'、'.join(f'{k}（{v}）' for k, v in KINDS.items())}",
        )
    name = str(given.get("name") or "").strip()
    if not 2 <= len(name) <= 100:
        raise _invalid("name", "name is 2-100 characters", "机构名称须为 2 到 100 个字符")
    code = str(given.get("code") or "").strip().upper()
    if kind == "university":
        if not _SCHOOL_CODE.match(code):
            raise _invalid(
                "code",
                "a university's code is its 5-digit school code (重庆大学 10611)",
                "高校的代码应为 5 位院校代码，如重庆大学 10611",
            )
    elif not credit_code.is_valid(code):
        raise _invalid(
            "code",
            "code must be a valid 18-character unified social credit code",
            "代码应为有效的 18 位统一社会信用代码（含校验位）",
        )
    districts = [str(d).strip() for d in given.get("districts") or [] if str(d).strip()]
    if not districts:
        raise _invalid("districts", "at least one district code", "至少填写一个服务区县代码")
    regions = load_regions()
    for code_ in districts:
        try:
            regions.get(code_)
        except TaxonomyError:
            raise _invalid(
                "districts",
                f"unknown division code {code_!r}",
                f"无法识别的行政区划代码 {code_}，请使用 6 位代码，如渝北区 500112",
            ) from None
    contact = str(given.get("contact") or "").strip()
    if len(contact) > 200:
        raise _invalid(
            "contact", "contact is at most 200 characters", "联系方式不能超过 200 个字符"
        )
    return {"kind": kind, "name": name, "code": code, "districts": districts, "contact": contact}


def _shown(row: Any) -> dict[str, Any]:
    out = dict(row._mapping)
    for key in ("created_at", "updated_at"):
        out[key] = out[key].isoformat()
    return out


class Partners:
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(
        self, given: dict[str, Any], actor: str, partner_id: str | None = None
    ) -> dict[str, Any]:
        """Register a partner (a new ``pt-…`` id unless given); ``ConflictError`` when one of
        that kind and code, or that id, exists."""
        row = checked(given)
        now = utcnow()
        partner_id = partner_id or f"pt-{secrets.token_hex(4)}"
        values = {**row, "id": partner_id, "status": "active", "status_reason": ""}
        values |= {"created_at": now, "updated_at": now, "updated_by": actor}
        try:
            with self.store.engine.begin() as conn:
                conn.execute(sa.insert(tables.partners).values(values))
        except sa.exc.IntegrityError:
            raise ConflictError(
                f"a {row['kind']} with code {row['code']} is registered already",
                zh=f"代码为 {row['code']} 的{KINDS[row['kind']]}已登记，请勿重复登记",
            ) from None
        audit(self.store, actor, "add", "partners", [partner_id], {"kind": row["kind"]})
        return self.get(partner_id)

    def get(self, partner_id: str) -> dict[str, Any]:
        p = tables.partners.c
        with self.store.engine.connect() as conn:
            row = conn.execute(sa.select(tables.partners).where(p.id == partner_id)).first()
        if row is None:
            raise NotFoundError("partner", partner_id)
        return _shown(row)

    def page(self, kind: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
        p = tables.partners.c
        query = sa.select(tables.partners).order_by(p.kind, p.name, p.id)
        if kind:
            query = query.where(p.kind == kind)
        if status:
            query = query.where(p.status == status)
        with self.store.engine.connect() as conn:
            return [_shown(r) for r in conn.execute(query)]

    def set_status(self, partner_id: str, status: str, reason: str, actor: str) -> dict[str, Any]:
        """Suspend (with a reason) or reactivate a partner; its keys follow at once."""
        if status not in STATUSES:
            raise _invalid(
                "status", "status is active or suspended", "状态须为 active 或 suspended"
            )
        reason = reason.strip()
        if status == "suspended" and not reason:
            raise _invalid("reason", "say why the partner is suspended", "暂停合作机构须填写原因")
        p = tables.partners.c
        with self.store.engine.begin() as conn:
            done = conn.execute(
                sa.update(tables.partners)
                .where(p.id == partner_id)
                .values(status=status, status_reason=reason, updated_at=utcnow(), updated_by=actor)
            ).rowcount
        if not done:
            raise NotFoundError("partner", partner_id)
        audit(self.store, actor, status, "partners", [partner_id], {"reason": reason})
        return self.get(partner_id)

    def require_active(self, partner_id: str) -> dict[str, Any]:
        """The partner behind a key, which must be registered and active."""
        try:
            partner = self.get(partner_id)
        except NotFoundError:
            partner = None
        if partner is None or partner["status"] != "active":
            raise Unauthenticated(
                f"partner {partner_id!r} is not registered or is suspended",
                zh="该合作机构未登记或已被暂停，其密钥不能使用；请联系人社部门",
            )
        return partner
