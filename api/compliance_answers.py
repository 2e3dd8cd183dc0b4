"""What the employer-facing screening and the review queue answer, as documented in
``/openapi.json`` (see :mod:`api.answers`)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from api.answers import Answer, Flag


class ExplainedFlag(Flag):
    category_label: str = Field(description="the category in Chinese (性别, 年龄...)")


class Screened(Answer):
    """A draft posting screened without storing it."""

    id: Any = Field(description="the id the draft gave, if any")
    publishable: bool = Field(
        description="nothing flagged: published as it is, it is recommended at once; otherwise "
        "it waits for the bureau's review"
    )
    categories: list[str]
    flags: list[ExplainedFlag] = Field(
        description="each flagged wording: the exact text (match), the law (basis), the advice "
        "(rewrite)"
    )
    rewritten: dict[str, str] = Field(
        description="the draft's screened text fields (title, description...) reworded: each "
        "flagged requirement removed, or replaced by 男女不限, 户籍不限 or 民族不限"
    )
    rewritten_clean: bool = Field(description="whether the rules flag nothing in the rewrite")
    message: str
    message_zh: str


class BulkFailure(Answer):
    id: str
    code: str = Field(description="not_found, not_flagged, already_reviewed or duplicate")
    detail: str
    detail_zh: str


class BulkReviewed(Answer):
    action: str
    done: list[str] = Field(description="postings decided now")
    failed: list[BulkFailure] = Field(description="postings left as they were, and why")
