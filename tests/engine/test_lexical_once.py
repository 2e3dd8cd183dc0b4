"""The BM25 index is built once after a sync even when many first queries arrive together (each
would otherwise read every posting from the store at the same moment), and again after the
next sync."""

from __future__ import annotations

import threading
import time
from typing import Any

from matcher.engine.retrieve import LazyLexical


def test_concurrent_first_queries_build_the_lexical_index_once(monkeypatch) -> None:
    built: list[int] = []

    def slow(index: Any, store: Any) -> Any:
        built.append(1)
        time.sleep(0.05)
        return f"bm25 #{len(built)}"

    monkeypatch.setattr("matcher.engine.retrieve.lexical_index", slow)
    lazy = LazyLexical()
    seen: list[Any] = []
    threads = [
        threading.Thread(target=lambda: seen.append(lazy.get(None, None))) for _ in range(16)
    ]  # type: ignore[arg-type]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert built == [1] and seen == ["bm25 #1"] * 16
    lazy.reset()
    assert lazy.get(None, None) == "bm25 #2"  # type: ignore[arg-type]
