"""Job postings: listing with filters, one posting, create/update, bulk upsert, close, delete."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request

from api.answers import Position, PositionPage, Provenance
from api.deps import Anyone, StoreDep
from api.openapi import Documented, bodies, body, merge_patch, responses
from api.routes._agency import agency_reads, agency_writes
from api.routes._listing import Cursor, Limit, WithTotal, page, region_code
from api.routes._writes import (
    MAX_BULK,
    Check,
    anyone,
    index_writes,
    patch_one,
    source_of,
    write_many,
    write_one,
)
from api.schemas import BulkResult, Page
from matcher.access import AccessDenied, Principal, Role
from matcher.compliance.prescreen import refuse_blacklisted
from matcher.errors import NotFoundError
from matcher.records.prepare import Prepared, employer_id
from matcher.records.schema import PositionIn
from matcher.store import Store
from matcher.store.filters import combined, position_filters, position_visibility
from matcher.store.provenance import of_record
from matcher.taxonomy.vocab import Degree, PositionKind, PositionStatus, degree_rank

router = APIRouter(prefix="/positions", tags=["positions"], route_class=Documented)
WRITERS = (Role.BUREAU, Role.SERVICE, Role.EMPLOYER, Role.PARTNER)


def _may_write(store: Store, principal: Principal) -> Check:
    """A check that the caller may store this posting: employers only their own, never one
    stored under another employer, and not while their employer is blacklisted; agencies only
    for the employers that authorised them."""
    principal.allow(*WRITERS)
    if principal.role is Role.PARTNER:
        return agency_writes(store, principal)
    if principal.role is not Role.EMPLOYER:
        return anyone
    own = str(principal.scope.get("employer"))
    refuse_blacklisted(store.get_many("employers", [own]).get(own))  # as POST /positions/screen

    def check(item: Prepared, stored: dict[str, Any] | None) -> None:
        if stored is not None and not principal.owns_position(stored):
            raise AccessDenied(
                f"posting {item.id!r} belongs to another employer; key {principal.key_id} may "
                "only change its own postings (choose another id for a new posting)",
                zh=f"岗位 {item.id} 属于其他用人单位：只能修改本单位的岗位（新岗位请换一个编号）",
            )
        ref = item.record.get("employer") or {}
        if not ref or employer_id(ref.get("name", ""), ref.get("credit_code")) != own:
            raise AccessDenied(
                f"posting {item.id!r}: key {principal.key_id} may only post for its own "
                f"employer ({own})",
                zh=f"岗位 {item.id}：只能以本单位（{own}）的名义发布",
            )

    return check


@router.get("", response_model=Page, responses=responses(PositionPage))
def list_positions(
    store: StoreDep,
    principal: Anyone,
    kind: PositionKind | None = None,
    status: PositionStatus | None = None,
    district: str | None = None,
    employer_id: str | None = None,
    industry: str | None = None,
    degree: Degree | None = None,
    cursor: Cursor = None,
    limit: Limit = 50,
    count: WithTotal = False,
) -> Page:
    """Postings ordered by id. ``district`` accepts a name, zone or division code;
    ``degree`` keeps postings whose education requirement that degree meets. Postings the
    compliance screener flagged are listed for the bureau, advisers, their own employer and
    the agency that submitted them."""
    where = combined(
        position_visibility(
            flagged=principal.sees_flagged(),
            employer_id=principal.own_employer(),
            created_by=_agency_source(principal),
        ),
        position_filters(
            kind=kind.value if kind else None,
            status=status.value if status else None,
            region_code=region_code(district),
            employer_id=employer_id,
            industry_code=industry,
            education_rank=degree_rank(degree) if degree else None,
        ),
    )
    return page(store, "positions", where, cursor, limit, count)


@router.post("", status_code=201, responses=responses(Position, 403, 409, status=201))
def create_position(
    request: Request,
    store: StoreDep,
    principal: Anyone,
    record: Annotated[dict[str, Any], body(PositionIn), Body()],
) -> dict[str, Any]:
    """Create or replace one posting (exchange format; keyed by ``id``, so retrying is safe).
    Roles: bureau, service, employer (its own postings)."""
    written = write_one(
        store, "positions", record, _may_write(store, principal), source=source_of(principal)
    )
    index_writes(request)
    return written


@router.post("/bulk", response_model=BulkResult, responses=responses(None, 403))
def bulk_positions(
    request: Request,
    store: StoreDep,
    principal: Anyone,
    records: Annotated[list[Any], bodies(PositionIn, MAX_BULK), Body()],
) -> BulkResult:
    """Upsert many postings; bad records are listed in ``errors`` and the rest are stored."""
    written = write_many(
        store, "positions", records, _may_write(store, principal), source=source_of(principal)
    )
    index_writes(request)
    return written


@router.patch("/{position_id}", responses=responses(Position, 403, 404, 409))
def patch_position(
    request: Request,
    position_id: str,
    store: StoreDep,
    principal: Anyone,
    patch: Annotated[
        dict[str, Any],
        merge_patch(PositionIn),
        Body(media_type="application/merge-patch+json"),
    ],
) -> dict[str, Any]:
    """Change some fields of a posting (JSON merge patch, RFC 7396: send only what changes; a
    field set to null is removed). Roles: bureau, service, employer (its own postings)."""
    written = patch_one(
        store,
        "positions",
        position_id,
        patch,
        _may_write(store, principal),
        source_of(principal),
    )
    index_writes(request)
    return written


@router.get("/{position_id}", responses=responses(Position, 404))
def get_position(position_id: str, store: StoreDep, principal: Anyone) -> dict[str, Any]:
    """One posting; a flagged one is not found for roles that may not see it."""
    posting = store.get("positions", position_id)
    if principal.sees_position(posting):
        return posting
    source = _agency_source(principal)
    if source is None or of_record(store.engine, "positions", position_id)["created_by"] != source:
        raise NotFoundError("position", position_id)
    return posting


def _agency_source(principal: Principal) -> str | None:
    """A partner's write source, under which the postings it submitted were created."""
    return source_of(principal) if principal.role is Role.PARTNER else None


