"""The embedded demo: generate a Chongqing data set once, ingest it into the configured store."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from matcher.config import Settings
from matcher.ingest.files import IngestReport, ingest_folder
from matcher.store import Store

DEMO_SEED = 20220801


def demo_dir(settings: Settings) -> Path:
    return settings.data_dir / "demo"


def ensure_demo_files(settings: Settings, scale: int, today: date | None = None) -> Path:
    """Generate the demo files unless a set of the same scale is already there."""
    from matcher.datasets import generate

    folder = demo_dir(settings)
    marker = folder / "demo.json"
    if marker.is_file() and json.loads(marker.read_text()).get("scale") == scale:
        return folder
    as_of = today or date.today()
    generate(folder, scale=scale, seed=DEMO_SEED, graduates=max(scale // 2, 100), as_of=as_of)
    marker.write_text(json.dumps({"scale": scale, "seed": DEMO_SEED, "as_of": as_of.isoformat()}))
    return folder


def load_demo(settings: Settings, scale: int) -> list[IngestReport]:
    folder = ensure_demo_files(settings, scale)
    store = Store.open(settings)
    try:
        return ingest_folder(store, folder, batch_size=settings.batch_size)
    finally:
        store.close()
