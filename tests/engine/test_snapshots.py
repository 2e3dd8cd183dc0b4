"""When the engine saves its index (issue 20, point 4): a write does not save the whole index
again; the next start catches up from the last snapshot through the store's change feed, so
nothing is lost between snapshots; a snapshot follows after ``index_save_changes`` watermark
steps, at once after an erasure (the erased vector leaves the files), and when the server
stops."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from matcher.config import Settings
from matcher.engine.orchestrator import Matcher
from matcher.index.files import read_manifest
from matcher.index.vectors import VectorIndex
from matcher.records.prepare import prepare
from matcher.store import Store
from matcher.store.erasure import erase_graduate
from matcher.text.encoders import FakeEncoder
from tests.api.conftest import key_headers
from tests.conftest import graduate, position

LATER = "2099-12-31"


def _open(settings: Settings, store: Store) -> Matcher:
    return Matcher.open(settings, store=store, encoder=FakeEncoder(32))


def _saved(settings: Settings) -> int:
    return read_manifest(settings.resolved_index_dir / "positions").watermark


@pytest.fixture()
def pool(settings: Settings, store: Store) -> tuple[Settings, Store]:
    store.upsert(
        "positions", [prepare("positions", position(f"p-{i}", expires_at=LATER)) for i in range(30)]
    )
    store.upsert("graduates", [prepare("graduates", graduate(f"g-{i}")) for i in range(3)])
    return settings.replace(index_save_changes=5, index_save_seconds=3600), store


def test_a_write_is_served_without_a_new_snapshot_and_survives_a_crash(pool) -> None:
    settings, store = pool
    engine = _open(settings, store)
    first = _saved(settings)
    assert first == store.watermark()  # the start-up build is saved
    files = settings.resolved_index_dir / "positions"
    stamps = {p.name: p.stat().st_mtime_ns for p in files.iterdir()}
    store.upsert("positions", [prepare("positions", position("p-new", expires_at=LATER))])
    engine.refresh()
    assert "p-new" in engine.positions and engine.watermark == store.watermark()
    assert _saved(settings) == first
    assert {p.name: p.stat().st_mtime_ns for p in files.iterdir()} == stamps
    # the process dies here without saving: the next one catches up from the snapshot
    again = _open(settings, store)
    assert "p-new" in again.positions and again.watermark == store.watermark()
    assert again.last_sync.positions_encoded == 1  # only what changed since the snapshot


def test_a_snapshot_follows_enough_changes_an_erasure_and_a_stop(pool) -> None:
    settings, store = pool
    engine = _open(settings, store)
    start = _saved(settings)
    for i in range(5):
        store.upsert("positions", [prepare("positions", position(f"q-{i}", expires_at=LATER))])
        engine.refresh()
    assert store.watermark() - start >= 5 and _saved(settings) == store.watermark()
    erase_graduate(store, "g-1")
    engine.refresh()
    assert _saved(settings) == store.watermark()
    kept, _ = VectorIndex.load(
        settings.resolved_index_dir / "graduates",
        encoder_id=FakeEncoder(32).model_id,
        dimension=32,
        kind="flat",
    )
    assert "g-1" not in kept and "g-0" in kept
    store.upsert("positions", [prepare("positions", position("r-1", expires_at=LATER))])
    engine.refresh()
    assert _saved(settings) < store.watermark()
    engine.flush()
    assert _saved(settings) == store.watermark()


def test_a_one_off_command_keeps_what_it_caught_up_with(pool) -> None:
    settings, store = pool
    _open(settings, store)
    store.upsert("positions", [prepare("positions", position("p-cli", expires_at=LATER))])
    _open(settings, store)  # e.g. `matcher ingest --index`, then the process ends
    assert _saved(settings) == store.watermark()


def test_every_write_saves_when_asked(pool) -> None:
    settings, store = pool
    engine = _open(settings.replace(index_save_changes=1), store)
    store.upsert("positions", [prepare("positions", position("p-new", expires_at=LATER))])
    engine.refresh()
    assert _saved(settings) == store.watermark()


@pytest.mark.parametrize("bad", [{"index_save_changes": 0}, {"index_save_seconds": -1.0}])
def test_bad_snapshot_settings_are_refused(tmp_path: Path, bad: dict) -> None:
    with pytest.raises(ValueError, match="MATCHER_INDEX_SAVE"):
        Settings.from_env(env={}, data_dir=tmp_path, **bad)


def test_the_server_saves_what_it_holds_when_it_stops(pool) -> None:
    settings, store = pool
    app = create_app(settings.replace(api_worker=False), store, encoder=FakeEncoder(32))
    with TestClient(app) as client:
        made = client.post(
            "/positions",
            json=position("p-api", expires_at=LATER),
            headers=key_headers(store, "bureau"),
        )
        assert made.status_code == 201, made.text
        assert _saved(settings) < store.watermark()
    assert _saved(settings) == store.watermark()
