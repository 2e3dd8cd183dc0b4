"""SQL aggregates over the store for the monthly report. Every figure is a GROUP BY in the
database; Python only receives grouped rows (tens to a few thousand), never one row per record.

JSON arrays in the records (a posting's majors, a graduate's desired districts) are expanded
in SQL: ``json_each`` on SQLite, ``json_array_elements_text`` on PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from matcher.store import Store
from matcher.store.tables import graduates, positions
from matcher.types import Month

P = positions.c
G = graduates.c


def json_elements(dialect: str, column: Any, *path: str) -> Any:
    """The elements of the JSON array at ``path`` of ``column`` as a table with one column,
    ``value`` (text); no rows when the path is missing."""
    if dialect == "sqlite":
        return sa.func.json_each(column, "$." + ".".join(path)).table_valued("value")
    expr = column
    for key in path:
        expr = expr.op("->")(key)
    return sa.func.json_array_elements_text(expr).table_valued("value")


def json_length(dialect: str, column: Any, *path: str) -> Any:
    """Length of the JSON array at ``path`` (NULL when missing)."""
    if dialect == "sqlite":
        return sa.func.json_array_length(column, "$." + ".".join(path))
    expr = column
    for key in path:
        expr = expr.op("->")(key)
    return sa.func.json_array_length(expr)


def open_at_end(month: Month) -> sa.ColumnElement[bool]:
    """In force on the month's last day: published (posted by then, or stored by then when the
    posting gives no date), not expired before it, not flagged, and open then — open now, or
    closed only after the month (its last change is later)."""
    return sa.and_(
        P.flagged.is_(sa.false()),
        sa.or_(
            P.posted_at <= month.last,
            sa.and_(P.posted_at.is_(None), P.created_at < month.end_utc),
        ),
        sa.or_(P.expires_at.is_(None), P.expires_at >= month.last),
        sa.or_(P.status == "open", P.updated_at >= month.end_utc),
    )


def new_in(month: Month) -> sa.ColumnElement[bool]:
    """Posted during the month and not flagged."""
    return sa.and_(P.flagged.is_(sa.false()), P.posted_at >= month.first, P.posted_at <= month.last)


def seeking() -> sa.ColumnElement[bool]:
    """Seeking work. The store keeps each graduate's current status and no registration date
    (records are often loaded in bulk), so seekers are those seeking when the report is made."""
    return G.status == "seeking"


def _headcount() -> Any:
    return sa.func.coalesce(P.headcount, 1)


def _flag(condition: sa.ColumnElement[bool], value: Any = 1) -> Any:
    return sa.func.sum(sa.case((condition, value), else_=0))


@dataclass(frozen=True, slots=True)
class PostingCell:
    kind: str
    region_code: str | None
    industry_code: str | None
    new: int
    new_headcount: int
    open: int
    open_headcount: int


def posting_cells(store: Store, month: Month) -> list[PostingCell]:
    """New and open postings (and their headcount) by kind, place and industry code."""
    is_new, is_open = new_in(month), open_at_end(month)
    query = (
        sa.select(
            P.kind,
            P.region_code,
            P.industry_code,
            _flag(is_new),
            _flag(is_new, _headcount()),
            _flag(is_open),
            _flag(is_open, _headcount()),
        )
        .where(sa.or_(is_new, is_open))
        .group_by(P.kind, P.region_code, P.industry_code)
    )
    with store.engine.connect() as conn:
        return [PostingCell(*(r[:3]), *(int(x or 0) for x in r[3:])) for r in conn.execute(query)]


@dataclass(frozen=True, slots=True)
class DemandCell:
    """Open postings asking for one major class name, in one place (or industry), at one
    education level; a posting naming n classes counts 1/n in each (``postings``, ``headcount``)
    so that sums over classes equal the real totals."""

    where: str | None  # region code, or industry code
    education: int | None
    major: str  # a class name, or "" for postings open to every major
    postings: float
    headcount: float


def demand_cells(store: Store, month: Month, by: str) -> list[DemandCell]:
    """Open postings at the month's end by major class and ``by`` (``region`` or ``industry``)."""
    dialect = store.engine.dialect.name
    where = P.region_code if by == "region" else P.industry_code
    majors = json_elements(dialect, P.data, "majors")
    share = 1.0 / sa.func.nullif(json_length(dialect, P.data, "majors"), 0)
    with_majors = (
        sa.select(
            where,
            P.education_min,
            majors.c.value,
            sa.func.sum(share),
            sa.func.sum(_headcount() * share),
        )
        .select_from(positions)
        .join(majors, sa.true())
        .where(open_at_end(month))
        .group_by(where, P.education_min, majors.c.value)
    )
    no_majors = (
        sa.select(where, P.education_min, sa.func.count(), sa.func.sum(_headcount()))
        .where(
            open_at_end(month),
            sa.func.coalesce(json_length(dialect, P.data, "majors"), 0) == 0,
        )
        .group_by(where, P.education_min)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(with_majors).all()
        out = [DemandCell(w, e, str(m), float(n), float(h)) for w, e, m, n, h in rows]
        out += [DemandCell(w, e, "", float(n), float(h)) for w, e, n, h in conn.execute(no_majors)]
    return out


@dataclass(frozen=True, slots=True)
class SeekerCell:
    """Seekers by where they want to work, major class code and degree rank. ``source``:
    ``desired`` (one row per desired district: a seeker naming two districts is in both),
    ``residence`` (no desired district; where they live) or ``none`` (neither given)."""

    source: str
    district_code: str | None
    class_code: str | None
    degree: int | None
    seekers: int


def seeker_cells(store: Store, month: Month) -> list[SeekerCell]:
    dialect = store.engine.dialect.name
    klass = sa.func.substr(G.major_code, 1, 4)
    wanted = json_elements(dialect, G.data, "desired", "region_codes")
    desired = (
        sa.select(wanted.c.value, klass, G.degree, sa.func.count(sa.distinct(G.id)))
        .select_from(graduates)
        .join(wanted, sa.true())
        .where(seeking(), sa.func.length(wanted.c.value) == 6)
        .group_by(wanted.c.value, klass, G.degree)
    )
    inner = json_elements(dialect, G.data, "desired", "region_codes")
    names_one = sa.exists(
        sa.select(sa.literal(1)).select_from(inner).where(sa.func.length(inner.c.value) == 6)
    )
    rest = (
        sa.select(G.district_code, klass, G.degree, sa.func.count())
        .where(seeking(), ~names_one)
        .group_by(G.district_code, klass, G.degree)
    )
    with store.engine.connect() as conn:
        out = [SeekerCell("desired", d, c, g, int(n)) for d, c, g, n in conn.execute(desired)]
        for d, c, g, n in conn.execute(rest):
            out.append(SeekerCell("residence" if d else "none", d, c, g, int(n)))
    return out


def seekers_by_class(store: Store, month: Month) -> list[tuple[str | None, int | None, int]]:
    """(class code, degree rank, seekers): each seeker once."""
    klass = sa.func.substr(G.major_code, 1, 4)
    query = sa.select(klass, G.degree, sa.func.count()).where(seeking()).group_by(klass, G.degree)
    with store.engine.connect() as conn:
        return [(c, d, int(n)) for c, d, n in conn.execute(query)]


def scalar_counts(store: Store, month: Month) -> dict[str, int]:
    """Single figures: graduates registered during the month, flagged postings, and the
    population of the hard-to-fill / hard-to-place checks."""
    queries: dict[str, Any] = {
        "graduates_registered": sa.select(sa.func.count()).where(
            G.created_at >= month.start_utc, G.created_at < month.end_utc
        ),
        "flagged_postings": sa.select(sa.func.count()).where(P.flagged.is_(sa.true())),
    }
    with store.engine.connect() as conn:
        return {name: int(conn.execute(q).scalar_one()) for name, q in queries.items()}


def ids_with_stratum(
    store: Store, table: sa.Table, stratum: Any, where: Sequence[sa.ColumnElement[bool]]
) -> list[tuple[str, str]]:
    """(id, stratum) of the records a check applies to: two short columns, for sampling."""
    query = sa.select(table.c.id, stratum).where(*where).order_by(table.c.id)
    with store.engine.connect() as conn:
        return [(str(i), str(s)) for i, s in conn.execute(query)]


def long_open_postings(store: Store, month: Month, opened_by: date) -> list[tuple[str, str]]:
    """(id, kind) of the postings in force at the month's end that were posted by ``opened_by``."""
    return ids_with_stratum(
        store, positions, P.kind, [open_at_end(month), P.posted_at <= opened_by]
    )


def seekers_by_degree(store: Store) -> list[tuple[str, str]]:
    """(id, degree) of the graduates seeking work."""
    return ids_with_stratum(store, graduates, G.degree, [seeking()])
