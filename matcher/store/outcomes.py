"""What the bureau's own actions achieved: the offer funnel (offered → viewed → applied →
hired) by campaign and by posting kind, and one-person-one-plan coverage and outcomes for the
graduates who need support."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from matcher.store import Store
from matcher.store.tables import (
    campaigns,
    feedback_events,
    graduate_months,
    graduates,
    offers,
    plan_items,
    plans,
    positions,
)
from matcher.taxonomy.vocab import SUPPORT_LABELS, kind_label
from matcher.types import Month

#: Funnel stage of each feedback event (both the short and the past-tense spellings); an
#: offer is counted at the furthest stage any of its events reached (declined and
#: not-interested events reach none beyond the offer itself).
STAGES: dict[str, int] = {
    "view": 1,
    "viewed": 1,
    "apply": 2,
    "applied": 2,
    "hire": 3,
    "hired": 3,
}
FUNNEL = ("offered", "viewed", "applied", "hired")
SINGLE = "single"
OUTCOME_IN_PROGRESS = "in_progress"


def funnel(store: Store, month: Month) -> dict[str, Any]:
    """Offers created during the month, each at the furthest stage its events reached (events
    up to the time of the report), by campaign and by kind."""
    o, f, p, c = offers.c, feedback_events.c, positions.c, campaigns.c
    stage = sa.case(*((f.event == e, n) for e, n in STAGES.items()), else_=0)
    reached = (
        sa.select(f.graduate_id, f.position_id, sa.func.max(stage).label("stage"))
        .group_by(f.graduate_id, f.position_id)
        .subquery()
    )
    level = sa.func.coalesce(reached.c.stage, 0)
    query = (
        sa.select(
            o.campaign_id,
            c.name,
            p.kind,
            sa.func.count(),
            *(sa.func.sum(sa.case((level >= n, 1), else_=0)) for n in (1, 2, 3)),
        )
        .select_from(
            offers.join(positions, p.id == o.position_id)
            .outerjoin(campaigns, c.id == o.campaign_id)
            .outerjoin(
                reached,
                sa.and_(
                    reached.c.graduate_id == o.graduate_id, reached.c.position_id == o.position_id
                ),
            )
        )
        .where(o.created_at >= month.start_utc, o.created_at < month.end_utc)
        .group_by(o.campaign_id, c.name, p.kind)
    )
    by_campaign: dict[str, dict[str, Any]] = {}
    by_kind: dict[str, dict[str, Any]] = {}
    total = dict.fromkeys(FUNNEL, 0)
    with store.engine.connect() as conn:
        for campaign_id, name, kind, *figures in conn.execute(query):
            key = campaign_id or SINGLE
            label = name or (campaign_id or "单独推送")
            for table, k, lab in ((by_campaign, key, label), (by_kind, kind, kind_label(kind))):
                row = table.setdefault(k, {"key": k, "label": lab, **dict.fromkeys(FUNNEL, 0)})
                for stage_name, n in zip(FUNNEL, figures, strict=True):
                    row[stage_name] += int(n or 0)
            for stage_name, n in zip(FUNNEL, figures, strict=True):
                total[stage_name] += int(n or 0)
    return {
        "total": _rates(total),
        "by_campaign": [_rates(r) for r in sorted(by_campaign.values(), key=_most_offered)],
        "by_kind": [_rates(r) for r in sorted(by_kind.values(), key=_most_offered)],
    }


def _most_offered(row: dict[str, Any]) -> tuple[int, str]:
    return (-int(row["offered"]), str(row["key"]))


def _rates(row: dict[str, Any]) -> dict[str, Any]:
    """Adds each stage's share of the offers (None when nothing was offered)."""
    offered = row["offered"]
    rates = {f"{s}_rate": (round(row[s] / offered, 4) if offered else None) for s in FUNNEL[1:]}
    return {**row, **rates}


