"""A simulated bureau, to learn how much feedback the learned ranker needs
(``benchmarks/bench_feedback.py``).

Generated graduates are given **hidden tastes** the engine never sees: industries they like,
how much pay matters to them, districts they would work in, the kinds of job they want. How
much a graduate likes a posting (:func:`utility`) is computed from the raw records and those
tastes only; it is written without the engine's features (it does not call them, and it
weighs things the features do not hold, such as liked industries). Graduates arrive week by
week; each is sent a list of ten postings a week for four weeks, ordered by the hand weights
with exploration (:mod:`matcher.engine.explore`), and answers as people do (a cascade-free
examination model): they look at the item at rank r with probability 1/r^0.8, and apply to
what they looked at with a probability rising with how much they like it; some applications
end in a hire; some disliked postings are marked not interested, some looked-at ones viewed.

The lists are stored as impressions and the answers as feedback events in the engine's own
store, so training reads them the way it reads a bureau's (:mod:`matcher.quality.
feedback_training`). Truth for scoring is each graduate's utility over their whole candidate
pool: the best 5 % of the pool graded 2, the next 10 % graded 1."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import NormalDist
from typing import Any

import numpy as np
import numpy.typing as npt

from matcher.engine import explore
from matcher.quality.ranker_training import Query, candidate_pool

LIST_SIZE = 10
WEEKS_SERVED = 4
EXAMINE_POWER = 0.8  # P(look at rank r) = 1 / r**EXAMINE_POWER


@dataclass(frozen=True)
class Taste:
    """What a graduate wants that the engine is not told."""

    industries: frozenset[str]
    pay: float  # 0..1: how much more pay than they ask for matters
    districts: frozenset[str]
    kinds: frozenset[str]


def _unit(*parts: str) -> float:
    """A uniform number in [0, 1) fixed by ``parts`` (the same run after run)."""
    digest = hashlib.sha256("|".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


def tastes(
    graduates: Mapping[str, Mapping[str, Any]], industries: Sequence[str], seed: int
) -> dict[str, Taste]:
    """Hidden tastes: two or three liked industries, a pay weight, the districts they asked for
    plus one more, and the kinds they asked for (a few change their mind)."""
    rng = np.random.default_rng(seed)
    pool = sorted(set(industries))
    out = {}
    for gid, g in sorted(graduates.items()):
        desired = g.get("desired") or {}
        liked = rng.choice(pool, size=min(len(pool), int(rng.integers(2, 4))), replace=False)
        districts = set(desired.get("districts") or [])
        kinds = set(desired.get("kinds") or ["full_time"])
        if rng.random() < 0.2:
            kinds = {str(rng.choice(["full_time", "internship", "traineeship"]))}
        out[gid] = Taste(
            frozenset(map(str, liked)), float(rng.random()), frozenset(districts), frozenset(kinds)
        )
    return out


def utility(taste: Taste, graduate: Mapping[str, Any], posting: Mapping[str, Any]) -> float:
    """How much the graduate likes the posting, from the records and the hidden taste."""
    skills = {s.lower() for s in graduate.get("skills") or []}
    wanted = {s.lower() for s in posting.get("skills") or []}
    fit = len(skills & wanted) / max(1, len(wanted))
    u = 2.0 * fit
    u += 1.2 * (posting.get("industry") in taste.industries)
    salary = posting.get("salary") or {}
    asked = float((graduate.get("desired") or {}).get("salary_min") or 0)
    if salary.get("unit") == "month" and asked > 0:
        middle = (float(salary.get("min") or 0) + float(salary.get("max") or 0)) / 2
        u += 0.8 * taste.pay * max(-1.0, min(1.0, (middle - asked) / asked))
    district = (posting.get("location") or {}).get("district")
    u += 0.6 * (district in taste.districts)
    u += 0.5 * (posting.get("kind") in taste.kinds)
    draw = min(max(_unit(str(graduate.get("id")), str(posting.get("id"))), 1e-9), 1 - 1e-9)
    return u + 0.6 * NormalDist().inv_cdf(draw)


@dataclass
class Pool:
    """One graduate's candidates, their features and their true grades."""

    ids: list[str]
    matrix: npt.NDArray[np.float64]
    utility: npt.NDArray[np.float64]
    grades: npt.NDArray[np.int64]

    def query(self, gid: str) -> Query:
        judged = {i: int(g) for i, g in zip(self.ids, self.grades, strict=True) if g > 0}
        return Query("simulated", gid, self.ids, self.matrix, self.grades, judged)


