"""The engine on constructed data: hard filters always hold, k results whenever k are eligible,
batch equals single, writes are visible to the next search, and a stale index is rebuilt."""

import random
from datetime import date

import pytest

from matcher.engine.orchestrator import Matcher
from matcher.records.prepare import prepare
from matcher.taxonomy.vocab import Degree, degree_rank
from matcher.text.encoders import FakeEncoder
from tests.conftest import graduate, position

TODAY = date(2022, 9, 1)
DISTRICTS = ["渝北区", "江北区", "渝中区", "沙坪坝区", "九龙坡区", "万州区", "城口县"]
CODES = {
    "渝北区": "500112",
    "江北区": "500105",
    "渝中区": "500103",
    "沙坪坝区": "500106",
    "九龙坡区": "500107",
    "万州区": "500101",
    "城口县": "500229",
}
KINDS = ["full_time", "internship", "traineeship", "grassroots", "public_institution"]
DEGREES = [None, "大专", "本科", "硕士"]


def _postings(n, seed=0):
    rng = random.Random(seed)
    out = []
    for i in range(n):
        out.append(
            position(
                f"p-{i:04d}",
                title=rng.choice(["Java开发", "会计", "见习生", "教师", "护士"]) + str(i),
                kind=rng.choice(KINDS),
                location={"city": "重庆", "district": rng.choice(DISTRICTS)},
                education_min=rng.choice(DEGREES),
                employer={"name": f"重庆公司{i % 37}"},
                expires_at=rng.choice(["2022-08-15", "2022-12-31", None]),
                posted_at="2022-07-01",
            )
        )
    return [{k: v for k, v in p.items() if v is not None} for p in out]


@pytest.fixture
def matcher(settings, store):
    store.upsert("positions", [prepare("positions", p) for p in _postings(400)])
    store.upsert("graduates", [prepare("graduates", graduate(f"g-{i}")) for i in range(3)])
    return Matcher.open(settings, store=store, encoder=FakeEncoder(32))


def _eligible(record, kinds, districts, degree):
    if record.get("expires_at") and record["expires_at"] < TODAY.isoformat():
        return False
    if kinds and record["kind"] not in kinds:
        return False
    if districts and record["location"]["code"] not in {CODES[d] for d in districts}:
        return False
    need = record.get("education_min")
    return not (need and degree and degree_rank(Degree(need)) > degree_rank(Degree(degree)))


@pytest.mark.parametrize("lexical", [False, True], ids=["dense", "dense+bm25"])
def test_no_result_ever_breaks_a_hard_filter_and_k_are_returned(matcher, store, lexical):
    matcher.settings = matcher.settings.replace(lexical=lexical)
    rng = random.Random(1)
    records = {p["id"]: prepare("positions", p).record for p in _postings(400)}
    for trial in range(60):
        kinds = rng.sample(KINDS, rng.randint(0, 2))
        districts = rng.sample(DISTRICTS, rng.randint(0, 2))
        degree = rng.choice(["大专", "本科", "硕士"])
        gid = f"t-{trial}"
        store.upsert(
            "graduates",
            [
                prepare(
                    "graduates",
                    graduate(
                        gid,
                        degree=degree,
                        desired={"cities": [], "districts": districts, "kinds": kinds},
                    ),
                )
            ],
        )
        k = rng.choice([1, 5, 10, 50])
        got = matcher.recommend([gid], k, today=TODAY, relax=False)[0]
        eligible = [r for r in records.values() if _eligible(r, kinds, districts, degree)]
        assert len(got) == min(k, len(eligible))
        for match in got:
            assert _eligible(records[match.id], kinds, districts, degree), match
        # relaxed (the default): the same postings first, then, only when too few were there,
        # postings outside the wished-for districts that say so and break no other rule
        relaxed = matcher.recommend([gid], k, today=TODAY)[0]
        assert [m.id for m in relaxed[: len(got)]] == [m.id for m in got]
        for match in relaxed[len(got) :]:
            assert districts and len(got) < k
            assert any(r.startswith("地点放宽") for r in match.reasons)
            assert _eligible(records[match.id], kinds, [], degree), match


