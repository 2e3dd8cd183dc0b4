"""Campaigns: the k best postings for every graduate of a segment, offered under the offer
rules (see :mod:`matcher.offers.single`), with posting capacity shared across the campaign.

A campaign is created queued (or scheduled), then run by ``run_campaign`` — in a background
thread of the API or by ``matcher worker``. Progress and counts (matched, offered, skipped by
reason) are written back after every chunk of graduates."""

from __future__ import annotations

import traceback
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from matcher.config import Settings
from matcher.engine.explain import reasons
from matcher.engine.features import Profile
from matcher.errors import ConflictError, TaxonomyError
from matcher.offers.single import (
    Created,
    assign,
    messages_for,
    new_offer_id,
    remaining_capacity,
    replay,
    request_hash,
    week_ago,
)
from matcher.store import Store
from matcher.store.campaigns import Campaigns, segment_ids
from matcher.store.offers import NewOffer, Offers
from matcher.taxonomy.majors import LEVELS, load_majors
from matcher.taxonomy.regions import load_regions
from matcher.taxonomy.vocab import Degree, degree_rank

if TYPE_CHECKING:
    from matcher.engine.match import Match
    from matcher.engine.orchestrator import Matcher

CHUNK = 1000
RANK_BATCH = 50


@dataclass(frozen=True)
class Segment:
    """Which graduates a campaign addresses; empty lists mean no restriction."""

    graduation_years: list[int] = field(default_factory=list)
    majors: list[str] = field(default_factory=list)  # 专业类 names or codes, majors
    districts: list[str] = field(default_factory=list)  # names, zones or division codes
    degrees: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    needs_support: bool | None = None
    statuses: list[str] = field(default_factory=lambda: ["seeking"])
    graduate_ids: list[str] = field(default_factory=list)

    def codes(self) -> tuple[list[str], list[str]]:
        """(专业类 codes, division codes) named by the segment; unknown names are refused."""
        majors = load_majors()
        major_codes: list[str] = []
        for text in self.majors:
            found = {c.code for lv in LEVELS if (c := majors.major_class(text, lv)) is not None}
            if not found:
                raise TaxonomyError(
                    f"segment.majors: {text!r} is neither a 专业类 (计算机类, 0809) nor a major",
                    zh=f"无法识别的专业或专业类“{text}”",
                )
            major_codes.extend(sorted(found))
        regions = load_regions()
        return major_codes, [regions.resolve(d).code for d in self.districts]

    def graduates(self, store: Store) -> list[str]:
        """Ids of the graduates in the segment (before the offer rules), ordered by id."""
        major_codes, places = self.codes()
        return segment_ids(
            store,
            years=self.graduation_years,
            major_prefixes=major_codes,
            place_prefixes=places,
            degrees=[degree_rank(Degree(d)) for d in self.degrees],
            support=self.support,
            needs_support=self.needs_support,
            statuses=self.statuses,
            ids=self.graduate_ids,
        )


def create_campaign(
    store: Store,
    *,
    name: str,
    segment: Segment,
    k: int,
    kinds: Sequence[str],
    message: str = "",
    scheduled_at: datetime | None = None,
    key: str | None = None,
    actor: str | None = None,
) -> Created:
    """Record a campaign (idempotent per key); it runs when due."""
    campaigns = Campaigns(store)
    body = {
        "name": name,
        "segment": asdict(segment),
        "k": k,
        "kinds": list(kinds),
        "message": message,
        "scheduled_at": scheduled_at.isoformat() if scheduled_at else None,
    }
    fingerprint = request_hash(body)
    if scheduled_at is not None:  # stored in UTC
        if scheduled_at.tzinfo is None:
            raise ValueError("scheduled_at needs a time zone, e.g. 2026-12-01T09:00:00+08:00")
        scheduled_at = scheduled_at.astimezone(UTC)
    earlier = replay(campaigns, key, fingerprint)
    if earlier:
        return earlier
    segment.codes()
    try:
        record = campaigns.create(
            {
                "id": "c-" + uuid.uuid4().hex[:12],
                "name": name,
                "segment": asdict(segment),
                "k": k,
                "kinds": list(kinds),
                "message": message,
                "status": "scheduled" if scheduled_at else "queued",
                "scheduled_at": scheduled_at,
                "idempotency_key": key,
                "request_hash": fingerprint,
                "created_by": actor,
            }
        )
    except ConflictError:
        again = replay(campaigns, key, fingerprint)
        if again:
            return again
        raise
    return Created(record, created=True)


