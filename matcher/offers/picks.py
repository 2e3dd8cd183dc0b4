"""The postings a campaign offers to one chunk of its graduates: the rules each graduate's own
record decides, then every graduate's best postings with places left, spread over postings so
that none gets more open offers than its capacity."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from matcher.engine.batches import Ranking
from matcher.engine.explain import reasons
from matcher.engine.features import Profile
from matcher.engine.served import in_model_order
from matcher.offers.single import assign, new_offer_id, week_ago
from matcher.store.offers import NewOffer, Offers

if TYPE_CHECKING:
    from matcher.engine.orchestrator import Matcher
    from matcher.store.impressions import Impression


def chunk_offers(
    matcher: Matcher,
    offers: Offers,
    campaign: Mapping[str, Any],
    chunk: Sequence[str],
    graduates: Mapping[str, dict[str, Any]],
    capacity: dict[str, int],
    skipped: Counter[str],
    counts: dict[str, Any],
    ranking: Ranking,
    shown: list[Impression] | None = None,
) -> list[NewOffer]:
    """The offers of one chunk of graduates: the rules a graduate's own record decides, then
    each graduate's best postings (by ``ranking``) with places left (``capacity`` is spent in
    place). Given ``shown``, one impression per graduate offered something is added to it:
    the postings offered, in the model's order, each with the rank the model gave it."""
    settings, store = matcher.settings, matcher.store
    k = int(campaign["k"])
    now = datetime.now(UTC)
    recent = offers.recent_counts(chunk, week_ago(now))
    wanted: dict[str, int] = {}
    for gid in chunk:
        g = graduates.get(gid)
        if g is None:  # erased since the segment was read
            skipped["not_found"] += 1
        elif g.get("status", "seeking") != "seeking":
            skipped["not_seeking"] += 1
        elif not (g.get("consent") or {}).get("push"):
            skipped["no_consent"] += 1
        elif (left := settings.offers_per_week - recent.get(gid, 0)) <= 0:
            skipped["weekly_cap"] += 1
        else:
            wanted[gid] = min(k, left)
    pool = max(settings.campaign_pool, 3 * k)
    ranked = ranking(list(wanted), pool, campaign["kinds"])
    candidates = {
        gid: [(m.id, m.score) for m in found if m.id in capacity]
        for gid, found in zip(wanted, ranked, strict=True)
    }
    features = {  # per graduate: one posting's features differ from one graduate to another
        (gid, m.id): m.features for gid, found in zip(wanted, ranked, strict=True) for m in found
    }
    model_rank = {
        (gid, m.id): n
        for gid, found in zip(wanted, ranked, strict=True)
        for n, m in enumerate(found, 1)
    }
    chosen = assign(candidates, wanted, capacity)
    positions = store.get_many("positions", {p for picks in chosen.values() for p, _ in picks})
    made = []
    for gid, picks in chosen.items():
        if not candidates[gid]:
            skipped["no_eligible_posting"] += 1
            continue
        counts["matched"] += 1
        if not picks:
            skipped["capacity_full"] += 1
        if shown is not None and picks:
            ordered = sorted(((p, s, model_rank[gid, p]) for p, s in picks), key=lambda t: t[2])
            shown.append(
                in_model_order(settings, gid, "campaign", ordered, context=str(campaign["id"]))
            )
        profile = Profile.of(graduates[gid], now.date())
        for pid, score in picks:
            why, lacking = reasons(profile, graduates[gid], positions[pid], features[gid, pid])
            made.append(
                NewOffer(
                    new_offer_id(),
                    gid,
                    pid,
                    str(campaign.get("message") or ""),
                    {"score": score, "reasons": why, "missing": lacking},
                    campaign_id=str(campaign["id"]),
                    created_by=campaign.get("created_by"),
                )
            )
    return made
