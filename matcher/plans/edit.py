"""The life of a plan after it is drafted: status (draft → agreed → in progress → closed with an
outcome), item statuses, swaps for the next best candidate, pins, exclusions, notes, and items
pushed to the graduate as offers. Every change lands in the plan's history with who and when."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from matcher.config import Settings
from matcher.errors import ConflictError, ValidationError
from matcher.offers import Created, create_offer
from matcher.plans import candidates as cand
from matcher.plans.vocab import (
    ITEM_STATUSES,
    JOB_KINDS,
    OUTCOME_STATUS,
    OUTCOMES,
    PLAN_STATUSES,
    TRANSITIONS,
)
from matcher.records import prepare
from matcher.store import Store
from matcher.store.offers import Offers
from matcher.store.plans import Plans, trainings

if TYPE_CHECKING:
    from matcher.engine import Matcher

SEARCH_KINDS = {"posting": JOB_KINDS, "traineeship": ("traineeship",)}


def item_of(plan: dict[str, Any], item_id: str) -> dict[str, Any]:
    for item in plan["items"]:
        if item["id"] == item_id:
            return dict(item)
    raise ValidationError(
        f"plan {plan['id']!r} has no item {item_id!r}; GET /plans/{plan['id']} lists its items",
        record_id=plan["id"],
        field="item_id",
    )


def _editable(plan: dict[str, Any]) -> None:
    if plan["status"] == "closed":
        raise ConflictError(
            f"plan {plan['id']!r} is closed; reopen it (status in_progress) before changing it"
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
        )
    current = plan["status"]
    if status == current and status != "closed":
        return plan
    if status not in TRANSITIONS[current] and not (status == current == "closed"):
        raise ConflictError(
            f"plan {plan_id!r} cannot go from {current} to {status}; from {current} it may go "
            f"to {', '.join(TRANSITIONS[current])}"
        )
    now = datetime.now(UTC)
    values: dict[str, Any] = {"status": status}
    if status == "closed":
        if outcome not in OUTCOMES:
            raise ValidationError(
                f"closing plan {plan_id!r} needs an outcome: one of {', '.join(OUTCOMES)}",
                record_id=plan_id,
                field="outcome",
            )
        values.update(outcome=outcome, closed_at=now)
    elif outcome is not None:
        raise ValidationError(
            "an outcome is only given when closing a plan", record_id=plan_id, field="outcome"
        )
    if status == "agreed":
        values["agreed_at"] = now
    if current == "closed":
        values.update(outcome=None, closed_at=None)
    detail = {"from": current, "to": status, "outcome": outcome}
    updated = plans.update(plan_id, values, actor, "status", detail)
    if outcome in OUTCOME_STATUS:
        _graduate_status(store, plan["graduate_id"], OUTCOME_STATUS[outcome])
    return updated


def _graduate_status(store: Store, graduate_id: str, status: str) -> None:
    record = {k: v for k, v in store.get("graduates", graduate_id).items() if k != "updated_at"}
    if record.get("status") != status:
        store.upsert("graduates", [prepare("graduates", {**record, "status": status})])


def add_note(store: Store, plan_id: str, text: str, *, actor: str) -> dict[str, Any]:
    text = text.strip()
    if not text:
        raise ValidationError("a note needs some text", record_id=plan_id, field="text")
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
    _editable(plan)
    item = item_of(plan, item_id)
    what = {"kind": item["kind"], "ref_id": item["ref_id"]}
    if status is not None and status != item["status"]:
        allowed = ITEM_STATUSES[item["kind"]]
        if status not in allowed:
            raise ValidationError(
                f"a {item['kind']} item's status is one of {', '.join(allowed)}, not {status!r}",
                record_id=item_id,
                field="status",
            )
        if item["ref_id"] is None and item["kind"] != "guidance":
            raise ConflictError(
                f"item {item_id!r} is empty; swap in a candidate before changing its status"
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
            )
        at = scheduled_at.astimezone(UTC)
        detail = {**what, "from": item["scheduled_at"], "to": at.isoformat()}
        plan = plans.update_item(
            plan_id, item_id, {"scheduled_at": at}, actor, "reschedule", detail
        )
    return plan


def alternatives(matcher: Matcher, plan_id: str, item_id: str, k: int = 5) -> list[cand.Candidate]:
    """The next best candidates for an item: eligible, not in the plan, not excluded, with
    places left."""
    store, settings = matcher.store, matcher.settings
    plans = Plans(store)
    plan = plans.get(plan_id)
    item = item_of(plan, item_id)
    kind, gid = item["kind"], plan["graduate_id"]
    taken = {i["ref_id"] for i in plan["items"] if i["kind"] == kind and i["ref_id"]}
    skip = taken | set(plans.exclusions(plan_id))
    if kind in SEARCH_KINDS:
        pool = k + len(skip) + settings.plan_pool
        found = cand.postings(matcher, [gid], SEARCH_KINDS[kind], pool, {gid: skip})[gid]
        places = Offers(store).places([c.ref_id for c in found])
        held = plans.held(kind, [c.ref_id for c in found])
        factor = settings.plan_posting_factor if kind == "posting" else 1
        return [
            c
            for c in found
            if c.ref_id in places and places[c.ref_id][0] * factor - held.get(c.ref_id, 0) > 0
        ][:k]
    if kind == "training":
        graduate = store.get("graduates", gid)
        refs = [i["ref_id"] for i in plan["items"] if i["kind"] in SEARCH_KINDS and i["ref_id"]]
        postings = store.get_many("positions", refs)
        pairs = [(postings[r], 1.0) for r in refs if r in postings]
        catalogue = [c for c in trainings(store) if c["id"] not in skip]
        found = cand.courses(
            graduate, cand.skill_gaps(graduate, pairs), catalogue, date.today(), 50
        )
        held = plans.held("training", [c.ref_id for c in found])
        by_id = {c["id"]: c for c in catalogue}
        return [
            c for c in found if cand.course_places(by_id[c.ref_id]) - held.get(c.ref_id, 0) > 0
        ][:k]
    raise ValidationError(
        "a guidance session is not swapped; change its time (scheduled_at) instead",
        record_id=item_id,
        field="kind",
    )


def swap(
    matcher: Matcher, plan_id: str, item_id: str, *, actor: str, ref_id: str | None = None
) -> dict[str, Any]:
    """Put ``ref_id`` (one of :func:`alternatives`), or the next best candidate, in the item."""
    plans = Plans(matcher.store)
    plan = plans.get(plan_id)
    _editable(plan)
    item = item_of(plan, item_id)
    if item["pinned"]:
        raise ConflictError(f"item {item_id!r} is pinned; unpin it before swapping it")
    options = alternatives(matcher, plan_id, item_id, k=50 if ref_id else 1)
    if ref_id is not None:
        options = [c for c in options if c.ref_id == ref_id]
    if not options:
        raise ConflictError(
            f"{ref_id!r} is not an eligible candidate with places left for item {item_id!r}; "
            f"pick one from GET /plans/{plan_id}/items/{item_id}/alternatives"
            if ref_id
            else f"no other candidate with places left for item {item_id!r}"
        )
    new = options[0]
    values = {
        "ref_id": new.ref_id,
        "score": new.score,
        "reasons": new.reasons,
        "status": "proposed",
        "offer_id": None,
        "ends_on": None,
    }
    detail = {"kind": item["kind"], "from": item["ref_id"], "to": new.ref_id, "title": new.title}
    return plans.update_item(plan_id, item_id, values, actor, "swap", detail)


def exclude(matcher: Matcher, plan_id: str, ref_id: str, *, actor: str) -> dict[str, Any]:
    """Rule a posting or course out of the plan; an item holding it is swapped for the next
    best candidate (pinned or not)."""
    plans = Plans(matcher.store)
    plan = plans.get(plan_id)
    _editable(plan)
    plans.exclude(plan_id, ref_id, actor)
    for item in plan["items"]:
        if item["ref_id"] == ref_id and item["kind"] != "guidance":
            if item["pinned"]:
                plans.update_item(plan_id, item["id"], {"pinned": False}, actor, "unpin", {})
            try:
                swap(matcher, plan_id, item["id"], actor=actor)
            except ConflictError:  # nothing left: the item is emptied
                detail = {"kind": item["kind"], "from": ref_id, "to": None}
                values = {"ref_id": None, "score": None, "status": "proposed", "offer_id": None}
                plans.update_item(plan_id, item["id"], values, actor, "swap", detail)
    return plans.get(plan_id)


def push_offer(
    store: Store, settings: Settings, plan_id: str, item_id: str, *, actor: str, message: str = ""
) -> tuple[Created, dict[str, Any]]:
    """Offer the item's posting or traineeship to the graduate under every offer rule. The
    item's id is the idempotency key: pushing it again returns the same offer."""
    plans = Plans(store)
    plan = plans.get(plan_id)
    _editable(plan)
    item = item_of(plan, item_id)
    if item["kind"] not in SEARCH_KINDS or not item["ref_id"]:
        raise ValidationError(
            f"item {item_id!r} is a {item['kind']} item without a posting; only postings and "
            "traineeships can be pushed as offers",
            record_id=item_id,
            field="kind",
        )
    if item["offer_id"]:
        return Created(Offers(store).get(item["offer_id"]), created=False), plan
    result = create_offer(
        store,
        settings,
        graduate_id=plan["graduate_id"],
        position_id=item["ref_id"],
        message=message,
        key=f"plan-item:{item_id}",
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
