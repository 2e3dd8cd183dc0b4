"""Cohort plan generation jobs: queued by an adviser or the bureau, claimed and run by the
worker, with progress counts written back."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from matcher.errors import NotFoundError
from matcher.store import tables
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

    def claim(self, job_id: str) -> bool:
        j = tables.plan_jobs.c
        with self.engine.begin() as conn:
            done = conn.execute(
                sa.update(tables.plan_jobs)
                .where(j.id == job_id, j.status == "queued")
                .values(status="running", started_at=utcnow())
            ).rowcount
        return bool(done)

    def update(self, job_id: str, **values: Any) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                sa.update(tables.plan_jobs).where(tables.plan_jobs.c.id == job_id).values(**values)
            )

    def queued(self) -> list[str]:
        j = tables.plan_jobs.c
        query = sa.select(j.id).where(j.status == "queued").order_by(j.created_at)
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())
