"""The bureau's review queue at scale (issue #19, item 5): flagged postings listed most certain
first and paged by (confidence, id); many decided at once, each checked against the stored
record and answered on its own; the classifier's opinion folded into the stored confidence;
and the confirmed decisions exported as labelled data in the format of ``datasets/compliance/``
(labels, and the postings they label) for the next round of rules and the classifier."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from matcher.compliance.confidence import confidence
from matcher.compliance.screen import categories_of
from matcher.store import tables
from matcher.store.db import next_seq, utcnow
from matcher.store.repository import Store
from matcher.store.reviews import _OUTCOME, Decision, _audit, _reason
from matcher.store.rows import public

_P = tables.positions.c
#: what a missing confidence (a posting flagged by an older version) sorts as: last
_UNKNOWN = -1.0
MAX_BULK = 500
#: Scores per category for each of some postings (the classifier's, in ``matcher review score``).
Scorer = Callable[[Sequence[Mapping[str, Any]]], Sequence[Mapping[str, float]]]


def _key() -> sa.ColumnElement[float]:
    return sa.func.coalesce(_P.review_confidence, _UNKNOWN)


def parse_cursor(cursor: str) -> tuple[float, str]:
    """(confidence, id) of a queue cursor; ``ValueError`` when it is not one."""
    figure, sep, position_id = cursor.partition(":")
    try:
        value = float(figure)
    except ValueError:
        value = math.nan
    if not sep or not position_id or not math.isfinite(value):
        raise ValueError(
            "not a cursor of this listing: pass the next_cursor of the previous page as it is"
        )
    return value, position_id


def queue_page(
    store: Store, where: Sequence[sa.ColumnElement[bool]], cursor: str | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of flagged postings, most certain first (ties by id), and the next cursor."""
    key = _key()
    query = sa.select(tables.positions, key.label("_key")).where(*where)
    if cursor:
        figure, after = parse_cursor(cursor)
        query = query.where(sa.or_(key < figure, sa.and_(key == figure, _P.id > after)))
    query = query.order_by(key.desc(), _P.id).limit(limit + 1)
    with store.engine.connect() as conn:
        rows = list(conn.execute(query).mappings())
    items = [public("positions", r) for r in rows[:limit]]
    last = rows[limit - 1] if len(rows) > limit else None
    return items, (f"{float(last['_key'])!r}:{last['id']}" if last is not None else None)


def _failure(position_id: str, code: str, english: str, chinese: str) -> dict[str, str]:
    return {"id": position_id, "code": code, "detail": english, "detail_zh": chinese}


def review_many(
    store: Store, ids: Sequence[str], decision: Decision, reason: str | None, actor: str
) -> dict[str, list[Any]]:
    """Clear or reject many postings waiting for review, in one transaction. Each id is
    checked against the stored record and answered: ``done``, or ``failed`` with a code
    (``not_found``, ``not_flagged``, ``already_reviewed``: decided before, left as it is;
    ``duplicate``: named twice). Only pending postings change, each as a single review would
    change it (and with its own audit entry)."""
    if decision not in _OUTCOME:
        raise ValueError(f"decision must be 'clear' or 'reject', not {decision!r}")
    if len(ids) > MAX_BULK:
        raise ValueError(f"at most {MAX_BULK} postings at once, got {len(ids)}")
    text = _reason(reason, f"the decision to {decision} {len(ids)} postings")
    outcome = _OUTCOME[decision]
    done: list[str] = []
    failed: list[dict[str, str]] = []
    seen: set[str] = set()
    with store.engine.begin() as conn:
        stored = {
            r.id: r
            for r in conn.execute(
                sa.select(_P.id, _P.review_status, _P.flag_categories, _P.reviewed_by).where(
                    _P.id.in_(sorted(set(ids)))
                )
            )
        }
        seq = next_seq(conn) if any(r.review_status == "pending" for r in stored.values()) else 0
        now = utcnow()
        for position_id in ids:
            row = stored.get(position_id)
            if position_id in seen:
                failed.append(
                    _failure(
                        position_id,
                        "duplicate",
                        "named twice; decided once",
                        "重复的岗位编号，只处理一次",
                    )
                )
                continue
            seen.add(position_id)
            if row is None:
                failed.append(
                    _failure(
                        position_id, "not_found", "no such posting", f"未找到岗位 {position_id}"
                    )
                )
            elif row.review_status is None:
                failed.append(
                    _failure(
                        position_id,
                        "not_flagged",
                        "the screener did not flag this posting: nothing to review",
                        "该岗位没有合规标记，无需审核",
                    )
                )
            elif row.review_status != "pending" or not _decide(
                conn, position_id, outcome, text, actor, seq, now
            ):
                failed.append(_already(position_id, row.review_status, row.reviewed_by))
            else:
                categories = [c for c in (row.flag_categories or "").split(",") if c]
                detail = {"reason": text, "from": "pending", "categories": categories, "bulk": True}
                _audit(conn, actor, f"compliance_{decision}", "position", position_id, detail)
                done.append(position_id)
    return {"done": done, "failed": failed}


