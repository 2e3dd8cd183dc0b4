"""What the compliance screener reports: the categories it screens, in report order, and one
finding (which rule fired on which exact substring of which field, with the law and a neutral
rewrite)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Category(StrEnum):
    """The screened categories, in report order."""

    GENDER = "gender"
    AGE = "age"
    HUKOU_REGION = "hukou_region"
    ETHNICITY = "ethnicity"
    RELIGION = "religion"
    MARRIAGE_CHILDBEARING = "marriage_childbearing"
    HEALTH = "health"
    APPEARANCE = "appearance"
    FEES_FRAUD = "fees_fraud"


CATEGORIES: tuple[str, ...] = tuple(c.value for c in Category)


@dataclass(frozen=True, slots=True)
class Flag:
    """One finding: which rule fired on which exact substring of which field."""

    category: str
    rule: str
    match: str
    field: str
    start: int
    end: int
    basis: str
    rewrite: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "rule": self.rule,
            "match": self.match,
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "basis": self.basis,
            "rewrite": self.rewrite,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Flag:
        return cls(**{k: data[k] for k in cls.__slots__})


def categories_of(flags: Iterable[Flag | Mapping[str, Any]]) -> list[str]:
    """The distinct categories of some flags, in report order."""
    names = {f.category if isinstance(f, Flag) else str(f["category"]) for f in flags}
    return [c for c in CATEGORIES if c in names]
