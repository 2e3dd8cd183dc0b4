"""What graduates and employers answer to an offer. Who may record each event: the graduate
their own views, applications and refusals; a hire only the posting's employer, an adviser or
the bureau confirms. A confirmed hire marks the graduate employed, so campaigns and plans stop
offering them work."""

from __future__ import annotations

from typing import Any

from matcher.access import AccessDenied, Principal, Role
from matcher.store import Store
from matcher.store.feedback import Feedback
from matcher.taxonomy.vocab import GraduateStatus

#: The events each role may record (admins, the bureau and services may record any).
ALLOWED: dict[Role, frozenset[str]] = {
    Role.GRADUATE: frozenset({"viewed", "applied", "declined", "not_interested"}),
    Role.EMPLOYER: frozenset({"hired"}),
    Role.ADVISER: frozenset({"viewed", "applied", "declined", "not_interested", "hired"}),
}


def check_event_role(principal: Principal, event: str) -> None:
    """Raise :class:`AccessDenied` when the caller's role may not record ``event``."""
    allowed = ALLOWED.get(principal.role)
    if allowed is not None and event not in allowed:
        who = "the posting's employer, an adviser or the bureau" if event == "hired" else "staff"
        raise AccessDenied(
            f"role {principal.role.value} may not record {event!r}; {who} records it",
            zh="录用须由用人单位、就业指导员或经办人员确认"
            if event == "hired"
            else "当前角色无权记录该反馈",
        )


def record_feedback(store: Store, offer_id: str, event: str, source: str) -> dict[str, Any]:
    """Record the event (in the order :data:`matcher.store.offers.TRANSITIONS` allows) and, on
    a hire, set the graduate's status to employed."""
    offer = Feedback(store).record_event(offer_id, event, source)
    if event == "hired":
        store.revise(
            "graduates",
            offer["graduate_id"],
            {"status": GraduateStatus.EMPLOYED.value},
            source=f"hired:{offer_id}",
        )
    return offer
