"""Campaigns: the k best postings for every graduate of a segment, assigned under posting
capacity and offered under the offer rules, run in the background."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from api.answers import Campaign, CampaignPage
from api.deps import StaffOrService, StoreDep
from api.openapi import Documented, responses
from api.routes._created import answered
from api.routes._listing import Cursor, Limit
from api.routes.offers import IdempotencyKey, scoped_key
from api.schemas import CampaignIn, Page
from matcher.offers.campaigns import Segment, create_campaign
from matcher.store.campaigns import Campaigns

router = APIRouter(prefix="/campaigns", tags=["campaigns"], route_class=Documented)


@router.post(
    "",
    status_code=202,
    # 200: a retry with the same Idempotency-Key
    responses=responses(Campaign, 403, 409, status=(202, 200)),
)
def post_campaign(
    body: CampaignIn,
    request: Request,
    response: Response,
    store: StoreDep,
    principal: StaffOrService,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """Start a campaign (or schedule it with ``scheduled_at``); poll ``GET /campaigns/{id}``
    for progress. Roles: bureau, service."""
    segment = Segment(**body.segment.model_dump(mode="json"))
    result = create_campaign(
        store,
        name=body.name,
        segment=segment,
        k=body.k,
        kinds=[k.value for k in body.kinds],
        message=body.message,
        scheduled_at=body.scheduled_at,
        key=scoped_key(principal, idempotency_key),
        actor=principal.actor,
    )
    response.headers["Location"] = f"/campaigns/{result.record['id']}"
    answered(request, response, result.created)
    return result.record


@router.get("/{campaign_id}", responses=responses(Campaign, 403, 404))
def get_campaign(campaign_id: str, store: StoreDep, principal: StaffOrService) -> dict[str, Any]:
    """Status (queued, scheduled, running, done, failed) and counts: segment, processed,
    matched, offered, skipped by reason (not_seeking, no_consent, weekly_cap,
    no_eligible_posting, capacity_full), and refused by rule (offers another process made
    meanwhile: repeat, capacity, frequency, posting)."""
    return Campaigns(store).get(campaign_id)


@router.get("", response_model=Page, responses=responses(CampaignPage, 403))
def list_campaigns(
    store: StoreDep, principal: StaffOrService, cursor: Cursor = None, limit: Limit = 50
) -> Page:
    items, after = Campaigns(store).page(after=cursor, limit=limit)
    return Page(items=items, next_cursor=after)
