"""Engine creation (SQLite in WAL mode as the embedded default, PostgreSQL as the server option)
and the small helpers every repository shares: the clock, chunks of ids, the change counter."""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from matcher.errors import StoreError
from matcher.store import tables


def create_engine(url: str) -> sa.Engine:
    """An engine for ``url``; SQLite files get WAL mode, foreign keys and a busy timeout. Errors
    never carry the statement's parameters (names, phone numbers): logs show ids and SQL only."""
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    try:
        return sa.create_engine(
            url, pool_pre_ping=True, pool_size=10, max_overflow=10, hide_parameters=True
        )
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
    cursor.execute("PRAGMA secure_delete=ON")  # freed pages are zeroed: erased data is gone
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


#: Database-wide locks, by name (PostgreSQL advisory lock keys).
LOCKS = {"offers": 0x6F66_6672, "records": 0x7265_6373}


@contextmanager
def serialised(engine: sa.Engine, name: str) -> Iterator[sa.Connection]:
    """A write transaction that holds the database-wide lock ``name`` until it ends, so that a
    rule checked inside it (a weekly cap, a posting's capacity) still holds when it commits,
    however many server processes write at once: an immediate transaction on SQLite (one
    writer at a time), a transaction-level advisory lock on PostgreSQL."""
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCKS[name])))
        yield conn


def describe(exc: BaseException, frames: bool = False) -> str:
    """A text for logs and stored run errors that never carries a database error's values
    (PostgreSQL's DETAIL repeats the failing row: names, phone numbers): a database error is
    named by its kind and code, anything else by its type and message; ``frames`` adds where
    it happened (files and lines only)."""
    if isinstance(exc, sa.exc.DBAPIError):
        orig = exc.orig
        code = getattr(orig, "sqlstate", None) or getattr(orig, "sqlite_errorname", None)
        text = f"database error {type(orig).__name__}" + (f" (code {code})" if code else "")
    else:
        text = f"{type(exc).__name__}: {exc}"
    if frames:
        where = traceback.format_list(traceback.extract_tb(exc.__traceback__, limit=5))
        text += "\n" + "".join(where)
    return text
