"""Request bodies of the plan endpoints (unknown fields are refused)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from api.schemas import Moment, SegmentIn, Strict
from matcher.records.schema import Day

PlanStatus = Literal["draft", "agreed", "in_progress", "closed"]
Outcome = Literal["employed", "further_study", "declined", "other"]
ItemStatus = Literal[
    "scheduled",
    "done",
    "missed",
    "proposed",
    "recommended",
    "offered",
    "applied",
    "placed",
    "declined",
    "enrolled",
]


class PlanIn(Strict):
    graduate_id: str = Field(min_length=1, max_length=128)


class PlanJobIn(Strict):
    """A cohort: support-group graduates by default; an adviser's job covers their caseload."""

    segment: SegmentIn = Field(default_factory=lambda: SegmentIn(needs_support=True))


class PlanPatch(Strict):
    status: PlanStatus
    outcome: Outcome | None = Field(None, description="required when status is closed")


class NoteIn(Strict):
    text: str = Field(min_length=1, max_length=2000)


class ItemPatch(Strict):
    status: ItemStatus | None = None
    pinned: bool | None = None
    scheduled_at: Moment | None = Field(None, description="guidance session time")
    ends_on: Day | None = Field(None, description="end of the traineeship")


class SwapIn(Strict):
    ref_id: str | None = Field(None, max_length=128, description="default: the next best")


class ExcludeIn(Strict):
    ref_id: str = Field(min_length=1, max_length=128)


class PushIn(Strict):
    message: str = Field("", max_length=2000, description="text shown to the graduate")
