"""The offer rules hold with two ``matcher serve`` processes writing at once, on SQLite and on
PostgreSQL: the weekly cap per graduate, the capacity of a posting, never the same posting
twice, and a campaign that races single offers to the same graduates skips what was offered
meanwhile instead of failing."""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from matcher.config import Settings
from matcher.records.prepare import prepare
from matcher.store import Store, tables
from matcher.store.keys import ApiKeys
from tests.conftest import graduate, position
from tests.processes import Process, environment, fresh_postgres

CAP, FACTOR = 3, 10


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def servers(request, tmp_path_factory):
    """Two servers over one database, with a bureau key: (servers, key, store)."""
    work = tmp_path_factory.mktemp(f"two-servers-{request.param}")
    with fresh_postgres() if request.param == "postgres" else nullcontext("") as url:
        url = url or f"sqlite:///{work / 'shared.db'}"
        settings = Settings.from_env(env={}, data_dir=work / "setup", database_url=url)
        store = Store.open(settings)
        _load(store)
        _, key = ApiKeys(store).issue("bureau", {}, "concurrency test")
        running: list[Process] = []
        try:
            for i in range(2):
                env = environment(work / f"server-{i}", url, offers_per_week=CAP, run_lease=5)
                running.append(Process.serve(env, work / f"server-{i}.log"))
            yield running, key, store
        finally:
            for server in running:
                server.stop()
            store.close()


def _load(store: Store) -> None:
    later = "2099-12-31"
    postings = [position("p-one", headcount=1, expires_at=later)] + [
        position(f"p-{i:02d}", headcount=50, expires_at=later) for i in range(30)
    ]
    graduates = [graduate("g-hot")] + [graduate(f"g-{i:02d}") for i in range(60)]
    store.upsert("positions", [prepare("positions", p) for p in postings])
    store.upsert("graduates", [prepare("graduates", g) for g in graduates])


def _offers(store: Store) -> list[dict]:
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.select(tables.offers)).mappings()]


def _post_all(servers, key, bodies):
    def post(i_body):
        i, body = i_body
        return servers[i % 2].call("POST", "/offers", key, body)

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(post, enumerate(bodies)))


def test_twenty_concurrent_offers_to_one_graduate_keep_the_weekly_cap(servers):
    running, key, store = servers
    answers = _post_all(
        running, key, [{"graduate_id": "g-hot", "position_id": f"p-{i:02d}"} for i in range(20)]
    )
    statuses = Counter(status for status, _ in answers)
    assert statuses[201] == CAP, answers
    assert statuses[422] == 20 - CAP, answers
    refused = [body for status, body in answers if status == 422]
    assert all(
        b["code"] == "offer_refused" and "本周推送次数已达上限" in b["detail_zh"] for b in refused
    )
    week = datetime.now(UTC) - timedelta(days=7)
    stored = [
        o for o in _offers(store) if o["graduate_id"] == "g-hot" and _aware(o["created_at"]) >= week
    ]
    assert len(stored) == CAP


def test_twenty_concurrent_offers_of_one_place_keep_its_capacity(servers):
    running, key, store = servers
    answers = _post_all(
        running, key, [{"graduate_id": f"g-{i:02d}", "position_id": "p-one"} for i in range(20)]
    )
    statuses = Counter(status for status, _ in answers)
    assert statuses[201] == FACTOR, answers  # headcount 1 × capacity factor 10
    assert all(b["code"] == "offer_refused" for s, b in answers if s != 201), answers
    held = [o for o in _offers(store) if o["position_id"] == "p-one"]
    assert len(held) == FACTOR


def test_a_campaign_racing_single_offers_finishes_within_the_rules(servers):
    running, key, store = servers
    targets = [f"g-{i:02d}" for i in range(20, 60)]
    status, campaign = running[0].call(
        "POST",
        "/campaigns",
        key,
        {"name": "竞争测试", "segment": {"graduate_ids": targets}, "k": 3},
    )
    assert status == 202, campaign
    singles = [
        {"graduate_id": g, "position_id": f"p-{i:02d}"} for g in targets for i in range(0, 30, 6)
    ]
    answers = _post_all(running, key, singles[:40]) + _post_all(running, key, singles[40:80])
    assert {s for s, _ in answers} <= {201, 422}, answers
    deadline = time.monotonic() + 120
    while True:
        _, record = running[1].call("GET", f"/campaigns/{campaign['id']}", key)
        if record["status"] in ("done", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert record["status"] == "done", record
    assert record["counts"]["processed"] == len(targets)
    offers = _offers(store)
    per_graduate = Counter(o["graduate_id"] for o in offers)
    assert max(per_graduate[g] for g in targets) <= CAP
    assert (
        sum(1 for o in offers if o["campaign_id"] == campaign["id"]) == record["counts"]["offered"]
    )
    per_posting = Counter(o["position_id"] for o in offers)
    assert all(n <= 50 * FACTOR for n in per_posting.values())
    pairs = Counter((o["graduate_id"], o["position_id"]) for o in offers)
    assert max(pairs.values()) == 1


def _aware(value):
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def test_fifty_concurrent_creates_of_one_new_graduate_never_fail(servers):
    running, key, store = servers

    def create(i):
        return running[i % 2].call("POST", "/graduates", key, graduate("g-new", name="同名并发"))

    with ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(pool.map(create, range(50)))
    statuses = Counter(status for status, _ in answers)
    assert set(statuses) <= {200, 201}, answers
    assert statuses[201] >= 1
    assert store.get("graduates", "g-new")["name"] == "同名并发"
