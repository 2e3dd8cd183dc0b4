"""A learned second opinion on postings (issue #19): character n-grams of the normalised text
(TF-IDF, ``char_wb`` 1-3) and one logistic regression per category, trained on the rules' flags
over real postings plus hand-labelled ones. It only *suggests* postings for human review where no
rule flagged that category; it never holds a posting back on its own, and it is not on the
screening path (``matcher screen --suggest`` asks for it).

The model is a pickled scikit-learn pipeline, gzip-compressed, in ``models/compliance/``
(written by ``matcher screen --train-classifier``, described in its ``MODEL_CARD.md``). Load
only models built by this project: unpickling runs code."""

from __future__ import annotations

import gzip
import json
import pickle
import random
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from matcher.compliance.evaluate import Labelled
from matcher.compliance.normalise import fold
from matcher.compliance.screen import CATEGORIES, SCREENED_FIELDS, RuleSet
from matcher.errors import MatcherError

MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "compliance"
MODEL_FILE = MODEL_DIR / "classifier.pkl.gz"
FORMAT = 1
#: how many times a hand-labelled posting counts against one labelled by the rules
GOLD_WEIGHT = 5


def posting_text(record: Mapping[str, Any]) -> str:
    """The screened fields of a posting, joined and normalised as the rules read them."""
    parts = [record.get(f) for f in SCREENED_FIELDS]
    return fold("\n".join(p for p in parts if isinstance(p, str))).text


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A category the classifier thinks a reviewer should look at, with its score (0-1)."""

    category: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"category": self.category, "score": round(self.score, 3)}


def build_pipeline(max_features: int = 20000, seed: int = 0) -> Any:
    """An untrained pipeline: TF-IDF over character 1-3-grams inside word boundaries, then one
    balanced logistic regression per category."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import Pipeline

    return Pipeline(
        [
            (
                "tfidf",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(1, 3),
                    min_df=3,
                    max_features=max_features,
                    sublinear_tf=True,
                    dtype=np.float32,
                ),
            ),
            (
                "clf",
                OneVsRestClassifier(
                    LogisticRegression(
                        C=4.0, class_weight="balanced", solver="liblinear", random_state=seed
                    )
                ),
            ),
        ]
    )


@dataclass
class Suggester:
    """A trained pipeline and the score from which it suggests a review."""

    pipeline: Any
    threshold: float
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None) -> Suggester:
        path = path or MODEL_FILE
        if not path.is_file():
            raise MatcherError(
                f"no compliance classifier at {path}; build one with "
                "`matcher screen --train-classifier --positions F[,F...] --labels L[,L...]`",
                zh=f"未找到合规分类模型 {path}，请先用 matcher screen --train-classifier 训练",
            )
        with gzip.open(path, "rb") as handle:
            bundle = pickle.load(handle)  # our own artefact (see the module's description)
        if not isinstance(bundle, dict) or bundle.get("format") != FORMAT:
            raise MatcherError(
                f"{path} is not a compliance classifier of format {FORMAT}; train it again",
                zh=f"{path} 不是可用的合规分类模型，请重新训练",
            )
        if tuple(bundle["categories"]) != CATEGORIES:
            raise MatcherError(
                f"{path} was trained for categories {bundle['categories']}; train it again",
                zh="合规分类模型的类别与当前规则不一致，请重新训练",
            )
        return cls(bundle["pipeline"], float(bundle["threshold"]), dict(bundle.get("meta") or {}))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        bundle = {
            "format": FORMAT,
            "categories": list(CATEGORIES),
            "pipeline": self.pipeline,
            "threshold": self.threshold,
            "meta": self.meta,
        }
        with path.open("wb") as raw, gzip.GzipFile("", "wb", 9, raw, mtime=0) as handle:
            pickle.dump(bundle, handle, protocol=pickle.HIGHEST_PROTOCOL)

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Scores (0-1) per text and category, in ``CATEGORIES`` order."""
        if not texts:
            return np.zeros((0, len(CATEGORIES)), dtype=np.float32)
        return np.asarray(self.pipeline.predict_proba(list(texts)))

    def suggest(
        self, records: Sequence[Mapping[str, Any]], flagged: Sequence[Iterable[str]]
    ) -> list[list[Suggestion]]:
        """For each record, the categories scored at or above the threshold that its rule flags
        (``flagged``, the categories per record) do not already cover."""
        scores = self.scores([posting_text(r) for r in records])
        return [
            suggestions(row, set(cats), self.threshold)
            for row, cats in zip(scores, flagged, strict=True)
        ]


def suggestions(row: Iterable[float], flagged: set[str], threshold: float) -> list[Suggestion]:
    return [
        Suggestion(c, float(s))
        for c, s in zip(CATEGORIES, row, strict=True)
        if s >= threshold and c not in flagged
    ]


@dataclass
class TrainingSet:
    """Texts with their categories: ``gold`` rows are hand-labelled, the others are labelled by
    the rules; ``ruled`` holds what the rules flag on every row; ``train`` are the rows trained
    on (the others, clean postings left out of the sample, measure the review load)."""

    ids: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    labels: list[frozenset[str]] = field(default_factory=list)
    ruled: list[frozenset[str]] = field(default_factory=list)
    gold: list[bool] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    train: list[int] = field(default_factory=list)

    def matrix(self, rows: Iterable[int]) -> np.ndarray:
        return np.array(
            [[c in self.labels[i] for c in CATEGORIES] for i in rows], dtype=np.int8
        ).reshape(-1, len(CATEGORIES))


def iter_postings(paths: Sequence[Path]) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Every posting (a JSON object with a string id) in JSON Lines files; broken lines are
    skipped."""
    for path in paths:
        if not path.is_file():
            raise FileNotFoundError(f"no such posting file: {path}")
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(record, dict) and isinstance(record.get("id"), str):
                    yield path, record


