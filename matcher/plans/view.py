"""Plans as people read them: each item with the title, organisation and place of what it
holds, Chinese labels, and the actor id shown in the history."""

from __future__ import annotations

from typing import Any

from matcher.access import Principal, Role
from matcher.plans.vocab import ITEM_LABELS, KIND_LABELS, OUTCOME_LABELS, PLAN_LABELS
from matcher.store import Store
from matcher.store.offers import Offers
from matcher.taxonomy.regions import place_name
from matcher.taxonomy.vocab import OFFER_STATUS_LABELS


def actor_of(principal: Principal) -> str:
    """Who a change is recorded as: the adviser's own id (and the key used) for advisers."""
    adviser = principal.scope.get("adviser") if principal.role is Role.ADVISER else None
    return f"adviser:{adviser}/{principal.key_id}" if adviser else principal.actor


def enrich(store: Store, plan: dict[str, Any]) -> dict[str, Any]:
    """The plan with ``title``, ``subtitle``, ``place`` and labels on every item."""
    refs = {"posting": set(), "traineeship": set(), "training": set()}  # type: dict[str, set[str]]
    for item in plan["items"]:
        if item["ref_id"] and item["kind"] in refs:
            refs[item["kind"]].add(item["ref_id"])
    postings = store.get_many("positions", refs["posting"] | refs["traineeship"])
    courses = store.get_many("trainings", refs["training"])
    offers = Offers(store).get_many([i["offer_id"] for i in plan["items"] if i.get("offer_id")])
    items = []
    for item in plan["items"]:
        shown = dict(item)
        shown["kind_label"] = KIND_LABELS.get(item["kind"], item["kind"])
        shown["status_label"] = ITEM_LABELS.get(item["status"], item["status"])
        offer = offers.get(item.get("offer_id") or "")
        if offer is not None:  # what really happened to the push, not only that it was made
            shown["offer_status"] = offer["status"]
            shown["offer_status_label"] = OFFER_STATUS_LABELS.get(offer["status"], offer["status"])
        record = postings.get(item["ref_id"] or "") or courses.get(item["ref_id"] or "")
        if item["kind"] == "guidance":
            shown.update(title="一对一职业指导", subtitle=item["ref_id"] or "待分配", place="")
        elif record is None:
            shown.update(title="（待补充）", subtitle="", place="")
        elif item["kind"] == "training":
            loc = record.get("location") or {}
            shown.update(
                title=record.get("title", ""),
                subtitle=record.get("provider", ""),
                place=loc.get("district") or loc.get("city") or "",
                start_date=record.get("start_date"),
                end_date=record.get("end_date"),
            )
        else:
            loc = record.get("location") or {}
            shown.update(
                title=record.get("title", ""),
                subtitle=(record.get("employer") or {}).get("name", ""),
                place=place_name(loc),
                open=record.get("status") == "open",
            )
        items.append(shown)
    return {
        **plan,
        "items": items,
        "status_label": PLAN_LABELS.get(plan["status"], plan["status"]),
        "outcome_label": OUTCOME_LABELS.get(plan["outcome"] or "", ""),
    }
