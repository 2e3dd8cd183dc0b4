"""Employers a human-resources agency may post for (代理招聘授权). The bureau or the employer
grants an authorisation with the last day it holds; there is one per agency and employer (the
database's key: granting again moves the end date and lifts a revocation); the bureau, the
employer or the agency revokes it. Every posting an agency writes and every candidate list it
reads is checked against it, on the day of the request (China time). Every change is
audited."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from matcher.errors import ConflictError, NotFoundError, ValidationError
from matcher.store import tables
from matcher.store.db import utcnow
from matcher.store.keys import audit
from matcher.store.partners import Partners
from matcher.store.repository import Store
from matcher.types import REPORT_TZ

#: The longest an authorisation may run from the day it is granted.
MAX_DAYS = 3 * 366


def today() -> date:
    return datetime.now(REPORT_TZ).date()


def _until(given: Any, on: date) -> date:
    try:
        until = given if isinstance(given, date) else date.fromisoformat(str(given))
    except ValueError:
        raise ValidationError(
            f"until must be a date written YYYY-MM-DD; got {given!r:.40}",
            field="until",
            zh="授权截止日期应写作 YYYY-MM-DD，例如 2027-06-30",
        ) from None
    if not on <= until <= on + timedelta(days=MAX_DAYS):
        raise ValidationError(
            f"until must lie between today ({on}) and three years from now",
            field="until",
            zh="授权截止日期须在今天到三年之内",
        )
    return until


def _shown(row: Any, on: date) -> dict[str, Any]:
    return {
        "agency_id": row.agency_id,
        "employer_id": row.employer_id,
        "valid_until": row.valid_until.isoformat(),
        "granted_by": row.granted_by,
        "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
        "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None,
        "active": row.revoked_at is None and row.valid_until >= on,
    }


class Authorisations:
    def __init__(self, store: Store) -> None:
        self.store = store

    def _agency(self, agency_id: str) -> dict[str, Any]:
        partner = Partners(self.store).get(agency_id)
        if partner["kind"] != "agency":
            raise ConflictError(
                f"partner {agency_id!r} is a {partner['kind']}; only agencies post for employers",
                zh="只有人力资源服务机构可以获得代理招聘授权",
            )
        return partner

    def grant(self, agency_id: str, employer_id: str, until: Any, actor: str) -> dict[str, Any]:
        """Authorise the agency to post for the employer up to ``until`` (inclusive)."""
        on = today()
        last = _until(until, on)
        self._agency(agency_id)
        self.store.get("employers", employer_id)  # raises NotFoundError naming it
        a = tables.agency_authorisations.c
        at = utcnow()
        values = {"valid_until": last, "granted_by": actor, "updated_at": at}
        key = sa.and_(a.agency_id == agency_id, a.employer_id == employer_id)
        with self.store.engine.begin() as conn:
            changed = conn.execute(
                sa.update(tables.agency_authorisations)
                .where(key)
                .values(**values, revoked_at=None, revoked_by=None)
            ).rowcount
            if not changed:
                conn.execute(
                    sa.insert(tables.agency_authorisations).values(
                        agency_id=agency_id, employer_id=employer_id, created_at=at, **values
                    )
                )
        audit(
            self.store,
            actor,
            "authorise",
            "partner",
            [agency_id],
            {"employer_id": employer_id, "until": last.isoformat()},
        )
        return self.get(agency_id, employer_id)

    def revoke(self, agency_id: str, employer_id: str, actor: str) -> dict[str, Any]:
        a = tables.agency_authorisations.c
        key = sa.and_(a.agency_id == agency_id, a.employer_id == employer_id)
        at = utcnow()
        with self.store.engine.begin() as conn:
            done = conn.execute(
                sa.update(tables.agency_authorisations)
                .where(key, a.revoked_at.is_(None))
                .values(revoked_at=at, revoked_by=actor, updated_at=at)
            ).rowcount
        if done:
            audit(self.store, actor, "revoke", "partner", [agency_id], {"employer_id": employer_id})
        return self.get(agency_id, employer_id)

    def get(self, agency_id: str, employer_id: str) -> dict[str, Any]:
        a = tables.agency_authorisations.c
        with self.store.engine.connect() as conn:
            row = conn.execute(
                sa.select(tables.agency_authorisations).where(
                    a.agency_id == agency_id, a.employer_id == employer_id
                )
            ).first()
        if row is None:
            raise NotFoundError("authorisation", f"{agency_id}/{employer_id}")
        return _shown(row, today())

    def page(
        self, agency_id: str | None = None, employer_id: str | None = None
    ) -> list[dict[str, Any]]:
        a = tables.agency_authorisations.c
        query = sa.select(tables.agency_authorisations).order_by(a.agency_id, a.employer_id)
        if agency_id is not None:
            query = query.where(a.agency_id == agency_id)
        if employer_id is not None:
            query = query.where(a.employer_id == employer_id)
        with self.store.engine.connect() as conn:
            rows = conn.execute(query).all()
        on = today()
        return [_shown(r, on) for r in rows]

    def authorised(self, agency_id: str, employer_ids: set[str]) -> set[str]:
        """Of ``employer_ids``, those the agency may post for today."""
        if not employer_ids:
            return set()
        a = tables.agency_authorisations.c
        with self.store.engine.connect() as conn:
            return set(
                conn.execute(
                    sa.select(a.employer_id).where(
                        a.agency_id == agency_id,
                        a.employer_id.in_(sorted(employer_ids)),
                        a.revoked_at.is_(None),
                        a.valid_until >= today(),
                    )
                ).scalars()
            )
