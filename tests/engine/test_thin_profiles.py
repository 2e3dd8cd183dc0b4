"""A profile that says almost nothing (issue 15, point 19): no confident scores from text that
is not there; ranked by what is known (place, kind, education, salary, freshness), marked as
such, and told in Chinese what to add."""

from __future__ import annotations

from datetime import date

import pytest

from matcher.engine.features import CONTENT_FEATURES, says_little
from matcher.engine.orchestrator import Matcher
from matcher.engine.scoring import weight_vector
from matcher.records.prepare import prepare
from matcher.text.encoders import FakeEncoder
from tests.conftest import graduate, position

TODAY = date(2022, 9, 1)
THIN = {"major": None, "skills": [], "bio": None, "name": "张三"}


@pytest.fixture
def engine(settings, store):
    postings = [
        position(
            f"p-{i}",
            title=title,
            employer={"name": f"重庆公司{i}"},
            kind="full_time" if i % 2 else "traineeship",
            expires_at="2099-12-31",
            skills=[skill],
        )
        for i, (title, skill) in enumerate(
            [("Java开发", "Java"), ("会计", "财务"), ("护士", "护理"), ("教师", "教学")] * 3
        )
    ]
    store.upsert("positions", [prepare("positions", p) for p in postings])
    thin = {k: v for k, v in graduate("g-thin", **THIN).items() if v is not None}
    store.upsert(
        "graduates", [prepare("graduates", thin), prepare("graduates", graduate("g-full"))]
    )
    return Matcher.open(settings, store=store, encoder=FakeEncoder(32))


def test_what_counts_as_saying_little():
    assert says_little({"id": "g"}) and says_little({"bio": "你好"})
    assert not says_little({"skills": ["Java"]}) and not says_little({"major": "会计学"})
    assert not says_little({"bio": "做过两年校园新媒体运营，熟悉公众号排版"})


def test_a_thin_profile_is_ranked_by_what_is_known_and_told_what_to_add(engine):
    found = engine.recommend(["g-thin"], 5, today=TODAY)[0]
    assert len(found) == 5
    weights = weight_vector(
        {n: w for n, w in engine.settings.weights.items() if n not in CONTENT_FEATURES}
    )
    for match in found:
        assert match.partial
        assert match.reasons[0].startswith("资料不完整")
        assert any(m.startswith("请补充") for m in match.missing)
        known = sum(weights[n] * v for n, v in match.features.items() if n not in CONTENT_FEATURES)
        assert match.score == pytest.approx(known, abs=1e-3)  # text played no part
    full = engine.recommend(["g-full"], 5, today=TODAY)[0]
    assert not any(m.partial for m in full)
    assert not any(r.startswith("资料不完整") for m in full for r in m.reasons)