@router.get("/{position_id}/provenance", responses=responses(Provenance, 403, 404))
def get_provenance(position_id: str, store: StoreDep, principal: Anyone) -> dict[str, Any]:
    """Who created the posting (the employer, an agency, an import) and who last set each
    field and when — for the bureau and whoever owns the posting."""
    _own(store, principal, position_id)
    return of_record(store.engine, "positions", position_id)


def _own(store: StoreDep, principal: Principal, position_id: str) -> None:
    """The bureau's side, the employer that owns the posting, or an agency the employer
    currently authorises may manage it."""
    principal.allow(*WRITERS)
    position = store.get("positions", position_id)
    if principal.role is Role.PARTNER:
        agency_reads(store, principal, position)
        return
    if not principal.owns_position(position):
        raise AccessDenied(
            f"position {position_id!r} belongs to another employer",
            zh=f"岗位 {position_id} 属于其他用人单位",
        )


@router.post("/{position_id}/close", responses=responses(Position, 403, 404))
def close_position(
    request: Request, position_id: str, store: StoreDep, principal: Anyone
) -> dict[str, Any]:
    """Close a posting: it leaves recommendations and offers; the record is kept."""
    return _set_status(request, store, principal, position_id, PositionStatus.CLOSED)


@router.delete("/{position_id}", responses=responses(Position, 403, 404))
def delete_position(
    request: Request, position_id: str, store: StoreDep, principal: Anyone
) -> dict[str, Any]:
    """Withdraw a posting for good (kept, marked deleted, so offers made on it stay readable)."""
    return _set_status(request, store, principal, position_id, PositionStatus.DELETED)


def _set_status(
    request: Request,
    store: StoreDep,
    principal: Principal,
    position_id: str,
    status: PositionStatus,
) -> dict[str, Any]:
    _own(store, principal, position_id)
    written = store.revise(
        "positions", position_id, {"status": status.value}, source=source_of(principal)
    )
    index_writes(request)
    return written
