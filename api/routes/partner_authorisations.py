"""Agencies' authorisations to post for employers: granted by the bureau or the employer (with
the last day they hold), listed for the bureau, the agency and the employer, revoked by any of
the three."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from api.deps import StoreDep, allow
from api.openapi import Documented, list_of, responses
from matcher.access import AccessDenied, Principal, Role
from matcher.store.authorisations import Authorisations

router = APIRouter(prefix="/partners", tags=["partners"], route_class=Documented)
Granter = Annotated[Principal, Depends(allow(Role.BUREAU, Role.EMPLOYER))]
Party = Annotated[Principal, Depends(allow(Role.BUREAU, Role.EMPLOYER, Role.PARTNER))]


class AuthorisationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    employer_id: str = Field(min_length=1, max_length=128)
    until: str = Field(description="the last day it holds, YYYY-MM-DD (at most three years)")


class Authorisation(BaseModel):
    agency_id: str
    employer_id: str
    valid_until: str
    granted_by: str
    created_at: str
    updated_at: str
    revoked_at: str | None
    active: bool = Field(description="not revoked and not past its last day (China time)")


def _for_employer(principal: Principal, employer_id: str) -> None:
    if principal.role is Role.EMPLOYER and principal.scope.get("employer") != employer_id:
        raise AccessDenied(
            f"key {principal.key_id} acts for another employer than {employer_id}",
            zh="只能为本单位授权或撤销授权",
            field="employer_id",
        )


def _for_agency(principal: Principal, agency_id: str) -> None:
    if principal.role is Role.PARTNER and principal.scope.get("partner") != agency_id:
        raise AccessDenied(
            f"partner {agency_id!r} is not the key's partner", zh="只能查看本机构的授权"
        )


@router.post(
    "/{agency_id}/authorisations",
    status_code=201,
    responses=responses(Authorisation, 403, 404, 409, status=201),
)
def grant(
    agency_id: str, body: AuthorisationIn, store: StoreDep, principal: Granter
) -> dict[str, Any]:
    """Authorise an agency to post for an employer (the bureau, or the employer itself);
    granting again moves the last day and lifts a revocation."""
    _for_employer(principal, body.employer_id)
    return Authorisations(store).grant(agency_id, body.employer_id, body.until, principal.actor)


@router.get("/{agency_id}/authorisations", responses=responses(list_of(Authorisation), 403))
def list_authorisations(agency_id: str, store: StoreDep, principal: Party) -> list[dict[str, Any]]:
    """An agency's authorisations: all of them for the bureau and the agency, an employer's
    own for an employer."""
    _for_agency(principal, agency_id)
    employer = str(principal.scope.get("employer")) if principal.role is Role.EMPLOYER else None
    return Authorisations(store).page(agency_id, employer)


@router.delete(
    "/{agency_id}/authorisations/{employer_id}", responses=responses(Authorisation, 403, 404)
)
def revoke(agency_id: str, employer_id: str, store: StoreDep, principal: Party) -> dict[str, Any]:
    """Revoke an authorisation (the bureau, the employer or the agency itself)."""
    _for_employer(principal, employer_id)
    _for_agency(principal, agency_id)
    return Authorisations(store).revoke(agency_id, employer_id, principal.actor)
