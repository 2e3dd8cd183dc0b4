"""Response and request bodies at the HTTP edge."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
)
from pydantic_core import PydanticCustomError

from matcher.access import Role
from matcher.records.limits import unstorable
from matcher.records.schema import DAY_RANGE, FIRST_DAY, LAST_DAY
from matcher.taxonomy.vocab import Degree, GraduateStatus, PositionKind, SupportFlag


class Page(BaseModel):
    """One page of a listing; pass ``next_cursor`` back as ``cursor`` for the next one."""

    items: list[dict[str, Any]]
    next_cursor: str | None = None
    total: int | None = Field(None, description="matching records, when count=true")


class ComponentHealth(BaseModel):
    status: str
    detail: dict[str, Any] = Field(default_factory=dict)


class Health(BaseModel):
    status: str
    version: str
    store: ComponentHealth
    index: ComponentHealth
    encoder: ComponentHealth


class Stats(BaseModel):
    counts: dict[str, int]
    positions_by_kind: dict[str, int]
    positions_by_status: dict[str, int]
    graduates_by_status: dict[str, int]
    graduates_needing_support: int
    blacklisted_employers: int
    watermark: int


class BulkError(BaseModel):
    index: int = Field(description="position of the record in the request array")
    id: str | None = None
    field: str
    message: str
    message_zh: str = Field("", description="the same in Chinese, for the people who fix it")


class BulkResult(BaseModel):
    inserted: int
    updated: int
    unchanged: int
    errors: list[BulkError]


class Strict(BaseModel):
    """Request bodies of the API's own resources: unknown fields are refused, and so is a
    text holding a NUL character or a lone surrogate (no database stores them)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        if unstorable(value):
            raise PydanticCustomError(
                "text_characters", "text may not hold a NUL character or a lone surrogate"
            )
        return value


def _plausible(moment: datetime) -> datetime:
    if not FIRST_DAY.year <= moment.year <= LAST_DAY.year:
        raise PydanticCustomError(
            "date_range", "Input should be a day between {first} and {last}", DAY_RANGE
        )
    return moment


#: An instant with its time zone, between 1900 and 2100.
Moment = Annotated[AwareDatetime, AfterValidator(_plausible)]
Year = Annotated[int, Field(ge=1950, le=2100)]
Ref = Annotated[str, Field(min_length=1, max_length=128)]
Label = Annotated[str, Field(max_length=100)]


class OfferIn(Strict):
    graduate_id: str = Field(min_length=1, max_length=128)
    position_id: str = Field(min_length=1, max_length=128)
    message: str = Field("", max_length=2000, description="text shown to the graduate")


class EventIn(Strict):
    event: Literal["viewed", "applied", "declined", "not_interested", "hired"]
    source: str = Field("api", max_length=32, description="which system saw it (sms, wechat...)")


class SegmentIn(Strict):
    """Graduates a campaign addresses; every filter given must hold, a list matches any."""

    graduation_years: list[Year] = Field(default_factory=list, max_length=50)
    majors: list[Label] = Field(default_factory=list, max_length=200, examples=[["计算机类"]])
    districts: list[Label] = Field(default_factory=list, max_length=200, examples=[["渝北区"]])
    degrees: list[Degree] = Field(default_factory=list)
    support: list[SupportFlag] = Field(default_factory=list)
    needs_support: bool | None = None
    statuses: list[GraduateStatus] = Field(default_factory=lambda: [GraduateStatus.SEEKING])
    graduate_ids: list[Ref] = Field(default_factory=list, max_length=100_000)


class CampaignIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    segment: SegmentIn
    k: int = Field(3, ge=1, le=20, description="offers per graduate (the weekly cap still holds)")
    kinds: list[PositionKind] = Field(default_factory=list)
    message: str = Field("", max_length=2000)
    scheduled_at: Moment | None = Field(None, description="run at this time, not now")


class RetryIn(Strict):
    ids: list[Ref] | None = Field(
        None, max_length=10_000, description="dead letters to retry; all when absent"
    )


class KeyIn(Strict):
    role: Role
    name: str = Field("", max_length=200)
    scope: dict[str, Any] = Field(default_factory=dict)


class ReasonIn(Strict):
    reason: str = Field(min_length=1, max_length=2000)
