"""What the plan endpoints answer, as documented in ``/openapi.json`` (see
:mod:`api.answers`)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from api.answers import Answer, Offer, Paging


class PlanJob(Answer):
    id: str
    segment: dict[str, Any]
    scope: dict[str, Any]
    status: str = Field(description="queued, running, done or failed")
    counts: dict[str, Any]
    error: str | None
    created_by: str | None
    created_at: str
    started_at: str | None
    finished_at: str | None


class PlanSummary(Answer):
    id: str
    graduate_id: str
    adviser_id: str | None
    status: str
    outcome: str | None
    notes: str
    created_at: str
    updated_at: str
    created_by: str | None
    agreed_at: str | None
    closed_at: str | None


class PlanPage(Paging):
    items: list[PlanSummary]


class PlanItem(Answer):
    id: str
    plan_id: str
    kind: str = Field(description="guidance, posting, training or traineeship")
    ref_id: str | None
    status: str
    pinned: bool
    rank: int
    reasons: list[str]
    scheduled_at: str | None
    score: float | None
    offer_id: str | None
    ends_on: str | None
    kind_label: str
    status_label: str
    title: str
    subtitle: str
    place: str


class Plan(PlanSummary):
    """A plan with its items (each with what it holds) and exclusions."""

    items: list[PlanItem]
    status_label: str
    outcome_label: str
    exclusions: list[str] = Field(description="ids of postings and courses ruled out")


class PlanOffer(Answer):
    offer: Offer
    plan: Plan


class PlanEvent(Answer):
    id: int
    plan_id: str
    item_id: str | None
    at: str
    actor: str
    action: str
    detail: dict[str, Any]


class Alternative(Answer):
    ref_id: str
    score: float
    reasons: list[str]
    title: str
    subtitle: str
    place: str


class CaseloadEntry(Answer):
    id: str
    status: str
    support: list[str]
    plan_id: str | None
    plan_status: str | None
    alerts: list[str]


class CaseloadPage(Paging):
    items: list[CaseloadEntry]


class Dashboard(Answer):
    coverage: dict[str, Any]
    districts: list[dict[str, Any]]
    majors: list[dict[str, Any]]
