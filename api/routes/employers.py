"""Employers: listings, single records, create/update and bulk upsert (bureau and service
keys)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request

from api.answers import Employer, EmployerPage
from api.deps import Anyone, StaffOrService, StoreDep
from api.openapi import Documented, bodies, body, responses
from api.routes._listing import Cursor, Limit, WithTotal, page
from api.routes._writes import MAX_BULK, anyone, index_writes, source_of, write_many, write_one
from api.schemas import BulkResult, Page
from matcher.records.schema import EmployerIn
from matcher.store.filters import employer_filters

router = APIRouter(tags=["employers"], route_class=Documented)


@router.get("/employers", response_model=Page, responses=responses(EmployerPage))
def list_employers(
    store: StoreDep,
    principal: Anyone,
    blacklisted: bool | None = None,
    name: str | None = None,
    cursor: Cursor = None,
    limit: Limit = 50,
    count: WithTotal = False,
) -> Page:
    where = employer_filters(blacklisted=blacklisted, name=name)
    return page(store, "employers", where, cursor, limit, count)


@router.get("/employers/{employer_id}", responses=responses(Employer, 404))
def get_employer(employer_id: str, store: StoreDep, principal: Anyone) -> dict[str, Any]:
    return store.get("employers", employer_id)


@router.post("/employers", status_code=201, responses=responses(Employer, 403, 409, status=201))
def create_employer(
    request: Request,
    store: StoreDep,
    principal: StaffOrService,
    record: Annotated[dict[str, Any], body(EmployerIn), Body()],
) -> dict[str, Any]:
    """Create or update one employer (keyed by its unified social credit code)."""
    written = write_one(store, "employers", record, anyone, source=source_of(principal))
    index_writes(request)
    return written


@router.post("/employers/bulk", response_model=BulkResult, responses=responses(None, 403))
def bulk_employers(
    request: Request,
    store: StoreDep,
    principal: StaffOrService,
    records: Annotated[list[Any], bodies(EmployerIn, MAX_BULK), Body()],
) -> BulkResult:
    written = write_many(store, "employers", records, anyone, source=source_of(principal))
    index_writes(request)
    return written
