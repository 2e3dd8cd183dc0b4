"""Scoring and diversity. The default scorer is a transparent weighted sum of the features
(weights in :mod:`matcher.config`); every result carries its feature values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Scored:
    position_id: str
    score: float
    features: dict[str, float]
    record: Mapping[str, Any] = field(repr=False)


def weighted_score(features: Mapping[str, float], weights: Mapping[str, float]) -> float:
    total = sum(abs(w) for w in weights.values()) or 1.0
    return sum(weights.get(name, 0.0) * value for name, value in features.items()) / total


def diversify(ranked: Sequence[Scored], k: int, max_per_employer: int) -> list[Scored]:
    """Best-first selection of ``k`` results with at most ``max_per_employer`` postings of one
    employer per ten results and no two near-identical postings (same employer and title);
    when diversity leaves fewer than ``k``, the best skipped results fill the gap."""
    chosen: list[Scored] = []
    skipped: list[Scored] = []
    seen_titles: set[tuple[str, str]] = set()
    per_employer: dict[str, int] = {}
    for item in ranked:
        employer = str((item.record.get("employer") or {}).get("name") or item.position_id)
        title_key = (employer, str(item.record.get("title") or "").strip().lower())
        window = len(chosen) // 10
        key = f"{window}:{employer}"
        if title_key in seen_titles or per_employer.get(key, 0) >= max_per_employer:
            skipped.append(item)
            continue
        chosen.append(item)
        seen_titles.add(title_key)
        per_employer[key] = per_employer.get(key, 0) + 1
        if len(chosen) == k:
            return chosen
    return chosen + skipped[: k - len(chosen)]
