"""Streaming ingestion of JSON Lines or CSV files in the exchange format.

Every line is validated on its own: a bad record is reported (line, id, field) and written to
a rejects file next to the input; it never aborts the run or half-writes other records."""

from __future__ import annotations

import csv
import json
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from matcher.compliance.screen import screen
from matcher.errors import ValidationError
from matcher.records.prepare import Entity, Prepared, prepare
from matcher.store import Store, UpsertCounts

#: CSV columns that hold lists (cells separated by | or ;) and numbers.
_LIST_COLUMNS = {
    "majors",
    "skills",
    "support",
    "desired.cities",
    "desired.districts",
    "desired.kinds",
    "desired.industries",
}
_INT_COLUMNS = {"experience_min_years", "headcount", "graduation_year", "capacity"}
_FLOAT_COLUMNS = {"salary.min", "salary.max", "desired.salary_min", "fee"}
_BOOL_COLUMNS = {"consent.push", "blacklisted", "subsidised"}


#: Employers first so postings link to their ids; trainings last.
LOAD_ORDER: tuple[Entity, ...] = ("employers", "positions", "graduates", "trainings")


@dataclass(frozen=True, slots=True)
class Reject:
    line: int
    record_id: str | None
    field: str
    message: str
    raw: str


@dataclass
class IngestReport:
    entity: str
    path: Path
    counts: UpsertCounts = field(default_factory=UpsertCounts)
    rejected: list[Reject] = field(default_factory=list)
    rejects_path: Path | None = None
    lines: int = 0

    def summary(self) -> str:
        c = self.counts
        text = (
            f"{self.entity}: {self.lines} records read — inserted {c.inserted}, updated "
            f"{c.updated}, unchanged {c.unchanged}, rejected {len(self.rejected)}"
        )
        if c.flagged:
            text += (
                f"\ncompliance: {c.flagged} postings flagged, held back until reviewed "
                "(`matcher compliance list`)"
            )
        if self.rejects_path:
            text += f"\nrejected records written to {self.rejects_path}"
        return text


