"""The reporting month: its first and last day, and its bounds as UTC instants.

Month boundaries are midnight in China Standard Time (the bureau's calendar); timestamps in the
store are UTC, so bounds are converted before they are compared with them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

REPORT_TZ = ZoneInfo("Asia/Shanghai")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """``2022-08`` → Month(2022, 8); ``ValueError`` saying the expected form otherwise."""
        found = _MONTH.match(text.strip()) if isinstance(text, str) else None
        if found is None or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 1900:
            raise ValueError(f"month must be written YYYY-MM, e.g. 2022-08; got {text!r}")
        return cls(int(found.group(1)), int(found.group(2)))

    @classmethod
    def containing(cls, day: date) -> Month:
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def next_first(self) -> date:
        return date(self.year + self.month // 12, self.month % 12 + 1, 1)

    @property
    def last(self) -> date:
        """The last day of the month: the report's reference date ("月末")."""
        return self.next_first - timedelta(days=1)

    def previous(self) -> Month:
        return Month.containing(self.first - timedelta(days=1))

    @property
    def start_utc(self) -> datetime:
        """The month's first instant (00:00 China time), in UTC."""
        return _midnight_utc(self.first)

    @property
    def end_utc(self) -> datetime:
        """The first instant after the month (00:00 China time on the 1st of the next), in UTC."""
        return _midnight_utc(self.next_first)


def _midnight_utc(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=REPORT_TZ).astimezone(UTC)
