"""A campaign whose runner is killed (SIGKILL of ``matcher serve`` or of ``matcher worker``)
is taken over once its lease expires and finishes with the same offers a clean run makes:
none twice, none missing."""

from __future__ import annotations

import shutil
import time
from datetime import date

import pytest
import sqlalchemy as sa

from matcher.config import Settings
from matcher.datasets import generate
from matcher.engine.orchestrator import Matcher
from matcher.ingest.files import ingest_folder
from matcher.offers.campaigns import Segment, create_campaign, run_campaign
from matcher.store import Store, tables
from matcher.store.campaigns import Campaigns
from matcher.store.keys import ApiKeys
from matcher.text.encoders import FakeEncoder
from tests.processes import Process, environment

CHUNK, LEASE = 10, 2
RUN = {"campaign_chunk": CHUNK, "run_lease": LEASE, "campaign_threads": 1}


def _pairs(store: Store, campaign_id: str) -> list[tuple[str, str]]:
    o = tables.offers.c
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(o.graduate_id, o.position_id).where(o.campaign_id == campaign_id)
        )
        return sorted((g, p) for g, p in rows)


def _wait(store: Store, campaign_id: str, until, timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        record = Campaigns(store).get(campaign_id)
        if until(record) or time.monotonic() > deadline:
            return record
        time.sleep(0.02)


@pytest.mark.parametrize("runner", ["serve", "worker"])
def test_a_killed_campaign_resumes_with_the_offers_of_a_clean_run(tmp_path, runner):
    generate(tmp_path / "data", scale=300, graduates=1500, seed=11, as_of=date.today())
    settings = Settings.from_env(env={}, data_dir=tmp_path / "var", quiet_hours="off", **RUN)
    store = Store.open(settings)
    ingest_folder(store, tmp_path / "data", ("employers", "positions", "graduates"))
    store.close()
    shutil.copytree(tmp_path / "var", tmp_path / "clean")  # the same data, for a clean run
    store = Store.open(settings)
    env = environment(tmp_path / "var", **RUN)
    log = tmp_path / f"{runner}.log"
    segment = Segment()

    def start() -> Process:
        if runner == "serve":
            return Process.serve(env, log)
        return Process(["worker"], env, log)

    process: Process | None = None
    try:
        if runner == "serve":
            _, key = ApiKeys(store).issue("bureau", {}, "crash test")
            process = start()
            status, body = process.call(
                "POST", "/campaigns", key, {"name": "断点续跑", "segment": {}, "k": 2}
            )
            assert status == 202, body
            campaign_id = body["id"]
        else:
            made = create_campaign(store, name="断点续跑", segment=segment, k=2, kinds=[])
            campaign_id = made.record["id"]
            process = start()
        record = _wait(store, campaign_id, lambda r: r["counts"].get("processed", 0) >= 3 * CHUNK)
        process.kill()
        record = Campaigns(store).get(campaign_id)
        assert record["status"] == "running", record  # killed mid-run, not after the end
        assert record["counts"]["processed"] < record["counts"]["segment"]
        killed_at = record["counts"]["processed"]

        process = start()
        record = _wait(store, campaign_id, lambda r: r["status"] in ("done", "failed"))
        assert record["status"] == "done", (record, log.read_text()[-3000:])
    finally:
        if process is not None:
            process.stop()
    assert record["counts"]["processed"] == record["counts"]["segment"] > killed_at
    resumed = _pairs(store, campaign_id)
    store.close()

    clean_settings = settings.replace(data_dir=tmp_path / "clean")
    matcher = Matcher.open(clean_settings, encoder=FakeEncoder(32))
    try:
        clean = create_campaign(matcher.store, name="断点续跑", segment=segment, k=2, kinds=[])
        counts = run_campaign(matcher, clean.record["id"])
        expected = _pairs(matcher.store, clean.record["id"])
    finally:
        matcher.store.close()
    assert len(resumed) == len(set(resumed)) == counts["offered"] > 0
    assert resumed == expected
    assert record["counts"]["offered"] == counts["offered"]
