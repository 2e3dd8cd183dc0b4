"""Response and request bodies at the HTTP edge."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


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
