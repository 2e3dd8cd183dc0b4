"""The learned ranker: a LightGBM LambdaRank model over the engine's features
(:data:`matcher.engine.features.FEATURES`), trained by ``matcher train-ranker``
(:mod:`matcher.quality.ranker_training`) and saved as LightGBM's text model plus a JSON card
in ``models/ranker/``. The only module that imports LightGBM.

The model orders candidates; the score a match shows stays the weighted score of the hand
weights (0–1, readable, the scale thresholds and plans use), so the learned ranker changes
which postings come first, not what a score means. Its per-feature contributions order the
reasons given: along the path a candidate takes down each tree, every split moves the expected
score from the node's value to the child's, and that move is credited to the split's feature
(path attribution). A leaf's credits are the same for every candidate that reaches it, so they
are tabled once when the model loads and a list's contributions are a lookup of the leaves its
candidates reach: about four times cheaper than SHAP values of the same model, and like them
they add up, with the model's expected score, to the candidate's score."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import lightgbm
import numpy as np
import numpy.typing as npt

from matcher.engine.ranker_version import learned_version
from matcher.engine.scoring import feature_matrix
from matcher.errors import ConfigError

Array = npt.NDArray[np.float64]
MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "ranker"
MODEL_FILE = "ranker.txt"
CARD_FILE = "ranker.json"
#: the LightGBM that trains and reads the models (recorded in each card)
LIGHTGBM_VERSION: str = lightgbm.__version__


@dataclass(frozen=True)
class LearnedRanker:
    """A trained model, the features it reads (in its column order) and its card."""

    booster: Any
    features: tuple[str, ...]
    card: Mapping[str, Any]

    @property
    def version(self) -> str:
        """``learned:`` and the model's version (what impressions record)."""
        return learned_version(str(self.card.get("version") or "unversioned"))

    @property
    def beats_weights(self) -> bool:
        """Whether it beat the hand weights in cross-validation when it was trained."""
        return bool(self.card.get("beats_weights"))

    def matrix(self, features: Mapping[str, Array]) -> npt.NDArray[np.float64]:
        return feature_matrix(features, self.features)

    def scores(self, features: Mapping[str, Array]) -> Array:
        """One ranking score per candidate (higher first; unbounded)."""
        out: Array = self.booster.predict(self.matrix(features), num_threads=1)
        return out

    def contributions(self, features: Mapping[str, Array]) -> dict[str, Array]:
        """Each feature's contribution to each candidate's score (path attribution; they add
        up, with :attr:`expected`, to :meth:`scores`)."""
        table, offsets, _ = self._paths
        leaves = self.booster.predict(self.matrix(features), pred_leaf=True, num_threads=1)
        raw = table[np.asarray(leaves, dtype=np.int64) + offsets].sum(axis=1)
        return {name: raw[:, i] for i, name in enumerate(self.features)}

    @property
    def expected(self) -> float:
        """The score before any split is read: the sum of the trees' root values."""
        return self._paths[2]

    @cached_property
    def _paths(self) -> tuple[Array, npt.NDArray[np.int64], float]:
        return path_table(self.booster.dump_model(), len(self.features))

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.booster.save_model(str(directory / MODEL_FILE))
        card = dict(self.card) | {"features": list(self.features)}
        text = json.dumps(card, ensure_ascii=False, indent=1)
        (directory / CARD_FILE).write_text(text + "\n", encoding="utf-8")


def path_table(model: Mapping[str, Any], width: int) -> tuple[Array, npt.NDArray[np.int64], float]:
    """Every leaf's credits per feature (rows: the trees' leaves one tree after another), the
    first row of each tree, and the sum of the root values, from LightGBM's ``dump_model``."""
    rows: list[Array] = []
    offsets: list[int] = []
    expected = 0.0
    for tree in model["tree_info"]:
        offsets.append(sum(len(r) for r in rows))
        credits = np.zeros((int(tree["num_leaves"]), width))
        root = tree["tree_structure"]
        expected += float(root.get("internal_value", root.get("leaf_value", 0.0)))
        stack = [(root, np.zeros(width))] if "split_feature" in root else []
        while stack:
            node, held = stack.pop()
            for side in ("left_child", "right_child"):
                child = node[side]
                value = child["leaf_value"] if "leaf_index" in child else child["internal_value"]
                step = held.copy()
                step[int(node["split_feature"])] += float(value) - float(node["internal_value"])
                if "leaf_index" in child:
                    credits[int(child["leaf_index"])] = step
                else:
                    stack.append((child, step))
        rows.append(credits)
    table = np.vstack(rows) if rows else np.zeros((0, width))
    return table, np.asarray(offsets, dtype=np.int64), expected


def fit(
    matrix: npt.NDArray[np.float64],
    grades: npt.NDArray[np.int64],
    groups: list[int],
    features: tuple[str, ...],
    params: Mapping[str, Any],
    card: Mapping[str, Any],
    weights: npt.NDArray[np.float64] | None = None,
    positions: npt.NDArray[np.int64] | None = None,
) -> LearnedRanker:
    """Fit LambdaRank on candidates grouped by query (``groups``: each query's count, in
    order), with graded relevance ``grades`` and optional per-candidate ``weights``. With
    ``positions`` (the 0-based position each candidate was shown at), LightGBM learns a bias
    factor per position together with the ranker (unbiased LambdaMART), so that what was
    ignored far down a list counts for less than what was ignored at the top."""
    if positions is None:
        model = lightgbm.LGBMRanker(objective="lambdarank", verbose=-1, n_jobs=1, **params)
        model.fit(matrix, grades, group=groups, sample_weight=weights)
        return LearnedRanker(model.booster_, features, dict(card))
    rounds = int(params.get("n_estimators", 100))
    settings = {k: v for k, v in params.items() if k != "n_estimators"}
    data = lightgbm.Dataset(matrix, label=grades, group=groups, weight=weights, position=positions)
    booster = lightgbm.train(
        {"objective": "lambdarank", "verbose": -1, "num_threads": 1, **settings},
        data,
        num_boost_round=rounds,
    )
    return LearnedRanker(booster, features, dict(card))


def load(directory: Path | None = None) -> LearnedRanker:
    """The model saved in ``directory`` (``models/ranker`` by default). Raises ``ConfigError``
    saying how to train one when it is missing or unreadable."""
    return _load(directory or MODEL_DIR)


@cache
def _load(directory: Path) -> LearnedRanker:
    model, card_file = directory / MODEL_FILE, directory / CARD_FILE
    if not model.is_file() or not card_file.is_file():
        raise ConfigError(
            f"no learned ranker in {directory}: run `matcher train-ranker`, or set "
            "MATCHER_RANKER=weights",
            zh=f"{directory} 中没有训练好的排序模型：请运行 matcher train-ranker，或设置 "
            "MATCHER_RANKER=weights 使用人工权重",
        )
    try:
        card = json.loads(card_file.read_text(encoding="utf-8"))
        booster = lightgbm.Booster(model_file=str(model))
    except (OSError, ValueError, lightgbm.basic.LightGBMError) as exc:
        raise ConfigError(
            f"the learned ranker in {directory} cannot be read ({exc}); train it again with "
            "`matcher train-ranker`",
            zh=f"{directory} 中的排序模型无法读取：请用 matcher train-ranker 重新训练",
        ) from None
    return LearnedRanker(booster, tuple(card["features"]), card)
