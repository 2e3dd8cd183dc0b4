"""Cohort plan generation jobs: queued by an adviser or the bureau, claimed and run by the
worker under a lease, with progress counts written back; a job whose runner died is taken over."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from threading import Event
from typing import Any

import sqlalchemy as sa

from matcher.errors import NotFoundError
from matcher.store import leases, tables
from matcher.store.db import utcnow
from matcher.store.plans import _row
from matcher.store.repository import Store


class PlanJobs:
    def __init__(self, store: Store) -> None:
        self.engine = store.engine

    def create(self, values: dict[str, Any]) -> dict[str, Any]:
        with self.engine.begin() as conn:
            conn.execute(
                sa.insert(tables.plan_jobs).values(
                    status="queued", counts={}, created_at=utcnow(), **values
                )
            )
        return self.job(str(values["id"]))

    def job(self, job_id: str) -> dict[str, Any]:
        j = tables.plan_jobs.c
        with self.engine.connect() as conn:
            found = conn.execute(sa.select(tables.plan_jobs).where(j.id == job_id)).mappings()
            row = found.first()
        if row is None:
            raise NotFoundError("plan job", job_id)
        return _row(row)

    def claim(self, job_id: str, owner: str, seconds: float) -> bool:
        """Take a queued job, or one whose runner's lease expired, for ``owner``."""
        return leases.claim(self.engine, tables.plan_jobs, job_id, owner, seconds)

    @contextmanager
    def held(self, job_id: str, owner: str, seconds: float) -> Iterator[Event]:
        """Keep ``owner``'s lease alive while the block runs; the event is set if it is lost."""
        with leases.held(self.engine, tables.plan_jobs, job_id, owner, seconds) as lost:
            yield lost

    def finish(self, job_id: str, owner: str, **values: Any) -> bool:
        """Close the run (status, counts, error) if ``owner`` still holds it."""
        return leases.release(self.engine, tables.plan_jobs, job_id, owner, **values)

    def update(self, job_id: str, **values: Any) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                sa.update(tables.plan_jobs).where(tables.plan_jobs.c.id == job_id).values(**values)
            )

    def queued(self) -> list[str]:
        j = tables.plan_jobs.c
        query = (
            sa.select(j.id)
            .where(leases.claimable(tables.plan_jobs, utcnow()))
            .order_by(j.created_at)
        )
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())
