"""Learning the ranker from stored feedback: simulated lists and answers stored as impressions
and feedback events, read back as training queries with the position each item was shown at,
a model trained with position correction, the time split, and the card that says so."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from matcher.engine import learned
from matcher.engine.features import FEATURES
from matcher.errors import MatcherError
from matcher.quality import feedback_training as ft
from matcher.quality import simulate
from matcher.quality.train_ranker import FeedbackWindow, train
from matcher.store.impressions import OUTCOMES, joined
from tests.conftest import generated_matcher

AS_OF = date(2026, 9, 1)
START = datetime(2026, 9, 1, tzinfo=UTC)
END = datetime(2027, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    matcher = generated_matcher(
        tmp_path_factory.mktemp("feedback"), scale=400, graduates=80, seed=5, as_of=AS_OF
    )
    matcher.settings = matcher.settings.replace(candidate_pool=60)
    graduates = matcher.store.get_many("graduates", matcher.graduates.keys())
    postings = matcher.store.get_many("positions", matcher.positions.keys())
    industries = sorted({str(p["industry"]) for p in postings.values() if p.get("industry")})
    tastes = simulate.tastes(graduates, industries, seed=1)
    pools = simulate.pools(matcher, tastes, AS_OF)
    counts = simulate.serve(matcher, pools, matcher.settings.weights, START, rate=0.2, seed=1)
    yield matcher, pools, counts
    matcher.store.close()


def test_each_served_list_becomes_a_query_graded_by_what_the_graduate_did(served):
    matcher, pools, counts = served
    assert len(pools) < counts["lists"] <= simulate.WEEKS_SERVED * len(pools)
    assert counts["events"] > 0
    found = ft.feedback_queries(matcher, START, END, lambda _: None, AS_OF)
    assert len(found.queries) == counts["lists"] and found.items == counts["items"]
    outcome = {
        (s.graduate_id, s.position_id, s.served_at): s for s in joined(matcher.store, START, END)
    }
    for query, shown, at in zip(found.queries, found.positions, found.served, strict=True):
        assert sorted(shown.tolist()) == list(range(len(query.ids)))  # 0-based positions
        for pid, grade, where in zip(query.ids, query.grades, shown, strict=True):
            item = outcome[query.graduate_id, pid, at]
            assert item.shown_rank == where + 1
            assert grade == max(OUTCOMES.get(item.outcome, (0, 0))[0], 0)
    assert sum(found.outcomes.values()) == found.items


def test_pair_features_are_the_features_of_the_pool(served):
    matcher, pools, _ = served
    gid = sorted(pools)[0]
    graduate = matcher.store.get("graduates", gid)
    ids, matrix = ft.pair_features(matcher, graduate, pools[gid].ids[:10], AS_OF)
    assert ids == pools[gid].ids[:10]
    assert np.allclose(matrix, pools[gid].matrix[:10], atol=1e-5)


def test_position_correction_learns_what_was_liked_not_where_it_was_shown():
    # clicks depend on the feature "skills" and on being shown near the top; the same
    # postings are shown at every rank across lists
    rng = np.random.default_rng(0)
    queries, positions = [], []
    for n in range(300):
        matrix = rng.random((10, len(FEATURES)))
        shown = rng.permutation(10)
        liked = matrix[:, FEATURES.index("skills")] > 0.6
        looked = rng.random(10) < 1.0 / (shown + 1)
        grades = (liked & looked).astype(np.int64) * 2
        judged = {str(i): 2 for i in np.flatnonzero(grades)}
        queries.append(ft.Query("t", f"g{n}", [str(i) for i in range(10)], matrix, grades, judged))
        positions.append(shown.astype(np.int64))
    model = ft.fit(queries, positions, {})
    test = rng.random((500, len(FEATURES)))
    scores = model.booster.predict(test, num_threads=1)
    assert np.corrcoef(scores, test[:, FEATURES.index("skills")])[0, 1] > 0.6


def test_training_on_feedback_writes_a_model_whose_card_says_so(served, tmp_path, monkeypatch):
    matcher, _, counts = served
    monkeypatch.setattr(ft, "MIN_TEST_LISTS", 5)  # the small simulation has few later lists
    out = tmp_path / "ranker"
    window = FeedbackWindow(START, END, test_from=START + timedelta(weeks=2))
    card = train([], out, matcher.settings, feedback=window, matcher=matcher, log=lambda _: None)
    assert card["feedback"]["lists"] == counts["lists"] and card["feedback"]["position_corrected"]
    split = card["feedback"]["time_split"]
    assert split["test_from"] == "2026-09-15" and split["train_lists"] > 0
    assert 0.0 <= split["weights"] <= 1.0 and 0.0 <= split["learned"] <= 1.0
    assert card["beats_weights"] == (split["learned"] >= split["weights"])
    assert learned.load(out).version == "learned:" + card["version"]
    text = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "Stored feedback" in text and "Time split of the feedback" in text


def test_feedback_too_thin_to_test_keeps_the_weights_serving(served, tmp_path, monkeypatch):
    matcher, _, _ = served
    monkeypatch.setattr(ft, "MIN_TEST_LISTS", 10_000)
    window = FeedbackWindow(START, END, test_from=START + timedelta(weeks=2))
    card = train([], tmp_path / "r", matcher.settings, feedback=window, matcher=matcher, log=print)
    assert "learned" not in card["feedback"]["time_split"] and card["beats_weights"] is False
    text = (tmp_path / "r" / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "not measured: too few lists with an outcome" in text


def test_nothing_to_train_on_is_refused(tmp_path, settings):
    with pytest.raises(MatcherError, match="nothing to train on") as caught:
        train([], tmp_path / "ranker", settings)
    assert "没有训练数据" in caught.value.zh


@pytest.mark.parametrize(("since", "until"), [("2026-13-01", None), ("2026-10-01", "2026-09-01")])
def test_a_bad_feedback_window_is_refused_with_a_chinese_message(since, until):
    with pytest.raises(MatcherError) as caught:
        FeedbackWindow.of(since, until, None, days=180)
    assert caught.value.zh
