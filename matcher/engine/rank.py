"""Ranking one graduate's candidates, all at once: every feature from the postings' columns and
in-memory text (:mod:`matcher.engine.scoring`), the weighted score, diversity
(:mod:`matcher.engine.diversity`), then reasons for the chosen ones from their display cards.
No record is read from the store."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np

from matcher.engine.columns import PostingColumns
from matcher.engine.diversity import diversify
from matcher.engine.explain import reasons, thin_profile
from matcher.engine.features import CONTENT_FEATURES, FEATURES, Profile, says_little
from matcher.engine.match import Match
from matcher.engine.posting_text import PostingText
from matcher.engine.retrieve import Candidates
from matcher.engine.scoring import column_features, scores, text_columns, weight_vector
from matcher.taxonomy.regions import place_name


def rank(
    graduate: Mapping[str, Any],
    candidates: Candidates,
    k: int,
    today: date,
    *,
    columns: PostingColumns,
    text: PostingText,
    weights: Mapping[str, float],
    max_per_employer: int,
    explain: bool = True,
) -> list[Match]:
    """The best ``k`` of the candidates for the graduate, with their feature values and,
    unless ``explain`` is off, reasons and display fields."""
    rows = candidates.rows
    if not len(rows) or k <= 0:
        return []
    profile = Profile.of(graduate, today)
    features = column_features(
        profile, columns, rows, candidates.semantic, candidates.lexical, today
    )
    found = text_columns(profile, text.get(rows.tolist()))
    features["skills"], features["title"] = found["skills"], found["title"]
    features["major"] = np.maximum(features["major"], found["major"])  # 1 when the class is listed
    partial = says_little(graduate)  # rank by what is known: place, kind, education...
    if partial:
        weights = {name: w for name, w in weights.items() if name not in CONTENT_FEATURES}
    final = scores(features, weight_vector(weights))
    ids = candidates.ids
    order = sorted(range(len(rows)), key=lambda i: (-final[i], ids[i]))
    chosen, _ = diversify(
        order,
        columns.employer[rows].tolist(),
        columns.title_key[rows].tolist(),
        k,
        max_per_employer,
    )
    if not explain:
        return [
            Match(
                ids[i],
                round(float(final[i]), 4),
                {name: round(float(features[name][i]), 4) for name in FEATURES},
                [],
                [],
            )
            for i in chosen
        ]
    matches = _matches(text, profile, graduate, chosen, ids, rows.tolist(), final, features)
    if partial:
        for match in matches:
            thin_profile(match)
    return matches


def _matches(
    text: PostingText,
    profile: Profile,
    graduate: Mapping[str, Any],
    chosen: Sequence[int],
    ids: Sequence[str],
    rows: Sequence[int],
    final: np.ndarray,
    features: Mapping[str, np.ndarray],
) -> list[Match]:
    out = []
    cards = text.cards([rows[i] for i in chosen])
    for i, (card, body) in zip(chosen, cards, strict=True):
        values = {name: float(features[name][i]) for name in FEATURES}
        why, lacking = reasons(profile, graduate, card, values, body)
        out.append(
            Match(
                ids[i],
                round(float(final[i]), 4),
                {name: round(v, 4) for name, v in values.items()},
                why,
                lacking,
                title=str(card.get("title") or ""),
                subtitle=str((card.get("employer") or {}).get("name") or ""),
                place=place_name(card.get("location")),
                kind=str(card.get("kind") or ""),
                salary=card.get("salary"),
                expires_at=card.get("expires_at"),
            )
        )
    return out
