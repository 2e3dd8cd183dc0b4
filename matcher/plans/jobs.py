"""Cohort plan generation in the background: a job row records the segment, the scope of the
adviser who asked for it and its progress; ``matcher serve``'s worker (or ``matcher worker``)
runs queued jobs."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from matcher.access import Principal, Role
from matcher.offers.campaigns import Segment
from matcher.plans.build import generate
from matcher.store import Store
from matcher.store.db import describe
from matcher.store.leases import LeaseLost, runner_id
from matcher.store.plan_jobs import PlanJobs

if TYPE_CHECKING:
    from matcher.engine.orchestrator import Matcher


def create_job(
    store: Store, segment: Segment, *, scope: dict[str, Any], actor: str
) -> dict[str, Any]:
    """Queue a generation job for the graduates of ``segment`` within ``scope`` (an adviser's
    caseload and districts; empty for bureau staff). Unknown segment names are refused now."""
    segment.codes()
    return PlanJobs(store).create(
        {
            "id": "pj-" + uuid.uuid4().hex[:12],
            "segment": asdict(segment),
            "scope": scope,
            "created_by": actor,
        }
    )


def cohort(store: Store, segment: Segment, scope: dict[str, Any]) -> list[str]:
    """Ids of the segment's graduates that the scope covers."""
    ids = segment.graduates(store)
    if not scope:
        return ids
    adviser = Principal("job", Role.ADVISER, scope)
    records = store.get_many("graduates", ids)
    return [g for g in ids if g in records and adviser.sees_graduate(records[g])]


def run_job(matcher: Matcher, job_id: str, owner: str | None = None) -> dict[str, Any]:
    """Run one queued job to the end, or take over one whose runner died (graduates already
    given a plan are skipped, so none gets two); returns its counts. A job another runner
    holds is left alone."""
    jobs = PlanJobs(matcher.store)
    owner = owner or runner_id()
    seconds = matcher.settings.run_lease
    if not jobs.claim(job_id, owner, seconds):
        return dict(jobs.job(job_id)["counts"])
    job = jobs.job(job_id)
    scope = dict(job["scope"] or {})
    try:
        with jobs.held(job_id, owner, seconds) as lost:

            def progress(counts: dict[str, Any]) -> None:
                if lost.is_set():
                    raise LeaseLost(job_id)
                jobs.update(job_id, counts=counts)

            ids = cohort(matcher.store, Segment(**job["segment"]), scope)
            report = generate(
                matcher,
                ids,
                actor=str(job["created_by"] or "job"),
                adviser=scope.get("adviser"),
                progress=progress,
            )
    except LeaseLost:
        return dict(jobs.job(job_id)["counts"])
    except Exception as exc:  # recorded on the job, so the adviser sees why it stopped
        jobs.finish(
            job_id,
            owner,
            status="failed",
            error=describe(exc, frames=True),
            finished_at=datetime.now(UTC),
        )
        raise
    counts = report.as_dict()
    jobs.finish(job_id, owner, status="done", counts=counts, finished_at=datetime.now(UTC))
    return counts


def run_queued(matcher: Matcher) -> list[str]:
    """Run every queued generation job, oldest first."""
    queued = PlanJobs(matcher.store).queued()
    for job_id in queued:
        run_job(matcher, job_id)
    return queued
