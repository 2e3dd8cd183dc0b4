"""Personalised offers, one at a time or as campaigns to a segment, under the bureau's rules:

- never the same posting twice to a graduate;
- only graduates seeking work who consented to push messages;
- at most ``offers_per_week`` offers per graduate over the last 7 days;
- nothing is delivered in quiet hours (offers made then wait for the morning);
- only open, unflagged postings of non-blacklisted employers;
- a posting goes to at most headcount × ``capacity_factor`` graduates with an open offer,
  counting earlier offers; a campaign spreads graduates over postings to respect this.

Each create takes an idempotency key: a retried request returns what the first one created.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from matcher.config import Settings
from matcher.errors import ConflictError, MatcherError
from matcher.store import Store
from matcher.store.campaigns import Campaigns
from matcher.store.offers import NewMessage, NewOffer, Offers, Rules
from matcher.taxonomy.regions import place_name

#: The Chinese text of each offer rule, as the people who push offers see it.
REFUSALS = {
    "consent": "本人未同意接收推送",
    "status": "该毕业生当前不在求职状态",
    "posting": "岗位已关闭、待审核或用人单位在黑名单中",
    "repeat": "该岗位已向本人推送过",
    "capacity": "该岗位的推送名额已满",
    "frequency": "本周推送次数已达上限",
}


class OfferRefused(MatcherError):
    """An offer would break one of the rules; ``rule`` names it."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message, zh=f"推送未完成：{REFUSALS.get(rule, '不符合推送规则')}")
        self.rule = rule


@dataclass(frozen=True)
class Created:
    """The result of an idempotent create: the record and whether it was made just now."""

    record: dict[str, Any]
    created: bool


def request_hash(body: Mapping[str, Any]) -> str:
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def replay(rows: Offers | Campaigns, key: str | None, fingerprint: str) -> Created | None:
    """The earlier result for an idempotency key, or None for a new key; the same key with a
    different request is refused."""
    if not key:
        return None
    earlier = rows.by_key(key)
    if earlier is None:
        return None
    if earlier.get("request_hash") != fingerprint:
        raise ConflictError(
            f"Idempotency-Key {key.split(':', 1)[-1]!r} was already used with a different "
            "request; use a new key for a new request",
            zh="该幂等键已用于另一个请求：新请求请使用新的键",
        )
    return Created(earlier, created=False)


# ---- time rules ------------------------------------------------------------------------
def parse_quiet_hours(spec: str) -> tuple[time, time] | None:
    """``"21:00-08:00"`` → (21:00, 08:00); ``off`` (or empty) means no quiet hours."""
    if spec.strip().lower() in ("", "off", "none"):
        return None
    try:
        start, end = (time.fromisoformat(part.strip()) for part in spec.split("-"))
    except ValueError:
        raise ValueError(
            f"quiet hours {spec!r} are not HH:MM-HH:MM (MATCHER_QUIET_HOURS)"
        ) from None
    return start, end


def not_before(now: datetime, settings: Settings) -> datetime:
    """The earliest delivery time at or after ``now`` outside quiet hours (UTC)."""
    window = parse_quiet_hours(settings.quiet_hours)
    if window is None:
        return now
    start, end = window
    local = now.astimezone(ZoneInfo(settings.timezone))
    t = local.time()
    quiet = (start <= t or t < end) if start > end else (start <= t < end)
    if not quiet:
        return now
    day = local.date() if t < end else local.date() + timedelta(days=1)
    wake = datetime.combine(day, end, tzinfo=local.tzinfo)
    return wake.astimezone(UTC)


# ---- building offers -----------------------------------------------------------------
def posting_facts(position: Mapping[str, Any]) -> dict[str, Any]:
    """What an offer says about its posting: title, kind, employer, place, salary, last day."""
    return {
        "id": position["id"],
        "title": position.get("title") or "",
        "kind": position.get("kind") or "full_time",
        "employer": (position.get("employer") or {}).get("name") or "",
        "place": place_name(position.get("location")),
        "salary": position.get("salary"),
        "expires_at": position.get("expires_at"),
    }


def payload(
    message_id: str, offer: NewOffer, graduate: Mapping[str, Any], position: Mapping[str, Any]
) -> dict[str, Any]:
    """What the bureau's messaging systems receive for one offer."""
    return {
        "id": message_id,
        "type": "offer",
        "offer_id": offer.id,
        "campaign_id": offer.campaign_id,
        "graduate": {
            "id": graduate["id"],
            "name": graduate.get("name"),
            "contact": graduate.get("contact") or {},
        },
        "position": posting_facts(position),
        "message": offer.message,
        "score": offer.detail.get("score"),
        "reasons": offer.detail.get("reasons", []),
    }


