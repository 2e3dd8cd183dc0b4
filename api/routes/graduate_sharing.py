"""A graduate's consent to plans and offers, and what they share with the bureau's partners
(their university, agencies posting for employers, training institutions in their plan): read
by whoever may read the profile, recorded by the graduate, the bureau or the graduate's
adviser as the graduate decides."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from api.answers import Graduate
from api.deps import Anyone, StoreDep
from api.openapi import Documented, responses
from api.routes._writes import index_writes
from api.routes.graduates import read_graduate
from matcher.access import Role
from matcher.plans.consent import HOW, record_consent, record_sharing
from matcher.plans.view import actor_of
from matcher.records.sharing import SHARE, choices

router = APIRouter(prefix="/graduates", tags=["graduates"], route_class=Documented)


class Sharing(BaseModel):
    graduate_id: str
    school: bool = Field(description=SHARE["school"])
    agencies: bool = Field(description=SHARE["agencies"])
    training: bool = Field(description=SHARE["training"])
    chosen: list[str] = Field(description="the choices the graduate made (others follow defaults)")
    labels: dict[str, str] = Field(description="what each choice means, in Chinese")


class SharingChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    how: str = Field(
        description="how the choice was given: written, phone, in_person, online",
        json_schema_extra={"enum": list(HOW)},  # documented; record_sharing checks it
    )
    school: bool | None = Field(None, description=SHARE["school"])
    agencies: bool | None = Field(None, description=SHARE["agencies"])
    training: bool | None = Field(None, description=SHARE["training"])


class ConsentChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    how: str = Field(
        description="how it was obtained: written, phone, in_person, online",
        json_schema_extra={"enum": list(HOW)},  # documented; record_consent checks it
    )
    push: bool = Field(True, description="false records a withdrawal")


@router.post("/{graduate_id}/consent", responses=responses(Graduate, 403, 404, 409))
def post_consent(
    request: Request, graduate_id: str, body: ConsentChange, store: StoreDep, principal: Anyone
) -> dict[str, Any]:
    """Record the graduate's consent to plans and offers (or its withdrawal), as an adviser
    obtained it: who, when and how are kept and audited. Roles: bureau, adviser (in scope),
    the graduate."""
    principal.allow(Role.BUREAU, Role.ADVISER, Role.GRADUATE)
    read_graduate(store, principal, graduate_id)
    written = record_consent(
        store, graduate_id, how=body.how, actor=actor_of(principal), push=body.push
    )
    index_writes(request)
    return written


def _answer(graduate: dict[str, Any]) -> dict[str, Any]:
    made = (graduate.get("consent") or {}).get("share") or {}
    return {
        "graduate_id": graduate["id"],
        **choices(graduate),
        "chosen": sorted(made),
        "labels": SHARE,
    }


@router.get("/{graduate_id}/sharing", responses=responses(Sharing, 403, 404))
def get_sharing(graduate_id: str, store: StoreDep, principal: Anyone) -> dict[str, Any]:
    """The graduate's sharing choices as they apply now: a choice never made follows the
    partner's purpose (the university shares unless told not to; agencies follow consent to
    offers; training institutions follow consent to the plan service)."""
    return _answer(read_graduate(store, principal, graduate_id))


@router.post("/{graduate_id}/sharing", responses=responses(Sharing, 403, 404))
def post_sharing(
    request: Request, graduate_id: str, body: SharingChange, store: StoreDep, principal: Anyone
) -> dict[str, Any]:
    """Record some sharing choices (the others stay); each partner sees the graduate only as
    they allow, from the next request on. Roles: bureau, adviser (in scope), the graduate."""
    principal.allow(Role.BUREAU, Role.ADVISER, Role.GRADUATE)
    read_graduate(store, principal, graduate_id)
    given = body.model_dump(exclude={"how"}, exclude_none=True)
    written = record_sharing(store, graduate_id, given, how=body.how, actor=actor_of(principal))
    index_writes(request)
    return _answer(written)
