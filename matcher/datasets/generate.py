"""Write a full demo data set as JSON Lines, streaming record by record."""

from __future__ import annotations

import datetime
import json
import random
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from matcher.datasets.employers import EmployerFactory
from matcher.datasets.graduates import GraduateFactory
from matcher.datasets.places import geography
from matcher.datasets.positions import PositionFactory
from matcher.datasets.sampling import Draw
from matcher.datasets.trainings import TrainingFactory

_encode = json.JSONEncoder(ensure_ascii=False).encode
_BUFFER = 1 << 20
_BATCH = 2000


def _stream(name: str, seed: int) -> Draw:
    """An independent generator per file, so that e.g. more graduates leave postings unchanged."""
    return Draw(random.Random(f"matcher-datasets:{seed}:{name}"))


class _Writer:
    """Buffered JSON Lines writer that flushes in batches of encoded lines."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("w", encoding="utf-8", newline="\n", buffering=_BUFFER)
        self._lines: list[str] = []
        self.count = 0

    def write(self, record: dict[str, Any]) -> None:
        self._lines.append(_encode(record))
        self.count += 1
        if len(self._lines) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._lines:
            self._file.write("\n".join(self._lines))
            self._file.write("\n")
            self._lines.clear()

    def close(self) -> None:
        self._flush()
        self._file.close()


def _write_all(path: Path, records: Iterable[dict[str, Any]]) -> int:
    writer = _Writer(path)
    try:
        for record in records:
            writer.write(record)
    finally:
        writer.close()
    return writer.count


def generate(
    out_dir: Path,
    *,
    scale: int,
    seed: int = 0,
    graduates: int | None = None,
    as_of: datetime.date = datetime.date(2026, 9, 1),
) -> dict[str, int]:
    """Write employers, positions, graduates, trainings and compliance labels to ``out_dir``.

    ``scale`` postings, ``graduates`` graduates (default: as many as postings), about
    ``scale // 20`` employers (at least one per sector) and ``max(20, scale // 500)`` training
    courses. The same arguments always give byte-identical files. Returns the record count per
    file stem."""
    if isinstance(scale, bool) or not isinstance(scale, int) or scale < 0:
        raise ValueError(f"scale must be a non-negative integer, got {scale!r}")
    n_graduates = scale if graduates is None else graduates
    if isinstance(n_graduates, bool) or not isinstance(n_graduates, int) or n_graduates < 0:
        raise ValueError(f"graduates must be a non-negative integer, got {graduates!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    geo = geography()

    factory = EmployerFactory(_stream("employers", seed), geo)
    employers = list(factory.generate(max(30, scale // 20)))
    counts = {"employers": _write_all(out / "employers.jsonl", (e.record() for e in employers))}

    positions = PositionFactory(_stream("positions", seed), geo, employers, as_of)
    pos_writer = _Writer(out / "positions.jsonl")
    label_writer = _Writer(out / "compliance_labels.jsonl")
    try:
        for i in range(scale):
            record, label = positions.make(i)
            pos_writer.write(record)
            if label is not None:
                label_writer.write(label)
    finally:
        pos_writer.close()
        label_writer.close()
    counts["positions"] = pos_writer.count

    companies: dict[str, list[str]] = {}
    for e in employers[:20000]:
        companies.setdefault(e.industry, []).append(e.name)
    people = GraduateFactory(_stream("graduates", seed), geo, as_of.year, companies)
    counts["graduates"] = _write_all(
        out / "graduates.jsonl", (people.make(i) for i in range(n_graduates))
    )
    courses = TrainingFactory(_stream("trainings", seed), geo, as_of)
    counts["trainings"] = _write_all(
        out / "trainings.jsonl", (courses.make(i) for i in range(max(20, scale // 500)))
    )
    counts["compliance_labels"] = label_writer.count
    return counts
