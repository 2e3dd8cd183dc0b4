"""Recommendations both ways, each item with its score, features and Chinese reasons."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import MatcherDep
from matcher.taxonomy.vocab import PositionKind

router = APIRouter(tags=["matching"])
K = Annotated[int, Query(ge=1, le=100, description="number of results")]


@router.get("/graduates/{graduate_id}/recommendations")
def recommendations(
    graduate_id: str,
    matcher: MatcherDep,
    k: K = 10,
    kind: Annotated[list[PositionKind] | None, Query()] = None,
    district: Annotated[list[str] | None, Query()] = None,
) -> dict[str, Any]:
    """Best open postings the graduate is eligible for. ``kind`` and ``district`` (a name,
    zone or division code) replace the graduate's stored wishes for this query; education,
    experience and already-offered rules always apply."""
    found = matcher.recommend(
        [graduate_id], k, kinds=[x.value for x in kind or ()], places=district or ()
    )[0]
    return {"graduate_id": graduate_id, "items": [asdict(m) for m in found]}


@router.get("/positions/{position_id}/candidates")
def candidates(position_id: str, matcher: MatcherDep, k: K = 10) -> dict[str, Any]:
    """Best graduates for a posting: seeking work, consented to contact, wishes and
    requirements met."""
    found = matcher.candidates([position_id], k)[0]
    return {"position_id": position_id, "items": [asdict(m) for m in found]}
