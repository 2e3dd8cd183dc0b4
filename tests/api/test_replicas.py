"""Replicas (issue 20, point 3): two ``matcher serve`` processes, each with its own index
folder, over one PostgreSQL store. A posting written through replica A is recommended by
replica B at B's next request (each request first catches up with the store's watermark);
killing A leaves B serving and writing; a third replica started from a copy of B's index folder
loads it and only catches up, without encoding the pool again."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from matcher.config import Settings
from matcher.records.prepare import prepare
from matcher.store import Store
from matcher.store.keys import ApiKeys
from tests.conftest import graduate, position
from tests.processes import Process, environment, fresh_postgres

pytestmark = pytest.mark.postgres
LATER = "2099-12-31"


@pytest.fixture()
def pool(tmp_path: Path) -> Iterator[dict[str, Any]]:
    with fresh_postgres() as url:
        store = Store.open(Settings.from_env(env={}, data_dir=tmp_path / "setup", database_url=url))
        store.upsert(
            "positions",
            [prepare("positions", position(f"p-{i}", expires_at=LATER)) for i in range(20)],
        )
        store.upsert("graduates", [prepare("graduates", graduate("g-1"))])
        key = ApiKeys(store).issue("bureau", {}, "replica test")[1]
        running: list[Process] = []
        try:
            yield {"url": url, "key": key, "work": tmp_path, "running": running, "store": store}
        finally:
            for server in running:
                server.stop()
            store.close()


def _replica(pool: dict[str, Any], name: str) -> Process:
    server = Process.serve(
        environment(pool["work"] / name, pool["url"]), pool["work"] / f"{name}.log"
    )
    pool["running"].append(server)
    return server


def _recommended(server: Process, key: str) -> list[str]:
    status, body = server.call("GET", "/graduates/g-1/recommendations?k=50", key)
    assert status == 200, body
    return [m["id"] for m in body["items"]]


def test_a_write_through_one_replica_is_served_by_the_other_and_survives_its_death(pool) -> None:
    key = pool["key"]
    a, b = _replica(pool, "a"), _replica(pool, "b")
    assert "p-new" not in _recommended(b, key)
    status, made = a.call("POST", "/positions", key, position("p-new", expires_at=LATER))
    assert status == 201, made
    assert "p-new" in _recommended(b, key)  # B's next request caught up
    status, _ = a.call("POST", "/positions/p-new/close", key)
    assert status == 200
    assert "p-new" not in _recommended(b, key)
    a.kill()
    assert b.call("GET", "/healthz", key)[0] == 200
    status, made = b.call("POST", "/positions", key, position("p-after", expires_at=LATER))
    assert status == 201, made
    assert "p-after" in _recommended(b, key)


def test_a_replica_started_from_a_copied_index_folder_only_catches_up(pool) -> None:
    key = pool["key"]
    b = _replica(pool, "b")
    assert len(_recommended(b, key)) == 20
    b.call("POST", "/positions", key, position("p-late", expires_at=LATER))
    _recommended(b, key)  # B saves its index as it catches up
    shutil.copytree(pool["work"] / "b" / "index", pool["work"] / "c" / "index")
    b.call("POST", "/positions", key, position("p-later", expires_at=LATER))
    c = _replica(pool, "c")
    assert {"p-late", "p-later"} <= set(_recommended(c, key))
    assert "rebuilding the index" in (pool["work"] / "b.log").read_text()  # B began empty
    log = (pool["work"] / "c.log").read_text()
    assert "rebuilding the index" not in log, log
