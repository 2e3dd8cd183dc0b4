"""The reverse direction: the best graduates for a posting. Only graduates seeking work who
consented to be contacted, whose wishes the posting meets and who meet its requirements; a
posting that may not be recommended (flagged, blacklisted employer, closed) gets none."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from matcher.errors import NotFoundError
from matcher.explain import reasons
from matcher.features import Profile, pair_features
from matcher.filters import graduate_accepts
from matcher.match import Match
from matcher.ranking import weighted_score
from matcher.text import position_text

if TYPE_CHECKING:
    from matcher.engine import Matcher

#: Postings whose candidates are searched with one matrix product (bounds its memory).
CANDIDATE_BATCH = 64


def find_candidates(
    matcher: Matcher, position_ids: Sequence[str], k: int, today: date
) -> list[list[Match]]:
    """Top-k graduates for each posting (see :meth:`Matcher.candidates`)."""
    postings = matcher.store.get_many("positions", position_ids)
    missing = [p for p in position_ids if p not in postings]
    if missing:
        raise NotFoundError("position", missing[0])
    reachable = matcher.graduates.slots_of(matcher.store.reachable_graduates())
    pool = max(matcher.settings.candidate_pool, 3 * k)
    out: list[list[Match]] = []
    for start in range(0, len(position_ids), CANDIDATE_BATCH):
        batch = position_ids[start : start + CANDIDATE_BATCH]
        queries = matcher.positions.vectors(batch)
        if len(queries) < len(batch):  # some not yet synced: encode on the fly, never stored
            queries = matcher.encoder.encode_positions([position_text(postings[p]) for p in batch])
        # one gather of the reachable profiles and one product for the whole batch
        scores, slots = matcher.graduates.search_exact(queries, pool, reachable)
        for row, pid in enumerate(batch):
            if not matcher._recommendable(pid, postings[pid]):  # flagged, blacklisted, closed
                out.append([])
                continue
            out.append(_rank_graduates(matcher, postings[pid], scores[row], slots[row], k, today))
    return out


def _rank_graduates(
    matcher: Matcher,
    posting: dict[str, Any],
    scores: np.ndarray,
    slots: np.ndarray,
    k: int,
    today: date,
) -> list[Match]:
    weights = matcher.settings.weights
    keep = slots >= 0
    found = dict(zip(matcher.graduates.key_of(slots[keep]), scores[keep].tolist(), strict=True))
    records = matcher.store.get_many("graduates", list(found))
    ranked = []
    for gid, semantic in found.items():
        graduate = records.get(gid)
        if graduate is None or not graduate_accepts(graduate, posting):
            continue
        profile = Profile.of(graduate, today)
        features = pair_features(profile, posting, semantic=semantic, lexical=0.0, today=today)
        why, lacking = reasons(profile, graduate, posting, features)
        ranked.append(
            Match(
                gid,
                round(weighted_score(features, weights), 4),
                {n: round(v, 4) for n, v in features.items()},
                why,
                lacking,
                title=str(graduate.get("name") or gid),
                subtitle=" ".join(
                    str(graduate.get(f) or "") for f in ("major", "degree", "school")
                ),
                place="、".join((graduate.get("desired") or {}).get("districts") or ()),
            )
        )
    ranked.sort(key=lambda m: (-m.score, m.id))
    return ranked[:k]
