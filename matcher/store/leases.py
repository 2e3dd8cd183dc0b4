"""Leases on background runs (campaigns, plan generation jobs). A runner claims a waiting run,
or one whose lease expired because its runner died, and holds it by renewing the lease while
it works; every commit of its results checks that it still holds the lease, so a runner that
lost it (paused past the expiry, then woke) writes nothing more."""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import sqlalchemy as sa

from matcher.errors import ConflictError
from matcher.store.db import utcnow

#: Statuses of a run that waits to be claimed.
WAITING = ("queued", "scheduled")


class LeaseLost(ConflictError):
    """Another runner took the run over: this one stops without writing."""

    def __init__(self, run_id: str) -> None:
        super().__init__(
            f"run {run_id!r} was taken over by another runner after its lease expired",
            zh="该任务的租约已过期并由其他进程接管，本进程停止运行",
        )


def runner_id() -> str:
    """A name for this runner, unique across processes and machines."""
    return f"{socket.gethostname()[:24]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def claimable(table: sa.Table, now: datetime) -> sa.ColumnElement[bool]:
    """Runs that may be claimed now: waiting, or running under an expired lease."""
    c = table.c
    return sa.or_(
        c.status.in_(WAITING),
        sa.and_(c.status == "running", sa.or_(c.lease_until.is_(None), c.lease_until < now)),
    )


def claim(engine: sa.Engine, table: sa.Table, run_id: str, owner: str, seconds: float) -> bool:
    """Take the run for ``owner`` for ``seconds``; False when it is held or finished."""
    now = utcnow()
    c = table.c
    values: dict[str, object] = {
        "status": "running",
        "lease_owner": owner,
        "lease_until": now + timedelta(seconds=seconds),
        "started_at": sa.func.coalesce(c.started_at, now),
    }
    with engine.begin() as conn:
        done = conn.execute(
            sa.update(table).where(c.id == run_id, claimable(table, now)).values(**values)
        ).rowcount
    return bool(done)


def renew(conn: sa.Connection, table: sa.Table, run_id: str, owner: str, seconds: float) -> None:
    """Extend the lease in the caller's transaction; :class:`LeaseLost` when it is no longer
    this owner's (the caller's transaction then rolls back)."""
    c = table.c
    done = conn.execute(
        sa.update(table)
        .where(c.id == run_id, c.lease_owner == owner, c.status == "running")
        .values(lease_until=utcnow() + timedelta(seconds=seconds))
    ).rowcount
    if not done:
        raise LeaseLost(run_id)


@contextmanager
def held(
    engine: sa.Engine, table: sa.Table, run_id: str, owner: str, seconds: float
) -> Iterator[threading.Event]:
    """Renew the lease every third of ``seconds`` while the block runs (in a thread, so a long
    ranking step does not let it expire); the event is set when the lease was lost."""
    lost, stop = threading.Event(), threading.Event()

    def beat() -> None:
        while not stop.wait(seconds / 3):
            try:
                with engine.begin() as conn:
                    renew(conn, table, run_id, owner, seconds)
            except LeaseLost:
                lost.set()
                return
            except sa.exc.SQLAlchemyError:  # the database is briefly away: try again
                continue

    thread = threading.Thread(target=beat, name=f"lease-{run_id}", daemon=True)
    thread.start()
    try:
        yield lost
    finally:
        stop.set()
        thread.join()


def release(engine: sa.Engine, table: sa.Table, run_id: str, owner: str, **values: object) -> bool:
    """Finish the run (``values``: status, counts...) if this owner still holds it."""
    c = table.c
    with engine.begin() as conn:
        done = conn.execute(
            sa.update(table)
            .where(c.id == run_id, c.lease_owner == owner)
            .values(lease_owner=None, lease_until=None, **values)
        ).rowcount
    return bool(done)
