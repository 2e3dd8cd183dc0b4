"""Recording a graduate's consent to the plan service and to offers, and their choices of
sharing with the bureau's partners (:mod:`matcher.records.sharing`), as an adviser obtains
them or the graduate gives them: who recorded it, when and how are kept on the profile and in
the audit log."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from matcher.errors import ValidationError
from matcher.records.sharing import SHARE
from matcher.store import Store
from matcher.store.keys import audit

#: How a consent may be obtained, and its Chinese label.
HOW = {
    "written": "书面签字",
    "phone": "电话确认",
    "in_person": "当面口头确认",
    "online": "线上勾选",
}


def _check_how(graduate_id: str, how: str) -> None:
    if how not in HOW:
        raise ValidationError(
            f"unknown way of obtaining consent {how!r}; use one of {', '.join(HOW)}",
            record_id=graduate_id,
            field="how",
            zh=f"同意方式无效，可选：{'、'.join(HOW.values())}",
        )


def record_sharing(
    store: Store, graduate_id: str, choices: dict[str, bool], *, how: str, actor: str
) -> dict[str, Any]:
    """Set some of the graduate's sharing choices (``{"school": False, ...}``); the others
    stay as they were. Who and how are in the audit log, when in the field's provenance."""
    _check_how(graduate_id, how)
    unknown = sorted(set(choices) - set(SHARE))
    if unknown or not choices:
        raise ValidationError(
            f"sharing choices are {', '.join(SHARE)} (true or false); got {unknown or 'none'}",
            record_id=graduate_id,
            field="share",
            zh="共享选项为 school（毕业院校）、agencies（人力资源服务机构）、training（培训机构），"
            "取值 true 或 false",
        )
    graduate = store.get("graduates", graduate_id)
    consent = dict(graduate.get("consent") or {"push": False})
    consent["share"] = dict(consent.get("share") or {}) | {
        kind: bool(value) for kind, value in choices.items()
    }
    store.revise("graduates", graduate_id, {"consent": consent}, source=actor)
    audit(store, actor, "sharing", "graduate", [graduate_id], {"share": choices, "how": how})
    return store.get("graduates", graduate_id)


def record_consent(
    store: Store, graduate_id: str, *, how: str, actor: str, push: bool = True
) -> dict[str, Any]:
    """Set (or withdraw, ``push=False``) the graduate's consent to plans and offers."""
    _check_how(graduate_id, how)
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
