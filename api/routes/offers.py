"""Offers to graduates and the feedback on them. Creates take an ``Idempotency-Key`` header:
a retried request returns the first answer (200 instead of 201) and creates nothing."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response

from api.answers import Offer, OfferPage
from api.deps import Anyone, SettingsDep, StoreDep
from api.openapi import Documented, responses
from api.routes._created import answered
from api.routes._listing import Cursor, Limit
from api.routes._writes import index_writes
from api.routes.graduates import read_graduate, scope_filter
from api.schemas import EventIn, OfferIn, Page
from matcher.access import AccessDenied, Principal, Role
from matcher.offers.feedback import check_event_role, record_feedback
from matcher.offers.single import create_offer
from matcher.offers.view import readable
from matcher.store import Store
from matcher.store.offers import Offers

router = APIRouter(prefix="/offers", tags=["offers"], route_class=Documented)
KEY_COLUMN = 200  # characters of the stored idempotency keys of offers and campaigns
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="any unique string; a retry with the same key and body creates nothing new",
    ),
]


def scoped_key(principal: Principal, key: str | None) -> str | None:
    """Keys are per caller: two callers using the same string do not collide. A key too long
    to store with the caller's id in front (200 characters) is stored as its SHA-256."""
    if not key:
        return None
    scoped = f"{principal.key_id}:{key}"
    if len(scoped) > KEY_COLUMN:
        scoped = f"{principal.key_id}:sha256:{hashlib.sha256(key.encode()).hexdigest()}"
    return scoped


def _offer_for(store: Store, principal: Principal, offer_id: str) -> dict[str, Any]:
    offer = Offers(store).get(offer_id)
    if principal.role not in (Role.ADMIN, Role.BUREAU, Role.SERVICE):
        read_graduate(store, principal, offer["graduate_id"])
    return offer


@router.post(
    "",
    status_code=201,
    # 200: a retry with the same Idempotency-Key
    responses=responses(Offer, 403, 404, 409, status=(201, 200)),
)
def post_offer(
    body: OfferIn,
    request: Request,
    response: Response,
    store: StoreDep,
    settings: SettingsDep,
    principal: Anyone,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """Offer one posting to one graduate, under every offer rule (consent, seeking, weekly
    cap, posting open and unflagged, employer not blacklisted, capacity, never twice).
    Roles: bureau, service, adviser (graduates in scope)."""
    principal.allow(Role.BUREAU, Role.SERVICE, Role.ADVISER)
    if principal.role is Role.ADVISER:
        read_graduate(store, principal, body.graduate_id)
    result = create_offer(
        store,
        settings,
        graduate_id=body.graduate_id,
        position_id=body.position_id,
        message=body.message,
        key=scoped_key(principal, idempotency_key),
        actor=principal.actor,
    )
    answered(request, response, result.created)
    return result.record


@router.get("", response_model=Page, responses=responses(OfferPage, 403, 404))
def list_offers(
    store: StoreDep,
    principal: Anyone,
    graduate_id: str | None = None,
    campaign_id: str | None = None,
    status: str | None = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page:
    """Offers ordered by id; advisers, graduates and universities see those of graduates in
    their scope (a university: its own graduates who share with it)."""
    if principal.role not in (Role.ADMIN, Role.BUREAU, Role.SERVICE):
        if principal.role not in (Role.ADVISER, Role.GRADUATE, Role.PARTNER):
            raise AccessDenied(
                f"role {principal.role.value} may not read offers", zh="当前角色无权查看推送记录"
            )
        if graduate_id:
            read_graduate(store, principal, graduate_id)
    items, after = Offers(store).page(
        graduate_ids=[graduate_id] if graduate_id else None,
        graduate_where=scope_filter(principal),
        campaign_id=campaign_id,
        status=status,
        after=cursor,
        limit=limit,
    )
    return Page(items=readable(store, items, staff=_staff(principal)), next_cursor=after)


def _staff(principal: Principal) -> bool:
    return principal.role in (Role.ADMIN, Role.BUREAU, Role.SERVICE)


@router.get("/{offer_id}", responses=responses(Offer, 403, 404))
def get_offer(offer_id: str, store: StoreDep, principal: Anyone) -> dict[str, Any]:
    """One offer with the posting it is about (title, employer, kind, salary, place, last day
    to apply); retry bookkeeping is shown to staff only."""
    principal.allow(Role.BUREAU, Role.SERVICE, Role.ADVISER, Role.GRADUATE)
    offer = _offer_for(store, principal, offer_id)
    return readable(store, [offer], staff=_staff(principal))[0]


@router.post("/{offer_id}/events", responses=responses(Offer, 403, 404, 409))
def post_event(
    offer_id: str, body: EventIn, request: Request, store: StoreDep, principal: Anyone
) -> dict[str, Any]:
    """Record what happened to an offer: viewed, applied, declined, not_interested (the
    graduate, their adviser or the bureau), hired (confirmed by the posting's employer, an
    adviser or the bureau; the graduate is then marked employed). Events follow the offer's
    order (applied after viewed, nothing after declined or hired); any other answers 409
    naming the current status. These events keep the posting out of the graduate's future
    offers and train the ranker later."""
    principal.allow(Role.BUREAU, Role.SERVICE, Role.ADVISER, Role.GRADUATE, Role.EMPLOYER)
    check_event_role(principal, body.event)
    if principal.role is Role.EMPLOYER:
        offer = Offers(store).get(offer_id)
        principal.check_position(store.get("positions", offer["position_id"]))
    else:
        _offer_for(store, principal, offer_id)
    recorded = record_feedback(store, offer_id, body.event, body.source)
    if body.event == "hired":
        index_writes(request)
    return recorded
