"""Per-row columns of the postings index: what the filters and the ranking features need of a
posting, as numpy arrays aligned with the index rows, so that a query tests and scores its
candidates without reading records. Saved with the index; tombstoned rows are simply not open.

Text (title, skills, description) is not kept here: the ranking reads it from the store for the
candidates that need it (see :mod:`matcher.engine.orchestrator`)."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from matcher.taxonomy.majors import load_majors
from matcher.taxonomy.vocab import (
    MONTHLY_FACTOR,
    Degree,
    PositionKind,
    SalaryUnit,
    degree_rank,
)

KINDS: tuple[PositionKind, ...] = tuple(PositionKind)
NO_DATE = np.iinfo(np.int32).max
MASKS_KEPT = 32  # eligibility masks kept (one byte per row each)


def day_number(value: Any) -> int:
    """Days since 1970-01-01 of an ISO date (``NO_DATE`` when missing)."""
    if not value:
        return NO_DATE
    return (date.fromisoformat(str(value)) - date(1970, 1, 1)).days


def _code(value: str | None, digits: int) -> int:
    return int(value[:digits]) if value and len(value) >= digits and value[:digits].isdigit() else 0


def stable_hash(*parts: str) -> int:
    """A 63-bit hash that is the same in every process (saved with the index)."""
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 1


def major_classes() -> list[str]:
    """Catalogue class names in a fixed order: bit i of the ``majors`` columns is class i."""
    return sorted({c.name for c in load_majors().classes()})


def monthly_top_salary(posting: Mapping[str, Any]) -> float:
    """The top of the posting's salary range per month (0 when it states none)."""
    salary = posting.get("salary") or {}
    top = salary.get("max") or salary.get("min")
    if not top:
        return 0.0
    return float(top) * MONTHLY_FACTOR[SalaryUnit(salary.get("unit", "month"))]


