"""A throwaway engine over posting and profile files: a temporary store and index built from
them (nothing touches the configured store), for evaluation and for training the ranker."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from matcher.config import Settings


@contextmanager
def engine_on(
    positions: Sequence[Path],
    graduates: Path,
    settings: Settings | None = None,
    log: Callable[[str], None] = lambda _: None,
) -> Iterator[Any]:
    """A :class:`matcher.engine.orchestrator.Matcher` over the files (its ``store`` holds them),
    removed afterwards."""
    from matcher.engine.orchestrator import Matcher
    from matcher.ingest.files import ingest_file
    from matcher.store import Store

    base = settings or Settings.from_env()
    with tempfile.TemporaryDirectory() as tmp:
        temp = base.replace(data_dir=Path(tmp), database_url="", index_dir=None)
        store = Store.open(temp)
        try:
            for path in positions:
                log(ingest_file(store, "positions", path, rejects_dir=Path(tmp)).summary())
            log(ingest_file(store, "graduates", graduates, rejects_dir=Path(tmp)).summary())
            started = time.perf_counter()
            matcher = Matcher.open(temp, store=store)
            log(f"index built in {time.perf_counter() - started:.1f} s")
            yield matcher
        finally:
            store.close()
