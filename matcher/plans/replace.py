"""Replacing what a plan holds: the alternatives for an item (the next best postings,
traineeships or courses with places left), swapping an item for one of them, and ruling a
posting out of the plan. Every change lands in the plan's history."""

from __future__ import annotations

from datetime import date
from typing import Any

from matcher.engine.orchestrator import Matcher
from matcher.errors import ConflictError, ValidationError
from matcher.plans import candidates as cand
from matcher.plans.edit import SEARCH_KINDS, editable, item_of
from matcher.store.offers import Offers
from matcher.store.plan_lists import trainings
from matcher.store.plans import Plans


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
        zh="职业指导不更换，请修改预约时间",
    )


def swap(
    matcher: Matcher, plan_id: str, item_id: str, *, actor: str, ref_id: str | None = None
) -> dict[str, Any]:
    """Put ``ref_id`` (one of :func:`alternatives`), or the next best candidate, in the item."""
    plans = Plans(matcher.store)
    plan = plans.get(plan_id)
    editable(plan)
    item = item_of(plan, item_id)
    if item["pinned"]:
        raise ConflictError(
            f"item {item_id!r} is pinned; unpin it before swapping it",
            zh="该事项已锁定：请先取消锁定再更换",
        )
    options = alternatives(matcher, plan_id, item_id, k=50 if ref_id else 1)
    if ref_id is not None:
        options = [c for c in options if c.ref_id == ref_id]
    if not options:
        raise ConflictError(
            f"{ref_id!r} is not an eligible candidate with places left for item {item_id!r}; "
            f"pick one from GET /plans/{plan_id}/items/{item_id}/alternatives"
            if ref_id
            else f"no other candidate with places left for item {item_id!r}",
            zh="所选候选不符合条件或已无名额" if ref_id else "没有其他仍有名额的候选",
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
    editable(plan)
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
