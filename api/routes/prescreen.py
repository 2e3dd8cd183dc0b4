"""Screening a draft posting before it is saved (issue #19, item 4): the flags with the exact
wording, the law and a suggested rewording, and the draft rewritten neutrally. Nothing is
stored. ``POST /positions/screen`` is the employer's check before publishing (a blacklisted
employer is refused with the reason); ``POST /compliance/screen`` screens text only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from api.compliance_answers import Screened
from api.deps import Anyone, StoreDep
from api.openapi import Documented, draft, responses
from matcher.access import AccessDenied, Principal, Role
from matcher.compliance.prescreen import prescreen, refuse_blacklisted
from matcher.records.prepare import employer_id
from matcher.records.schema import PositionIn
from matcher.store import Store

router = APIRouter(tags=["compliance"], route_class=Documented)
Draft = Annotated[dict[str, Any], draft(PositionIn), Body()]


def _employer(store: Store, principal: Principal, posting: dict[str, Any]) -> dict[str, Any] | None:
    """The stored employer a draft is screened for: an employer key's own (a draft naming
    another employer is refused), else the one the draft's ``employer`` names."""
    ref = posting.get("employer")
    ref = ref if isinstance(ref, dict) else {}
    named = store.find_employer(ref) if ref else None
    own = principal.own_employer()
    if own is None:
        return named
    if ref and (named["id"] if named else _computed(ref)) != own:
        raise AccessDenied(
            f"key {principal.key_id} screens postings of its own employer ({own}) only; leave "
            "out employer or name your own",
            zh=f"只能以本单位（{own}）的名义筛查岗位：请不填用人单位，或填写本单位",
        )
    return store.get_many("employers", [own]).get(own)


def _computed(ref: dict[str, Any]) -> str | None:
    name, code = ref.get("name"), ref.get("credit_code")
    if not isinstance(name, str):
        return None
    return employer_id(name, code if isinstance(code, str) else None)


@router.post("/positions/screen", responses=responses(Screened, 403))
def screen_before_publishing(posting: Draft, store: StoreDep, principal: Anyone) -> dict[str, Any]:
    """Check a draft posting (exchange format) before publishing it; nothing is stored. The
    answer lists each flagged wording (category and its Chinese name, rule, the exact text,
    the law it breaks, how to word it), says whether the posting would be published at once
    (``publishable``) or held for the bureau's review, and gives the draft rewritten so that
    nothing is flagged. A blacklisted employer is refused (403, naming the reason). An
    employer key screens for its own employer; the bureau and services for the employer the
    draft names. Roles: employer, service, bureau."""
    principal.allow(Role.BUREAU, Role.EMPLOYER, Role.SERVICE)
    refuse_blacklisted(_employer(store, principal, posting), "screen")
    return prescreen(posting)


@router.post("/compliance/screen", responses=responses(Screened, 403))
def screen(posting: Draft, principal: Anyone) -> dict[str, Any]:
    """Screen a posting's text (exchange format) without storing it: its flags and a neutral
    rewrite, whoever the employer (no blacklist check; see ``POST /positions/screen``).
    Roles: employer, service, bureau."""
    principal.allow(Role.BUREAU, Role.EMPLOYER, Role.SERVICE)
    return prescreen(posting)
