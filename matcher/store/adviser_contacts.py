"""Advisers' contact details, kept by the bureau and shown to the graduates each adviser is
responsible for (on their plan page): a name, a phone number, an office and its hours. One row
per adviser id; setting it again replaces it. Every change is audited."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from matcher.errors import ValidationError
from matcher.store import tables
from matcher.store.db import utcnow
from matcher.store.keys import audit
from matcher.store.repository import Store

FIELDS = ("name", "phone", "office", "hours")
_LIMITS = {"name": 40, "phone": 30, "office": 200, "hours": 100}
_ZH = {"name": "姓名", "phone": "电话", "office": "办公地点", "hours": "办公时间"}
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{2,28}$")


def _checked(adviser_id: str, given: dict[str, str]) -> dict[str, str]:
    values = {f: (given.get(f) or "").strip() for f in FIELDS}
    for field in ("name", "phone"):
        if not values[field]:
            raise ValidationError(
                f"{field} is required",
                record_id=adviser_id,
                field=field,
                zh=f"指导员 {adviser_id} 的{_ZH[field]}不能为空",
            )
    for field, limit in _LIMITS.items():
        if len(values[field]) > limit:
            raise ValidationError(
                f"{field} is longer than {limit} characters",
                record_id=adviser_id,
                field=field,
                zh=f"指导员 {adviser_id} 的{_ZH[field]}超过 {limit} 个字符",
            )
    if not _PHONE.match(values["phone"]):
        raise ValidationError(
            "phone holds digits, spaces, brackets and dashes (12333, 023-6789 1234)",
            record_id=adviser_id,
            field="phone",
            zh=f"指导员 {adviser_id} 的电话只能包含数字、空格、括号和连字符，如 023-67891234",
        )
    return values


class AdviserContacts:
    def __init__(self, store: Store) -> None:
        self.store = store

    def set(self, adviser_id: str, given: dict[str, str], actor: str) -> dict[str, Any]:
        """Store (or replace) an adviser's contact details; returns them."""
        if not re.fullmatch(r"[\w.:-]{1,128}", adviser_id):
            raise ValidationError(
                "an adviser id is 1-128 letters, digits, '.', ':', '_' or '-'",
                record_id=adviser_id,
                field="adviser_id",
                zh="指导员编号格式有误，如 a-500112",
            )
        row = {**_checked(adviser_id, given), "updated_by": actor, "updated_at": utcnow()}
        c = tables.adviser_contacts.c
        with self.store.engine.begin() as conn:
            changed = conn.execute(
                sa.update(tables.adviser_contacts).where(c.adviser_id == adviser_id).values(row)
            ).rowcount
            if not changed:
                conn.execute(
                    sa.insert(tables.adviser_contacts).values(adviser_id=adviser_id, **row)
                )
        audit(self.store, actor, "set_contact", "advisers", [adviser_id])
        return self.of([adviser_id])[adviser_id]

    def of(self, adviser_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Contact details by adviser id, for those that have them."""
        ids = sorted({a for a in adviser_ids if a})
        if not ids:
            return {}
        c = tables.adviser_contacts.c
        with self.store.engine.connect() as conn:
            rows = conn.execute(sa.select(tables.adviser_contacts).where(c.adviser_id.in_(ids)))
            return {r.adviser_id: dict(r._mapping) for r in rows}

    def all(self) -> list[dict[str, Any]]:
        c = tables.adviser_contacts.c
        with self.store.engine.connect() as conn:
            rows = conn.execute(sa.select(tables.adviser_contacts).order_by(c.adviser_id))
            return [dict(r._mapping) for r in rows]
