"""Engine creation (SQLite in WAL mode as the embedded default, PostgreSQL as the server option)
and the small helpers every repository shares: the clock, chunks of ids, the change counter."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from matcher.errors import StoreError
from matcher.store import tables


def create_engine(url: str) -> sa.Engine:
    """An engine for ``url``; SQLite files get WAL mode, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": 30})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    try:
        return sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)
    except (sa.exc.ArgumentError, ModuleNotFoundError) as exc:
        raise StoreError(
            f"cannot use database URL {url!r}: {exc}; for PostgreSQL install the extra "
            "`pip install .[postgres]` and use postgresql+psycopg://user:pass@host/db",
            zh="数据库地址无法使用：PostgreSQL 需安装 psycopg 并使用 postgresql+psycopg:// 地址",
        ) from exc


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def utcnow() -> datetime:
    return datetime.now(UTC)


def chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def next_seq(conn: sa.Connection) -> int:
    """Take the next value of the change counter (in the caller's transaction)."""
    c = tables.counters.c
    value = conn.execute(
        sa.update(tables.counters)
        .where(c.name == "seq")
        .values(value=c.value + 1)
        .returning(c.value)
    ).scalar_one()
    return int(value)
