"""What the browser tests share: Debian's Chromium (never a downloaded browser), the app served
by uvicorn on the loopback address in a thread, and screenshots kept in ``tmp_path`` (and in
``$MATCHER_SCREENSHOTS_DIR`` when set, which is how ``docs/screenshots/`` is made)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import uvicorn

CHROMIUM = "/usr/bin/chromium"


def chromium() -> str:
    """The path of Debian's Chromium; fails in CI and skips elsewhere when it is missing."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI must install Debian's chromium (see .ci/run)")
        pytest.skip("Debian's chromium is not installed: apt-get install chromium")
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(app: Any) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 until the block ends; yields its base URL."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(600):  # the app builds its index at start-up
        if server.started:
            break
        time.sleep(0.1)
    assert server.started, "the test server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def shoot(page: Any, name: str, tmp_path: Path) -> None:
    """A full-page screenshot named ``name``.png."""
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    target = os.environ.get("MATCHER_SCREENSHOTS_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / path.name)


def fits(page: Any, width: int) -> None:
    """The page needs no sideways scrolling at ``width`` pixels."""
    scrolled = page.evaluate("document.documentElement.scrollWidth")
    assert scrolled <= width + 1, f"{page.url} overflows a {width}px screen ({scrolled}px)"


def generated(folder: Path) -> tuple[Any, Any, list[dict[str, Any]]]:
    """Settings, an open store over generated Chongqing data (600 postings, 1,200 graduates,
    district advisers assigned, with their service desks' contact details) and the seeking
    support-group graduates who consented to pushes, in a stable order."""
    from matcher.commands.plans import assign_demo_advisers
    from matcher.config import Settings
    from matcher.datasets import generate
    from matcher.ingest.files import ingest_folder
    from matcher.plans.build import consents
    from matcher.store import Store
    from matcher.store.campaigns import segment_ids

    generate(folder / "data", scale=600, graduates=1200, seed=11, as_of=date.today())
    settings = Settings.from_env(env={}, data_dir=folder / "var", quiet_hours="off")
    store = Store.open(settings)
    ingest_folder(store, folder / "data")
    assign_demo_advisers(store, settings)
    support = store.get_many("graduates", segment_ids(store, needs_support=True))
    ready = [g for g in support.values() if g.get("status") == "seeking" and consents(g)]
    return settings, store, ready + [g for g in support.values() if g not in ready]
