"""Recording a graduate's consent to the plan service and to offers, as an adviser obtains it:
who recorded it, when and how it was obtained are kept on the profile and in the audit log."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from matcher.errors import ValidationError
from matcher.store import Store
from matcher.store.keys import audit

#: How a consent may be obtained, and its Chinese label.
HOW = {
    "written": "书面签字",
    "phone": "电话确认",
    "in_person": "当面口头确认",
    "online": "线上勾选",
}


def record_consent(
    store: Store, graduate_id: str, *, how: str, actor: str, push: bool = True
) -> dict[str, Any]:
    """Set (or withdraw, ``push=False``) the graduate's consent to plans and offers."""
    if how not in HOW:
        raise ValidationError(
            f"unknown way of obtaining consent {how!r}; use one of {', '.join(HOW)}",
            record_id=graduate_id,
            field="how",
            zh=f"同意方式无效，可选：{'、'.join(HOW.values())}",
        )
    graduate = store.get("graduates", graduate_id)
    at = datetime.now(UTC).isoformat(timespec="seconds")
    consent = dict(graduate.get("consent") or {}) | {
        "push": push,
        "plan": push,
        "recorded_by": actor,
        "recorded_at": at,
        "how": how,
    }
    store.revise("graduates", graduate_id, {"consent": consent})
    detail = {"push": push, "how": how}
    audit(
        store, actor, "consent" if push else "withdraw_consent", "graduate", [graduate_id], detail
    )
    return store.get("graduates", graduate_id)  # as stored, after the audit entry
