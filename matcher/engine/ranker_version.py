"""Which ranker ordered a list: the one string every impression records, so that outcomes can
later be attributed to the ranker that produced the list they followed.

The transparent weighted score reports ``weights:<8 hex digits>``, a hash of its weights
(the defaults with any ``MATCHER_RANK_WEIGHTS`` override applied, in key order): two processes
with the same weights report the same version, and changing one weight changes it. A learned
ranker, once it replaces or blends the weighted score, reports ``learned:<model version>``
through :func:`learned_version`."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

WEIGHTS_PREFIX = "weights:"
LEARNED_PREFIX = "learned:"


def weights_version(weights: Mapping[str, float]) -> str:
    """``weights:`` and the first 8 hex digits of the SHA-256 of the weights as sorted JSON."""
    text = json.dumps({k: float(v) for k, v in sorted(weights.items())}, sort_keys=True)
    return WEIGHTS_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def learned_version(model_version: str) -> str:
    """The version a learned ranker reports, e.g. ``learned:2026-12-05-ab12cd34``."""
    if not model_version or any(c.isspace() for c in model_version):
        raise ValueError(f"model version {model_version!r} must be non-empty, without spaces")
    return LEARNED_PREFIX + model_version
