"""Compliance review of postings, employer blacklisting and the fairness report.

Reviews, blacklisting and reports are for bureau keys (an employer lists its own flagged
postings). Screening drafts is in :mod:`api.routes.prescreen`, the bulk review and the export
of decisions in :mod:`api.routes.review_queue`."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.exceptions import RequestValidationError
from pydantic import ConfigDict, Field

from api.answers import Employer, FairnessReport, Position, PositionPage, Proposals
from api.deps import Anyone, MatcherDep, Staff, StoreDep
from api.openapi import Documented, responses
from api.routes._listing import Cursor, Limit, WithTotal, page
from api.schemas import Page, Strict
from matcher.access import Role
from matcher.compliance.screen import Category
from matcher.store import review_queue, reviews

router = APIRouter(tags=["compliance"], route_class=Documented)


class Decision(Strict):
    """Why a posting is cleared or rejected, or an employer blacklisted or cleared."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)  # blank: told below

    reason: str = Field(min_length=1, max_length=2000, description="kept in the audit log")


@router.get("/compliance/flagged", response_model=Page, responses=responses(PositionPage, 403))
def flagged(
    store: StoreDep,
    principal: Anyone,
    status: Literal["pending", "cleared", "rejected", "all"] = "pending",
    category: Category | None = None,
    employer_id: str | None = None,
    sort: Annotated[
        Literal["confidence", "id"] | None,
        Query(description="confidence: most certain violations first; default for pending"),
    ] = None,
    cursor: Cursor = None,
    limit: Limit = 50,
    count: WithTotal = False,
) -> Page:
    """Postings the screener flagged, each with its flags (category, rule, exact substring,
    legal basis, suggested rewrite) and review, with the screener's ``confidence`` (0-1) that
    the posting breaks the rules: why a posting is held back and how to word it instead.
    Pending postings are listed most certain first (``sort=confidence``, the default for
    ``status=pending``), the others by id unless asked. Roles: bureau; an employer sees its
    own postings only."""
    principal.allow(Role.BUREAU, Role.EMPLOYER)
    if principal.role is Role.EMPLOYER:
        employer_id = str(principal.scope.get("employer"))
    where = reviews.flagged_filters(
        None if status == "all" else status, category.value if category else None, employer_id
    )
    if (sort or ("confidence" if status == "pending" else "id")) == "id":
        return page(store, "positions", where, cursor, limit, count)
    try:
        items, next_cursor = review_queue.queue_page(store, where, cursor, limit)
    except ValueError as exc:
        raise RequestValidationError(
            [{"loc": ("query", "cursor"), "msg": str(exc), "type": "cursor"}]
        ) from None
    total = store.count("positions", where) if count else None
    return Page(items=items, next_cursor=next_cursor, total=total)


@router.post(
    "/compliance/positions/{position_id}/clear",
    responses=responses(Position, 403, 404, 409),
)
def clear(
    position_id: str, decision: Decision, store: StoreDep, principal: Staff
) -> dict[str, Any]:
    """Clear a flagged posting after review: it may be recommended and offered again.
    Role: bureau."""
    return reviews.review(store, position_id, "clear", decision.reason, principal.actor)


@router.post(
    "/compliance/positions/{position_id}/reject",
    responses=responses(Position, 403, 404, 409),
)
def reject(
    position_id: str, decision: Decision, store: StoreDep, principal: Staff
) -> dict[str, Any]:
    """Confirm a flagged posting's violation: it stays out of recommendations and offers, and
    counts towards proposing its employer for the blacklist. Role: bureau."""
    return reviews.review(store, position_id, "reject", decision.reason, principal.actor)


@router.get("/compliance/blacklist-proposals", responses=responses(Proposals, 403))
def blacklist_proposals(
    store: StoreDep,
    principal: Staff,
    min_violations: Annotated[int, Query(ge=1, le=1000)] = 2,
) -> dict[str, Any]:
    """Employers not yet blacklisted with at least ``min_violations`` rejected postings.
    Role: bureau."""
    found = reviews.blacklist_proposals(store, min_violations)
    return {"min_violations": min_violations, "items": [asdict(p) for p in found]}


@router.post("/employers/{employer_id}/blacklist", responses=responses(Employer, 403, 404))
def blacklist(
    employer_id: str, decision: Decision, store: StoreDep, principal: Staff
) -> dict[str, Any]:
    """Blacklist an employer: all its postings leave recommendations and offers at once.
    Role: bureau."""
    return reviews.set_blacklisted(store, employer_id, True, decision.reason, principal.actor)


@router.post("/employers/{employer_id}/clear", responses=responses(Employer, 403, 404))
def clear_blacklist(
    employer_id: str, decision: Decision, store: StoreDep, principal: Staff
) -> dict[str, Any]:
    """Lift an employer's blacklisting: its postings return (flagged ones still wait for a
    review). Role: bureau."""
    return reviews.set_blacklisted(store, employer_id, False, decision.reason, principal.actor)


@router.get("/reports/fairness", responses=responses(FairnessReport, 403))
def fairness(
    matcher: MatcherDep,
    principal: Staff,
    sample: Annotated[int, Query(ge=1, le=20_000, description="graduates sampled")] = 500,
    seed: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    k: Annotated[int, Query(ge=1, le=100)] = 10,
    as_of: date | None = None,
) -> dict[str, Any]:
    """Exposure in top-k recommendations by employer size and district against their share
    of the pool, and support-group graduates against the rest (mean score, results, eligible
    postings), for a fixed-seed sample of graduates seeking work. Role: bureau, admin."""
    from matcher.quality.fairness import fairness_report

    return fairness_report(matcher, sample=sample, seed=seed, k=k, today=as_of)