class PostingColumns:
    """Filter and ranking columns of every index row."""

    #: one value per row: (name, dtype)
    SPEC: tuple[tuple[str, Any], ...] = (
        ("kind", np.int8),
        ("province", np.int32),
        ("city", np.int32),
        ("area", np.int32),
        ("code_len", np.int8),  # digits of the division code (0: none)
        ("education", np.int8),  # degree rank asked (-1: none)
        ("experience", np.int8),  # years asked (-1: none)
        ("expires", np.int32),
        ("open", np.bool_),
        ("posted", np.int32),
        ("salary", np.float32),  # monthly top of the range (0: none)
        ("employer", np.int64),  # hash of the employer's name (or of the id without one)
        ("title_key", np.int64),  # hash of employer and title: near-duplicate postings
    )

    def __init__(self) -> None:
        self._classes = {name: i for i, name in enumerate(major_classes())}
        self.words = (len(self._classes) + 63) // 64  # majors bit columns
        for name, dtype in self.spec:
            setattr(self, name, np.zeros(0, dtype=dtype))
        self._place_rows: dict[tuple[int, int], npt.NDArray[np.int64]] = {}
        self._masks: OrderedDict[Hashable, npt.NDArray[np.bool_]] = OrderedDict()
        self._lock = threading.Lock()

    # declared for type checkers; created in __init__ from SPEC
    kind: npt.NDArray[np.int8]
    province: npt.NDArray[np.int32]
    city: npt.NDArray[np.int32]
    area: npt.NDArray[np.int32]
    code_len: npt.NDArray[np.int8]
    education: npt.NDArray[np.int8]
    experience: npt.NDArray[np.int8]
    expires: npt.NDArray[np.int32]
    open: npt.NDArray[np.bool_]
    posted: npt.NDArray[np.int32]
    salary: npt.NDArray[np.float32]
    employer: npt.NDArray[np.int64]
    title_key: npt.NDArray[np.int64]

    @property
    def spec(self) -> list[tuple[str, Any]]:
        return list(self.SPEC) + [(f"majors_{w}", np.uint64) for w in range(self.words)]

    def __len__(self) -> int:
        return len(self.open)

    def changed(self) -> None:
        """Forget what was derived from the columns (place rows, cached masks)."""
        self._place_rows.clear()
        with self._lock:
            self._masks.clear()

    def cached_mask(
        self, key: Hashable, compute: Callable[[], npt.NDArray[np.bool_]]
    ) -> npt.NDArray[np.bool_]:
        """The mask for ``key``, computed once until the columns change (the last
        ``MASKS_KEPT`` are kept; callers must not modify it)."""
        with self._lock:
            found = self._masks.get(key)
            if found is not None:
                self._masks.move_to_end(key)
                return found
        mask = compute()
        with self._lock:
            self._masks[key] = mask
            while len(self._masks) > MASKS_KEPT:
                self._masks.popitem(last=False)
        return mask

    def resize(self, rows: int) -> None:
        if rows > len(self.open):
            self.changed()
        for name, _ in self.spec:
            old = getattr(self, name)
            if len(old) < rows:
                grown = np.zeros(rows, dtype=old.dtype)
                grown[: len(old)] = old
                setattr(self, name, grown)

    def arrays(self) -> dict[str, npt.NDArray[Any]]:
        return {name: getattr(self, name) for name, _ in self.spec}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, npt.NDArray[Any]], rows: int) -> PostingColumns:
        """Columns saved with the index; ValueError when they do not fit its ``rows``."""
        columns = cls()
        for name, dtype in columns.spec:
            stored = arrays.get(name)
            if stored is None or stored.shape != (rows,) or stored.dtype != dtype:
                raise ValueError(f"saved column {name!r} does not fit the index")
            setattr(columns, name, stored)
        return columns

    def set(self, slot: int, record: Mapping[str, Any], *, is_open: bool) -> None:
        """Fill row ``slot`` from a stored posting record."""
        if slot >= len(self.open):
            self.resize(slot + 1)
        if self._place_rows or self._masks:
            self.changed()
        code = (record.get("location") or {}).get("code")
        self.kind[slot] = KINDS.index(PositionKind(record.get("kind", "full_time")))
        self.province[slot] = _code(code, 2)
        self.city[slot] = _code(code, 4) if code and len(code) >= 4 else 0
        self.area[slot] = _code(code, 6) if code and len(code) >= 6 else 0
        self.code_len[slot] = min(len(code), 100) if code and code.isdigit() else 0
        edu = record.get("education_min")
        self.education[slot] = degree_rank(Degree(edu)) if edu else -1
        exp = record.get("experience_min_years")
        self.experience[slot] = min(int(exp), 100) if exp is not None else -1
        self.expires[slot] = day_number(record.get("expires_at"))
        self.open[slot] = is_open
        self.posted[slot] = day_number(record.get("posted_at"))
        self.salary[slot] = monthly_top_salary(record)
        employer = str((record.get("employer") or {}).get("name") or record.get("id") or "")
        self.employer[slot] = stable_hash(employer)
        self.title_key[slot] = stable_hash(employer, str(record.get("title") or "").strip().lower())
        bits = [0] * self.words
        for name in record.get("majors") or ():
            index = self._classes.get(name)
            if index is not None:
                bits[index // 64] |= 1 << (index % 64)
        for w in range(self.words):
            getattr(self, f"majors_{w}")[slot] = bits[w]

    def has_major_class(self, name: str, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """Whether each of ``rows`` lists the catalogue class ``name`` among its majors."""
        index = self._classes.get(name)
        if index is None:
            return np.zeros(len(rows), dtype=bool)
        column = getattr(self, f"majors_{index // 64}")
        bit = np.uint64(1 << (index % 64))
        found: npt.NDArray[np.bool_] = (column[rows] & bit) != 0
        return found

    def place_rows(self, codes: Sequence[str]) -> npt.NDArray[np.int64]:
        """Sorted rows inside any of the places (2-, 4- or 6-digit codes); each place's rows
        are found once and kept until the columns change."""
        parts = []
        for code in codes:
            if len(code) not in (2, 4, 6) or not code.isdigit():
                continue
            key = (len(code), int(code))
            rows = self._place_rows.get(key)
            if rows is None:
                column = {2: self.province, 4: self.city, 6: self.area}[len(code)]
                rows = np.flatnonzero(column == key[1])
                self._place_rows[key] = rows
            parts.append(rows)
        if not parts:
            return np.zeros(0, dtype=np.int64)
        if len(parts) == 1:
            return parts[0]
        union = np.zeros(len(self.open), dtype=bool)  # places may nest: a union, not a sort
        for rows in parts:
            union[rows] = True
        return np.flatnonzero(union)

    def close(self, slots: Iterable[int]) -> None:
        index = np.fromiter(slots, dtype=np.int64)
        self.open[index[index < len(self.open)]] = False
        self.changed()
