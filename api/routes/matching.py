"""Recommendations both ways, each item with its score, features and Chinese reasons."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Query

from api.answers import Candidates, Recommendations
from api.deps import Anyone, MatcherDep
from api.openapi import Documented, responses
from api.routes._agency import agency_reads
from api.routes.graduates import read_graduate
from matcher.access import AccessDenied, Role
from matcher.engine.served import serve
from matcher.records.sharing import shares
from matcher.store.keys import audit
from matcher.taxonomy.vocab import PositionKind

router = APIRouter(tags=["matching"], route_class=Documented)
K = Annotated[int, Query(ge=1, le=100, description="number of results")]


@router.get(
    "/graduates/{graduate_id}/recommendations",
    responses=responses(Recommendations, 403, 404),
)
def recommendations(
    graduate_id: str,
    matcher: MatcherDep,
    principal: Anyone,
    background: BackgroundTasks,
    k: K = 10,
    kind: Annotated[list[PositionKind] | None, Query()] = None,
    district: Annotated[list[str] | None, Query()] = None,
) -> dict[str, Any]:
    """Best open postings the graduate is eligible for. ``kind`` and ``district`` (a name,
    zone or division code) replace the graduate's stored wishes for this query; education,
    experience and already-offered rules always apply. Roles: bureau, adviser (graduates in
    scope), the graduate. Every list served is logged as an impression (README, "Impressions");
    with ``MATCHER_EXPLORE_RATE`` set, a few lists have one adjacent pair in the top ten
    swapped. The impression is written once the response is out."""
    read_graduate(matcher.store, principal, graduate_id)
    found = serve(
        matcher,
        [graduate_id],
        k,
        surface="api",
        kinds=[x.value for x in kind or ()],
        places=district or (),
        defer=background.add_task,
    )[0]
    return {"graduate_id": graduate_id, "items": [asdict(m) for m in found]}


@router.get("/positions/{position_id}/candidates", responses=responses(Candidates, 403, 404))
def candidates(
    position_id: str, matcher: MatcherDep, principal: Anyone, k: K = 10
) -> dict[str, Any]:
    """Best graduates for a posting: seeking work, consented to contact, wishes and
    requirements met. Roles: bureau, the posting's employer or an agency it authorised (names
    and contact details withheld; every graduate shown is written to the audit log). An agency
    sees only graduates who share with agencies."""
    if principal.role is Role.EMPLOYER:
        principal.check_position(matcher.store.get("positions", position_id))
    elif principal.role is Role.PARTNER:
        agency_reads(matcher.store, principal, matcher.store.get("positions", position_id))
    elif not principal.is_staff():
        raise AccessDenied(
            f"role {principal.role.value} may not list candidates", zh="当前角色无权查看候选人"
        )
    if principal.role is Role.PARTNER:  # only graduates who let agencies see them
        pool = matcher.candidates([position_id], min(3 * k, 300))[0]
        profiles = matcher.store.get_many("graduates", [m.id for m in pool])
        found = [m for m in pool if shares(profiles.get(m.id, {}), "agencies")][:k]
    else:
        found = matcher.candidates([position_id], k)[0]
    items = [asdict(m) for m in found]
    if principal.role in (Role.EMPLOYER, Role.PARTNER):
        for item in items:
            item["title"] = f"候选人 {item['id']}"
        audit(
            matcher.store,
            principal.actor,
            "candidates",
            "graduate",
            [m.id for m in found],
            {"position_id": position_id},
        )
    return {"position_id": position_id, "items": items}