def _decide(
    conn: sa.Connection,
    position_id: str,
    outcome: str,
    reason: str,
    actor: str,
    seq: int,
    now: datetime,
) -> bool:
    """Decide one pending posting; False when it is no longer pending (decided meanwhile)."""
    changed = conn.execute(
        sa.update(tables.positions)
        .where(_P.id == position_id, _P.review_status == "pending")
        .values(
            review_status=outcome,
            flagged=outcome == "rejected",
            reviewed_by=actor,
            reviewed_at=now,
            review_reason=reason,
            seq=seq,
            updated_at=now,
        )
    ).rowcount
    return bool(changed)


def _already(position_id: str, status: str | None, by: str | None) -> dict[str, str]:
    zh = {"cleared": "已审核通过", "rejected": "已确认违规"}.get(str(status), "已审核")
    return _failure(
        position_id,
        "already_reviewed",
        f"already {status} by {by or 'someone'}; left as it is (decide it on its own to change it)",
        f"该岗位{zh}（{by or '未知'}），未作改动；如需改变决定，请单独处理",
    )


def decisions(
    store: Store, since: datetime | None = None, batch: int = 500
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """The confirmed decisions as labelled data, by id: (label, posting) per reviewed posting.
    The label is ``{"id", "flags", "evidence"}`` as in ``datasets/compliance/``: a rejected
    posting is labelled with its flagged categories and, per category, the exact wording
    found; a cleared one with none. The posting is the stored record (exchange format)."""
    after = ""
    while True:
        query = (
            sa.select(_P.id, _P.data, _P.review_status, _P.compliance_flags)
            .where(_P.review_status.in_(("cleared", "rejected")), _P.id > after)
            .order_by(_P.id)
            .limit(batch)
        )
        if since is not None:
            query = query.where(_P.reviewed_at >= since)
        with store.engine.connect() as conn:
            rows = conn.execute(query).all()
        if not rows:
            return
        for position_id, data, status, flags in rows:
            flags = (flags or []) if status == "rejected" else []
            evidence: dict[str, str] = {}
            for flag in flags:
                evidence.setdefault(str(flag["category"]), str(flag["match"]))
            label = {"id": position_id, "flags": categories_of(flags), "evidence": evidence}
            yield label, dict(data) | {"id": position_id}
        after = rows[-1].id


def rescore(store: Store, scorer: Scorer, status: str | None = "pending", batch: int = 500) -> int:
    """Fold the classifier's scores into the stored confidence of flagged postings (those of
    review ``status``; None: all); returns how many changed. Nothing else changes."""
    changed, after = 0, ""
    while True:
        where = [_P.review_status.is_not(None) if status is None else _P.review_status == status]
        with store.engine.connect() as conn:
            rows = conn.execute(
                sa.select(_P.id, _P.data, _P.compliance_flags, _P.review_confidence)
                .where(*where, _P.id > after)
                .order_by(_P.id)
                .limit(batch)
            ).all()
        if not rows:
            return changed
        after = rows[-1].id
        scores = scorer([dict(r.data) for r in rows])
        updates = []
        for row, score in zip(rows, scores, strict=True):
            value = confidence(row.compliance_flags or [], score)
            if value != row.review_confidence:
                updates.append({"_id": row.id, "review_confidence": value})
        if updates:
            with store.engine.begin() as conn:
                conn.execute(
                    sa.update(tables.positions).where(_P.id == sa.bindparam("_id")), updates
                )
            changed += len(updates)
