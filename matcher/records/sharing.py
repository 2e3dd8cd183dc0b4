"""What a graduate shares with each kind of partner of the bureau (一库四联盟), kept on the
profile as ``consent.share``. A choice the graduate never made follows the purpose the partner
serves: the university that supplied the profile sees its own graduate (its employment
guidance duty) unless the graduate says no; an agency sees the graduate as a nameless candidate
for its authorised employers' postings only when the graduate accepts offers at all; a training
institution sees the name of a graduate sent to its course only when the graduate accepts the
plan service. Pure functions over the stored record: the store and the API both use them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Each kind of sharing and what the graduate is told it means.
SHARE: dict[str, str] = {
    "school": "向毕业院校共享我的推荐、计划和去向记录",
    "agencies": "向获用人单位授权的人力资源服务机构展示我（匿名候选人，不含姓名和联系方式）",
    "training": "向帮扶计划安排的培训机构提供我的姓名，以便报名和登记结业",
}

#: Who each choice concerns, as a heading.
SHORT: dict[str, str] = {
    "school": "毕业院校",
    "agencies": "人力资源服务机构",
    "training": "培训机构",
}


def shares(graduate: Mapping[str, Any], kind: str) -> bool:
    """Whether the graduate's record may be shown to a partner of ``kind`` (a key of
    :data:`SHARE`)."""
    consent = graduate.get("consent") or {}
    choice = (consent.get("share") or {}).get(kind)
    if choice is not None:
        return bool(choice)
    if kind == "school":
        return True
    if kind == "agencies":
        return bool(consent.get("push", False))
    return consents_to_plan(graduate)


def consents_to_plan(graduate: Mapping[str, Any]) -> bool:
    """Consent to the plan service (``consent.plan``), else to being contacted at all."""
    consent = graduate.get("consent") or {}
    return bool(consent.get("plan", consent.get("push", False)))


def choices(graduate: Mapping[str, Any]) -> dict[str, bool]:
    """Every sharing choice as it applies now (made or following its default)."""
    return {kind: shares(graduate, kind) for kind in SHARE}
