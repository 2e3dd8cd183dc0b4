"""Features and scores of one graduate against many candidate postings at once.

Everything but the text features comes from the index's columns (:mod:`matcher.engine.columns`) as
numpy arrays; the text features (skills, title, the major's terms) need the postings' text and
are added per candidate, best candidates first, only as far as they can still change the top-k
(see :mod:`matcher.engine.rank`). The values equal
:func:`matcher.engine.features.pair_features` (a test holds them equal on generated data)."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from matcher.engine.columns import KINDS, NO_DATE, PostingColumns, day_number
from matcher.engine.features import FEATURES, LATIN, WISH_TEXT_CHARS, Profile

__all__ = ["column_features", "scores", "text_columns", "weight_vector", "weighted_score"]

Array = npt.NDArray[np.float64]
Rows = npt.NDArray[np.int64]
#: characters that may not touch a Latin term on either side (whole words only, as in
#: :func:`matcher.engine.features.contains`: ``java`` is not found in ``javascript``)
BEFORE = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
AFTER = BEFORE | {"+", "#"}


def text_columns(profile: Profile, texts: Sequence[tuple[str, str]]) -> dict[str, Array]:
    """skills, title, the major from its class's terms, and the wishes for many (title, body)
    pairs at once: each term is searched once in all the bodies joined, not once per
    candidate."""
    titles = _Joined([t for t, _ in texts])
    bodies = _Joined([b for _, b in texts])
    n = len(texts)
    skills = np.zeros(n)
    in_title = np.zeros(n, dtype=bool)
    for skill in profile.skills:
        skills += bodies.found(skill)
        in_title |= titles.found(skill)
    if len(profile.major) >= 2:
        in_title |= titles.found(profile.major, whole_word=False)
    hits = np.zeros(n)
    for term in profile.class_terms:
        hits += bodies.found(term)
    return {
        "skills": skills / len(profile.skills) if profile.skills else skills,
        "title": in_title.astype(np.float64),
        "major": np.minimum(1.0, hits / 3) if profile.class_terms else hits,
        **_wishes(profile, texts, titles),
    }


def _wishes(
    profile: Profile, texts: Sequence[tuple[str, str]], titles: _Joined
) -> dict[str, Array]:
    """wish, wish_text and avoid (as :func:`matcher.engine.features.wish_features`)."""
    n = len(texts)
    wish, opening, avoid = np.zeros(n, bool), np.zeros(n, bool), np.zeros(n, bool)
    if profile.wanted:
        openings = _Joined([b[: len(t) + 1 + WISH_TEXT_CHARS] for t, b in texts])
        for word in profile.wanted:
            wish |= titles.found(word)
            opening |= openings.found(word)
    for word in profile.avoided:
        avoid |= titles.found(word)
    return {
        "wish": wish.astype(np.float64),
        "wish_text": opening.astype(np.float64),
        "avoid": avoid.astype(np.float64),
    }


class _Joined:
    """Texts joined by NUL, with where each starts, for one search per term."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.text = "\x00".join(texts)
        self.starts = list(itertools.accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
        self.n = len(texts)

    def found(self, term: str, whole_word: bool = True) -> npt.NDArray[np.bool_]:
        """Which texts contain ``term`` (as :func:`matcher.engine.features.contains` decides: Latin
        terms as whole words)."""
        hit = np.zeros(self.n, dtype=bool)
        if not term:
            return hit
        latin = whole_word and LATIN.fullmatch(term) is not None
        text, starts, size = self.text, self.starts, len(term)
        at = text.find(term)
        while at >= 0:
            if latin and (
                (at > 0 and text[at - 1] in BEFORE) or text[at + size : at + size + 1] in AFTER
            ):
                at = text.find(term, at + 1)  # part of a longer word: look further on
                continue
            i = bisect.bisect_right(starts, at) - 1
            hit[i] = True
            at = text.find(term, starts[i + 1]) if i + 1 < self.n else -1  # next text
        return hit


def column_features(
    profile: Profile,
    columns: PostingColumns,
    rows: Rows,
    semantic: npt.NDArray[np.floating[Any]],
    lexical: npt.NDArray[np.floating[Any]],
    today: date,
) -> dict[str, Array]:
    """Every feature of each row; ``skills``, ``title`` and the wishes are 0 and ``major`` is 1
    where the posting lists the graduate's class, else 0, until the text features are added."""
    n = len(rows)
    out: dict[str, Array] = {
        "semantic": np.maximum(semantic.astype(np.float64), 0.0),
        "lexical": lexical.astype(np.float64),
        "skills": np.zeros(n),
        "title": np.zeros(n),
        "wish": np.zeros(n),
        "wish_text": np.zeros(n),
        "avoid": np.zeros(n),
        "major": (
            columns.has_major_class(profile.major_class, rows).astype(np.float64)
            if profile.major_class
            else np.zeros(n)
        ),
    }
    need = columns.education[rows].astype(np.int64)
    if profile.degree_rank is None:
        out["education"] = np.full(n, 0.8)
    else:
        gap = profile.degree_rank - need
        out["education"] = np.where(
            need < 0, 0.8, np.select([gap == 0, gap == 1, gap > 1], [1.0, 0.8, 0.6], 0.0)
        )
    years = columns.experience[rows].astype(np.int64)
    gap = years - profile.experience
    out["experience"] = np.where(
        years < 0,
        0.7,
        np.select([gap < 0, gap == 0, gap == 1, gap == 2], [1.0, 1.0, 0.5, 0.3], 0.0),
    )
    out["region"] = _region(profile, columns, rows)
    salary = columns.salary[rows].astype(np.float64)
    if profile.salary_min:
        out["salary"] = np.where(
            salary > 0, np.minimum(1.0, salary / float(profile.salary_min)), 0.5
        )
    else:
        out["salary"] = np.full(n, 0.5)
    if profile.kinds:
        wanted = np.array([k.value in profile.kinds for k in KINDS])
        out["kind"] = wanted[columns.kind[rows]].astype(np.float64)
    else:
        out["kind"] = np.ones(n)
    posted = columns.posted[rows].astype(np.int64)
    age = np.maximum(day_number(today.isoformat()) - posted, 0)
    out["freshness"] = np.where(posted == NO_DATE, 0.5, np.exp(-age / 60))
    return out


def _region(profile: Profile, columns: PostingColumns, rows: Rows) -> Array:
    n = len(rows)
    if not profile.places:
        return np.full(n, 0.5)
    exact = np.zeros(n, dtype=bool)
    inside = np.zeros(n, dtype=bool)
    length = columns.code_len[rows]
    for place in profile.places:
        if not place.isdigit() or len(place) not in (2, 4, 6):
            continue
        column = {2: columns.province, 4: columns.city, 6: columns.area}[len(place)]
        hit = (column[rows] == int(place)) & (length >= len(place))
        inside |= hit
        if len(place) == 6:
            exact |= hit & (length == 6)
    return np.where(exact, 1.0, np.where(inside, 0.8, 0.0))


def weight_vector(weights: Mapping[str, float]) -> dict[str, float]:
    """Each feature's weight divided by the sum of the weights' absolute values."""
    total = sum(abs(w) for w in weights.values()) or 1.0
    return {name: weights.get(name, 0.0) / total for name in FEATURES}


def weight_array(weights: Mapping[str, float]) -> Array:
    """:func:`weight_vector` as an array in FEATURES order (a feature matrix times it gives
    the weighted scores)."""
    vector = weight_vector(weights)
    return np.array([vector[name] for name in FEATURES])


def feature_matrix(
    features: Mapping[str, Array], names: Sequence[str] = FEATURES
) -> npt.NDArray[np.float64]:
    """The feature arrays as one matrix, a column per name (FEATURES order by default)."""
    return np.column_stack([np.asarray(features[name], dtype=np.float64) for name in names])


def scores(features: Mapping[str, Array], weights: Mapping[str, float]) -> Array:
    """Weighted sums of the feature arrays (weights from :func:`weight_vector`)."""
    total: Array = sum(
        (weights[name] * features[name] for name in FEATURES if weights[name]),
        start=np.zeros(len(next(iter(features.values())))),
    )
    return total


def weighted_score(features: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """The score of one pair (:func:`scores` does many at once)."""
    normalised = weight_vector(weights)
    return sum(normalised.get(name, 0.0) * value for name, value in features.items())