def test_batch_equals_single(matcher):
    batch = matcher.recommend(["g-0", "g-1", "g-2"], 10, today=TODAY)
    singles = [matcher.recommend([g], 10, today=TODAY)[0] for g in ("g-0", "g-1", "g-2")]
    assert [[m.id for m in r] for r in batch] == [[m.id for m in r] for r in singles]


def test_results_carry_features_and_chinese_reasons(matcher):
    match = matcher.recommend(["g-0"], 1, today=TODAY)[0][0]
    assert set(match.features) >= {"semantic", "skills", "education", "experience", "region"}
    assert 2 <= len(match.reasons) <= 4
    assert any(
        r.startswith(("专业对口", "技能匹配", "工作地点", "学历满足")) for r in match.reasons
    )


def test_closing_blacklisting_and_new_postings_are_visible_after_sync(matcher, store, settings):
    first = matcher.recommend(["g-0"], 1, today=TODAY)[0][0].id
    closed = prepare("positions", {**store.get("positions", first), "status": "closed"})
    store.upsert("positions", [closed])
    matcher.sync()
    assert first not in [m.id for m in matcher.recommend(["g-0"], 50, today=TODAY)[0]]
    fresh = position(
        "p-new",
        title="Java开发工程师 Java Spring Boot MySQL 渝北区",
        description="Java开发工程师",
        expires_at="2022-12-31",
    )
    store.upsert("positions", [prepare("positions", fresh)])
    report = matcher.sync()
    assert report.positions_encoded == 1
    ids = [m.id for m in matcher.recommend(["g-0"], 400, today=TODAY)[0]]
    assert "p-new" in ids
    employer = store.get("positions", "p-new")["employer_id"]
    store.set_blacklisted(employer, True, "repeated discriminatory postings")
    matcher.sync()
    ids = [m.id for m in matcher.recommend(["g-0"], 400, today=TODAY)[0]]
    assert "p-new" not in ids
    store.set_blacklisted(employer, False, None)
    matcher.sync()
    assert "p-new" in [m.id for m in matcher.recommend(["g-0"], 400, today=TODAY)[0]]


def test_unchanged_text_is_not_encoded_again(matcher, store):
    record = store.get("positions", "p-0001")
    store.upsert("positions", [prepare("positions", {**record, "headcount": 99})])
    report = matcher.sync()
    assert report.positions_encoded == 0 and report.positions_unchanged_text >= 1


def test_restart_loads_the_saved_index_and_a_new_encoder_rebuilds_it(matcher, settings, store):
    again = Matcher.open(settings, store=store, encoder=FakeEncoder(32))
    assert len(again.positions) == len(matcher.positions)
    assert (
        again.recommend(["g-0"], 5, today=TODAY)[0] == matcher.recommend(["g-0"], 5, today=TODAY)[0]
    )
    other = Matcher.open(settings, store=store, encoder=FakeEncoder(16))
    assert other.positions.dimension == 16 and len(other.positions) == 400


def test_restart_reads_filter_columns_from_disk_not_from_every_stored_posting(
    matcher, settings, store, monkeypatch
):
    """Issue 6: restart time must not grow with a pass over the whole store."""
    closed = store.get("positions", "p-0002")
    store.upsert("positions", [prepare("positions", {**closed, "status": "closed"})])
    matcher.sync()
    calls = []
    original = store.changed_positions

    def counted(after_seq, batch=5000):
        calls.append(after_seq)
        return original(after_seq, batch)

    monkeypatch.setattr(store, "changed_positions", counted)
    again = Matcher.open(settings, store=store, encoder=FakeEncoder(32))
    assert 0 not in calls
    for name, column in matcher.columns.arrays().items():
        assert (again.columns.arrays()[name] == column).all(), name
    slot = int(again.positions.slots_of(["p-0002"])[0])
    assert not again.columns.open[slot]
    for gid in ("g-0", "g-1"):
        assert again.recommend([gid], 8, today=TODAY) == matcher.recommend([gid], 8, today=TODAY)


