"""Reading JSON Lines and CSV files into raw records, line by line: a line that cannot be read
becomes a :class:`ValidationError` in its place, so one bad line never stops a file. CSV columns
name nested fields with dots (``salary.min``) and lists with ``|``."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from matcher.errors import ValidationError

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
                invalid_json(exc),
                text,
            )


def _read_csv(handle: IO[str]) -> Iterator[tuple[int, Any, str]]:
    reader = csv.DictReader(handle)
    for row in reader:
        number = reader.line_num
        raw = json.dumps(row, ensure_ascii=False)
        if None in row:
            wide = ValidationError(
                "more cells than header columns", field="record", zh="该行的单元格多于表头的列数"
            )
            yield number, wide, raw
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


def invalid_json(exc: json.JSONDecodeError) -> ValidationError:
    return ValidationError(
        f"invalid JSON: {exc.msg} at column {exc.colno}",
        field="record",
        zh=f"该行不是有效的 JSON（第 {exc.colno} 列附近）",
    )
