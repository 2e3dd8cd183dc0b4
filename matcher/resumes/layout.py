"""Words placed on a page → lines in reading order, splitting two-column pages.

A PDF holds no lines, only words with positions. Read row by row, a page with a sidebar
interleaves its columns (``联系方式 2021.09-2025.06 重庆大学`` on one line). A page has two
columns when a vertical gutter runs through its middle part that (almost) no word crosses and
that leaves several lines on each side: then the lines above the columns come first, then the
left column, then the right one, then what lies below them. Pages laid out as aligned rows
(dates, school, major) always have some full-width line (a duty, a self-assessment) crossing
any gutter, so they stay as they are."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

Word = Mapping[str, Any]  # pdfplumber's word: text, x0, x1, top, bottom
#: words that may cross a gutter (a centred name or title line spanning both columns)
CROSSING_ALLOWED = 3
MIN_GUTTER = 8.0  # points
MIN_LINES_PER_COLUMN = 4
_LINE_TOLERANCE = 3.0  # points between tops of words on the same line


def lines_of(words: Sequence[Word]) -> list[str]:
    """Words of one column (or of a page read across) as lines, top to bottom."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (round(float(w["top"]), 1), float(w["x0"]))):
        if rows and abs(float(rows[-1][0]["top"]) - float(word["top"])) <= _LINE_TOLERANCE:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [" ".join(str(w["text"]) for w in sorted(row, key=lambda w: w["x0"])) for row in rows]


def _runs(words: Sequence[Word], width: float, allowed: int) -> list[tuple[float, float, int]]:
    """Vertical bands between 20% and 80% of the width that at most ``allowed`` words cross:
    (start, end, most words crossing)."""
    runs: list[tuple[float, float, int]] = []
    start: float | None = None
    most = 0
    x, last = 0.2 * width, 0.8 * width
    while x <= last + 1:
        crossing = sum(1 for w in words if float(w["x0"]) - 1 < x < float(w["x1"]) + 1)
        if crossing <= allowed:
            start = x if start is None else start
            most = max(most, crossing)
        if start is not None and (crossing > allowed or x + 1 > last + 1):
            if x - start >= MIN_GUTTER:
                runs.append((start, x, most))
            start, most = None, 0
        x += 1
    return runs


def gutter(words: Sequence[Word], width: float) -> float | None:
    """The x of the gutter between two columns, or None when the page has one column: of
    the bands :func:`_runs` finds (none crossing first, then up to
    :data:`CROSSING_ALLOWED`), one leaving :data:`MIN_LINES_PER_COLUMN` lines on each side,
    the most even split first, then the widest."""
    if len(words) < 2 * MIN_LINES_PER_COLUMN:
        return None
    for allowed in (0, CROSSING_ALLOWED):
        found = _best(words, width, allowed)
        if found is not None:
            return found
    return None


def _best(words: Sequence[Word], width: float, allowed: int) -> float | None:
    best: tuple[int, int, float] | None = None
    middle: float | None = None
    for start, end, most in _runs(words, width, allowed):
        x = (start + end) / 2
        left = lines_of([w for w in words if float(w["x1"]) <= x])
        right = lines_of([w for w in words if float(w["x0"]) >= x])
        even = min(len(left), len(right))
        if even < MIN_LINES_PER_COLUMN:
            continue
        rank = (-most, even, end - start)
        if best is None or rank > best:
            best, middle = rank, x
    return middle


def read_page(words: Sequence[Word], width: float) -> tuple[list[str], bool]:
    """Lines of a page in reading order, and whether it was read as two columns."""
    middle = gutter(words, width)
    if middle is None:
        return lines_of(words), False
    left = [w for w in words if float(w["x1"]) <= middle]
    right = [w for w in words if float(w["x0"]) >= middle]
    spanning = [w for w in words if float(w["x0"]) < middle < float(w["x1"])]
    columns_top = min(float(w["top"]) for w in left + right)
    above = [w for w in spanning if float(w["top"]) < columns_top]
    below = [w for w in spanning if float(w["top"]) >= columns_top]
    return lines_of(above) + lines_of(left) + lines_of(right) + lines_of(below), True
