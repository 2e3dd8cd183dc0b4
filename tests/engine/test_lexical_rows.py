"""The engine's BM25 channel follows the index row by row: a write segments the text of the
posting written and nothing else, a restart loads the words saved with the snapshot (no
posting is segmented again), and a posting's old text stops scoring once it changes."""

from __future__ import annotations

from typing import Any

import pytest

from matcher.config import Settings
from matcher.engine.orchestrator import Matcher
from matcher.records.prepare import prepare
from matcher.store import Store
from matcher.text.encoders import FakeEncoder
from tests.conftest import position

LATER = "2099-12-31"


@pytest.fixture()
def segmented(monkeypatch) -> list[str]:
    """Every posting text the lexicon segments (its ``add`` counted)."""
    import matcher.index.lexical as lexical

    seen: list[str] = []
    monkeypatch.setattr(lexical.Lexicon, "add", _counting_add(lexical.Lexicon.add, seen))
    return seen


def _counting_add(add: Any, seen: list[str]) -> Any:
    def wrapped(self: Any, rows: Any, texts: Any, *rest: Any) -> None:
        seen.extend(texts)
        add(self, rows, texts, *rest)

    return wrapped


def test_a_write_segments_one_text_and_a_restart_none(
    settings: Settings, store: Store, segmented
) -> None:
    settings = settings.replace(index_save_changes=1000, index_save_seconds=3600)
    store.upsert(
        "positions",
        [
            prepare("positions", position(f"p-{i}", expires_at=LATER, title=f"会计{i}"))
            for i in range(20)
        ],
    )
    engine = Matcher.open(settings, store=store, encoder=FakeEncoder(32))
    assert len(segmented) == 20
    store.upsert(
        "positions",
        [
            prepare(
                "positions",
                position("p-new", expires_at=LATER, title="焊接工程师", skills=["焊接"]),
            )
        ],
    )
    engine.refresh()
    assert len(segmented) == 21 and "焊接" in segmented[-1]
    assert engine.lexicon.scores("焊接")[engine.positions.slots_of(["p-new"])[0]] > 0
    engine.flush()  # a server stopping saves the snapshot, words included
    again = Matcher.open(settings, store=store, encoder=FakeEncoder(32))
    assert len(segmented) == 21  # nothing segmented again
    assert again.lexicon.scores("焊接").argmax() == again.positions.slots_of(["p-new"])[0]

    store.upsert(  # new text: a new row, the old one dead and no longer counted
        "positions",
        [prepare("positions", position("p-new", expires_at=LATER, title="出纳", skills=["出纳"]))],
    )
    again.refresh()
    assert len(segmented) == 22 and not again.lexicon.scores("焊接").any()
