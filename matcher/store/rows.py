"""Canonical records (see :mod:`matcher.records.prepare`) to the indexed columns of each table. A
posting is screened here (:mod:`matcher.compliance.screen`) whenever it is inserted or its content
changes: its flags are stored with it and a flagged posting waits for a bureau review."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa

from matcher.compliance.confidence import confidence
from matcher.compliance.screen import Flag, categories_of, screen
from matcher.records.sharing import shares
from matcher.store import tables
from matcher.taxonomy.vocab import MONTHLY_FACTOR, Degree, SalaryUnit, degree_rank

Row = dict[str, Any]

TABLES: dict[str, sa.Table] = {
    "positions": tables.positions,
    "graduates": tables.graduates,
    "employers": tables.employers,
    "trainings": tables.trainings,
}


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _rank(value: str | None) -> int | None:
    return degree_rank(Degree(value)) if value else None


def _monthly(salary: dict[str, Any] | None, key: str) -> float | None:
    if not salary or salary.get(key) is None:
        return None
    return round(float(salary[key]) * MONTHLY_FACTOR[SalaryUnit(salary.get("unit", "month"))], 2)


def position_row(r: Row, flags: Sequence[Flag] | None = None) -> Row:
    loc = r.get("location") or {}
    return {
        "title": r["title"],
        "kind": r.get("kind", "full_time"),
        "status": r.get("status", "open"),
        "city": loc.get("city"),
        "region_code": loc.get("code"),
        "education_min": _rank(r.get("education_min")),
        "experience_min_years": r.get("experience_min_years"),
        "salary_monthly_min": _monthly(r.get("salary"), "min"),
        "salary_monthly_max": _monthly(r.get("salary"), "max"),
        "industry_code": r.get("industry_code"),
        "headcount": r.get("headcount"),
        "posted_at": _day(r.get("posted_at")),
        "expires_at": _day(r.get("expires_at")),
        "source": r.get("source"),
        **compliance_columns(r, flags),
    }


def compliance_columns(r: Row, flags: Sequence[Flag] | None = None) -> Row:
    """Screening result of a posting's current content (``flags``: already screened); any
    earlier review is reset."""
    flags = screen(r) if flags is None else flags
    return {
        "flagged": bool(flags),
        "compliance_flags": [f.to_dict() for f in flags] or None,
        "flag_categories": ",".join(["", *categories_of(flags), ""]) if flags else None,
        "review_status": "pending" if flags else None,
        "review_confidence": confidence(flags) if flags else None,
        "reviewed_by": None,
        "reviewed_at": None,
        "review_reason": None,
    }


def _joined(codes: list[str]) -> str:
    return f",{','.join(codes)}," if codes else ""


def graduate_row(r: Row) -> Row:
    support = r.get("support", [])
    return {
        "name": r.get("name"),
        "school": r.get("school"),
        "major": r.get("major"),
        "major_code": r.get("major_code"),
        "degree": _rank(r.get("degree")),
        "graduation_year": r.get("graduation_year"),
        "status": r.get("status", "seeking"),
        "district_code": r.get("district_code"),
        "support": ",".join(support),
        "needs_support": bool(support),
        "adviser_id": r.get("adviser"),
        "partner_id": r.get("partner"),
        # ",500112,500105,": wished-for places, searchable with LIKE ',<code prefix>%'
        "desired_codes": _joined((r.get("desired") or {}).get("region_codes") or []),
        "consent_push": bool((r.get("consent") or {}).get("push", False)),
        "share_school": shares(r, "school"),
    }


def employer_row(r: Row) -> Row:
    return {
        "name": r["name"],
        "credit_code": r.get("credit_code"),
        "industry": r.get("industry"),
        "district_code": r.get("district_code"),
        "blacklisted": bool(r.get("blacklisted", False)),
        "blacklist_reason": r.get("blacklist_reason"),
    }


def training_row(r: Row) -> Row:
    return {
        "title": r["title"],
        "provider": r.get("provider"),
        "region_code": (r.get("location") or {}).get("code"),
        "start_date": _day(r.get("start_date")),
        "end_date": _day(r.get("end_date")),
        "capacity": r.get("capacity"),
        "partner_id": r.get("partner"),
    }


ROW_BUILDERS: dict[str, Callable[[Row], Row]] = {
    "positions": position_row,
    "graduates": graduate_row,
    "employers": employer_row,
    "trainings": training_row,
}


#: Fields :func:`public` adds to a stored record that are not part of the exchange format.
MANAGED = frozenset({"updated_at", "flagged", "employer_id", "blacklisted", "blacklist_reason"})


def exchange(stored: dict[str, Any]) -> dict[str, Any]:
    """A record returned by the store as the exchange format again (to change and store)."""
    return {k: v for k, v in stored.items() if k not in MANAGED}


def public(entity: str, row: sa.RowMapping) -> dict[str, Any]:
    """The stored record plus the store-managed fields a caller may need."""
    out = dict(row["data"])
    out["id"] = row["id"]
    if entity == "positions":
        out.update(status=row["status"], flagged=row["flagged"], employer_id=row["employer_id"])
        if row["review_status"]:
            out["compliance"] = {
                "status": row["review_status"],
                "categories": [c for c in (row["flag_categories"] or "").split(",") if c],
                "flags": row["compliance_flags"] or [],
                "reviewed_by": row["reviewed_by"],
                "reviewed_at": row["reviewed_at"].isoformat() if row["reviewed_at"] else None,
                "reason": row["review_reason"],
                "confidence": row["review_confidence"],
            }
        else:  # a record read back and stored again carries no stale review
            out.pop("compliance", None)
    elif entity == "employers":
        out.update(blacklisted=row["blacklisted"], blacklist_reason=row["blacklist_reason"])
    out["updated_at"] = row["updated_at"].isoformat() if row["updated_at"] else None
    return out
