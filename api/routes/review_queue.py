"""The review queue at scale (issue #19, item 5): many flagged postings cleared or rejected at
once, each checked against the stored record and answered on its own, and the confirmed
decisions exported as labelled data (the format of ``datasets/compliance/``) for the next
round of rules and the classifier. Role: bureau."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from pydantic import Field

from api.compliance_answers import BulkReviewed
from api.deps import Staff, StoreDep
from api.openapi import Documented, problems, responses
from api.schemas import Ref, Strict
from matcher.store import review_queue

router = APIRouter(tags=["compliance"], route_class=Documented)
JSONL = "application/x-ndjson"


class BulkReview(Strict):
    """One decision for many flagged postings."""

    action: Literal["clear", "reject"]
    ids: list[Ref] = Field(min_length=1, max_length=review_queue.MAX_BULK)
    reason: str = Field(min_length=1, max_length=2000, description="kept in the audit log")


@router.post("/compliance/positions/bulk", responses=responses(BulkReviewed, 403))
def bulk_review(body: BulkReview, store: StoreDep, principal: Staff) -> dict[str, Any]:
    """Clear or reject up to 500 postings waiting for review, as the single routes would, in
    one transaction. Each id is answered on its own: ``done``, or ``failed`` with a code
    (``not_found``, ``not_flagged``, ``already_reviewed``: decided before and left as it is,
    ``duplicate``) and the reason in English and Chinese. Role: bureau."""
    done = review_queue.review_many(store, body.ids, body.action, body.reason, principal.actor)
    return {"action": body.action} | done


class JSONLines(StreamingResponse):
    media_type = JSONL


_EXPORT = {
    200: {
        "description": "JSON Lines, one object a line",
        "content": {
            JSONL: {
                "schema": {
                    "type": "string",
                    "description": 'labels: {"id", "flags": [categories], "evidence": '
                    "{category: exact wording}} a line (flags empty for a cleared posting); "
                    "postings: the labelled postings in the exchange format",
                }
            }
        },
    },
    **problems(403),
}


@router.get("/compliance/decisions.jsonl", response_class=JSONLines, responses=_EXPORT)
def export_decisions(
    store: StoreDep,
    principal: Staff,
    part: Annotated[
        Literal["labels", "postings"],
        Query(description="the labels, or the postings they label (fetch both)"),
    ] = "labels",
    since: Annotated[date | None, Query(description="only decisions made on or after")] = None,
) -> JSONLines:
    """The bureau's confirmed decisions as labelled data, by posting id: a rejected posting is
    labelled with its flagged categories and the exact wording of each, a cleared one with no
    category. ``part=labels`` and ``part=postings`` give the two files ``matcher screen
    --eval LABELS --positions POSTINGS`` and ``matcher screen --train-classifier --labels
    LABELS --positions POSTINGS`` read (``matcher review export`` writes both). Role:
    bureau."""
    start = datetime.combine(since, time(), UTC) if since else None
    index = 0 if part == "labels" else 1

    def lines() -> Iterator[str]:
        for pair in review_queue.decisions(store, start):
            yield json.dumps(pair[index], ensure_ascii=False, default=str) + "\n"

    return JSONLines(lines())
