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
from matcher.engine.rankers import Ranker, WeightedRanker
from matcher.engine.retrieve import Candidates
from matcher.engine.scoring import column_features, text_columns
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
    ranker: Ranker | None = None,
) -> list[Match]:
    """The best ``k`` of the candidates for the graduate, with their feature values and,
    unless ``explain`` is off, reasons and display fields. ``ranker`` orders them (the
    weighted score when none is given); each match's score is the weighted score."""
    rows = candidates.rows
    if not len(rows) or k <= 0:
        return []
    profile, features = candidate_features(graduate, candidates, today, columns, text)
    partial = says_little(graduate)  # rank by what is known: place, kind, education...
    if partial:
        weights = {name: w for name, w in weights.items() if name not in CONTENT_FEATURES}
    weighted = WeightedRanker.of(weights)
    if ranker is None or partial:
        ranker = weighted
    final = weighted.scores(features)
    order_by = final if ranker is weighted else ranker.scores(features)
    ids = candidates.ids
    order = sorted(range(len(rows)), key=lambda i: (-order_by[i], ids[i]))
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
    shown = {name: np.asarray(values)[chosen] for name, values in features.items()}
    added = ranker.contributions(shown)
    matches = _matches(text, profile, graduate, chosen, ids, rows.tolist(), final, features, added)
    if partial:
        for match in matches:
            thin_profile(match)
    return matches


def candidate_features(
    graduate: Mapping[str, Any],
    candidates: Candidates,
    today: date,
    columns: PostingColumns,
    text: PostingText,
) -> tuple[Profile, dict[str, np.ndarray]]:
    """The graduate's profile and every feature of each candidate (as the ranking reads them;
    training the learned ranker reads the same)."""
    rows = candidates.rows
    profile = Profile.of(graduate, today)
    features = column_features(
        profile, columns, rows, candidates.semantic, candidates.lexical, today
    )
    found = text_columns(profile, text.get(rows.tolist()))
    for name in ("skills", "title", "wish", "wish_text", "avoid"):
        features[name] = found[name]
    features["major"] = np.maximum(features["major"], found["major"])  # 1 when the class is listed
    return profile, features


def _matches(
    text: PostingText,
    profile: Profile,
    graduate: Mapping[str, Any],
    chosen: Sequence[int],
    ids: Sequence[str],
    rows: Sequence[int],
    final: np.ndarray,
    features: Mapping[str, np.ndarray],
    added: Mapping[str, np.ndarray],
) -> list[Match]:
    """The chosen candidates as matches; ``added``: each feature's contribution to each chosen
    one's ranking (in the order of ``chosen``), which orders its reasons."""
    out = []
    cards = text.cards([rows[i] for i in chosen])
    for j, (i, (card, body)) in enumerate(zip(chosen, cards, strict=True)):
        values = {name: round(float(features[name][i]), 4) for name in FEATURES}
        why, lacking = reasons(
            profile, graduate, card, values, body, {n: float(c[j]) for n, c in added.items()}
        )
        out.append(
            Match(
                ids[i],
                round(float(final[i]), 4),
                values,
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