def messages_for(
    offers: Sequence[NewOffer],
    graduates: Mapping[str, Mapping[str, Any]],
    positions: Mapping[str, Mapping[str, Any]],
    settings: Settings,
    now: datetime,
) -> list[NewMessage]:
    """One outbox message per offer and configured webhook, due after quiet hours."""
    due = not_before(now, settings)
    out = []
    for offer in offers:
        for endpoint in settings.webhooks:
            mid = uuid.uuid4().hex
            body = payload(mid, offer, graduates[offer.graduate_id], positions[offer.position_id])
            out.append(NewMessage(mid, offer.id, endpoint, body, due))
    return out


def new_offer_id() -> str:
    return "o-" + uuid.uuid4().hex[:16]


# ---- assignment under capacity ---------------------------------------------------------
def assign(
    candidates: Mapping[str, Sequence[tuple[str, float]]],
    wanted: Mapping[str, int],
    capacity: dict[str, int],
) -> dict[str, list[tuple[str, float]]]:
    """Give each graduate up to ``wanted[g]`` of their ranked candidates without exceeding any
    posting's remaining ``capacity`` (updated in place). Rounds: everyone gets their best
    available posting before anyone gets a second, so a full posting sends a graduate to their
    next best one instead of leaving them out; within a round graduates with the strongest
    remaining match choose first."""
    chosen: dict[str, list[tuple[str, float]]] = {g: [] for g in candidates}
    cursor = dict.fromkeys(candidates, 0)
    active = [g for g in candidates if wanted.get(g, 0) > 0 and candidates[g]]
    while active:

        def best(g: str) -> float:
            ranked = candidates[g]
            i = cursor[g]
            while i < len(ranked) and capacity.get(ranked[i][0], 0) <= 0:
                i += 1
            cursor[g] = i
            return ranked[i][1] if i < len(ranked) else float("-inf")

        order = sorted(active, key=lambda g: (-best(g), g))
        still = []
        for g in order:
            ranked, i = candidates[g], cursor[g]
            while i < len(ranked) and capacity.get(ranked[i][0], 0) <= 0:
                i += 1
            if i >= len(ranked):
                continue
            pid, score = ranked[i]
            capacity[pid] -= 1
            chosen[g].append((pid, score))
            cursor[g] = i + 1
            if len(chosen[g]) < wanted[g]:
                still.append(g)
        active = still
    return chosen


def remaining_capacity(places: Mapping[str, tuple[int, int]], factor: int) -> dict[str, int]:
    """Places left on each posting: headcount × factor minus open offers."""
    return {pid: headcount * factor - held for pid, (headcount, held) in places.items()}


def week_ago(now: datetime) -> datetime:
    return now - timedelta(days=7)


def rules(settings: Settings, now: datetime) -> Rules:
    """The offer rules in force at ``now``, as the database checks them when offers are
    written."""
    return Rules(settings.offers_per_week, settings.capacity_factor, week_ago(now))


#: Why the database refused an offer, in English (the Chinese text is in REFUSALS).
REFUSED_EN = {
    "posting": "posting {p!r} cannot be offered: it is closed, flagged for review or its "
    "employer is blacklisted",
    "repeat": "posting {p!r} was already offered to {g!r}, or {g!r} already answered it",
    "replay": "posting {p!r} was already offered to {g!r}",
    "capacity": "posting {p!r} already has headcount × {s.capacity_factor} open offers",
    "frequency": "graduate {g!r} already had {s.offers_per_week} offers in the last 7 days "
    "(limit {s.offers_per_week})",
}


def create_offer(
    store: Store,
    settings: Settings,
    *,
    graduate_id: str,
    position_id: str,
    message: str = "",
    key: str | None = None,
    actor: str | None = None,
    detail: Mapping[str, Any] | None = None,
) -> Created:
    """One offer to one graduate, checked against every rule, with its outbox messages."""
    offers = Offers(store)
    body = {"graduate_id": graduate_id, "position_id": position_id, "message": message}
    fingerprint = request_hash(body)
    earlier = replay(offers, key, fingerprint)
    if earlier:
        return earlier
    graduate = store.get("graduates", graduate_id)
    position = store.get("positions", position_id)
    if graduate.get("status", "seeking") != "seeking":
        raise OfferRefused("status", f"graduate {graduate_id!r} is not seeking work")
    if not (graduate.get("consent") or {}).get("push"):
        raise OfferRefused("consent", f"graduate {graduate_id!r} has not consented to offers")
    now = datetime.now(UTC)
    offer = NewOffer(
        new_offer_id(),
        graduate_id,
        position_id,
        message,
        dict(detail or {}),
        idempotency_key=key,
        request_hash=fingerprint,
        created_by=actor,
    )
    messages = messages_for(
        [offer], {graduate_id: graduate}, {position_id: position}, settings, now
    )
    refused = offers.create([offer], messages, rules(settings, now)).get(offer.id)
    if refused == "replay":  # a concurrent retry with the same key won the race
        again = replay(offers, key, fingerprint)
        if again:
            return again
    if refused:
        raise OfferRefused(
            refused, REFUSED_EN[refused].format(g=graduate_id, p=position_id, s=settings)
        )
    return Created(offers.get(offer.id), created=True)