def run_campaign(matcher: Matcher, campaign_id: str) -> dict[str, Any]:
    """Run a queued or due campaign to the end; returns its final counts. A campaign that
    another runner already claimed is left alone."""
    store, settings = matcher.store, matcher.settings
    campaigns = Campaigns(store)
    if not campaigns.claim(campaign_id):
        return dict(campaigns.get(campaign_id)["counts"])
    campaign = campaigns.get(campaign_id)
    counts: dict[str, Any] = {}
    try:
        counts = _run(matcher, Offers(store), campaigns, campaign, settings)
    except Exception as exc:  # recorded on the campaign, so an operator sees why it stopped
        campaigns.update(
            campaign_id,
            status="failed",
            error=f"{exc}\n{traceback.format_exc(limit=5)}",
            finished_at=datetime.now(UTC),
        )
        raise
    campaigns.update(campaign_id, status="done", counts=counts, finished_at=datetime.now(UTC))
    return counts


def _run(
    matcher: Matcher,
    offers: Offers,
    campaigns: Campaigns,
    campaign: Mapping[str, Any],
    settings: Settings,
) -> dict[str, Any]:
    store = matcher.store
    segment = Segment(**campaign["segment"])
    ids = segment.graduates(store)
    k = int(campaign["k"])
    skipped: Counter[str] = Counter()
    counts: dict[str, Any] = {"segment": len(ids), "processed": 0, "matched": 0, "offered": 0}
    capacity = remaining_capacity(offers.places(), settings.capacity_factor)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        now = datetime.now(UTC)
        graduates = store.get_many("graduates", chunk)
        recent = offers.recent_counts(chunk, week_ago(now))
        wanted: dict[str, int] = {}
        for gid in chunk:
            g = graduates[gid]
            if g.get("status", "seeking") != "seeking":
                skipped["not_seeking"] += 1
            elif not (g.get("consent") or {}).get("push"):
                skipped["no_consent"] += 1
            elif (left := settings.offers_per_week - recent.get(gid, 0)) <= 0:
                skipped["weekly_cap"] += 1
            else:
                wanted[gid] = min(k, left)
        pool = max(settings.campaign_pool, 3 * k)
        ranked = _rank(matcher, list(wanted), pool, campaign["kinds"], settings.campaign_threads)
        candidates = {
            gid: [(m.id, m.score) for m in found if m.id in capacity]
            for gid, found in zip(wanted, ranked, strict=True)
        }
        features = {  # per graduate: one posting's features differ from one graduate to another
            (gid, m.id): m.features
            for gid, found in zip(wanted, ranked, strict=True)
            for m in found
        }
        chosen = assign(candidates, wanted, capacity)
        made = []
        positions = store.get_many("positions", {p for picks in chosen.values() for p, _ in picks})
        for gid, picks in chosen.items():
            if not candidates[gid]:
                skipped["no_eligible_posting"] += 1
                continue
            counts["matched"] += 1
            if not picks:
                skipped["capacity_full"] += 1
            profile = Profile.of(graduates[gid], now.date())
            for pid, score in picks:
                why, lacking = reasons(profile, graduates[gid], positions[pid], features[gid, pid])
                detail = {"score": score, "reasons": why, "missing": lacking}
                made.append(
                    NewOffer(
                        new_offer_id(),
                        gid,
                        pid,
                        str(campaign.get("message") or ""),
                        detail,
                        campaign_id=str(campaign["id"]),
                        created_by=campaign.get("created_by"),
                    )
                )
        offers.create(made, messages_for(made, graduates, positions, settings, now))
        counts["offered"] += len(made)
        counts["processed"] += len(chunk)
        counts["skipped"] = dict(skipped)
        campaigns.update(str(campaign["id"]), counts=dict(counts))
    counts["skipped"] = dict(skipped)
    counts["graduates_offered"] = counts["matched"] - skipped["capacity_full"]
    return counts


def _rank(
    matcher: Matcher, ids: Sequence[str], pool: int, kinds: Sequence[str], threads: int
) -> list[list[Match]]:
    """Top ``pool`` postings of each graduate, unexplained, in small batches: the engine's
    read lock is let go between them, so a sync (and the requests queued behind it) never
    waits for a whole chunk; ``threads`` batches at a time."""

    def batch(start: int) -> list[list[Match]]:
        return matcher.recommend(
            ids[start : start + RANK_BATCH], pool, kinds=kinds, explain=False, relax=False
        )

    starts = range(0, len(ids), RANK_BATCH)
    if threads <= 1 or len(starts) <= 1:
        return [found for start in starts for found in batch(start)]
    with ThreadPoolExecutor(max_workers=threads) as executor:
        return [found for done in executor.map(batch, starts) for found in done]


def run_due(matcher: Matcher, now: datetime | None = None) -> list[str]:
    """Run every queued campaign and every scheduled one whose time has come."""
    due = Campaigns(matcher.store).due(now or datetime.now(UTC))
    for campaign_id in due:
        run_campaign(matcher, campaign_id)
    return due
