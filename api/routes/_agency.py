"""What an agency's key may do with postings: write and read candidates only for the employers
that authorised it (:mod:`matcher.store.authorisations`), never for a blacklisted one."""

from __future__ import annotations

from typing import Any

from api.routes._writes import Check
from matcher.access import AccessDenied, Principal
from matcher.compliance.prescreen import refuse_blacklisted
from matcher.records.prepare import Prepared, employer_id
from matcher.store import Store
from matcher.store.authorisations import Authorisations
from matcher.store.partners import Partners


def agency_of(store: Store, principal: Principal) -> str:
    """The agency behind a partner key; other partner kinds are refused."""
    partner = Partners(store).get(str(principal.scope.get("partner")))
    if partner["kind"] != "agency":
        raise AccessDenied(
            f"partner {partner['id']} is a {partner['kind']}; only agencies post for employers",
            zh="只有获得用人单位授权的人力资源服务机构可以代发岗位、查看候选人",
        )
    return str(partner["id"])


def require_authorised(store: Store, agency: str, employer: str | None, what: str) -> None:
    if not employer or employer not in Authorisations(store).authorised(agency, {employer}):
        raise AccessDenied(
            f"{what}: agency {agency} holds no current authorisation of employer {employer}",
            zh=f"{what}：本机构没有该用人单位（{employer or '未注明'}）的有效代理招聘授权",
        )


def agency_writes(store: Store, principal: Principal) -> Check:
    agency = agency_of(store, principal)

    def check(item: Prepared, stored: dict[str, Any] | None) -> None:
        ref = item.record.get("employer") or {}
        employer = employer_id(ref.get("name", ""), ref.get("credit_code")) if ref else ""
        require_authorised(store, agency, employer, f"posting {item.id}")
        if stored is not None:
            require_authorised(store, agency, stored.get("employer_id"), f"posting {item.id}")
        refuse_blacklisted(store.get_many("employers", [employer]).get(employer))

    return check


def agency_reads(store: Store, principal: Principal, position: dict[str, Any]) -> None:
    """An agency reads a posting's candidates only for an employer that authorised it."""
    agency = agency_of(store, principal)
    require_authorised(store, agency, position.get("employer_id"), f"posting {position.get('id')}")
