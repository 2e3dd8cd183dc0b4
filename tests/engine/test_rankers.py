"""The two rankers (issue 18): the learned model saved and loaded, its contributions, the
choice between it and the hand weights, and explanations that follow what drove the ranking."""

from __future__ import annotations

import itertools
from datetime import date

import numpy as np
import pytest

from matcher.config import Settings
from matcher.engine import learned, rankers
from matcher.engine.features import FEATURES
from matcher.engine.rankers import WeightedRanker, ranker_for
from matcher.errors import ConfigError
from tests.conftest import generated_matcher

TODAY = date(2026, 9, 1)
#: which feature each reason stands for (by its Chinese label)
REASON_FEATURE = {
    "符合求职意向": "wish",
    "岗位名称对口": "title",
    "专业对口": "major",
    "技能匹配": "skills",
    "工作地点": "region",
    "学历满足": "education",
    "应届可投": "experience",
    "内容相近": "semantic",
    "岗位类型": "kind",
}


def _synthetic(seed: int = 0, queries: int = 40, per: int = 30):
    """Candidates whose grade follows 'wish' and 'experience' and not the other features."""
    rng = np.random.default_rng(seed)
    matrix = rng.random((queries * per, len(FEATURES)))
    wish, experience = FEATURES.index("wish"), FEATURES.index("experience")
    matrix[:, wish] = rng.random(queries * per) < 0.3
    grades = (2 * matrix[:, wish] + (matrix[:, experience] > 0.5)).astype(np.int64)
    return matrix, grades, [per] * queries


def _model(tmp_path, beats: bool = True):
    matrix, grades, groups = _synthetic()
    params = {"num_leaves": 7, "min_child_samples": 20, "n_estimators": 40}
    card = {"version": "test-1", "beats_weights": beats}
    model = learned.fit(matrix, grades, groups, FEATURES, params, card)
    model.save(tmp_path)
    return model


def test_a_saved_model_loads_and_ranks_as_it_learned(tmp_path):
    model = _model(tmp_path)
    loaded = learned.load(tmp_path)
    assert loaded.features == FEATURES and loaded.version == "learned:test-1"
    matrix, _, _ = _synthetic(seed=1, queries=1)
    features = {f: matrix[:, i] for i, f in enumerate(FEATURES)}
    np.testing.assert_allclose(loaded.scores(features), model.scores(features))
    wished = features["wish"] > 0
    assert loaded.scores(features)[wished].mean() > loaded.scores(features)[~wished].mean()


def test_contributions_add_up_to_the_score_and_name_what_matters(tmp_path):
    model = _model(tmp_path)
    matrix, _, _ = _synthetic(seed=2, queries=1)
    features = {f: matrix[:, i] for i, f in enumerate(FEATURES)}
    parts = model.contributions(features)
    assert set(parts) == set(FEATURES)
    np.testing.assert_allclose(sum(parts.values()) + model.expected, model.scores(features))
    # the credits follow each candidate's own path: SHAP values of the same model agree on
    # which feature mattered most for most candidates
    shap = model.booster.predict(model.matrix(features), pred_contrib=True)[:, :-1]
    mine = np.stack([parts[f] for f in FEATURES], axis=1)
    top = np.argmax(np.abs(mine), axis=1) == np.argmax(np.abs(shap), axis=1)
    assert top.mean() > 0.6
    spread = {f: float(np.abs(v).mean()) for f, v in parts.items()}
    assert max(spread, key=spread.get) in ("wish", "experience")


def test_a_missing_or_unproven_model_leaves_the_hand_weights(tmp_path, monkeypatch):
    with pytest.raises(ConfigError) as missing:
        learned.load(tmp_path / "none")
    assert "matcher train-ranker" in missing.value.zh
    monkeypatch.setattr(learned, "MODEL_DIR", tmp_path / "none")
    rankers._ranker.cache_clear()
    assert isinstance(ranker_for(Settings(ranker="learned")), WeightedRanker)
    _model(tmp_path / "unproven", beats=False)
    monkeypatch.setattr(learned, "MODEL_DIR", tmp_path / "unproven")
    rankers._ranker.cache_clear()
    assert isinstance(ranker_for(Settings(ranker="learned")), WeightedRanker)
    _model(tmp_path / "proven", beats=True)
    monkeypatch.setattr(learned, "MODEL_DIR", tmp_path / "proven")
    rankers._ranker.cache_clear()
    assert ranker_for(Settings(ranker="learned")).version == "learned:test-1"
    assert isinstance(ranker_for(Settings(ranker="weights")), WeightedRanker)
    rankers._ranker.cache_clear()
    with pytest.raises(ValueError, match="MATCHER_RANKER"):
        Settings(ranker="random")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    matcher = generated_matcher(
        tmp_path_factory.mktemp("rankers"), scale=1200, graduates=60, seed=7, as_of=TODAY
    )
    yield matcher
    matcher.store.close()


@pytest.mark.parametrize("choice", ["weights", "learned"])
def test_reasons_come_in_the_order_of_what_drove_the_ranking(built, tmp_path, monkeypatch, choice):
    """Each recommendation's reasons come in the order of their features' contributions to its
    ranking (the hand weights', or a learned model's), so the first is what added most of the
    features that have a reason; under the hand weights it is one of the three largest of all."""
    monkeypatch.setattr(learned, "MODEL_DIR", tmp_path)
    _model(tmp_path)
    rankers._ranker.cache_clear()
    matcher = built
    matcher.settings = matcher.settings.replace(ranker=choice)
    ranker = ranker_for(matcher.settings)
    assert ranker.version.startswith(choice)
    checked = 0
    for graduate in matcher.store.list("graduates", limit=60)[0]:
        for match in matcher.recommend([graduate["id"]], 5, today=TODAY)[0]:
            if match.partial:
                continue
            values = {f: np.array([match.features[f]]) for f in FEATURES}
            added = {f: float(v[0]) for f, v in ranker.contributions(values).items()}
            added["wish"] = added.get("wish", 0.0)
            labels = [r.split("：")[0] for r in match.reasons]  # notes such as 地点放宽 aside
            shown = [REASON_FEATURE[label] for label in labels if label in REASON_FEATURE]
            given = [added.get(f, 0.0) for f in shown]
            # (the features a match carries are rounded to 4 decimals: allow for that)
            assert all(a >= b - 1e-3 for a, b in itertools.pairwise(given)), (match.reasons, added)
            if choice == "weights":
                top = sorted(added, key=lambda f: -added[f])[:3]
                assert shown[0] in top, (match.reasons, top)
            checked += 1
    rankers._ranker.cache_clear()
    assert checked >= 100
