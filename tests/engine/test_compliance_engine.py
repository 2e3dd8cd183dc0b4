"""Issue #7 in the engine: flagged postings and blacklisted employers' postings are never
recommended nor given candidates, and come back once cleared, without a restart."""

from datetime import date

import pytest

from matcher.engine.orchestrator import Matcher
from matcher.records.prepare import prepare
from matcher.store import reviews
from matcher.text.encoders import FakeEncoder
from tests.conftest import graduate, position

TODAY = date(2022, 9, 1)
BIASED = "负责Java后端开发，熟悉Spring Boot。限男性，年龄35岁以下。"


def _posting(pid, **changes):
    record = position(pid, expires_at="2022-12-31", **changes)
    return prepare("positions", record)


@pytest.fixture
def matcher(settings, store):
    store.upsert(
        "positions",
        [_posting(f"p-{i}", employer={"name": f"重庆公司{i % 5}"}) for i in range(20)]
        + [_posting("p-biased", description=BIASED, employer={"name": "重庆公司9"})],
    )
    store.upsert("graduates", [prepare("graduates", graduate("g-1"))])
    return Matcher.open(settings, store=store, encoder=FakeEncoder(32))


def _recommended(matcher):
    return {m.id for m in matcher.recommend(["g-1"], 50, today=TODAY)[0]}


def test_flagged_posting_waits_for_review_and_returns_once_cleared(matcher, store):
    assert len(_recommended(matcher)) == 20 and "p-biased" not in _recommended(matcher)
    assert matcher.recommendable(["p-0", "p-biased", "nope"]) == {
        "p-0": True,
        "p-biased": False,
        "nope": False,
    }
    assert matcher.candidates(["p-biased"], 5, today=TODAY) == [[]]
    reviews.review(store, "p-biased", "clear", "已核实")
    assert store.watermark() != matcher.watermark  # the engine can tell it is behind
    matcher.sync()
    assert "p-biased" in _recommended(matcher)
    assert matcher.recommendable(["p-biased"]) == {"p-biased": True}
    assert [m.id for m in matcher.candidates(["p-biased"], 5, today=TODAY)[0]] == ["g-1"]
    reviews.review(store, "p-biased", "reject", "复核后确认违规")
    matcher.sync()
    assert "p-biased" not in _recommended(matcher)


def test_a_changed_posting_is_screened_again(matcher, store):
    reviews.review(store, "p-biased", "clear", "已核实")
    matcher.sync()
    assert "p-biased" in _recommended(matcher)
    store.upsert("positions", [_posting("p-biased", description=BIASED + "需交押金200元。")])
    report = matcher.sync()
    assert "p-biased" not in _recommended(matcher)
    assert report.positions_encoded == 1
    store.upsert("positions", [_posting("p-0", description="限女性")])  # a clean one turns bad
    matcher.sync()
    assert "p-0" not in _recommended(matcher)


def test_blacklisting_hides_all_of_an_employers_postings_at_once(matcher, store):
    employer = store.get("positions", "p-0")["employer_id"]
    own = {f"p-{i}" for i in range(0, 20, 5)}
    reviews.set_blacklisted(store, employer, True, "多次发布歧视性招聘信息")
    store.upsert("positions", [_posting("p-late", employer={"name": "重庆公司0"})])
    assert matcher.recommendable(["p-late"]) == {"p-late": False}  # not yet indexed
    matcher.sync()
    assert not own & _recommended(matcher)
    assert matcher.candidates(["p-5"], 5, today=TODAY) == [[]]
    reviews.set_blacklisted(store, employer, False, "整改完成")
    matcher.sync()
    assert own <= _recommended(matcher)


def test_a_restarted_engine_keeps_flagged_postings_out(matcher, settings, store):
    again = Matcher.open(settings, store=store, encoder=FakeEncoder(32))
    assert "p-biased" not in _recommended(again)
    reviews.review(store, "p-biased", "clear", "已核实")
    restarted = Matcher.open(settings, store=store, encoder=FakeEncoder(32))
    assert "p-biased" in _recommended(restarted)
