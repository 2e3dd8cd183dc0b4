"""Hard eligibility of postings, vectorised over in-memory columns aligned with the index rows.

A posting is eligible for a graduate when it is open, unflagged, from a non-blacklisted
employer, not expired, of a wanted kind, in a wanted place (any place when none is given), asks
no more education than the graduate has, does not ask three or more years of experience beyond
theirs (entry level unless the profile states ``experience_years``), and was not already offered
to or applied for by them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from matcher.features import experience_years
from matcher.taxonomy.regions import load_regions
from matcher.taxonomy.vocab import Degree, PositionKind, degree_rank

Mask = npt.NDArray[np.bool_]
KINDS: tuple[PositionKind, ...] = tuple(PositionKind)
NO_DATE = np.iinfo(np.int32).max
#: Postings asking this many years of experience beyond the graduate's are not shown to them.
EXPERIENCE_GAP = 3


def _day(value: Any) -> int:
    if not value:
        return NO_DATE
    return (date.fromisoformat(str(value)) - date(1970, 1, 1)).days


def _code(value: str | None, digits: int) -> int:
    return int(value[:digits]) if value and len(value) >= digits and value[:digits].isdigit() else 0


class PostingColumns:
    """Filter columns of every index row (tombstoned rows are simply not open)."""

    def __init__(self) -> None:
        self.kind = np.zeros(0, dtype=np.int8)
        self.province = np.zeros(0, dtype=np.int32)
        self.city = np.zeros(0, dtype=np.int32)
        self.area = np.zeros(0, dtype=np.int32)
        self.education = np.zeros(0, dtype=np.int8)
        self.experience = np.zeros(0, dtype=np.int8)
        self.expires = np.zeros(0, dtype=np.int32)
        self.open = np.zeros(0, dtype=bool)
        self._place_rows: dict[tuple[int, int], npt.NDArray[np.int64]] = {}

    def __len__(self) -> int:
        return len(self.open)

    def resize(self, rows: int) -> None:
        if rows > len(self.open):
            self._place_rows.clear()
        for name in self.NAMES:
            old = getattr(self, name)
            if len(old) < rows:
                grown = np.zeros(rows, dtype=old.dtype)
                grown[: len(old)] = old
                setattr(self, name, grown)

    NAMES = ("kind", "province", "city", "area", "education", "experience", "expires", "open")

    def arrays(self) -> dict[str, npt.NDArray[Any]]:
        return {name: getattr(self, name) for name in self.NAMES}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, npt.NDArray[Any]], rows: int) -> PostingColumns:
        """Columns saved with the index; ValueError when they do not fit its ``rows``."""
        columns = cls()
        for name in cls.NAMES:
            stored = arrays.get(name)
            template = getattr(columns, name)
            if stored is None or stored.shape != (rows,) or stored.dtype != template.dtype:
                raise ValueError(f"saved filter column {name!r} does not fit the index")
            setattr(columns, name, stored.copy())
        return columns

    def set(self, slot: int, record: Mapping[str, Any], *, is_open: bool) -> None:
        """Fill row ``slot`` from a stored posting record."""
        self.resize(slot + 1)
        if self._place_rows:
            self._place_rows.clear()
        code = (record.get("location") or {}).get("code")
        self.kind[slot] = KINDS.index(PositionKind(record.get("kind", "full_time")))
        self.province[slot] = _code(code, 2)
        self.city[slot] = _code(code, 4) if code and len(code) >= 4 else 0
        self.area[slot] = _code(code, 6) if code and len(code) >= 6 else 0
        edu = record.get("education_min")
        self.education[slot] = degree_rank(Degree(edu)) if edu else -1
        exp = record.get("experience_min_years")
        self.experience[slot] = min(int(exp), 100) if exp is not None else -1
        self.expires[slot] = _day(record.get("expires_at"))
        self.open[slot] = is_open

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
        return parts[0] if len(parts) == 1 else np.unique(np.concatenate(parts))

    def close(self, slots: Iterable[int]) -> None:
        index = np.fromiter(slots, dtype=np.int64)
        self.open[index[index < len(self.open)]] = False


@dataclass(frozen=True)
class Eligibility:
    """What one query requires of a posting."""

    kinds: tuple[PositionKind, ...] = ()
    places: tuple[str, ...] = ()  # division codes (2, 4 or 6 digits); empty: anywhere
    degree: Degree | None = None  # None: the graduate's degree is unknown, no education cut
    experience: int | None = 0  # years the graduate has; None: no experience cut
    today: date = field(default_factory=date.today)
    excluded: frozenset[int] = frozenset()  # rows already offered or applied for

    @classmethod
    def for_graduate(
        cls,
        graduate: Mapping[str, Any],
        *,
        today: date | None = None,
        kinds: Sequence[str] = (),
        places: Sequence[str] = (),
        excluded: Iterable[int] = (),
    ) -> Eligibility:
        """The graduate's own wishes; ``kinds`` or ``places`` given with a request replace
        the stored ones for that query (education, experience and exclusions always apply)."""
        desired = graduate.get("desired") or {}
        wanted = tuple(PositionKind(k) for k in (kinds or desired.get("kinds") or ()))
        codes = (
            tuple(_resolve(p) for p in places)
            if places
            else tuple(desired.get("region_codes") or ())
        )
        degree = Degree(graduate["degree"]) if graduate.get("degree") else None
        return cls(
            wanted,
            codes,
            degree,
            experience_years(graduate),
            today or date.today(),
            frozenset(excluded),
        )

    def mask(self, columns: PostingColumns) -> Mask:
        """Eligible rows. With places, only the rows inside them are examined (each place's
        rows are cached), so a district query does not sweep every posting."""
        if self.places:
            rows = columns.place_rows(self.places)
            keep = self._test(columns, rows)
            m = np.zeros(len(columns), dtype=bool)
            m[rows[keep]] = True
        else:
            m = self._test(columns, slice(None))
        if self.excluded:
            excluded = np.fromiter(self.excluded, dtype=np.int64)
            m[excluded[excluded < len(m)]] = False
        return m

    def _test(self, columns: PostingColumns, rows: Any) -> Mask:
        """Every condition but places and exclusions, on ``rows`` (indices or a slice)."""
        m = columns.open[rows] & (columns.expires[rows] >= _day(self.today.isoformat()))
        if self.kinds:
            wanted = np.zeros(len(KINDS), dtype=bool)
            wanted[[KINDS.index(k) for k in self.kinds]] = True
            m &= wanted[columns.kind[rows]]  # a table lookup per row, no sorting
        if self.degree is not None:
            m &= columns.education[rows] <= degree_rank(self.degree)
        if self.experience is not None:
            m &= columns.experience[rows] < self.experience + EXPERIENCE_GAP
        result: Mask = m
        return result


def _resolve(place: str) -> str:
    return place if place.isdigit() else load_regions().resolve(place).code


def graduate_accepts(graduate: Mapping[str, Any], posting: Mapping[str, Any]) -> bool:
    """The reverse direction: the posting fits what the graduate asked for (places, kinds) and
    their degree and experience meet its requirements."""
    desired = graduate.get("desired") or {}
    code = str((posting.get("location") or {}).get("code") or "")
    places = desired.get("region_codes") or ()
    if places and not any(code.startswith(p) for p in places):
        return False
    kinds = desired.get("kinds") or ()
    if kinds and posting.get("kind", "full_time") not in kinds:
        return False
    need = posting.get("education_min")
    if (
        need
        and graduate.get("degree")
        and degree_rank(Degree(need)) > degree_rank(Degree(graduate["degree"]))
    ):
        return False
    years = posting.get("experience_min_years")
    return years is None or years < experience_years(graduate) + EXPERIENCE_GAP
