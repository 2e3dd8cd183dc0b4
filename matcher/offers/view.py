"""Offers as people read them: each with the posting it is about (title, employer, kind,
salary, place, last day to apply, whether it is still open), so a graduate can decide without a
second request; the bookkeeping of retries and authorship is shown to staff only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from matcher.offers.single import posting_facts
from matcher.store import Store
from matcher.taxonomy.vocab import OFFER_STATUS_LABELS, kind_label

#: Fields of a stored offer that only the bureau's staff need (retries, who made it).
INTERNAL = ("idempotency_key", "request_hash", "created_by")


def posting_summary(posting: dict[str, Any]) -> dict[str, Any]:
    """What a graduate needs to decide about a posting: what the offer's message said, its
    kind in Chinese, and whether it is still open."""
    facts = posting_facts(posting)
    return facts | {
        "kind_label": kind_label(facts["kind"]),
        "open": posting.get("status", "open") == "open" and not posting.get("flagged"),
    }


def readable(
    store: Store, offers: Sequence[dict[str, Any]], *, staff: bool
) -> list[dict[str, Any]]:
    """The offers with their postings' summaries and Chinese status labels; without the
    internal fields unless ``staff``."""
    postings = store.get_many("positions", {str(o["position_id"]) for o in offers})
    out = []
    for offer in offers:
        shown = {k: v for k, v in offer.items() if staff or k not in INTERNAL}
        posting = postings.get(str(offer["position_id"]))
        shown["position"] = posting_summary(posting) if posting else None
        shown["status_label"] = OFFER_STATUS_LABELS.get(str(offer.get("status")), "")
        out.append(shown)
    return out
