"""A campaign ranked on Ray workers equals the one ranked in this process (issue 20, point 1):
the same generated data and seed, one store each, a local Ray cluster of two CPUs."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from matcher.config import Settings
from matcher.datasets import generate
from matcher.engine.orchestrator import Matcher
from matcher.ingest.files import ingest_folder
from matcher.offers.campaigns import Segment, create_campaign, run_campaign
from matcher.store import Store
from matcher.store.offers import Offers


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    generate(folder, scale=3000, graduates=400, seed=20, as_of=date.today())
    return folder


def _campaign(data: Path, folder: Path, **settings: Any) -> tuple[dict[str, Any], list[tuple]]:
    config = Settings.from_env(
        env={}, data_dir=folder, quiet_hours="off", offers_per_week=5, **settings
    )
    store = Store.open(config)
    ingest_folder(store, data, ("employers", "positions", "graduates"))
    matcher = Matcher.open(config, store=store)
    made = create_campaign(store, name="夜间推送", segment=Segment(), k=5, kinds=[])
    counts = run_campaign(matcher, str(made.record["id"]))
    offers, _ = Offers(store).page(campaign_id=str(made.record["id"]), limit=10_000)
    store.close()
    made_offers = sorted(
        (o["graduate_id"], o["position_id"], o["detail"]["score"], tuple(o["detail"]["reasons"]))
        for o in offers
    )
    return counts, made_offers


def test_a_campaign_ranked_on_ray_equals_the_one_ranked_here(cluster, data, tmp_path, monkeypatch):
    import matcher.scale.ranking as ranking

    here, offered_here = _campaign(data, tmp_path / "here")
    assert here["offered"] > 500 and here["matched"] > 100  # a campaign worth comparing

    def not_here(*_: Any) -> None:
        raise AssertionError("with MATCHER_RAY_ADDRESS set, ranking runs on the workers")

    monkeypatch.setattr(ranking, "rank_pool", not_here)
    on_ray, offered_on_ray = _campaign(data, tmp_path / "ray", ray_address="local")
    assert on_ray == here
    assert offered_on_ray == offered_here


def test_a_worker_refuses_a_snapshot_older_than_its_engine(data, tmp_path):
    """Ray workers load the index their engine saved; one that finds an older snapshot (or
    none) says so instead of ranking against other data (the actor's class, built here)."""
    from matcher.index.files import IndexUnusableError
    from matcher.scale.ranking import RankingWorker

    config = Settings.from_env(env={}, data_dir=tmp_path / "var")
    with pytest.raises(IndexUnusableError, match="no index snapshot at watermark 5"):
        RankingWorker(config, 5)
    store = Store.open(config)
    ingest_folder(store, data, ("employers", "positions"))
    matcher = Matcher.open(config.replace(encoder="fake:32"), store=store)
    with pytest.raises(IndexUnusableError, match=f"found {matcher.watermark}"):
        RankingWorker(config.replace(encoder="fake:32"), matcher.watermark + 1)
    worker = RankingWorker(config.replace(encoder="fake:32"), matcher.watermark)
    assert worker.ready() == matcher.watermark
    store.close()
