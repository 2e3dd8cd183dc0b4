"""The report as a document: sections of paragraphs, tables and charts, built from the
figures once (:mod:`~matcher.analytics.market`, :mod:`~matcher.analytics.followup`) and written
out as Markdown or HTML by :mod:`matcher.analytics.render`."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

_NUMBER = re.compile(r"^(—|-?[\d,.]+%?)(（[\d,.%—]+）)?$")


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]

    @property
    def numeric(self) -> list[bool]:
        """Columns whose every cell is a figure (right-aligned); the first never is."""
        return [
            i > 0 and all(_NUMBER.match(row[i]) for row in self.rows)
            for i in range(len(self.headers))
        ]


@dataclass
class Chart:
    name: str  # file stem
    caption: str
    draw: Callable[[], bytes] = field(repr=False)


Block = str | Table | Chart


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)


def n(value: float | None) -> str:
    """A count with thousands separators ("—" for none)."""
    if value is None:
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:,.1f}"


def r(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> Table:
    return Table(caption, list(headers), [list(x) for x in rows])
