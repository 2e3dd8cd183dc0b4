"""The engine's batch features (columns and in-memory text) against the pair-at-a-time
reference (issue 6): same feature values, and the same top-k as ranking pair by pair."""

from __future__ import annotations

import random
from datetime import date

import numpy as np
import pytest

from matcher.engine.diversity import diversify
from matcher.engine.explain import reasons
from matcher.engine.features import FEATURES, Profile, pair_features, posting_body
from matcher.engine.filters import Eligibility
from matcher.engine.posting_text import PostingText
from matcher.engine.rank import rank
from matcher.engine.retrieve import Candidates
from matcher.engine.scoring import column_features, text_columns, weighted_score
from tests.conftest import generated_matcher

TODAY = date(2026, 9, 1)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    matcher = generated_matcher(
        tmp_path_factory.mktemp("scoring"), scale=1500, graduates=120, seed=4, as_of=TODAY
    )
    yield matcher
    matcher.store.close()


def test_column_and_text_features_equal_the_pair_reference(built):
    matcher = built
    graduates = matcher.store.list("graduates", limit=120)[0]
    keys = matcher.positions.keys()
    rng = random.Random(2)
    compared = 0
    for graduate in graduates:
        profile = Profile.of(graduate, TODAY)
        ids = rng.sample(keys, 40)
        rows = matcher.positions.slots_of(ids)
        semantic = np.array([rng.uniform(-0.2, 0.9) for _ in ids], dtype=np.float32)
        lexical = np.array([rng.random() for _ in ids], dtype=np.float32)
        features = column_features(profile, matcher.columns, rows, semantic, lexical, TODAY)
        texts = matcher.text.get(rows)
        text = text_columns(profile, texts)
        records = matcher.store.get_many("positions", ids)
        for i, pid in enumerate(ids):
            assert texts[i] == posting_body(records[pid])
            want = pair_features(
                profile,
                records[pid],
                semantic=float(semantic[i]),
                lexical=float(lexical[i]),
                today=TODAY,
            )
            got = {name: float(features[name][i]) for name in FEATURES}
            for name in ("skills", "title", "wish", "wish_text", "avoid"):
                got[name] = float(text[name][i])
            got["major"] = max(got["major"], float(text["major"][i]))
            for name in FEATURES:
                assert got[name] == pytest.approx(want[name], abs=1e-6), (pid, name)
            compared += 1
    assert compared == 120 * 40


@pytest.mark.parametrize("k", [1, 10, 25])
def test_ranking_equals_pair_by_pair_ranking(built, k):
    matcher = built
    weights = matcher.settings.weights
    graduates = matcher.store.list("graduates", limit=60)[0]
    rng = np.random.default_rng(k)
    for graduate in graduates:
        mask = Eligibility.for_graduate(graduate, today=TODAY, places=["50"]).mask(matcher.columns)
        rows = np.flatnonzero(mask)[:120]
        semantic = rng.uniform(0.2, 0.8, len(rows)).astype(np.float32)
        lexical = np.zeros(len(rows), dtype=np.float32)
        ids = matcher.positions.key_of(rows)
        got = rank(
            graduate,
            Candidates(rows, ids, semantic, lexical),
            k,
            TODAY,
            columns=matcher.columns,
            text=matcher.text,
            weights=weights,
            max_per_employer=matcher.settings.max_per_employer,
        )
        profile = Profile.of(graduate, TODAY)
        records = matcher.store.get_many("positions", ids)
        scored = []
        for i, pid in enumerate(ids):
            features = pair_features(
                profile, records[pid], semantic=float(semantic[i]), lexical=0.0, today=TODAY
            )
            scored.append((weighted_score(features, weights), pid))
        order = sorted(range(len(ids)), key=lambda i: (-scored[i][0], ids[i]))
        employers = [str((records[p].get("employer") or {}).get("name") or p) for p in ids]
        titles = [
            hash((employers[i], records[p]["title"].strip().lower())) for i, p in enumerate(ids)
        ]
        employer_keys = [hash(e) for e in employers]
        want, _ = diversify(order, employer_keys, titles, k, matcher.settings.max_per_employer)
        assert [m.id for m in got] == [ids[i] for i in want]
        assert [m.score for m in got] == pytest.approx([round(scored[i][0], 4) for i in want])
        for m in got:  # reasons and labels from the in-memory card equal those of the record
            record = records[m.id]
            assert (m.reasons, m.missing) == reasons(profile, graduate, record, m.features)
            assert (m.title, m.subtitle) == (record["title"], record["employer"]["name"])


def test_text_column_round_trip(built):
    matcher = built
    column = PostingText.from_arrays(matcher.text.arrays(), matcher.positions.rows)
    rows = list(range(0, matcher.positions.rows, 97))
    assert column.get(rows) == matcher.text.get(rows)
    assert column.nbytes < sum(len(b.encode()) for _, b in column.get(range(len(column)))) / 2


def test_text_column_rows_written_after_loading(built):
    """Loaded rows stay in one array; a replaced row and an appended one read back right and
    survive another save."""
    matcher = built
    n = matcher.positions.rows
    column = PostingText.from_arrays(matcher.text.arrays(), n)
    replaced = {"title": "新标题 Java", "skills": ["Python"], "description": "负责数据分析"}
    appended = {"title": "会计助理", "description": "记账", "employer": {"name": "某公司"}}
    column.set_many([3, n], [replaced, appended])
    assert column.get([3, n, 4]) == [
        posting_body(replaced),
        posting_body(appended),
        matcher.text.get([4])[0],
    ]
    again = PostingText.from_arrays(column.arrays(), n + 1)
    assert again.get(range(n + 1)) == column.get(range(n + 1))
    assert again.cards([n])[0][0] == {"title": "会计助理", "employer": {"name": "某公司"}}
