"""Training the learned ranker from judged sets (``matcher train-ranker``).

For each judged graduate the engine retrieves and featurises candidates exactly as it does
when it serves (:meth:`Matcher.retrieve_for`, :func:`matcher.engine.rank.candidate_features`),
each with its judged grade (0 when not judged). Cross-validation splits by graduate, each set
into the same number of folds, so a graduate is never in training and test at once; the hand
weights are scored on the same candidates. The model is marked as beating the weights only if
its cross-validated nDCG@10 is at least theirs on every set; the engine serves it only then."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from matcher.config import Settings
from matcher.engine.features import FEATURES
from matcher.quality.evaluate import load_qrels, ndcg_at_k

#: LightGBM LambdaRank settings: small trees and many candidates per leaf (60 graduates a set)
PARAMS: dict[str, Any] = {
    "num_leaves": 7,
    "min_child_samples": 50,
    "learning_rate": 0.05,
    "n_estimators": 150,
}
Log = Callable[[str], None]


@dataclass(frozen=True)
class JudgedSet:
    """Posting files, the graduates judged against them and the judgements."""

    positions: tuple[Path, ...]
    graduates: Path
    qrels: Path

    @property
    def name(self) -> str:
        return self.graduates.parent.name or self.graduates.stem


@dataclass
class Query:
    """One graduate's candidates: ids, feature matrix (columns in FEATURES order), grades."""

    dataset: str
    graduate_id: str
    ids: list[str]
    matrix: npt.NDArray[np.float64]
    grades: npt.NDArray[np.int64]
    judged: dict[str, int]

    def ndcg(self, scores: npt.NDArray[np.float64], k: int = 10) -> float:
        order = sorted(range(len(self.ids)), key=lambda j: (-scores[j], self.ids[j]))
        return ndcg_at_k([self.ids[j] for j in order[:k]], self.judged, k)


def candidate_pool(
    matcher: Any, graduate: dict[str, Any], today: date
) -> tuple[list[str], npt.NDArray[np.float64]]:
    """The graduate's candidates (the engine's ``candidate_pool`` of eligible postings) and
    their feature matrix (columns in FEATURES order), as when the engine serves them."""
    from matcher.engine.filters import Eligibility
    from matcher.engine.rank import candidate_features
    from matcher.engine.scoring import feature_matrix

    mask = Eligibility.for_graduate(graduate, today=today).mask(matcher.columns)
    query = matcher.graduates.vectors([graduate["id"]])[0]
    found = matcher.retrieve_for(graduate, query, mask, matcher.settings.candidate_pool)
    if not len(found.rows):
        return [], np.zeros((0, len(FEATURES)))
    _, features = candidate_features(graduate, found, today, matcher.columns, matcher.text)
    return list(found.ids), feature_matrix(features)


def judged_queries(judged: JudgedSet, settings: Settings, log: Log) -> list[Query]:
    """The candidates of every judged graduate of a set, featurised as when served."""
    from matcher.quality.workspace import engine_on

    qrels = load_qrels(judged.qrels)
    out = []
    with engine_on(judged.positions, judged.graduates, settings, log) as matcher:
        graduates = matcher.store.get_many("graduates", sorted(qrels))
        today = date.today()
        for gid, graduate in sorted(graduates.items()):
            ids, matrix = candidate_pool(matcher, graduate, today)
            if not ids:
                continue
            grades = np.array([qrels[gid].get(i, 0) for i in ids], dtype=np.int64)
            out.append(Query(judged.name, gid, ids, matrix, grades, qrels[gid]))
    log(f"{judged.name}: {len(out)} judged graduates, {sum(len(q.ids) for q in out)} candidates")
    return out


def folds_of(queries: Sequence[Query], folds: int, seed: int = 0) -> list[int]:
    """A fold for each query: each set's graduates shuffled and dealt out in turn."""
    rng = np.random.default_rng(seed)
    fold = [0] * len(queries)
    for dataset in sorted({q.dataset for q in queries}):
        members = [i for i, q in enumerate(queries) if q.dataset == dataset]
        for n, i in enumerate(rng.permutation(members)):
            fold[int(i)] = n % folds
    return fold


def cross_validate(
    queries: Sequence[Query], weights: dict[str, float], folds: int, seed: int = 0
) -> dict[str, dict[str, float]]:
    """Mean nDCG@10 per set of the hand weights and, out of fold, of the learned ranker."""
    from matcher.engine.scoring import weight_array

    w = weight_array(weights)
    fold = folds_of(queries, folds, seed)
    got: dict[str, dict[str, list[float]]] = {}
    for f in range(folds):
        train = [q for q, g in zip(queries, fold, strict=True) if g != f]
        model = fit(train, {})
        for q, g in zip(queries, fold, strict=True):
            if g != f:
                continue
            figures = got.setdefault(q.dataset, {"weights": [], "learned": []})
            figures["weights"].append(q.ndcg(q.matrix @ w))
            figures["learned"].append(q.ndcg(model.booster.predict(q.matrix, num_threads=1)))
    return {
        d: {name: round(float(np.mean(v)), 4) for name, v in figures.items()}
        | {"graduates": len(figures["weights"])}
        for d, figures in got.items()
    }


def fit(queries: Sequence[Query], card: dict[str, Any]) -> Any:
    """A LambdaRank model over all the queries' candidates."""
    from matcher.engine import learned

    matrix = np.vstack([q.matrix for q in queries])
    grades = np.concatenate([q.grades for q in queries])
    return learned.fit(matrix, grades, [len(q.ids) for q in queries], FEATURES, PARAMS, card)
