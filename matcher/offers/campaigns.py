"""Campaigns: the k best postings for every graduate of a segment, offered under the offer
rules (see :mod:`matcher.offers.single`), with posting capacity shared across the campaign.

A campaign is created queued (or scheduled), then run by ``run_campaign`` — in a background
thread of the API or by ``matcher worker``. Progress and counts (matched, offered, skipped by
reason) are written back after every chunk of graduates."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from threading import Event
from typing import TYPE_CHECKING, Any

from matcher.engine.batches import Ranking
from matcher.errors import ConflictError, TaxonomyError
from matcher.offers.picks import Ranked, chunk_offers, rank_chunk
from matcher.offers.single import (
    Created,
    messages_for,
    remaining_capacity,
    replay,
    request_hash,
    rules,
)
from matcher.scale.ranking import ranking_for
from matcher.store import Store
from matcher.store.campaigns import Campaigns, segment_ids
from matcher.store.db import describe
from matcher.store.leases import LeaseLost, runner_id
from matcher.store.offers import NewOffer, Offers, Progress
from matcher.taxonomy.majors import LEVELS, load_majors
from matcher.taxonomy.regions import load_regions
from matcher.taxonomy.vocab import Degree, degree_rank

if TYPE_CHECKING:
    from matcher.engine.orchestrator import Matcher
    from matcher.store.impressions import Impression


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


def run_campaign(matcher: Matcher, campaign_id: str, owner: str | None = None) -> dict[str, Any]:
    """Run a queued or due campaign to the end, or resume one whose runner died (after the
    last chunk it committed); returns its counts. A campaign another runner holds is left
    alone, and so is one taken over by another runner while this one was working. The
    ranking runs on Ray workers when ``MATCHER_RAY_ADDRESS`` is set, here otherwise."""
    store, settings = matcher.store, matcher.settings
    campaigns = Campaigns(store)
    owner = owner or runner_id()
    if not campaigns.claim(campaign_id, owner, settings.run_lease):
        return dict(campaigns.get(campaign_id)["counts"])
    campaign = campaigns.get(campaign_id)
    try:
        with (
            campaigns.held(campaign_id, owner, settings.run_lease) as lost,
            ranking_for(matcher) as ranking,
        ):
            counts = _run(matcher, campaigns, campaign, owner, lost, ranking)
    except LeaseLost:
        return dict(campaigns.get(campaign_id)["counts"])
    except Exception as exc:  # recorded on the campaign, so an operator sees why it stopped
        campaigns.finish(
            campaign_id,
            owner,
            status="failed",
            error=describe(exc, frames=True),
            finished_at=datetime.now(UTC),
        )
        raise
    campaigns.finish(
        campaign_id, owner, status="done", counts=counts, finished_at=datetime.now(UTC)
    )
    return counts


def _run(
    matcher: Matcher,
    campaigns: Campaigns,
    campaign: Mapping[str, Any],
    owner: str,
    lost: Event,
    ranking: Ranking,
) -> dict[str, Any]:
    store, settings = matcher.store, matcher.settings
    offers = Offers(store)
    campaign_id = str(campaign["id"])
    ids = Segment(**campaign["segment"]).graduates(store)
    counts: dict[str, Any] = {"segment": len(ids), "processed": 0, "matched": 0, "offered": 0}
    resume_after = campaign.get("resume_after")
    if resume_after:  # a runner died: go on after the last chunk it committed
        counts = {**counts, **campaign["counts"]}
        ids = [gid for gid in ids if gid > resume_after]
    skipped: Counter[str] = Counter(counts.get("skipped") or {})
    refused: Counter[str] = Counter(counts.get("refused") or {})
    capacity = remaining_capacity(offers.places(), settings.capacity_factor)
    size = settings.campaign_chunk
    chunks = [ids[start : start + size] for start in range(0, len(ids), size)]
    # each chunk is ranked (on Ray workers, or in this process) while the one before it is
    # assigned, explained and written: ranking a chunk reads nothing those writes change
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="campaign-ranking") as ahead:
        before: Future[Ranked] | None = None
        for chunk in [*chunks, []]:
            if lost.is_set():
                raise LeaseLost(campaign_id)
            coming = (
                ahead.submit(rank_chunk, matcher, offers, campaign, chunk, ranking)
                if chunk
                else None
            )
            if before is not None:
                ready = before.result()
                _offer(matcher, offers, campaign, owner, ready, capacity, counts, skipped, refused)
            before = coming
    counts["skipped"] = dict(skipped)
    counts["refused"] = dict(refused)
    counts["graduates_offered"] = counts["matched"] - skipped["capacity_full"]
    return counts


def _offer(
    matcher: Matcher,
    offers: Offers,
    campaign: Mapping[str, Any],
    owner: str,
    ready: Ranked,
    capacity: dict[str, int],
    counts: dict[str, Any],
    skipped: Counter[str],
    refused: Counter[str],
) -> None:
    """Assign, explain and write the offers of one ranked chunk, with the campaign's progress
    (committed together: a runner that dies resumes after the last chunk written)."""
    settings = matcher.settings
    now = datetime.now(UTC)
    shown: list[Impression] | None = [] if settings.log_impressions else None
    made, positions = chunk_offers(matcher, campaign, ready, capacity, skipped, counts, shown)

    def written(kept: list[NewOffer], refused_now: dict[str, str]) -> dict[str, Any]:
        refused.update(refused_now.values())  # offered meanwhile by another process
        counts["offered"] += len(kept)
        counts["processed"] += len(ready.chunk)
        counts["skipped"] = dict(skipped)
        counts["refused"] = dict(refused)
        return dict(counts)

    campaign_id = str(campaign["id"])
    progress = Progress(campaign_id, owner, settings.run_lease, ready.chunk[-1], written)
    messages = messages_for(made, ready.graduates, positions, settings, now)
    # what each graduate was offered is logged with the offers (matcher.engine.served)
    offers.create(made, messages, rules(settings, now), progress, impressions=shown or ())


def run_due(matcher: Matcher, now: datetime | None = None) -> list[str]:
    """Run every queued campaign and every scheduled one whose time has come."""
    due = Campaigns(matcher.store).due(now or datetime.now(UTC))
    for campaign_id in due:
        run_campaign(matcher, campaign_id)
    return due