def pools(matcher: Any, tastes_of: Mapping[str, Taste], today: date) -> dict[str, Pool]:
    """Each graduate's candidate pool with features and true grades (top 5 % → 2, next 10 %
    → 1 of the pool, by utility)."""
    graduates = matcher.store.get_many("graduates", sorted(tastes_of))
    out = {}
    for gid, graduate in sorted(graduates.items()):
        ids, matrix = candidate_pool(matcher, graduate, today)
        if len(ids) < 2 * LIST_SIZE:
            continue
        postings = matcher.store.get_many("positions", ids)
        u = np.array([utility(tastes_of[gid], graduate, postings[i]) for i in ids])
        order = np.argsort(-u)
        grades = np.zeros(len(ids), dtype=np.int64)
        grades[order[: max(1, len(ids) // 20)]] = 2
        grades[order[max(1, len(ids) // 20) : max(2, 3 * len(ids) // 20)]] = 1
        out[gid] = Pool(ids, matrix, u, grades)
    return out


def serve(
    matcher: Any,
    pools_of: Mapping[str, Pool],
    weights: Mapping[str, float],
    start: datetime,
    rate: float,
    seed: int,
) -> dict[str, int]:
    """Serve every graduate four weekly lists from their arrival week (graduates arrive in
    id order, evenly over at least eight weeks), store the lists and the answers; returns
    counts."""
    from matcher.engine.rankers import WeightedRanker
    from matcher.engine.scoring import weight_array
    from matcher.store.feedback import insert_observed
    from matcher.store.impressions import Impression, Item, record

    w = weight_array(weights)
    version = WeightedRanker.of(weights).version
    rng = np.random.default_rng(seed)
    gids = sorted(pools_of)
    weeks = max(8, len(gids) // 50)  # arrival weeks: about 50 graduates a week, 8 at least
    counts = {"lists": 0, "items": 0, "events": 0}
    for n, gid in enumerate(gids):
        pool = pools_of[gid]
        score = pool.matrix @ w
        ranked = sorted(range(len(pool.ids)), key=lambda j: (-score[j], pool.ids[j]))
        for week in range(WEEKS_SERVED):
            at = start + timedelta(
                weeks=n * weeks // len(gids) + week, hours=int(rng.integers(8, 20))
            )
            top = ranked[week * LIST_SIZE : (week + 1) * LIST_SIZE]
            if not top:  # a small pool runs out before the last week
                break
            decision = explore.decide(gid, at.date(), rate, len(top))
            shown = explore.apply(top, decision)
            model_rank = {j: r for r, j in enumerate(top, 1)}
            items = tuple(
                Item(
                    pool.ids[j],
                    r,
                    float(score[j]),
                    explore.propensity(model_rank[j], r, len(top), rate),
                    model_rank[j],
                )
                for r, j in enumerate(shown, 1)
            )
            listed = Impression(gid, "page", version, items, decision.explored, decision.swap, rate)
            record(matcher.store, [listed], at=at)
            events = _answers(gid, pool, shown, at, rng)
            insert_observed(matcher.store, events)
            counts["lists"] += 1
            counts["items"] += len(items)
            counts["events"] += len(events)
    return counts


def _answers(
    gid: str, pool: Pool, shown: Sequence[int], at: datetime, rng: np.random.Generator
) -> list[dict[str, Any]]:
    out = []
    for r, j in enumerate(shown, 1):
        if rng.random() >= 1.0 / r**EXAMINE_POWER:
            continue
        u = float(pool.utility[j])
        when = at + timedelta(hours=int(rng.integers(1, 96)))
        event = None
        if rng.random() < 1 / (1 + math.exp(-3.0 * (u - 2.4))):
            event = "hired" if rng.random() < 0.15 else "applied"
        elif u < 1.0 and rng.random() < 0.15:
            event = "not_interested"
        elif rng.random() < 0.3:
            event = "viewed"
        if event:
            out.append(
                dict(
                    graduate_id=gid,
                    position_id=pool.ids[j],
                    event=event,
                    source="simulation",
                    at=when,
                )
            )
    return out
