"""A campaign's ranked lists travel between processes as shortlists (ids, scores, one feature
row each): what the runner reads from them is what the matches held."""

from __future__ import annotations

import pickle

from matcher.engine.batches import Shortlist, rank_batch
from matcher.engine.orchestrator import Matcher
from matcher.records.prepare import prepare
from matcher.text.encoders import FakeEncoder
from tests.conftest import graduate, position


def test_a_shortlist_holds_what_the_matches_held(store, settings):
    store.upsert(
        "positions",
        [prepare("positions", position(f"p-{i}", expires_at="2099-12-31")) for i in range(9)],
    )
    store.upsert("graduates", [prepare("graduates", graduate(f"g-{i}")) for i in range(3)])
    matcher = Matcher.open(settings, store=store, encoder=FakeEncoder(32))
    ids = ["g-0", "g-1", "g-2"]
    matches = matcher.recommend(ids, 5, explain=False, relax=False)
    lists = pickle.loads(pickle.dumps(rank_batch(matcher, ids, 5, [])))
    assert sum(len(found) for found in matches) > 5
    for found, shortlist in zip(matches, lists, strict=True):
        assert isinstance(shortlist, Shortlist)
        assert shortlist.ids == [m.id for m in found]
        assert shortlist.scores == [m.score for m in found]
        for at, match in enumerate(found):
            assert shortlist.features_of(at) == match.features


def test_an_empty_list_stays_empty():
    empty = Shortlist.of([])
    assert empty.ids == [] and empty.scores == [] and empty.features.shape[0] == 0
