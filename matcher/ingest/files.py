"""Streaming ingestion of JSON Lines or CSV files in the exchange format.

Every line is validated on its own: a bad record is reported (line, id, field) and written to
a rejects file next to the input; it never aborts the run or half-writes other records."""

from __future__ import annotations

import json
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from matcher.compliance.screen import screen
from matcher.errors import ValidationError
from matcher.ingest.readers import invalid_json, read_records
from matcher.records.prepare import Entity, Prepared, prepare
from matcher.store import Store, UpsertCounts

#: Employers first so postings link to their ids; trainings last.
LOAD_ORDER: tuple[Entity, ...] = ("employers", "positions", "graduates", "trainings")


#: CSV columns that hold lists (cells separated by | or ;) and numbers.
@dataclass(frozen=True, slots=True)
class Reject:
    line: int
    record_id: str | None
    field: str  # the first field at fault
    message: str  # every error of the record, "field: what is wrong; field: ..."
    raw: str  # the line as it was read
    errors: tuple[tuple[str, str], ...] = ()
    zh: str = ""  # the same in Chinese, for the operator


def reject_of(number: int, error: ValidationError, raw: str) -> Reject:
    return Reject(
        number,
        error.record_id,
        error.field or "record",
        str(error),
        raw,
        tuple(error.errors),
        error.zh,
    )


@dataclass
class IngestReport:
    entity: str
    path: Path
    counts: UpsertCounts = field(default_factory=UpsertCounts)
    rejected: list[Reject] = field(default_factory=list)
    rejects_path: Path | None = None
    lines: int = 0
    normalised: int = 0  # records stored with a spelling rewritten (see records.lenient)
    notes: Counter[str] = field(default_factory=Counter)  # kind of rewrite → records

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
        if self.normalised:
            common = ", ".join(f"{note} ×{n}" for note, n in self.notes.most_common(4))
            text += f"\nnormalised: {self.normalised} records ({common})"
        if self.rejects_path:
            text += f"\nrejected records written to {self.rejects_path}"
        return text


def ingest_file(
    store: Store,
    entity: Entity,
    path: Path,
    *,
    batch_size: int = 1000,
    rejects_dir: Path | None = None,
    workers: int = 0,
    progress: Callable[[int], None] | None = None,
) -> IngestReport:
    """Validate and upsert every record of ``path``; commits every ``batch_size`` records
    (then calls ``progress`` with how many were stored). With ``workers`` (JSON Lines only),
    that many processes parse, validate and screen the records while this one writes them,
    in file order."""
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
                if item.notes:
                    report.normalised += 1
                    report.notes.update(_kind(note) for note in item.notes)
            else:
                reject = reject_of(number, item, raw)
                report.rejected.append(reject)
                writer.write(reject)
            if len(batch) >= batch_size:
                report.counts.add(store.upsert(entity, batch))
                if progress is not None:
                    progress(len(batch))
                batch = []
        if batch:
            report.counts.add(store.upsert(entity, batch))
            if progress is not None:
                progress(len(batch))
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
                if isinstance(item, tuple):  # (record id, field, message, errors, zh): a reject
                    error = ValidationError(
                        item[2], record_id=item[0], field=item[1], errors=item[3], zh=item[4]
                    )
                    yield number, error, raw
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


RejectParts = tuple[str | None, str, str, list[tuple[str, str]], str]


def _prepare_lines(
    work: tuple[Entity, list[tuple[int, str]]],
) -> list[tuple[int, Prepared | RejectParts, str]]:
    """In a worker: parse, validate and (postings) screen; rejects keep their raw text."""
    entity, lines = work
    out: list[tuple[int, Prepared | RejectParts, str]] = []
    for number, item, raw in _prepared_lines(entity, lines):
        if isinstance(item, Prepared):
            if entity == "positions":
                item = replace(item, flags=tuple(screen(item.record)))
            out.append((number, item, ""))
        else:
            parts = (item.record_id, item.field or "record", str(item), item.errors, item.zh)
            out.append((number, parts, raw))
    return out


def _prepared_lines(entity: Entity, lines: list[tuple[int, str]]) -> Iterator[Item]:
    for number, line in lines:
        text = line.strip()
        try:
            try:
                parsed = json.loads(text)
            except json.JSONDecodeError as exc:
                raise invalid_json(exc) from None
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
        entry: dict[str, Any] = {
            "line": reject.line,
            "id": reject.record_id,
            "errors": [{"field": f, "message": m} for f, m in reject.errors],
            "message_zh": reject.zh,
        }
        try:  # the record as it was, to fix and load again; text that is not JSON as text
            entry["record"] = json.loads(reject.raw)
        except json.JSONDecodeError:
            entry["raw"] = reject.raw
        self._handle.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def close(self) -> Path | None:
        if self._handle is None:
            return None
        self._handle.close()
        return self.path


def _kind(note: str) -> str:
    """``salary: '面议' → {...}`` → ``salary``: notes are counted by field."""
    return note.split(":", 1)[0]
