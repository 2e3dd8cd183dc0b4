"""Ranking one graduate's candidates, all at once: every feature from the index's columns and
the in-memory text (:mod:`matcher.scoring`), the weighted score, diversity (employers,
near-identical postings), then reasons for the chosen ones, the only records read whole."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from matcher.explain import reasons
from matcher.features import FEATURES, Profile
from matcher.match import Match
from matcher.ranking import diversify
from matcher.retrieve import Candidates
from matcher.scoring import column_features, scores, text_columns, weight_vector

if TYPE_CHECKING:
    from matcher.engine import Matcher


def rank(
    matcher: Matcher,
    graduate: Mapping[str, Any],
    candidates: Candidates,
    k: int,
    today: date,
    *,
    explain: bool = True,
) -> list[Match]:
    rows = candidates.rows
    if not len(rows) or k <= 0:
        return []
    profile = Profile.of(graduate, today)
    columns = matcher.columns
    features = column_features(
        profile, columns, rows, candidates.semantic, candidates.lexical, today
    )
    text = text_columns(profile, matcher.text.get(rows.tolist()))
    features["skills"], features["title"] = text["skills"], text["title"]
    features["major"] = np.maximum(features["major"], text["major"])  # 1 when the class is listed
    final = scores(features, weight_vector(matcher.settings.weights))
    ids = matcher.positions.key_of(rows)
    order = sorted(range(len(rows)), key=lambda i: (-final[i], ids[i]))
    chosen, _ = diversify(
        order,
        columns.employer[rows].tolist(),
        columns.title_key[rows].tolist(),
        k,
        matcher.settings.max_per_employer,
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
    return _matches(matcher, profile, graduate, chosen, ids, rows.tolist(), final, features)


def _matches(
    matcher: Matcher,
    profile: Profile,
    graduate: Mapping[str, Any],
    chosen: Sequence[int],
    ids: Sequence[str],
    rows: Sequence[int],
    final: np.ndarray,
    features: Mapping[str, np.ndarray],
) -> list[Match]:
    out = []
    cards = matcher.text.cards([rows[i] for i in chosen])
    for i, (card, body) in zip(chosen, cards, strict=True):
        values = {name: float(features[name][i]) for name in FEATURES}
        why, lacking = reasons(profile, graduate, card, values, body)
        location = card.get("location") or {}
        out.append(
            Match(
                ids[i],
                round(float(final[i]), 4),
                {name: round(v, 4) for name, v in values.items()},
                why,
                lacking,
                title=str(card.get("title") or ""),
                subtitle=str((card.get("employer") or {}).get("name") or ""),
                place=str(
                    location.get("zone") or location.get("district") or location.get("city") or ""
                ),
            )
        )
    return out
