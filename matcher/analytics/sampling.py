"""Stratified random samples and the estimate of a count from them."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Any


def stratified_sample(
    population: Sequence[tuple[str, str]], size: int, seed: str
) -> dict[str, tuple[int, list[str]]]:
    """Stratum → (stratum size, ids drawn): proportional allocation, at least one per stratum,
    everything when the population is no larger than ``size``."""
    strata: dict[str, list[str]] = {}
    for record_id, stratum in population:
        strata.setdefault(stratum, []).append(record_id)
    total = len(population)
    out = {}
    for stratum, ids in sorted(strata.items()):
        if total <= size:
            out[stratum] = (len(ids), ids)
            continue
        take = min(len(ids), max(1, round(size * len(ids) / total)))
        rng = random.Random(f"{seed}:{stratum}")
        out[stratum] = (len(ids), sorted(rng.sample(ids, take)))
    return out


def estimate(strata: dict[str, tuple[int, int, int]]) -> dict[str, Any]:
    """Stratified estimate of a count from stratum → (size, judged, hard): the estimated count
    and a 95% normal interval with the finite-population correction."""
    total = sum(n for n, _, _ in strata.values())
    if total == 0:
        return {"population": 0, "judged": 0, "hard": 0, "estimate": 0, "low": 0, "high": 0}
    share, variance = 0.0, 0.0
    for size, judged, hard in strata.values():
        if judged == 0:
            continue
        p, weight = hard / judged, size / total
        share += weight * p
        fpc = (size - judged) / (size - 1) if size > 1 else 0.0
        variance += weight**2 * p * (1 - p) / judged * fpc
    half = 1.96 * math.sqrt(variance) * total
    judged_all = sum(j for _, j, _ in strata.values())
    return {
        "population": total,
        "judged": judged_all,
        "hard": sum(h for _, _, h in strata.values()),
        "exact": judged_all == total,
        "estimate": round(share * total),
        "low": max(0, math.floor(share * total - half)),
        "high": min(total, math.ceil(share * total + half)),
        "share": round(share, 4),
    }
