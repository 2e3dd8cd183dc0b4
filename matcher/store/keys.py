"""API keys (hashed secrets, role, scope), console sessions and the audit log of who read or
changed what."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from matcher.access import Role
from matcher.credentials import check_scope, new_key
from matcher.errors import NotFoundError
from matcher.store import tables
from matcher.store.db import utcnow
from matcher.store.repository import Store


class ApiKeys:
    def __init__(self, store: Store) -> None:
        self.engine = store.engine

    def issue(self, role: str, scope: dict[str, Any], name: str = "") -> tuple[str, str]:
        """A new key for ``role``, its scope checked: (key id, the full key, shown once).
        Only a hash of the secret is stored."""
        checked = check_scope(Role(role), scope)
        key_id, key, secret_hash = new_key()
        with self.engine.begin() as conn:
            if Role(role) is Role.PARTNER:
                p = tables.partners.c
                found = conn.execute(sa.select(p.id).where(p.id == checked["partner"])).first()
                if found is None:  # a key for no registered partner would never work
                    raise NotFoundError("partner", checked["partner"])
            conn.execute(
                sa.insert(tables.api_keys).values(
                    id=key_id,
                    secret_hash=secret_hash,
                    role=Role(role).value,
                    scope=checked,
                    name=name,
                    created_at=utcnow(),
                )
            )
        return key_id, key

    def get(self, key_id: str) -> dict[str, Any] | None:
        k = tables.api_keys.c
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(tables.api_keys).where(k.id == key_id)).mappings().first()
        return dict(row) if row else None

    def all(self) -> list[dict[str, Any]]:
        k = tables.api_keys.c
        columns = [k.id, k.role, k.scope, k.name, k.created_at, k.revoked_at]
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(*columns).order_by(k.created_at)).mappings()
            return [
                {n: v.isoformat() if isinstance(v, datetime) else v for n, v in r.items()}
                for r in rows
            ]

    def revoke(self, key_id: str) -> None:
        k = tables.api_keys.c
        with self.engine.begin() as conn:
            done = conn.execute(
                sa.update(tables.api_keys).where(k.id == key_id).values(revoked_at=utcnow())
            ).rowcount
        if not done:
            raise NotFoundError("API key", key_id)


class ConsoleSessions:
    """Server-side sessions of the adviser console. The cookie carries a random token; only
    its hash is stored, with the key it belongs to and when it ends. A session is valid while
    it is neither ended (logout) nor expired, whatever cookie a browser still holds."""

    def __init__(self, store: Store) -> None:
        self.engine = store.engine

    @staticmethod
    def _hash(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    def open(self, key_id: str, lifetime: timedelta) -> str:
        """A new session for ``key_id``; returns the token to put in the cookie."""
        token = secrets.token_urlsafe(32)
        now = utcnow()
        with self.engine.begin() as conn:
            conn.execute(
                sa.insert(tables.console_sessions).values(
                    id=self._hash(token), key_id=key_id, created_at=now, expires_at=now + lifetime
                )
            )
        return token

    def key_of(self, token: str) -> str | None:
        """The key id of a live session, None when the token is unknown, ended or expired."""
        s = tables.console_sessions.c
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(s.key_id, s.expires_at, s.ended_at).where(s.id == self._hash(token))
            ).first()
        if row is None or row.ended_at is not None:
            return None
        expires = row.expires_at
        if expires.tzinfo is None:  # SQLite gives back naive UTC times
            expires = expires.replace(tzinfo=UTC)
        return str(row.key_id) if expires > utcnow() else None

    def end(self, token: str) -> None:
        s = tables.console_sessions.c
        with self.engine.begin() as conn:
            conn.execute(
                sa.update(tables.console_sessions)
                .where(s.id == self._hash(token), s.ended_at.is_(None))
                .values(ended_at=utcnow())
            )


def audit(
    store: Store,
    actor: str,
    action: str,
    entity: str,
    entity_ids: Sequence[str],
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one audit entry per record (reads of graduate profiles, rule overrides...)."""
    if not entity_ids:
        return
    now = utcnow()
    rows = [
        {
            "at": now,
            "actor": actor,
            "action": action,
            "entity": entity,
            "entity_id": rid,
            "detail": detail or {},
        }
        for rid in entity_ids
    ]
    with store.engine.begin() as conn:
        conn.execute(sa.insert(tables.audit_log), rows)


def audit_entries(store: Store, entity_id: str | None = None) -> list[dict[str, Any]]:
    a = tables.audit_log.c
    query = sa.select(tables.audit_log).order_by(a.id)
    if entity_id:
        query = query.where(a.entity_id == entity_id)
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]
