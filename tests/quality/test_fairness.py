"""Issue #7 fairness: no ranking input is a support flag or a proxy of a protected trait,
graduates who differ only in those get the same recommendations, and the fairness report
shares exposure out correctly."""

from datetime import date

import pytest

from matcher.config import DEFAULT_RANK_WEIGHTS
from matcher.engine.explain import reasons
from matcher.engine.features import FEATURES, Profile, pair_features
from matcher.engine.filters import Eligibility
from matcher.quality.fairness import FORBIDDEN_INPUTS, SIZE_BUCKETS, fairness_report, size_bucket
from matcher.records.prepare import prepare
from matcher.text.render import graduate_text
from tests.conftest import generated_matcher, graduate, position

TODAY = date(2026, 9, 1)


class Tracking(dict):
    """A record that remembers which fields were read (``*``: all of them)."""

    def __init__(self, data):
        super().__init__(data)
        self.read = set()

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)

    def __iter__(self):
        self.read.add("*")
        return super().__iter__()

    def keys(self):
        self.read.add("*")
        return super().keys()

    def items(self):
        self.read.add("*")
        return super().items()

    def values(self):
        self.read.add("*")
        return super().values()


def _full_graduate():
    record = prepare(
        "graduates",
        graduate(
            "g-t",
            support=["disabled", "low_income_family"],
            district="万州区",
            experience_years=1,
        ),
    ).record
    return Tracking(record)


def test_no_ranking_input_is_a_support_flag_or_a_protected_proxy():
    record = _full_graduate()
    posting = prepare("positions", position("p-1")).record
    profile = Profile.of(record, TODAY)
    features = pair_features(profile, posting, semantic=0.5, lexical=0.1, today=TODAY)
    Eligibility.for_graduate(record, today=TODAY)
    graduate_text(record)
    reasons(profile, record, posting, features)
    assert record.read, "the test must observe what the ranking reads"
    assert "*" not in record.read, "ranking code must not read whole graduate records"
    assert not record.read & FORBIDDEN_INPUTS, record.read & FORBIDDEN_INPUTS


def test_the_feature_list_and_weights_name_no_protected_trait():
    words = {"support", "gender", "age", "hukou", "ethnic", "religion", "marri", "health", "name"}
    assert not [f for f in FEATURES if any(w in f for w in words)]
    assert set(DEFAULT_RANK_WEIGHTS) <= set(FEATURES)


@pytest.fixture(scope="module")
def pool(tmp_path_factory):
    matcher = generated_matcher(
        tmp_path_factory.mktemp("fair"), scale=800, seed=2, graduates=120, as_of=TODAY
    )
    yield matcher
    matcher.store.close()


@pytest.mark.parametrize(
    "change",
    [
        {"name": "欧阳娜仁"},
        {"support": ["poverty_alleviated", "disabled"]},
        {"support": ["zero_employment_family"], "district": "城口县"},
        {"district": "秀山土家族苗族自治县"},
        {"school": "重庆三峡职业学院"},
    ],
    ids=["name", "support", "support+district", "district", "school"],
)
def test_counterfactual_graduates_get_the_same_recommendations(pool, change):
    base = graduate(
        "cf-a",
        major="软件工程",
        skills=["Java", "MySQL"],
        desired={"cities": ["重庆"], "kinds": ["full_time"], "salary_min": 5000},
    )
    twin = {**base, "id": "cf-b", **change}
    pool.store.upsert("graduates", [prepare("graduates", base), prepare("graduates", twin)])
    pool.sync()
    a, b = pool.recommend(["cf-a", "cf-b"], 10, today=TODAY)
    assert len(a) == 10
    assert [(m.id, m.score, m.features) for m in a] == [(m.id, m.score, m.features) for m in b]
    posting = a[0].id
    found = {m.id: m.score for m in pool.candidates([posting], 200, today=TODAY)[0]}
    assert found["cf-a"] == found["cf-b"]


def test_fairness_report_on_the_generated_pool(pool):
    report = fairness_report(pool, sample=60, seed=4, k=10, today=TODAY)
    assert report["sample"] == 60 and report["k"] == 10
    assert report == fairness_report(pool, sample=60, seed=4, k=10, today=TODAY)
    assert report != fairness_report(pool, sample=60, seed=5, k=10, today=TODAY)
    groups = report["graduates"]
    assert (
        groups["no_support"]["graduates"] + groups.get("support_any", {"graduates": 0})["graduates"]
        == 60
    )
    for key in ("employer_size", "district"):
        assert sum(r["exposure_share"] for r in report[key]) == pytest.approx(1.0, abs=0.01)
        assert sum(r["pool_share"] for r in report[key]) == pytest.approx(1.0, abs=0.01)
    assert [r["group"] for r in report["employer_size"]] == list(SIZE_BUCKETS)
    assert report["pool_postings"] == sum(r["pool_postings"] for r in report["district"])
    flagged = pool.store.count("positions") - report["pool_postings"]
    assert flagged > 0  # planted violations are held back from the pool
    top = report["district"][0]
    assert top["code"].startswith("50") and top["ratio"] == pytest.approx(
        top["exposure_share"] / top["pool_share"], abs=0.01
    )


def test_everyone_is_sampled_when_the_pool_is_small(pool):
    report = fairness_report(pool, sample=10_000, seed=0, k=3, today=TODAY)
    seeking = sum(1 for g in pool.store.list("graduates", limit=500)[0] if g["status"] == "seeking")
    assert report["sample"] == seeking


@pytest.mark.parametrize(
    ("text", "bucket"),
    [
        ("20-49人", SIZE_BUCKETS[0]),
        ("少于50人", SIZE_BUCKETS[0]),
        ("50-150人", SIZE_BUCKETS[1]),
        ("500-1000人", SIZE_BUCKETS[2]),
        ("10000人以上", SIZE_BUCKETS[2]),
        ("", SIZE_BUCKETS[3]),
        ("未知", SIZE_BUCKETS[3]),
    ],
)
def test_employer_size_buckets(text, bucket):
    assert size_bucket(text) == bucket


def test_exposure_is_compared_under_both_rankers_on_the_same_sample(pool):
    from matcher.engine import learned
    from matcher.quality.fairness import fairness_by_ranker

    configured = pool.settings
    both = fairness_by_ranker(pool, sample=40, seed=3, k=10, today=TODAY)
    assert pool.settings == configured
    assert set(both) == {"learned", "weights"}
    assert both["weights"]["ranker"].startswith("weights:")
    assert both["learned"]["sample"] == both["weights"]["sample"] == 40
    for report in both.values():
        assert sum(r["exposure_share"] for r in report["employer_size"]) == pytest.approx(
            1.0, abs=0.01
        )
    shipped = learned.load()  # the model that ships in models/ranker
    assert set(shipped.features) <= set(FEATURES)  # no support flag or trait reaches the model
    assert both["learned"]["ranker"] == shipped.version
