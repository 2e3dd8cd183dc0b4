"""The postings a campaign offers to one chunk of its graduates: the rules each graduate's own
record decides, then every graduate's best postings with places left, spread over postings so
that none gets more open offers than its capacity."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from matcher.engine.batches import Ranking, Shortlist
from matcher.engine.explain import reasons
from matcher.engine.features import Profile
from matcher.engine.served import in_model_order
from matcher.offers.single import assign, new_offer_id, week_ago
from matcher.store.offers import NewOffer, Offers

if TYPE_CHECKING:
    from matcher.engine.orchestrator import Matcher
    from matcher.store.impressions import Impression


@dataclass(frozen=True)
class Ranked:
    """One chunk of a campaign's graduates, ready to be offered: their records, who the rules
    let through (and how many offers each may still get), why the others were skipped, and
    each one let through's best postings."""

    chunk: Sequence[str]
    graduates: Mapping[str, dict[str, Any]]
    wanted: dict[str, int]
    skipped: Counter[str]
    ranked: list[Shortlist]


def rank_chunk(
    matcher: Matcher,
    offers: Offers,
    campaign: Mapping[str, Any],
    chunk: Sequence[str],
    ranking: Ranking,
) -> Ranked:
    """The rules each graduate's own record decides (seeking, consent, the weekly cap), then
    the best postings of those let through, by ``ranking``. Nothing here depends on the offers
    of other graduates, so the next chunk is ranked while this one's offers are written."""
    settings = matcher.settings
    graduates = matcher.store.get_many("graduates", chunk)
    k = int(campaign["k"])
    recent = offers.recent_counts(chunk, week_ago(datetime.now(UTC)))
    skipped: Counter[str] = Counter()
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
    return Ranked(chunk, graduates, wanted, skipped, ranked)


def chunk_offers(
    matcher: Matcher,
    campaign: Mapping[str, Any],
    ready: Ranked,
    capacity: dict[str, int],
    skipped: Counter[str],
    counts: dict[str, Any],
    shown: list[Impression] | None = None,
) -> tuple[list[NewOffer], dict[str, dict[str, Any]]]:
    """The offers of one ranked chunk, and the postings they offer: each graduate's best
    postings with places left (``capacity`` is spent in place). Given ``shown``, one
    impression per graduate offered something is added to it: the postings offered, in the
    model's order, each with the rank the model gave it."""
    settings, store = matcher.settings, matcher.store
    graduates, wanted, ranked = ready.graduates, ready.wanted, ready.ranked
    now = datetime.now(UTC)
    skipped.update(ready.skipped)
    lists = dict(zip(wanted, ranked, strict=True))
    candidates = {
        gid: [
            (pid, score)
            for pid, score in zip(found.ids, found.scores, strict=True)
            if pid in capacity
        ]
        for gid, found in lists.items()
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
        at = {pid: lists[gid].ids.index(pid) for pid, _ in picks}  # the model's rank, from 0
        if shown is not None and picks:
            ordered = sorted(((p, s, at[p] + 1) for p, s in picks), key=lambda t: t[2])
            shown.append(
                in_model_order(settings, gid, "campaign", ordered, context=str(campaign["id"]))
            )
        profile = Profile.of(graduates[gid], now.date())
        for pid, score in picks:
            # features per graduate: one posting's differ from one graduate to another
            values = lists[gid].features_of(at[pid])
            why, lacking = reasons(profile, graduates[gid], positions[pid], values)
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
    return made, positions
