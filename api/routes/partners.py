"""The partner registry (一库四联盟): the bureau registers universities, employers, agencies and
training institutions, lists them and suspends or reactivates them; a partner's key reads its
own entry. Suspending a partner shuts its keys out on their next request."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from api.deps import Staff, StoreDep, allow
from api.openapi import Documented, list_of, responses
from api.routes._writes import source_of
from matcher.access import AccessDenied, Principal, Role
from matcher.store import destinations
from matcher.store.partner_figures import figures
from matcher.store.partners import Partners

router = APIRouter(prefix="/partners", tags=["partners"], route_class=Documented)
Kind = Literal["university", "employer", "agency", "training"]
StaffOrPartner = Annotated[Principal, Depends(allow(Role.BUREAU, Role.PARTNER))]


class PartnerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Kind
    name: str = Field(min_length=2, max_length=100)
    code: str = Field(
        min_length=5,
        max_length=18,
        description="a university's 5-digit school code; anyone else's unified social credit code",
    )
    districts: list[str] = Field(
        min_length=1, max_length=50, description="division codes of the districts served"
    )
    contact: str = Field("", max_length=200)


class StatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["active", "suspended"]
    reason: str = Field("", max_length=500, description="required when suspending")


class Partner(BaseModel):
    id: str
    kind: Kind
    name: str
    code: str
    districts: list[str]
    contact: str
    status: Literal["active", "suspended"]
    status_reason: str
    created_at: str
    updated_at: str
    updated_by: str


@router.post("", status_code=201, responses=responses(Partner, 409, status=201))
def add_partner(body: PartnerIn, store: StoreDep, principal: Staff) -> dict[str, Any]:
    """Register a partner (bureau); one per kind and code."""
    return Partners(store).add(body.model_dump(), principal.actor)


@router.get("", responses=responses(list_of(Partner)))
def list_partners(
    store: StoreDep,
    principal: Staff,
    kind: Annotated[Kind | None, Query()] = None,
    status: Annotated[Literal["active", "suspended"] | None, Query()] = None,
) -> list[dict[str, Any]]:
    return Partners(store).page(kind, status)


class RateMonth(BaseModel):
    month: str = Field(description="YYYY-MM, China time")
    graduates: int
    by_status: dict[str, int]
    employment_rate: float | None


class PartnerFigures(BaseModel):
    partner_id: str
    kind: Kind
    measures: list[str] = Field(description="the measures of this kind of partner, in order")
    labels: dict[str, str] = Field(description="Chinese name of each measure")
    months: list[dict[str, int | str]] = Field(
        description="one row a month (YYYY-MM, China time) with a count for each measure"
    )
    graduates: int | None = Field(None, description="a university: its graduates today")
    by_status: dict[str, int] | None = None
    employment_rate: float | None = None
    employment_by_month: list[RateMonth] | None = Field(
        None, description="a university: its graduates' status at each month's end"
    )
    postings: int | None = Field(None, description="an employer or agency: its postings")
    open_postings: int | None = None
    courses: int | None = Field(None, description="a training institution: its courses")


def _own(principal: Principal, partner_id: str) -> None:
    if principal.role is Role.PARTNER and principal.scope.get("partner") != partner_id:
        raise AccessDenied(
            f"partner {partner_id!r} is not the key's partner", zh="只能查看本机构的信息"
        )


@router.get("/{partner_id}", responses=responses(Partner, 404))
def get_partner(partner_id: str, store: StoreDep, principal: StaffOrPartner) -> dict[str, Any]:
    """One partner (bureau), or a partner's own entry."""
    _own(principal, partner_id)
    return Partners(store).get(partner_id)


@router.get("/{partner_id}/figures", responses=responses(PartnerFigures, 404))
def get_figures(partner_id: str, store: StoreDep, principal: StaffOrPartner) -> dict[str, Any]:
    """A partner's own figures by month (the bureau, or the partner itself): records
    contributed and refused, then by kind — a university's graduates matched, offered,
    applied and hired with its employment rate month by month; an employer's or agency's
    postings held for review, proposed in plans, offered, applied to and hired; a training
    institution's graduates sent, enrolled, completed and declined."""
    _own(principal, partner_id)
    return figures(store, partner_id)


class DestinationsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    month: str = Field(description="YYYY-MM, China time; not after the current month")
    destinations: list[Any] = Field(
        max_length=destinations.MAX_REPORT,
        description="each {id, status}: employed, further_study, seeking or not_seeking",
    )


class DestinationError(BaseModel):
    index: int
    id: str | None
    field: str
    message: str
    message_zh: str


class DestinationsOut(BaseModel):
    month: str
    recorded: int = Field(description="reports kept (one per graduate and month)")
    applied: int = Field(description="that became the graduate's status for the month")
    disagreements: int = Field(description="kept beside a status set by a higher-ranked source")
    errors: list[DestinationError]


@router.post("/{partner_id}/destinations", responses=responses(DestinationsOut, 404, 409))
def post_destinations(
    partner_id: str, body: DestinationsIn, store: StoreDep, principal: StaffOrPartner
) -> dict[str, Any]:
    """A university's destinations of its graduates for one month (the university itself, or
    the bureau on its behalf). Each entry that is malformed or not on the university's roster
    is named; the others are kept. Who wins when sources disagree: see the README."""
    _own(principal, partner_id)
    return destinations.report(
        store, partner_id, body.month, body.destinations, source_of(principal)
    ).as_dict()


@router.post("/{partner_id}/status", responses=responses(Partner, 404))
def set_status(
    partner_id: str, body: StatusIn, store: StoreDep, principal: Staff
) -> dict[str, Any]:
    """Suspend (with a reason) or reactivate a partner (bureau)."""
    return Partners(store).set_status(partner_id, body.status, body.reason, principal.actor)
