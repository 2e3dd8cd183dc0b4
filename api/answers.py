"""What the API answers, as documented in ``/openapi.json`` (see :mod:`api.openapi`).

These models describe the answers; the routes still return the stored dicts as they are, so a
field added later is kept (every model admits fields it does not name). A field is required
when every answer carries it, and nullable when its value may be null;
``tests/api/test_fuzz.py`` checks real answers against them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from matcher.access import Role
from matcher.records.schema import EmployerIn, GraduateIn, PositionIn, TrainingIn


class Answer(BaseModel):
    model_config = ConfigDict(extra="allow")


class Flag(Answer):
    """Why the screener flagged a posting, and how to word it instead."""

    category: str
    rule: str
    match: str = Field(description="the exact text found")
    field: str
    start: int
    end: int
    basis: str = Field(description="legal basis")
    rewrite: str = Field(description="suggested rewording")


class Review(Answer):
    status: str = Field(description="pending, cleared or rejected")
    categories: list[str]
    flags: list[Flag]
    reviewed_by: str | None
    reviewed_at: str | None
    reason: str | None
    confidence: float | None = Field(
        None, description="how sure the screener is of the violation, 0-1 (the queue's order)"
    )


class Position(PositionIn):
    """A stored posting: the exchange format, normalised, with what the store keeps."""

    flagged: bool = Field(description="held back until a bureau review clears it")
    employer_id: str | None
    industry_code: str | None = None
    compliance: Review | None = Field(None, description="flags and review, when flagged")
    updated_at: str | None


class Graduate(GraduateIn):
    """A stored profile (an erased one keeps little more than its id and status)."""

    major_code: str | None = None
    major_class: str | None = None
    district_code: str | None = None
    updated_at: str | None


class Employer(EmployerIn):
    id: str
    blacklisted: bool
    blacklist_reason: str | None
    district_code: str | None = None
    external_id: str | None = Field(None, description="the id the source gave, when replaced")
    updated_at: str | None


class Training(TrainingIn):
    updated_at: str | None


class FieldSource(Answer):
    source: str = Field(description="who last set the field: partner:id, role:key, import")
    source_zh: str
    at: str = Field(description="when (UTC)")
    present: bool = Field(description="false when the field was removed")


class Provenance(Answer):
    """Who created a stored record, and who last set each of its fields, and when."""

    id: str
    created_by: str
    created_by_zh: str
    created_at: str
    fields: dict[str, FieldSource]


class Paging(Answer):
    next_cursor: str | None = Field(description="pass as cursor for the next page")
    total: int | None = Field(None, description="matching records, when count=true")


class PositionPage(Paging):
    items: list[Position]


class GraduatePage(Paging):
    items: list[Graduate]


class EmployerPage(Paging):
    items: list[Employer]


class TrainingPage(Paging):
    items: list[Training]


class Match(Answer):
    """One recommended posting (or one candidate graduate), with its reasons in Chinese."""

    id: str
    score: float
    features: dict[str, float]
    reasons: list[str]
    missing: list[str]
    title: str
    subtitle: str
    place: str
    kind: str
    salary: dict[str, Any] | None
    expires_at: str | None
    partial: bool = Field(description="ranked by place, kind and education only")


class Recommendations(Answer):
    graduate_id: str
    items: list[Match]


class Candidates(Answer):
    position_id: str
    items: list[Match]


class OfferPosting(Answer):
    """The posting an offer is about, as the graduate reads it."""

    id: str
    title: str
    kind: str
    kind_label: str
    employer: str
    place: str
    salary: dict[str, Any] | None
    expires_at: str | None
    open: bool


class Offer(Answer):
    id: str
    graduate_id: str
    position_id: str
    campaign_id: str | None
    message: str
    status: str
    detail: dict[str, Any]
    created_at: str
    sent_at: str | None
    updated_at: str
    created_by: str | None = Field(None, description="staff only")
    position: OfferPosting | None = Field(None, description="in reads: the posting")
    status_label: str | None = Field(None, description="in reads: the status in Chinese")


class OfferPage(Paging):
    items: list[Offer]


class Campaign(Answer):
    id: str
    name: str
    segment: dict[str, Any]
    k: int
    kinds: list[str]
    status: str = Field(description="queued, scheduled, running, done or failed")
    counts: dict[str, Any]
    message: str
    error: str | None
    created_at: str
    scheduled_at: str | None
    started_at: str | None
    finished_at: str | None


class CampaignPage(Paging):
    items: list[Campaign]


class OutboxMessage(Answer):
    """One delivery of an offer to the bureau's messaging systems."""

    id: str
    offer_id: str
    endpoint: str
    payload: dict[str, Any]
    status: str = Field(description="pending, delivered, dead...")
    attempts: int
    next_attempt_at: str
    last_error: str | None
    created_at: str
    delivered_at: str | None


class OutboxPage(Paging):
    items: list[OutboxMessage]


class NewKey(Answer):
    id: str
    key: str = Field(description="the full key, shown in this answer only")
    role: Role
    scope: dict[str, Any]


class Key(Answer):
    id: str
    role: Role
    scope: dict[str, Any]
    name: str
    created_at: str
    revoked_at: str | None


class Revoked(Answer):
    id: str
    status: str = Field(description="revoked")


class Requeued(Answer):
    requeued: int


class Proposal(Answer):
    employer_id: str
    name: str
    violations: int
    position_ids: list[str]
    categories: dict[str, int]


class Proposals(Answer):
    min_violations: int
    items: list[Proposal]


class MonthlyReport(Answer):
    """The figures of ``matcher report monthly`` (see ``definitions`` for each)."""

    month: str
    period: dict[str, str]
    generated_at: str
    definitions: dict[str, str]
    postings: dict[str, Any]
    seekers: dict[str, Any]
    ratios: dict[str, Any]


class FairnessReport(Answer):
    sample: int
    seed: int
    k: int
    as_of: str
    pool_postings: int
    graduates: dict[str, Any]
    employer_size: list[dict[str, Any]]
    district: list[dict[str, Any]]
