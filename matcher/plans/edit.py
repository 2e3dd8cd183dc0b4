"""The life of a plan after it is drafted: status (draft → agreed → in progress → closed with an
outcome), item statuses, pins, notes, and items pushed to the graduate as offers (swaps and
exclusions, which search the engine again, are in :mod:`matcher.plans.replace`). Every change
lands in the plan's history with who and when."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from matcher.config import Settings
from matcher.errors import ConflictError, ValidationError
from matcher.offers.single import Created, create_offer
from matcher.plans.vocab import (
    ITEM_STATUSES,
    JOB_KINDS,
    OUTCOME_STATUS,
    OUTCOMES,
    PLAN_LABELS,
    PLAN_STATUSES,
    TRANSITIONS,
)
from matcher.store import Store
from matcher.store.offers import PLAN_KEY_PREFIX, Offers
from matcher.store.plans import Plans

SEARCH_KINDS = {"posting": JOB_KINDS, "traineeship": ("traineeship",)}


def item_of(plan: dict[str, Any], item_id: str) -> dict[str, Any]:
    for item in plan["items"]:
        if item["id"] == item_id:
            return dict(item)
    raise ValidationError(
        f"plan {plan['id']!r} has no item {item_id!r}; GET /plans/{plan['id']} lists its items",
        record_id=plan["id"],
        field="item_id",
        zh=f"帮扶计划中没有事项 {item_id}",
    )


def editable(plan: dict[str, Any]) -> None:
    if plan["status"] == "closed":
        raise ConflictError(
            f"plan {plan['id']!r} is closed; reopen it (status in_progress) before changing it",
            zh="该帮扶计划已结案：请先重新开启再修改",
        )


def set_status(
    store: Store, settings: Settings, plan_id: str, status: str, *, actor: str, outcome: str | None
) -> dict[str, Any]:
    """Move a plan along its lifecycle; closing needs an outcome, and an outcome of employed or
    further study updates the graduate's own status."""
    plans = Plans(store)
    plan = plans.get(plan_id)
    if status not in PLAN_STATUSES:
        raise ValidationError(
            f"unknown plan status {status!r}; use one of {', '.join(PLAN_STATUSES)}",
            record_id=plan_id,
            field="status",
            zh="计划状态无效",
        )
    current = plan["status"]
    if status == current and status != "closed":
        return plan
    if status not in TRANSITIONS[current] and not (status == current == "closed"):
        raise ConflictError(
            f"plan {plan_id!r} cannot go from {current} to {status}; from {current} it may go "
            f"to {', '.join(TRANSITIONS[current])}",
            zh=f"计划不能从“{PLAN_LABELS.get(current, current)}”改为“{PLAN_LABELS.get(status)}”",
        )
    now = datetime.now(UTC)
    values: dict[str, Any] = {"status": status}
    if status == "closed":
        if outcome not in OUTCOMES:
            raise ValidationError(
                f"closing plan {plan_id!r} needs an outcome: one of {', '.join(OUTCOMES)}",
                record_id=plan_id,
                field="outcome",
                zh="结案时请选择结果（已就业、升学、本人拒绝帮扶或其他）",
            )
        values.update(outcome=outcome, closed_at=now)
    elif outcome is not None:
        raise ValidationError(
            "an outcome is only given when closing a plan",
            record_id=plan_id,
            field="outcome",
            zh="只有结案时才填写结果",
        )
    if status == "agreed":
        values["agreed_at"] = now
    if current == "closed":
        values.update(outcome=None, closed_at=None)
    detail = {"from": current, "to": status, "outcome": outcome}
    updated = plans.update(plan_id, values, actor, "status", detail)
    if outcome in OUTCOME_STATUS:
        store.revise(
            "graduates", plan["graduate_id"], {"status": OUTCOME_STATUS[outcome]}, source=actor
        )
    return updated


def add_note(store: Store, plan_id: str, text: str, *, actor: str) -> dict[str, Any]:
    text = text.strip()
    if not text:
        raise ValidationError(
            "a note needs some text", record_id=plan_id, field="text", zh="备注不能为空"
        )
    return Plans(store).update(plan_id, {"notes": text}, actor, "note", {"text": text})


