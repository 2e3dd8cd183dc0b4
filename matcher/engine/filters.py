"""Hard eligibility of postings, vectorised over the postings' columns
(:mod:`matcher.engine.columns`).

A posting is eligible for a graduate when it is open, unflagged, from a non-blacklisted
employer, not expired, of a wanted kind, in a wanted place (any place when none is given), asks
no more education than the graduate has, does not ask three or more years of experience beyond
theirs (entry level unless the profile states ``experience_years``), and was not already offered
to or applied for by them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from matcher.engine.columns import KINDS, PostingColumns, day_number
from matcher.engine.features import experience_years
from matcher.index.vectors import VectorIndex
from matcher.store import Store
from matcher.taxonomy.regions import load_regions
from matcher.taxonomy.vocab import Degree, PositionKind, degree_rank

Mask = npt.NDArray[np.bool_]
#: Postings asking this many years of experience beyond the graduate's are not shown to them.
EXPERIENCE_GAP = 3


@dataclass(frozen=True)
class Eligibility:
    """What one query requires of a posting."""

    kinds: tuple[PositionKind, ...] = ()
    places: tuple[str, ...] = ()  # division codes (2, 4 or 6 digits); empty: anywhere
    degree: Degree | None = None  # None: the graduate's degree is unknown, no education cut
    experience: int | None = 0  # years the graduate has; None: no experience cut
    today: date = field(default_factory=date.today)
    excluded: frozenset[int] = frozenset()  # rows already offered or applied for
    #: where to look when the wished-for places leave too few postings (地点放宽): the cities
    #: the graduate named around their districts, else the districts' provinces
    wider: tuple[str, ...] = ()

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
        the stored ones for that query (education, experience and exclusions always apply).
        A wished-for district narrows the city around it (重庆 + 渝北区 is 渝北区)."""
        desired = graduate.get("desired") or {}
        wanted = tuple(PositionKind(k) for k in (kinds or desired.get("kinds") or ()))
        wider: tuple[str, ...] = ()
        if places:
            codes = tuple(_resolve(p) for p in places)
        else:
            stored = tuple(desired.get("region_codes") or ())
            codes = narrowed(stored)
            wider = tuple(c for c in stored if c not in codes) or tuple(
                sorted({c[:2] for c in codes if c[:2] not in codes})
            )
        degree = Degree(graduate["degree"]) if graduate.get("degree") else None
        return cls(
            wanted,
            codes,
            degree,
            experience_years(graduate),
            today or date.today(),
            frozenset(excluded),
            wider,
        )

    def widened(self) -> Eligibility:
        """The same rule over the wider places (and no further widening)."""
        return replace(self, places=self.wider, wider=())

    def mask(self, columns: PostingColumns) -> Mask:
        """Eligible rows (a fresh array). The mask without the exclusions is kept by the
        columns until they change, so graduates asking alike (a campaign's segment, a
        district's seekers) share one computation."""
        key = (self.kinds, self.places, self.degree, self.experience, self.today)
        m = columns.cached_mask(key, lambda: self._compute(columns)).copy()
        if self.excluded:
            excluded = np.fromiter(self.excluded, dtype=np.int64)
            m[excluded[excluded < len(m)]] = False
        return m

    def _compute(self, columns: PostingColumns) -> Mask:
        """With places covering few rows, only those rows are examined (each place's rows
        are cached), so a district query does not sweep every posting."""
        if not self.places:
            return self._test(columns, slice(None))
        rows = columns.place_rows(self.places)
        m = np.zeros(len(columns), dtype=bool)
        if len(rows) * 8 < len(columns):
            m[rows[self._test(columns, rows)]] = True
        else:  # a broad place (a province): one pass over every row is cheaper than a gather
            m[rows] = True
            m &= self._test(columns, slice(None))
        return m

    def _test(self, columns: PostingColumns, rows: Any) -> Mask:
        """Every condition but places and exclusions, on ``rows`` (indices or a slice)."""
        m = columns.open[rows] & (columns.expires[rows] >= day_number(self.today.isoformat()))
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


def narrowed(codes: Iterable[str]) -> tuple[str, ...]:
    """Wished-for places where a district narrows the city or province that holds it: a code
    inside another of the list replaces it (["50", "500112"] → ["500112"])."""
    unique = tuple(dict.fromkeys(codes))
    return tuple(c for c in unique if not any(o != c and o.startswith(c) for o in unique))


def _resolve(place: str) -> str:
    return place if place.isdigit() else load_regions().resolve(place).code


def graduate_accepts(graduate: Mapping[str, Any], posting: Mapping[str, Any]) -> bool:
    """The reverse direction: the posting fits what the graduate asked for (places, kinds) and
    their degree and experience meet its requirements."""
    desired = graduate.get("desired") or {}
    code = str((posting.get("location") or {}).get("code") or "")
    places = narrowed(desired.get("region_codes") or ())
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


def open_now(
    store: Store, positions: VectorIndex, columns: PostingColumns, pid: str, posting: dict[str, Any]
) -> bool:
    """Whether a posting may be recommended or offered now: the index's column when it holds
    the posting (open, unflagged or cleared, employer not blacklisted), else the stored record
    and its employer."""
    slot = positions.slots_of([pid])
    if len(slot) and int(slot[0]) < len(columns):
        return bool(columns.open[slot[0]])
    if posting.get("status", "open") != "open" or posting.get("flagged"):
        return False
    employer = store.get_many("employers", [str(posting.get("employer_id"))])
    return not any(e.get("blacklisted") for e in employer.values())
