"""What the engine returns for one pair."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Match:
    """One result: a posting (recommend) or a graduate (candidates)."""

    id: str
    score: float
    features: dict[str, float]
    reasons: list[str]
    missing: list[str]
    title: str = ""  # posting title, or the graduate's name
    subtitle: str = ""  # employer, or major and school
    place: str = ""
    kind: str = ""  # postings: full_time, internship, traineeship...
    salary: dict[str, Any] | None = None  # postings: min, max, unit or negotiable
    expires_at: str | None = None  # postings: the last day to apply
    partial: bool = False  # ranked by place, kind and education only: the profile says little