def test_a_crash_while_saving_leaves_the_previous_index_usable(
    matcher, settings, store, monkeypatch
):
    folder = settings.resolved_index_dir / "positions"
    before = (folder / "manifest.json").read_text()

    def crash(*_args, **_kwargs):
        raise KeyboardInterrupt("killed while writing")

    store.upsert("positions", [prepare("positions", position("p-x", expires_at="2022-12-31"))])
    matcher.snapshots.every = 1  # this sync saves a snapshot
    monkeypatch.setattr("matcher.index.files.os.replace", crash)
    with pytest.raises(KeyboardInterrupt):
        matcher.sync()
    monkeypatch.undo()
    assert (folder / "manifest.json").read_text() == before
    restarted = Matcher.open(settings, store=store, encoder=FakeEncoder(32))
    assert "p-x" in restarted.positions and len(restarted.positions) == 401


def test_candidates_respect_status_consent_and_wishes(matcher, store):
    store.upsert(
        "graduates",
        [
            prepare("graduates", g)
            for g in (
                graduate("c-ok", desired={"cities": ["重庆"], "kinds": []}),
                graduate("c-employed", status="employed"),
                graduate("c-no-consent", consent={"push": False}),
                graduate("c-elsewhere", desired={"cities": ["北京"], "kinds": []}),
                graduate("c-low-degree", degree="大专"),
            )
        ],
    )
    store.upsert(
        "positions",
        [prepare("positions", position("p-cand", education_min="本科", expires_at="2022-12-31"))],
    )
    matcher.sync()
    found = [m.id for m in matcher.candidates(["p-cand"], 20, today=TODAY)[0]]
    assert "c-ok" in found
    assert not {"c-employed", "c-no-consent", "c-elsewhere", "c-low-degree"} & set(found)
    single = matcher.candidates(["p-cand"], 3, today=TODAY)[0]
    assert len(single) == 3 and all(m.reasons for m in single)


def test_an_index_ahead_of_the_store_is_rebuilt(matcher, settings, tmp_path):
    from matcher.store import Store

    fresh = Store.open(settings.replace(data_dir=tmp_path / "other"))
    fresh.upsert("positions", [prepare("positions", position("only-one"))])
    rebuilt = Matcher.open(
        settings.replace(database_url=fresh.engine.url.render_as_string(hide_password=False)),
        store=fresh,
        encoder=FakeEncoder(32),
    )
    assert rebuilt.positions.keys() == ["only-one"]


def test_killing_the_process_while_saving_keeps_the_previous_index(matcher, settings, store):
    """A real SIGKILL at the moment the new manifest would be put in place."""
    import subprocess
    import sys
    import textwrap

    store.upsert("positions", [prepare("positions", position("p-kill", expires_at="2022-12-31"))])
    script = textwrap.dedent(f"""
        import os, signal
        import matcher.index.files as index
        from matcher.config import Settings
        from matcher.text.encoders import FakeEncoder
        from matcher.engine.orchestrator import Matcher
        index.os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)
        Matcher.open(Settings.from_env(env={{}}, data_dir={str(settings.data_dir)!r},
                                       index_save_changes=1),
                     encoder=FakeEncoder(32))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, check=False)
    assert done.returncode == -9
    restarted = Matcher.open(settings, store=store, encoder=FakeEncoder(32))
    assert "p-kill" in restarted.positions and len(restarted.positions) == 401
    assert restarted.recommend(["g-0"], 5, today=TODAY)[0]


def test_candidates_in_batches_equal_one_posting_at_a_time(matcher, store, monkeypatch):
    """Issue #9: the postings of one call share one search; batch edges change nothing."""
    store.upsert(
        "graduates",
        [prepare("graduates", graduate(f"c-{i}", desired={})) for i in range(12)],
    )
    matcher.sync()
    ids = [f"p-{i:04d}" for i in range(7)]
    monkeypatch.setattr("matcher.engine.reverse.CANDIDATE_BATCH", 3)
    batch = matcher.candidates(ids, 5, today=TODAY)
    singles = [matcher.candidates([pid], 5, today=TODAY)[0] for pid in ids]
    assert [[(m.id, m.score) for m in r] for r in batch] == [
        [(m.id, m.score) for m in r] for r in singles
    ]
    assert any(batch)
