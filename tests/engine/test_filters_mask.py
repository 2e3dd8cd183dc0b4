"""The vectorised eligibility mask, with its cached place rows, against a row-by-row
reference on random columns (issue 6)."""

from __future__ import annotations

import random
from datetime import date

import numpy as np

from matcher.engine.columns import KINDS, PostingColumns
from matcher.engine.columns import day_number as _day
from matcher.engine.filters import EXPERIENCE_GAP, Eligibility
from matcher.taxonomy.vocab import Degree, degree_rank

AREAS = [500112, 500105, 500103, 500101, 510104, 110105]


def _columns(n: int, rng: random.Random) -> PostingColumns:
    columns = PostingColumns()
    columns.resize(n)
    for i in range(n):
        area = rng.choice(AREAS)
        columns.kind[i] = rng.randrange(len(KINDS))
        columns.area[i], columns.city[i], columns.province[i] = area, area // 100, area // 10_000
        columns.education[i] = rng.choice([-1, 1, 2, 3, 4])
        columns.experience[i] = rng.choice([-1, 0, 1, 3, 5])
        columns.expires[i] = _day(rng.choice(["2022-08-01", "2022-12-31", None]))
        columns.open[i] = rng.random() < 0.9
    return columns


def _reference(rule: Eligibility, c: PostingColumns, i: int) -> bool:
    if not c.open[i] or c.expires[i] < _day(rule.today.isoformat()):
        return False
    if rule.kinds and KINDS[c.kind[i]] not in rule.kinds:
        return False
    if rule.places and not any(
        str(c.area[i]).startswith(p) for p in rule.places if len(p) in (2, 4, 6)
    ):
        return False
    if rule.degree is not None and c.education[i] > degree_rank(rule.degree):
        return False
    if rule.experience is not None and c.experience[i] >= rule.experience + EXPERIENCE_GAP:
        return False
    return i not in rule.excluded


def test_mask_equals_the_row_by_row_reference():
    rng = random.Random(4)
    columns = _columns(3000, rng)
    places = ["500112", "500105", "5001", "50", "51", "500229"]
    for _ in range(200):
        rule = Eligibility(
            kinds=tuple(rng.sample(KINDS, rng.randint(0, 3))),
            places=tuple(rng.sample(places, rng.randint(0, 2))),
            degree=rng.choice([None, Degree.BENKE, Degree.DAZHUAN]),
            experience=rng.choice([None, 0, 2]),
            today=date(2022, 9, 1),
            excluded=frozenset(rng.sample(range(3000), 20)),
        )
        got = rule.mask(columns)
        want = np.array([_reference(rule, columns, i) for i in range(3000)])
        assert (got == want).all(), rule


def test_cached_place_rows_follow_changes():
    rng = random.Random(5)
    columns = _columns(500, rng)
    rule = Eligibility(places=("500112",), experience=None, today=date(2022, 9, 1))
    before = set(np.flatnonzero(rule.mask(columns)))
    moved = next(i for i in range(500) if columns.area[i] != 500112 and columns.open[i])
    columns.set(
        moved,
        {"location": {"code": "500112"}, "kind": "full_time", "expires_at": "2022-12-31"},
        is_open=True,
    )
    after = set(np.flatnonzero(rule.mask(columns)))
    assert after == before | {moved}


def test_masks_are_shared_but_each_caller_gets_its_own_copy():
    rng = random.Random(6)
    columns = _columns(400, rng)
    rule = Eligibility(places=("50",), today=date(2022, 9, 1))
    first = rule.mask(columns)
    kept = first.copy()
    first[:] = False  # a caller scribbling on its mask must not change the next answer
    again = Eligibility(places=("50",), today=date(2022, 9, 1), excluded=frozenset({3})).mask(
        columns
    )
    assert kept.any() and (rule.mask(columns) == kept).all()
    expected = kept.copy()
    expected[3] = False
    assert (again == expected).all()