def training_set(
    paths: Sequence[Path],
    labels: Mapping[str, Labelled],
    rules: RuleSet,
    max_clean: int | None = None,
    seed: int = 0,
) -> TrainingSet:
    """Hand-labelled postings keep their labels; the others take the rules' flags. At most
    ``max_clean`` of the postings the rules leave clean are trained on (a fixed-seed sample)."""
    out, clean = TrainingSet(), []
    for path, record in iter_postings(paths):
        ruled = frozenset(f.category for f in rules.screen(record))
        label = labels.get(record["id"])
        if label is None and not ruled:
            clean.append(len(out.ids))
        out.ids.append(record["id"])
        out.texts.append(posting_text(record))
        out.labels.append(label.flags if label else ruled)
        out.ruled.append(ruled)
        out.gold.append(label is not None)
        out.source.append(path.name)
    drop: set[int] = set()
    if max_clean is not None and len(clean) > max_clean:
        drop = set(clean) - set(random.Random(seed).sample(clean, max_clean))
    out.train = [i for i in range(len(out.ids)) if i not in drop]
    return out


def fit(data: TrainingSet, rows: Sequence[int], max_features: int, seed: int) -> Any:
    """A pipeline trained on ``rows``; hand-labelled rows count ``GOLD_WEIGHT`` times."""
    rows = [r for r in rows for _ in range(GOLD_WEIGHT if data.gold[r] else 1)]
    pipeline = build_pipeline(max_features, seed)
    with warnings.catch_warnings():  # a category without positives is scored 0, as it should
        warnings.filterwarnings("ignore", message="Label not .* is present", category=UserWarning)
        pipeline.fit([data.texts[r] for r in rows], data.matrix(rows))
    return pipeline


def out_of_fold(
    data: TrainingSet, folds: int, max_features: int, seed: int
) -> dict[int, np.ndarray]:
    """Scores of every hand-labelled row from a pipeline that did not see it: the labelled rows
    are split in ``folds``; the rows labelled by the rules are always trained on."""
    gold = [i for i in data.train if data.gold[i]]
    random.Random(seed).shuffle(gold)
    weak = [i for i in data.train if not data.gold[i]]
    found: dict[int, np.ndarray] = {}
    for k in range(folds):
        held = gold[k::folds]
        train = weak + [i for i in gold if i not in set(held)]
        pipeline = fit(data, train, max_features, seed)
        for i, row in zip(held, pipeline.predict_proba([data.texts[i] for i in held]), strict=True):
            found[i] = np.asarray(row)
    return found
