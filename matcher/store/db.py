"""Engine creation: SQLite (WAL mode) as the embedded default, PostgreSQL as the server option."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa

from matcher.errors import StoreError


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
            "`pip install .[postgres]` and use postgresql+psycopg://user:pass@host/db"
        ) from exc


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
