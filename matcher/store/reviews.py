"""The bureau's compliance workflow over the store: flagged postings wait for a review; a
clearance returns a posting to the recommendable pool, a rejection confirms the violation.
Employers with repeated confirmed violations are proposed for the blacklist. Every decision
bumps the change counter (so a running engine picks it up) and is written to the audit log."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import sqlalchemy as sa

from matcher.compliance.screen import CATEGORIES, Flag, RuleSet, default_rules
from matcher.errors import ConflictError, NotFoundError, ValidationError
from matcher.store import tables
from matcher.store.db import next_seq
from matcher.store.repository import Store
from matcher.store.rows import compliance_columns

REVIEW_STATUSES = ("pending", "cleared", "rejected")
Decision = Literal["clear", "reject"]
_OUTCOME = {"clear": "cleared", "reject": "rejected"}
_P = tables.positions.c


def _reason(reason: str | None, what: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationError(
            f"reason: give the reason for {what}; it is kept in the audit log",
            field="reason",
            zh="请填写理由（将记入审计日志）",
        )
    return text


def _audit(
    conn: sa.Connection, actor: str, action: str, entity: str, entity_id: str, detail: Any
) -> None:
    conn.execute(
        sa.insert(tables.audit_log).values(
            at=datetime.now(UTC),
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=detail,
        )
    )


def flagged_filters(
    status: str | None = "pending", category: str | None = None, employer_id: str | None = None
) -> list[sa.ColumnElement[bool]]:
    """Listing filters: review ``status`` (``None``: any flagged posting, whatever its
    review), one flag ``category``, one employer."""
    if status is not None and status not in REVIEW_STATUSES:
        raise ValueError(f"unknown review status {status!r}; use one of {REVIEW_STATUSES}")
    if category is not None and category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}; use one of {CATEGORIES}")
    where = [_P.review_status.is_not(None) if status is None else _P.review_status == status]
    if category:
        where.append(_P.flag_categories.contains(f",{category},"))
    if employer_id:
        where.append(_P.employer_id == employer_id)
    return where


def review(
    store: Store, position_id: str, decision: Decision, reason: str | None, actor: str = "bureau"
) -> dict[str, Any]:
    """Clear or reject a flagged posting; returns the posting with its review. Deciding the
    same way twice changes nothing."""
    if decision not in _OUTCOME:
        raise ValueError(f"decision must be 'clear' or 'reject', not {decision!r}")
    text = _reason(reason, f"the decision to {decision} posting {position_id!r}")
    outcome = _OUTCOME[decision]
    with store.engine.begin() as conn:
        row = conn.execute(
            sa.select(_P.review_status, _P.flag_categories).where(_P.id == position_id)
        ).first()
        if row is None:
            raise NotFoundError("position", position_id)
        if row.review_status is None:
            raise ConflictError(
                f"posting {position_id!r} has no compliance flags to {decision}; only postings "
                "the screener flagged are reviewed",
                zh="该岗位没有合规标记，无需审核",
            )
        if row.review_status != outcome:
            now = datetime.now(UTC)
            conn.execute(
                sa.update(tables.positions)
                .where(_P.id == position_id)
                .values(
                    review_status=outcome,
                    flagged=outcome == "rejected",
                    reviewed_by=actor,
                    reviewed_at=now,
                    review_reason=text,
                    seq=next_seq(conn),
                    updated_at=now,
                )
            )
            categories = [c for c in (row.flag_categories or "").split(",") if c]
            detail = {"reason": text, "from": row.review_status, "categories": categories}
            _audit(conn, actor, f"compliance_{decision}", "position", position_id, detail)
    return store.get("positions", position_id)


def set_blacklisted(
    store: Store, employer_id: str, blacklisted: bool, reason: str | None, actor: str = "bureau"
) -> dict[str, Any]:
    """Blacklist an employer (all its postings leave the pool at once) or clear it (they
    return); a reason is required either way. Returns the employer."""
    what = "blacklisting" if blacklisted else "clearing the blacklisting of"
    text = _reason(reason, f"{what} {employer_id!r}")
    store.set_blacklisted(employer_id, blacklisted, text, actor)
    return store.get("employers", employer_id)


@dataclass(frozen=True)
class Proposal:
    """An employer proposed for the blacklist: its confirmed (rejected) postings."""

    employer_id: str
    name: str
    violations: int
    position_ids: list[str]
    categories: dict[str, int]


def blacklist_proposals(store: Store, min_violations: int = 2) -> list[Proposal]:
    """Employers not yet blacklisted with at least ``min_violations`` rejected postings, most
    violations first."""
    if min_violations < 1:
        raise ValueError(f"min_violations must be at least 1, got {min_violations}")
    by_employer: dict[str, list[tuple[str, str]]] = {}
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(_P.employer_id, _P.id, _P.flag_categories)
            .where(_P.review_status == "rejected", _P.employer_id.is_not(None))
            .order_by(_P.id)
        )
        for employer_id, position_id, categories in rows:
            by_employer.setdefault(employer_id, []).append((position_id, categories or ""))
    candidates = {e: v for e, v in by_employer.items() if len(v) >= min_violations}
    employers = store.get_many("employers", list(candidates))
    out = []
    for employer_id, postings in candidates.items():
        employer = employers.get(employer_id)
        if employer is None or employer.get("blacklisted"):
            continue
        counts = Counter(c for _, cats in postings for c in cats.split(",") if c)
        out.append(
            Proposal(
                employer_id,
                str(employer.get("name") or ""),
                len(postings),
                [p for p, _ in postings],
                {c: counts[c] for c in CATEGORIES if counts[c]},
            )
        )
    out.sort(key=lambda p: (-p.violations, p.employer_id))
    return out


@dataclass
class RescreenReport:
    screened: int = 0
    newly_flagged: int = 0  # flags changed: waiting for a (new) review
    unflagged: int = 0  # no flags any more: recommendable again
    unchanged: int = 0
    changed_ids: list[str] = field(default_factory=list, repr=False)


def _signature(flags: Sequence[dict[str, Any]] | None) -> list[tuple[Any, ...]]:
    return sorted((f["rule"], f["field"], f["start"], f["end"], f["match"]) for f in flags or ())


def rescreen(store: Store, rules: RuleSet | None = None, batch: int = 1000) -> RescreenReport:
    """Screen every stored posting again (after the rules changed, or for postings stored
    before screening existed). A posting whose findings are unchanged keeps its review; one
    whose findings changed is reset (pending when flagged, clean otherwise)."""
    rules = rules or default_rules()
    report = RescreenReport()
    after = ""
    while True:
        with store.engine.connect() as conn:
            rows = conn.execute(
                sa.select(_P.id, _P.data, _P.compliance_flags)
                .where(_P.id > after)
                .order_by(_P.id)
                .limit(batch)
            ).all()
        if not rows:
            return report
        after = rows[-1].id
        resets, refreshed = [], []
        for position_id, data, stored in rows:
            report.screened += 1
            flags: list[Flag] = rules.screen(data)
            new = [f.to_dict() for f in flags]
            if _signature(new) != _signature(stored):
                resets.append(compliance_columns(data, flags) | {"_id": position_id})
                report.newly_flagged += bool(flags)
                report.unflagged += not flags
                report.changed_ids.append(position_id)
            else:
                report.unchanged += 1
                if new != (stored or []):  # same findings, new wording of basis or rewrite
                    refreshed.append({"_id": position_id, "compliance_flags": new or None})
        if resets or refreshed:
            with store.engine.begin() as conn:
                where = _P.id == sa.bindparam("_id")
                if resets:
                    seq = next_seq(conn)
                    now = datetime.now(UTC)
                    conn.execute(
                        sa.update(tables.positions).where(where),
                        [r | {"seq": seq, "updated_at": now} for r in resets],
                    )
                if refreshed:
                    conn.execute(sa.update(tables.positions).where(where), refreshed)
