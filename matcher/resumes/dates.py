"""Dates and periods as résumés write them: ``2021.09-2025.06``, ``2021年9月—2025年6月``,
``2021/9 ~ 2025/6``, ``2021-09 至 2025-06``, ``2021.09-至今``, ``2023年7月至8月``, ``2021-2025``,
``2025届``, ``2025年6月毕业``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_Y = r"(?:19[89]\d|20[0-4]\d)"
_SEP = r"\s*[.\-/年]\s*"
_DASH = r"\s*(?:--|——|—|–|－|-|~|～|至|到|—至)\s*"
_NOW = r"至今|今|现在|目前|迄今|present|now|Present|Now|PRESENT"
_START = rf"(?P<y1>{_Y})(?:{_SEP}(?P<m1>\d{{1,2}})(?!\d)\s*月?)?"
_END = (
    rf"(?:(?P<y2>{_Y})(?:{_SEP}(?P<m2>\d{{1,2}})(?!\d)\s*月?)?"
    rf"|(?P<m3>\d{{1,2}})\s*月|(?P<now>{_NOW}))"
)
RANGE = re.compile(rf"(?<!\d){_START}(?:\s*(?:\d{{1,2}}\s*日)?){_DASH}{_END}(?:\s*\d{{1,2}}\s*日)?")
SINGLE = re.compile(rf"(?<!\d)(?P<y>{_Y})(?:{_SEP}(?P<m>\d{{1,2}})(?!\d)\s*月?)?")
CLASS_OF = re.compile(rf"(?<!\d)(?P<y>{_Y})\s*届")
GRADUATING = re.compile(rf"(?<!\d)(?P<y>{_Y})(?:{_SEP}\d{{1,2}}\s*月?)?\s*(?:年\s*)?(?:毕业|毕)")


@dataclass(frozen=True, slots=True)
class Period:
    start: tuple[int, int | None]
    end: tuple[int, int | None] | None  # None: ongoing (至今)
    text: str  # as written

    @property
    def end_year(self) -> int | None:
        return self.end[0] if self.end else None

    def months(self, today: date) -> int:
        """Calendar months covered, both ends counted (2024.07-2024.08: 2); at least 1."""
        y1, m1 = self.start
        y2, m2 = self.end if self.end else (today.year, today.month)
        first = y1 * 12 + (m1 or 1)
        last = y2 * 12 + (m2 or (12 if self.end else today.month))
        return max(1, last - first + 1)

    def iso(self) -> tuple[str, str | None]:
        """Start and end as ``YYYY-MM`` (or ``YYYY``); the end None when ongoing."""

        def show(ym: tuple[int, int | None]) -> str:
            return f"{ym[0]}-{ym[1]:02d}" if ym[1] else str(ym[0])

        return show(self.start), show(self.end) if self.end else None


def _month(text: str | None) -> int | None:
    if text is None:
        return None
    value = int(text)
    return value if 1 <= value <= 12 else None


def periods(line: str) -> list[Period]:
    """Every period written in ``line``, in order."""
    out = []
    for m in RANGE.finditer(line):
        y1, m1 = int(m["y1"]), _month(m["m1"])
        if m["m1"] and m1 is None:
            continue
        end: tuple[int, int | None] | None
        if m["now"]:
            end = None
        elif m["m3"]:
            month = _month(m["m3"])
            if month is None or m1 is None:
                continue
            end = (y1, month)
        else:
            month = _month(m["m2"])
            if m["m2"] and month is None:
                continue
            end = (int(m["y2"]), month)
            if end[0] < y1 or end[0] - y1 > 12:
                continue
        out.append(Period((y1, m1), end, m.group(0).strip()))
    return out


_GOES_ON = re.compile(rf"^{_DASH}(?:{_Y}|{_NOW})")


def goes_on(line: str, following: str) -> bool:
    """Whether a period was cut by a line break: ``… 2021/09`` then ``~ 2025/06``."""
    return bool(re.search(r"\d\s*月?$", line)) and _GOES_ON.match(following) is not None


def strip_periods(line: str) -> str:
    """``line`` without its periods."""
    return RANGE.sub(" ", line)


def graduation_year(text: str) -> int | None:
    """``2025届`` or ``2025年6月毕业`` → 2025."""
    for pattern in (CLASS_OF, GRADUATING):
        m = pattern.search(text)
        if m:
            return int(m["y"])
    return None