def set_item(
    store: Store,
    settings: Settings,
    plan_id: str,
    item_id: str,
    *,
    actor: str,
    status: str | None = None,
    pinned: bool | None = None,
    scheduled_at: datetime | None = None,
    ends_on: date | None = None,
) -> dict[str, Any]:
    """Change an item's status, pin, guidance time or traineeship end (one history entry
    each). A first item change on an agreed plan puts it in progress."""
    plans = Plans(store)
    plan = plans.get(plan_id)
    editable(plan)
    item = item_of(plan, item_id)
    what = {"kind": item["kind"], "ref_id": item["ref_id"]}
    if status is not None and status != item["status"]:
        allowed = ITEM_STATUSES[item["kind"]]
        if status not in allowed:
            raise ValidationError(
                f"a {item['kind']} item's status is one of {', '.join(allowed)}, not {status!r}",
                record_id=item_id,
                field="status",
                zh="该事项不能设为此状态",
            )
        if item["ref_id"] is None and item["kind"] != "guidance":
            raise ConflictError(
                f"item {item_id!r} is empty; swap in a candidate before changing its status",
                zh="该事项尚未安排具体岗位或课程：请先更换一个候选再修改状态",
            )
        values: dict[str, Any] = {"status": status}
        if item["kind"] == "traineeship" and status == "placed" and not ends_on:
            ends_on = date.today() + timedelta(days=round(30.4 * settings.traineeship_months))
        if ends_on:
            values["ends_on"] = ends_on
        detail = {**what, "from": item["status"], "to": status}
        plan = _started(
            plans, plans.update_item(plan_id, item_id, values, actor, "item_status", detail), actor
        )
    elif ends_on is not None:
        detail = {**what, "ends_on": ends_on.isoformat()}
        plan = plans.update_item(plan_id, item_id, {"ends_on": ends_on}, actor, "ends_on", detail)
    if pinned is not None and pinned != item["pinned"]:
        action = "pin" if pinned else "unpin"
        plan = plans.update_item(plan_id, item_id, {"pinned": pinned}, actor, action, what)
    if scheduled_at is not None:
        if scheduled_at.tzinfo is None:
            raise ValidationError(
                "scheduled_at needs a time zone, e.g. 2026-12-01T09:00:00+08:00",
                record_id=item_id,
                field="scheduled_at",
                zh="预约时间需带时区，如 2026-12-01T09:00:00+08:00",
            )
        at = scheduled_at.astimezone(UTC)
        detail = {**what, "from": item["scheduled_at"], "to": at.isoformat()}
        plan = plans.update_item(
            plan_id, item_id, {"scheduled_at": at}, actor, "reschedule", detail
        )
    return plan


def push_offer(
    store: Store, settings: Settings, plan_id: str, item_id: str, *, actor: str, message: str = ""
) -> tuple[Created, dict[str, Any]]:
    """Offer the item's posting or traineeship to the graduate under every offer rule. The
    item's id is the idempotency key: pushing it again returns the same offer."""
    plans = Plans(store)
    plan = plans.get(plan_id)
    editable(plan)
    item = item_of(plan, item_id)
    if item["kind"] not in SEARCH_KINDS or not item["ref_id"]:
        raise ValidationError(
            f"item {item_id!r} is a {item['kind']} item without a posting; only postings and "
            "traineeships can be pushed as offers",
            record_id=item_id,
            field="kind",
            zh="只有岗位和见习事项可以推送给本人",
        )
    if item["offer_id"]:
        return Created(Offers(store).get(item["offer_id"]), created=False), plan
    result = create_offer(
        store,
        settings,
        graduate_id=plan["graduate_id"],
        position_id=item["ref_id"],
        message=message,
        key=f"{PLAN_KEY_PREFIX}{item_id}",
        actor=actor,
        detail={"score": item["score"], "reasons": item["reasons"], "plan_id": plan_id},
    )
    values = {"offer_id": result.record["id"], "status": "offered"}
    detail = {"kind": item["kind"], "ref_id": item["ref_id"], "offer_id": result.record["id"]}
    plan = plans.update_item(plan_id, item_id, values, actor, "offer", detail)
    return result, _started(plans, plan, actor)


def _started(plans: Plans, plan: dict[str, Any], actor: str) -> dict[str, Any]:
    """An agreed plan whose first item moves is in progress."""
    if plan["status"] != "agreed":
        return plan
    change = {"from": "agreed", "to": "in_progress", "outcome": None, "auto": True}
    return plans.update(plan["id"], {"status": "in_progress"}, actor, "status", change)
