"""One-time sign-in links for graduates' own pages. The bureau, an adviser or a service issues a
link for one graduate; only the SHA-256 of its random token is stored, with who issued it and
when it expires. Opening the link uses it up in one conditional update (unused, not revoked,
not expired), so two browsers racing with the same link cannot both sign in, whichever process
serves them. Issuing, using and revoking are audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from matcher.access import AccessDenied
from matcher.errors import ValidationError
from matcher.store import tables
from matcher.store.db import utcnow
from matcher.store.keys import audit
from matcher.store.repository import Store

#: How long a link stays valid unless the issuer says otherwise, and the longest allowed.
LINK_LIFETIME = timedelta(hours=24)
MAX_LIFETIME = timedelta(days=7)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


class SignInLinks:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine

    def issue(
        self, graduate_id: str, actor: str, lifetime: timedelta = LINK_LIFETIME
    ) -> tuple[str, datetime]:
        """A new link token for a stored graduate, and when it expires. Raises
        ``NotFoundError`` for an unknown graduate and ``ValidationError`` for a lifetime outside
        one minute to seven days."""
        if not timedelta(minutes=1) <= lifetime <= MAX_LIFETIME:
            raise ValidationError(
                "a sign-in link lasts between one minute and seven days",
                field="hours",
                zh="登录链接的有效期须在 1 分钟到 7 天之间",
            )
        graduate = self.store.get("graduates", graduate_id)
        if graduate.get("erased_at"):
            raise AccessDenied(
                f"graduate {graduate_id!r} was erased", zh="该求职者的档案已删除，不能签发登录链接"
            )
        token = secrets.token_urlsafe(32)
        now = utcnow()
        expires = now + lifetime
        with self.engine.begin() as conn:
            conn.execute(
                sa.insert(tables.graduate_links).values(
                    id=_hash(token),
                    graduate_id=graduate_id,
                    issued_by=actor,
                    created_at=now,
                    expires_at=expires,
                )
            )
        audit(
            self.store, actor, "link_issued", "graduates", [graduate_id], {"expires": str(expires)}
        )
        return token, expires

    def redeem(self, token: str) -> str:
        """Use a link up and return its graduate's id. Raises ``AccessDenied`` with a Chinese
        reason when the link is unknown, used, revoked or expired."""
        link = tables.graduate_links.c
        now = utcnow()
        with self.engine.begin() as conn:
            used = conn.execute(
                sa.update(tables.graduate_links)
                .where(
                    link.id == _hash(token),
                    link.used_at.is_(None),
                    link.revoked_at.is_(None),
                    link.expires_at > now,
                )
                .values(used_at=now)
            ).rowcount
            row = conn.execute(
                sa.select(link.graduate_id, link.used_at, link.revoked_at, link.expires_at).where(
                    link.id == _hash(token)
                )
            ).first()
        if row is None:
            raise AccessDenied(
                "unknown sign-in link", zh="登录链接无效，请向指导员或就业服务机构重新索取"
            )
        if not used:
            if row.revoked_at is not None:
                why, zh = "revoked", "该登录链接已被撤销，请重新索取"
            elif _aware(row.expires_at) <= now:
                why, zh = "expired", "该登录链接已过期，请重新索取"
            else:
                why, zh = "used", "该登录链接已使用过（每个链接只能使用一次），请重新索取"
            raise AccessDenied(f"the sign-in link was {why}", zh=zh)
        audit(
            self.store, f"graduate:{row.graduate_id}", "link_used", "graduates", [row.graduate_id]
        )
        return str(row.graduate_id)

    def revoke(self, graduate_id: str, actor: str) -> int:
        """Revoke every live (unused, unexpired) link of a graduate; returns how many."""
        link = tables.graduate_links.c
        now = utcnow()
        with self.engine.begin() as conn:
            done = conn.execute(
                sa.update(tables.graduate_links)
                .where(
                    link.graduate_id == graduate_id,
                    link.used_at.is_(None),
                    link.revoked_at.is_(None),
                    link.expires_at > now,
                )
                .values(revoked_at=now)
            ).rowcount
        audit(self.store, actor, "links_revoked", "graduates", [graduate_id], {"links": done})
        return int(done)

    def of(self, graduate_id: str) -> list[dict[str, Any]]:
        """A graduate's links, newest first (no tokens: they are not kept)."""
        link = tables.graduate_links.c
        query = (
            sa.select(
                link.issued_by, link.created_at, link.expires_at, link.used_at, link.revoked_at
            )
            .where(link.graduate_id == graduate_id)
            .order_by(link.created_at.desc())
        )
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]
