"""What a university's key may write of its roster: records marked as its own, the consent a
roster carries taken only when the school first registers a graduate, and single writes (which
answer with the whole profile) only for graduates who share with the school."""

from __future__ import annotations

from typing import Any

from matcher.access import AccessDenied, Principal, Role
from matcher.store import Store
from matcher.store.partners import Partners


def from_university(store: Store, principal: Principal, records: list[Any]) -> list[Any]:
    """Records a university's key sends, each marked as supplied by that university; a
    partner of any other kind may not supply graduates. The consent a roster carries is the
    one the school collected when it first registers a graduate; for a profile already stored
    the graduate's own choices stay (a re-sent roster never gives consent back)."""
    if principal.role is not Role.PARTNER:
        return records
    partner = Partners(store).require_active(str(principal.scope["partner"]))
    if partner["kind"] != "university":
        raise AccessDenied(
            f"a partner of kind {partner['kind']} does not supply graduates",
            zh="只有高校可以上传和修改毕业生名单",
        )
    ids = [r["id"] for r in records if isinstance(r, dict) and isinstance(r.get("id"), str)]
    stored = store.get_many("graduates", ids)
    return [
        _without_consent(r, isinstance(r.get("id"), str) and r["id"] in stored)
        | {"partner": partner["id"]}
        if isinstance(r, dict)
        else r
        for r in records
    ]


def shares_with_university(store: Store, principal: Principal, graduate_id: str) -> None:
    """A single write answers with the whole profile: a university makes it only for a
    graduate who shares with it (the others it updates through ``/graduates/bulk``)."""
    if principal.role is not Role.PARTNER:
        return
    stored = store.get_many("graduates", [graduate_id]).get(graduate_id)
    if stored is not None and principal.supplied(stored) and not principal.sees_graduate(stored):
        raise AccessDenied(
            f"graduate {graduate_id!r} does not share their profile with this university; "
            "update the roster through POST /graduates/bulk",
            zh=f"毕业生 {graduate_id} 未同意向学校共享信息，请通过批量名单（/graduates/bulk）更新",
        )


def _without_consent(record: dict[str, Any], known: bool) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != "consent"} if known else record
