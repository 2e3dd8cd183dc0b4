"""Training the learned ranker from judged sets (``matcher train-ranker``).

For each judged graduate the engine retrieves and featurises candidates exactly as it does
when it serves (:meth:`Matcher.retrieve_for`, :func:`matcher.engine.rank.candidate_features`),
each with its judged grade (0 when not judged). Cross-validation splits by graduate, each set
into the same number of folds, so a graduate is never in training and test at once; the hand
weights are scored on the same candidates. The model is marked as beating the weights only if
its cross-validated nDCG@10 is at least theirs on every set; the engine serves it only then."""

from __future__ import annotations

import hashlib
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


def judged_queries(judged: JudgedSet, settings: Settings, log: Log) -> list[Query]:
    """The candidates of every judged graduate of a set, featurised as when served."""
    from matcher.engine.filters import Eligibility
    from matcher.engine.rank import candidate_features
    from matcher.quality.workspace import engine_on

    qrels = load_qrels(judged.qrels)
    out = []
    with engine_on(judged.positions, judged.graduates, settings, log) as matcher:
        graduates = matcher.store.get_many("graduates", sorted(qrels))
        today = date.today()
        for gid, graduate in sorted(graduates.items()):
            mask = Eligibility.for_graduate(graduate, today=today).mask(matcher.columns)
            query = matcher.graduates.vectors([gid])[0]
            found = matcher.retrieve_for(graduate, query, mask, matcher.settings.candidate_pool)
            if not len(found.rows):
                continue
            _, features = candidate_features(graduate, found, today, matcher.columns, matcher.text)
            matrix = np.column_stack([np.asarray(features[f], dtype=np.float64) for f in FEATURES])
            grades = np.array([qrels[gid].get(i, 0) for i in found.ids], dtype=np.int64)
            out.append(Query(judged.name, gid, list(found.ids), matrix, grades, qrels[gid]))
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
    from matcher.engine.scoring import weight_vector

    vector = weight_vector(weights)
    w = np.array([vector[f] for f in FEATURES])
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


def train(
    sets: Sequence[JudgedSet], out: Path, settings: Settings, folds: int = 5, log: Log = print
) -> dict[str, Any]:
    """Cross-validate, fit on everything, and write the model, its card and MODEL_CARD.md."""
    import lightgbm

    queries = [q for s in sets for q in judged_queries(s, settings, log)]
    cv = cross_validate(queries, settings.weights, folds)
    beats = all(figures["learned"] >= figures["weights"] for figures in cv.values())
    for name, figures in cv.items():
        log(f"{name}: nDCG@10 weights {figures['weights']}, learned {figures['learned']} (CV)")
    card: dict[str, Any] = {
        "trained": date.today().isoformat(),
        "data": [
            {
                "positions": [p.name for p in s.positions],
                "graduates": str(s.graduates.name),
                "qrels": s.qrels.name,
                "set": s.name,
            }
            for s in sets
        ],
        "queries": len(queries),
        "candidates": int(sum(len(q.ids) for q in queries)),
        "candidate_pool": settings.candidate_pool,
        "params": PARAMS,
        "folds": folds,
        "cross_validated": cv,
        "beats_weights": beats,
        "lightgbm": lightgbm.__version__,
    }
    model = fit(queries, card)
    text = model.booster.model_to_string()
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    card["version"] = f"{card['trained']}-{digest}"
    model = type(model)(model.booster, model.features, card)
    model.save(out)
    (out / "MODEL_CARD.md").write_text(model_card(card, list(FEATURES)), encoding="utf-8")
    log(f"model {card['version']} written to {out} (beats the weights: {beats})")
    return card


def model_card(card: dict[str, Any], features: list[str]) -> str:
    """The model card, in Markdown, from the training card."""
    rows = "\n".join(
        f"| {name} | {f['graduates']} | {f['weights']:.4f} | {f['learned']:.4f} |"
        for name, f in card["cross_validated"].items()
    )
    data = "\n".join(
        f"- `{d['set']}`: {', '.join(d['positions'])}; graduates `{d['graduates']}`, "
        f"judgements `{d['qrels']}`"
        for d in card["data"]
    )
    return f"""# Learned ranker

`ranker.txt` is a LightGBM LambdaRank model (LightGBM {card["lightgbm"]}) and `ranker.json` its
card, written by `matcher train-ranker` on {card["trained"]} (version `{card["version"]}`).
The engine serves it when `MATCHER_RANKER=learned` (the default) and the card says it beat the
hand weights in cross-validation (`beats_weights`: {str(card["beats_weights"]).lower()});
otherwise the hand weights serve.

## Data

Judged sets only (no stored feedback, no held-out data):

{data}

{card["queries"]} graduates, {card["candidates"]} candidates: for each judged graduate, the
{card["candidate_pool"]} candidates the engine retrieves for them (its `candidate_pool`),
graded by the judgements (0 when not judged).

## Features

The engine's features, in this order: {", ".join(features)}. No support flag or protected trait
is a feature.

## Training

LambdaRank (nDCG), parameters {card["params"]}.

## Cross-validated nDCG@10 ({card["folds"]} folds by graduate)

Each graduate scored by a model that did not see them, beside the hand weights on the same
candidates (no diversity rule, so the figures differ slightly from `matcher eval`):

| set | graduates | hand weights | learned |
|---|---:|---:|---:|
{rows}

## Limits

Trained on {card["queries"]} graduates of two judged sets: it learns what those judgements
reward (occupation named in the title, no experience asked). Retrain with `matcher
train-ranker` when the features or the judged sets change.
"""
