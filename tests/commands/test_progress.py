"""Long jobs say how far they are (issue 15, point 18): a bar on a terminal, a plain line
every few seconds otherwise, fed batch by batch by ingestion and by the index build."""

from __future__ import annotations

import io

from matcher.commands.progress import Progress, count_lines
from matcher.engine.orchestrator import Matcher
from matcher.ingest.files import ingest_file
from matcher.text.encoders import FakeEncoder
from tests.conftest import position, write_jsonl


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_lines_give_count_rate_and_time_left():
    out = io.StringIO()
    shown = Progress("positions", 1000, stream=out, every=0.0)
    shown.update(250)
    shown.close()
    line = out.getvalue().strip()
    assert line.startswith("positions: 250 / 1,000 records (25%)")
    assert "/s" in line and "left" in line


def test_a_terminal_gets_a_bar():
    out = Terminal()
    shown = Progress("index", 10, stream=out)
    shown.update(10)
    shown.close()
    assert "index" in out.getvalue() and "10/10" in out.getvalue()


def test_ingestion_and_the_index_build_report_every_batch(settings, store, tmp_path):
    path = write_jsonl(tmp_path / "p.jsonl", [position(f"p-{i}") for i in range(25)])
    assert count_lines(path) == 25
    seen: list[int] = []
    ingest_file(store, "positions", path, batch_size=10, progress=seen.append)
    assert seen == [10, 10, 5]
    built: list[int] = []
    Matcher.open(settings, store=store, encoder=FakeEncoder(16), progress=built.append)
    assert sum(built) == 25
