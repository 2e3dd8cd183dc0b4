"""A graduate's month-by-month history (status, wishes, support flags, who set the status)
with the universities' destination reports that disagree with it — for the bureau, the
graduate's adviser, the supplying university and the graduate."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.answers import Provenance
from api.deps import Anyone, StoreDep
from api.openapi import Documented, responses
from api.routes.graduates import read_graduate
from matcher.store.history import graduate_history
from matcher.store.provenance import of_record

router = APIRouter(prefix="/graduates", tags=["graduates"], route_class=Documented)


class DestinationReport(BaseModel):
    partner: str
    status: str
    reported_at: str
    agrees: bool = Field(description="whether the month's status is the reported one")


class MonthState(BaseModel):
    month: str = Field(description="YYYY-MM, China time")
    status: str
    kinds: list[str]
    region_codes: list[str]
    support: list[str]
    partner: str | None
    source: str = Field(description="who set the status: role:key, partner:id, hired:offer")
    source_label: str
    recorded_at: str
    reports: list[DestinationReport]


class Disagreement(BaseModel):
    month: str
    status: str = Field(description="the month's status, set by a higher-ranked source")
    source: str
    source_label: str
    partner: str = Field(description="the university whose report says otherwise")
    reported: str = Field(description="the status the university reported")
    reported_at: str


class History(BaseModel):
    id: str
    months: list[MonthState]
    disagreements: list[Disagreement]


@router.get("/{graduate_id}/history", responses=responses(History, 403, 404))
def get_history(graduate_id: str, store: StoreDep, principal: Anyone) -> dict[str, Any]:
    """The graduate's months, oldest first; a month without a row keeps the one before."""
    read_graduate(store, principal, graduate_id)
    return graduate_history(store.engine, graduate_id)


@router.get("/{graduate_id}/provenance", responses=responses(Provenance, 403, 404))
def get_provenance(graduate_id: str, store: StoreDep, principal: Anyone) -> dict[str, Any]:
    """Who created the profile (a university, an adviser, the graduate, an import), and who
    last set each field and when — for those who may read the profile."""
    read_graduate(store, principal, graduate_id)
    return of_record(store.engine, "graduates", graduate_id)