def plan_coverage(store: Store, month: Month) -> dict[str, Any]:
    """The support cohort (graduates with a support flag) and their plans made by the month's
    end: coverage overall and by support flag, current status with and without a plan, plan
    statuses and outcomes, and plans opened during the month."""
    g, pl = graduates.c, plans.c
    planned = sa.select(pl.graduate_id).where(pl.created_at < month.end_utc).distinct().subquery()
    has_plan = planned.c.graduate_id.is_not(None)
    cohort = graduates.outerjoin(planned, planned.c.graduate_id == g.id)
    flags = list(SUPPORT_LABELS)
    by_flag = (
        sa.select(
            *(
                sa.func.sum(sa.case((g.support.like(f"%{flag.value}%"), 1), else_=0))
                for flag in flags
            ),
            *(
                sa.func.sum(
                    sa.case((sa.and_(has_plan, g.support.like(f"%{flag.value}%")), 1), else_=0)
                )
                for flag in flags
            ),
        )
        .select_from(cohort)
        .where(g.needs_support.is_(sa.true()))
    )
    by_status = (
        sa.select(g.status, has_plan, sa.func.count())
        .select_from(cohort)
        .where(g.needs_support.is_(sa.true()))
        .group_by(g.status, has_plan)
    )
    outcome = sa.func.coalesce(pl.outcome, OUTCOME_IN_PROGRESS)
    by_outcome = (
        sa.select(pl.status, outcome, sa.func.count())
        .where(pl.created_at < month.end_utc)
        .group_by(pl.status, outcome)
    )
    it = plan_items.c
    by_item = (
        sa.select(it.kind, it.status, sa.func.count())
        .select_from(plan_items.join(plans, pl.id == it.plan_id))
        .where(pl.created_at < month.end_utc)
        .group_by(it.kind, it.status)
    )
    opened = sa.select(sa.func.count()).where(
        pl.created_at >= month.start_utc, pl.created_at < month.end_utc
    )
    with store.engine.connect() as conn:
        flag_counts = [int(x or 0) for x in conn.execute(by_flag).one()]
        status_rows = [(s, bool(h), int(n)) for s, h, n in conn.execute(by_status)]
        outcome_rows = [(s, o, int(n)) for s, o, n in conn.execute(by_outcome)]
        item_rows = [(k, s, int(n)) for k, s, n in conn.execute(by_item)]
        opened_n = int(conn.execute(opened).scalar_one())
    statuses: dict[str, dict[str, int]] = defaultdict(lambda: {"with_plan": 0, "without_plan": 0})
    for status, with_plan, n in status_rows:
        statuses[status]["with_plan" if with_plan else "without_plan"] += n
    cohort_n = sum(n for _, _, n in status_rows)
    covered = sum(n for _, h, n in status_rows if h)
    return {
        "cohort": cohort_n,
        "with_plan": covered,
        "coverage": round(covered / cohort_n, 4) if cohort_n else None,
        "plans_opened": opened_n,
        "by_flag": [
            {
                "key": flag.value,
                "label": SUPPORT_LABELS[flag],
                "cohort": flag_counts[i],
                "with_plan": flag_counts[len(flags) + i],
            }
            for i, flag in enumerate(flags)
        ],
        "by_status": [{"key": s, **v} for s, v in sorted(statuses.items())],
        "plans_by_outcome": [
            {"status": s, "outcome": o, "plans": n} for s, o, n in sorted(outcome_rows, key=str)
        ],
        "items": [{"kind": k, "status": s, "items": n} for k, s, n in sorted(item_rows, key=str)],
    }


def fingerprint(store: Store) -> tuple[Any, ...]:
    """Changes to offers, feedback, plans and the monthly history (which the store's watermark
    does not count): equal fingerprints mean the funnel, plan and flow figures are unchanged."""
    o, f, pl, it, h = offers.c, feedback_events.c, plans.c, plan_items.c, graduate_months.c
    parts = [
        sa.select(sa.func.count(), sa.func.max(o.updated_at)),
        sa.select(sa.func.count(), sa.func.max(f.id)),
        sa.select(sa.func.count(), sa.func.max(pl.updated_at)),
        sa.select(sa.func.count(), sa.func.max(it.updated_at)),
        sa.select(sa.func.count(), sa.func.max(h.recorded_at)),
    ]
    with store.engine.connect() as conn:
        return tuple(tuple(conn.execute(q).one()) for q in parts)
