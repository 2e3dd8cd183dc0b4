"""One-time sign-in links for a graduate's own pages (``/me``), issued by the bureau, the
graduate's adviser or a service (a university's career centre, the SMS gateway), and revoked
by the same roles."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from api.deps import StoreDep, allow
from api.openapi import Documented, responses
from api.routes.graduates import read_graduate
from matcher.access import Principal, Role
from matcher.plans.view import actor_of
from matcher.store.links import LINK_LIFETIME, MAX_LIFETIME, SignInLinks

router = APIRouter(prefix="/graduates", tags=["graduates"], route_class=Documented)
Issuer = Annotated[Principal, Depends(allow(Role.BUREAU, Role.ADVISER, Role.SERVICE))]
HOURS = int(MAX_LIFETIME.total_seconds() // 3600)


class SignInLink(BaseModel):
    graduate_id: str
    url: str = Field(description="send this to the graduate (SMS, WeChat); it works once")
    expires_at: str


class LinksRevoked(BaseModel):
    graduate_id: str
    revoked: int = Field(description="unused links revoked")


@router.post(
    "/{graduate_id}/links", status_code=201, responses=responses(SignInLink, 403, 404, status=201)
)
def post_link(
    request: Request,
    graduate_id: str,
    store: StoreDep,
    principal: Issuer,
    hours: Annotated[int, Query(ge=1, le=HOURS, description="how long the link works")] = int(
        LINK_LIFETIME.total_seconds() // 3600
    ),
) -> dict[str, Any]:
    """A one-time sign-in link to the graduate's own pages: it opens a session for that
    graduate only, works once, expires after ``hours`` and is audited. No key is shown to the
    graduate. Roles: bureau, service, adviser (graduates in scope)."""
    read_graduate(store, principal, graduate_id)
    token, expires = SignInLinks(store).issue(
        graduate_id, actor_of(principal), timedelta(hours=hours)
    )
    url = str(request.base_url).rstrip("/") + f"/me/signin/{token}"
    return {"graduate_id": graduate_id, "url": url, "expires_at": expires.isoformat()}


@router.delete("/{graduate_id}/links", responses=responses(LinksRevoked, 403, 404))
def revoke_links(graduate_id: str, store: StoreDep, principal: Issuer) -> dict[str, Any]:
    """Revoke every unused sign-in link of the graduate (a link sent to a wrong number).
    Roles: bureau, service, adviser (graduates in scope)."""
    read_graduate(store, principal, graduate_id)
    return {
        "graduate_id": graduate_id,
        "revoked": SignInLinks(store).revoke(graduate_id, actor_of(principal)),
    }