def read_records(path: Path) -> Iterator[tuple[int, Any, str]]:
    """Yield (line number, parsed record or a ValidationError, raw text) from JSONL or CSV."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        if path.suffix.lower() == ".csv":
            yield from _read_csv(handle)
        else:
            yield from _read_jsonl(handle)


def _read_jsonl(handle: IO[str]) -> Iterator[tuple[int, Any, str]]:
    for number, line in enumerate(handle, start=1):
        text = line.strip()
        if not text:
            continue
        try:
            yield number, json.loads(text), text
        except json.JSONDecodeError as exc:
            yield (
                number,
                ValidationError(f"invalid JSON: {exc.msg} at column {exc.colno}", field="record"),
                text,
            )


def _read_csv(handle: IO[str]) -> Iterator[tuple[int, Any, str]]:
    reader = csv.DictReader(handle)
    for row in reader:
        number = reader.line_num
        raw = json.dumps(row, ensure_ascii=False)
        if None in row:
            yield number, ValidationError("more cells than header columns", field="record"), raw
            continue
        yield number, _nest(row), raw


def _nest(row: dict[str, str]) -> dict[str, Any]:
    """Turn a flat CSV row with dotted columns (``salary.min``) into an exchange record."""
    out: dict[str, Any] = {}
    for column, cell in row.items():
        value = _cell(column.strip(), cell.strip())
        if value is None:
            continue
        target = out
        *parents, leaf = column.strip().split(".")
        for part in parents:
            target = target.setdefault(part, {})
        target[leaf] = value
    return out


def _cell(column: str, cell: str) -> Any:
    if cell == "":
        return None
    if column in _LIST_COLUMNS:
        return [v.strip() for v in cell.replace(";", "|").split("|") if v.strip()]
    try:
        if column in _INT_COLUMNS:
            return int(cell)
        if column in _FLOAT_COLUMNS:
            return float(cell)
    except ValueError:
        return cell  # left as text: validation reports the field
    if column in _BOOL_COLUMNS:
        return {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}.get(
            cell.lower(), cell
        )
    return cell


def ingest_file(
    store: Store,
    entity: Entity,
    path: Path,
    *,
    batch_size: int = 1000,
    rejects_dir: Path | None = None,
    workers: int = 0,
) -> IngestReport:
    """Validate and upsert every record of ``path``; commits every ``batch_size`` records.
    With ``workers`` (JSON Lines only), that many processes parse, validate and screen the
    records while this one writes them, in file order."""
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    report = IngestReport(entity, path)
    batch: list[Prepared] = []
    writer = _RejectsWriter(path, rejects_dir)
    parallel = workers > 0 and path.suffix.lower() != ".csv"
    items = (
        _prepared_in_parallel(entity, path, batch_size, workers)
        if parallel
        else _prepared(entity, path)
    )
    try:
        for number, item, raw in items:
            report.lines += 1
            if isinstance(item, Prepared):
                batch.append(item)
            else:
                reject = Reject(number, item.record_id, item.field or "record", str(item), raw)
                report.rejected.append(reject)
                writer.write(reject)
            if len(batch) >= batch_size:
                report.counts.add(store.upsert(entity, batch))
                batch = []
        if batch:
            report.counts.add(store.upsert(entity, batch))
    finally:
        report.rejects_path = writer.close()
    return report


def ingest_folder(
    store: Store,
    folder: Path,
    entities: Sequence[Entity] = LOAD_ORDER,
    *,
    batch_size: int = 1000,
    workers: int = 0,
) -> list[IngestReport]:
    """``<entity>.jsonl`` of each entity in ``folder`` (a generated or exported set), in
    ``LOAD_ORDER``."""
    ordered = [e for e in LOAD_ORDER if e in entities]
    return [
        ingest_file(store, e, folder / f"{e}.jsonl", batch_size=batch_size, workers=workers)
        for e in ordered
    ]


Item = tuple[int, "Prepared | ValidationError", str]


def _prepared(entity: Entity, path: Path) -> Iterator[Item]:
    for number, parsed, raw in read_records(path):
        try:
            if isinstance(parsed, ValidationError):
                raise parsed
            yield number, prepare(entity, parsed), raw
        except ValidationError as exc:
            yield number, exc, raw


def _prepared_in_parallel(entity: Entity, path: Path, chunk: int, workers: int) -> Iterator[Item]:
    """Chunks of raw lines to a process pool (fork: nothing to re-import), answers in order."""
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        for done in pool.imap(_prepare_lines, _line_chunks(entity, path, chunk), chunksize=1):
            for number, item, raw in done:
                if isinstance(item, tuple):  # (record id, field, message): a reject
                    yield number, ValidationError(item[2], record_id=item[0], field=item[1]), raw
                else:
                    yield number, item, raw


def _line_chunks(
    entity: Entity, path: Path, size: int
) -> Iterator[tuple[Entity, list[tuple[int, str]]]]:
    lines: list[tuple[int, str]] = []
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                lines.append((number, line))
            if len(lines) >= size:
                yield entity, lines
                lines = []
    if lines:
        yield entity, lines


def _prepare_lines(
    work: tuple[Entity, list[tuple[int, str]]],
) -> list[tuple[int, Prepared | tuple[str | None, str, str], str]]:
    """In a worker: parse, validate and (postings) screen; rejects keep their raw text."""
    entity, lines = work
    out: list[tuple[int, Prepared | tuple[str | None, str, str], str]] = []
    for number, item, raw in _prepared_lines(entity, lines):
        if isinstance(item, Prepared):
            if entity == "positions":
                item = replace(item, flags=tuple(screen(item.record)))
            out.append((number, item, ""))
        else:
            out.append((number, (item.record_id, item.field or "record", str(item)), raw))
    return out


def _prepared_lines(entity: Entity, lines: list[tuple[int, str]]) -> Iterator[Item]:
    for number, line in lines:
        text = line.strip()
        try:
            try:
                parsed = json.loads(text)
            except json.JSONDecodeError as exc:
                msg = f"invalid JSON: {exc.msg} at column {exc.colno}"
                raise ValidationError(msg, field="record") from None
            yield number, prepare(entity, parsed), text
        except ValidationError as exc:
            yield number, exc, text


class _RejectsWriter:
    """Writes rejects to ``<input>.rejects.jsonl`` (or ``rejects_dir`` when the input's folder
    is read-only); the file is only created when there is something to write."""

    def __init__(self, source: Path, rejects_dir: Path | None) -> None:
        folder = source.parent if os.access(source.parent, os.W_OK) else rejects_dir
        self.path = (folder or Path("var/rejects")) / f"{source.name}.rejects.jsonl"
        self._handle: IO[str] | None = None
        self.path.unlink(missing_ok=True)  # a rejects file describes the latest run only

    def write(self, reject: Reject) -> None:
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("w", encoding="utf-8")
        entry = {
            "line": reject.line,
            "id": reject.record_id,
            "field": reject.field,
            "error": reject.message,
            "record": reject.raw,
        }
        self._handle.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def close(self) -> Path | None:
        if self._handle is None:
            return None
        self._handle.close()
        return self.path
