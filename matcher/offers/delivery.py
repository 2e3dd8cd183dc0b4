"""Delivery of offers to the bureau's messaging systems (SMS gateway, WeChat service account,
app push) through signed webhooks, at least once.

Each outbox message is POSTed as JSON to its endpoint with two headers:

- ``X-Matcher-Message-Id``: the stable message id (the same on every retry; de-duplicate on it);
- ``X-Matcher-Signature``: ``t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + body>`` keyed with
  ``MATCHER_WEBHOOK_SECRET`` (check it with :func:`verify`).

A 2xx answer marks the message delivered. Anything else is retried after an exponential
backoff with jitter (never inside quiet hours) up to ``delivery_attempts`` tries, then parked as
a dead letter that an operator lists and retries (``matcher outbox``). A worker that dies
mid-delivery loses nothing: its claim expires after ``delivery_lease`` seconds."""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from matcher.config import Settings
from matcher.offers.single import messages_for, not_before
from matcher.store import Store
from matcher.store.offers import NewOffer, Offers
from matcher.store.outbox import Claimed, Outbox

SIGNATURE_HEADER = "X-Matcher-Signature"
MESSAGE_ID_HEADER = "X-Matcher-Message-Id"

#: (url, body, headers, timeout) → (HTTP status, short answer); raises OSError when unreachable.
Post = Callable[[str, bytes, dict[str, str], float], tuple[int, str]]


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(
    secret: str, header: str, body: bytes, tolerance: float = 300, now: float | None = None
) -> bool:
    """Whether ``header`` is a valid signature of ``body`` made less than ``tolerance``
    seconds ago (receivers should reject replays older than that)."""
    try:
        parts = dict(p.split("=", 1) for p in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), header)


def http_post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status), response.read(200).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read(200).decode("utf-8", "replace")


class Deliverer:
    """Claims due outbox messages and posts them; one call of :meth:`run_once` is one pass."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        post: Post = http_post,
        rng: random.Random | None = None,
    ) -> None:
        self.outbox = Outbox(store)
        self.settings = settings
        self.post = post
        self.rng = rng or random.Random()

    def backoff(self, attempts: int) -> float:
        """Seconds to wait after the ``attempts``-th failed try: base × 2^(attempts-1), capped,
        stretched by a random 0–25% so that retries of many messages spread out."""
        base = self.settings.delivery_backoff * 2 ** max(attempts - 1, 0)
        return float(min(base, self.settings.delivery_backoff_max) * (1 + 0.25 * self.rng.random()))

    def run_once(self, limit: int = 50) -> int:
        """Deliver what is due; returns how many messages were tried."""
        claimed = self.outbox.claim(self.settings.delivery_lease, limit)
        for message in claimed:
            self._deliver(message)
        return len(claimed)

    def _deliver(self, message: Claimed) -> None:
        body = json.dumps(message.payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            MESSAGE_ID_HEADER: message.id,
            SIGNATURE_HEADER: sign(self.settings.webhook_secret, int(time.time()), body),
        }
        try:
            status, answer = self.post(
                message.endpoint, body, headers, self.settings.webhook_timeout
            )
            error = None if 200 <= status < 300 else f"HTTP {status}: {answer[:200]}"
        except OSError as exc:
            error = f"{type(exc).__name__}: {exc}"
        if error is None:
            self.outbox.delivered(message.id)
            return
        if message.attempts >= self.settings.delivery_attempts:
            self.outbox.failed(message.id, error, None)
            return
        wait = timedelta(seconds=self.backoff(message.attempts))
        self.outbox.failed(message.id, error, not_before(datetime.now(UTC) + wait, self.settings))


def queue_recorded(store: Store, settings: Settings, limit: int = 500) -> int:
    """Offers recorded while no webhook was configured get their messages once one is; those
    that may no longer go out (the graduate withdrew consent, the posting is gone) are
    withdrawn, which frees their place. Returns how many offers were settled either way."""
    if not settings.webhooks:
        return 0
    offers = Offers(store)
    recorded, _ = offers.page(status="recorded", limit=limit)
    if not recorded:
        return 0
    graduates = store.get_many("graduates", {o["graduate_id"] for o in recorded})
    positions = store.get_many("positions", {o["position_id"] for o in recorded})

    def deliverable(o: dict[str, Any]) -> bool:
        consent = (graduates.get(o["graduate_id"]) or {}).get("consent") or {}
        return o["position_id"] in positions and bool(consent.get("push"))

    due = [
        NewOffer(
            o["id"],
            o["graduate_id"],
            o["position_id"],
            o["message"] or "",
            dict(o["detail"] or {}),
            campaign_id=o["campaign_id"],
        )
        for o in recorded
        if deliverable(o)
    ]
    withdrawn = offers.withdraw([o["id"] for o in recorded if not deliverable(o)])
    now = datetime.now(UTC)
    return withdrawn + offers.queue(messages_for(due, graduates, positions, settings, now))
