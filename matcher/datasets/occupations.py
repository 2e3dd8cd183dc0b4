"""The registry of job families (:mod:`matcher.datasets.family` defines their shape; the data
lives in ``families_*.py``)."""

from __future__ import annotations

from functools import cache

from matcher.datasets import families_business, families_public, families_services, families_tech
from matcher.datasets.family import Family


@cache
def families() -> tuple[Family, ...]:
    """Every family, in a fixed order."""
    out = (
        families_tech.FAMILIES
        + families_business.FAMILIES
        + families_services.FAMILIES
        + families_public.FAMILIES
    )
    keys = [f.key for f in out]
    if len(set(keys)) != len(keys):
        raise RuntimeError("duplicate job family key")
    for f in out:
        for title, hint in f.title_majors.items():
            if not set(hint) <= set(f.majors):
                raise RuntimeError(f"{f.key}: {title} narrows to majors outside the family")
    return out


def family_by_key(key: str) -> Family:
    for f in families():
        if f.key == key:
            return f
    raise KeyError(key)


def families_for(kind: str) -> list[Family]:
    return [f for f in families() if kind in f.kinds]
