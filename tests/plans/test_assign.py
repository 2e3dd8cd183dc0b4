"""The min-cost assignment under capacity against the greedy baseline and a brute-force
reference (issue 8)."""

from __future__ import annotations

import itertools
import random

from matcher.plans.assign import Summary, greedy, min_cost, oversubscribed


def test_min_cost_serves_both_graduates_where_greedy_leaves_one_out():
    # g1 slightly prefers A, which is g2's only option: greedy gives A to g1.
    candidates = {"g1": [("A", 0.9), ("B", 0.8)], "g2": [("A", 0.85)]}
    wanted = {"g1": 1, "g2": 1}
    capacity = {"A": 1, "B": 1}
    best, base = min_cost(candidates, wanted, capacity), greedy(candidates, wanted, capacity)
    assert best == {"g1": [("B", 0.8)], "g2": [("A", 0.85)]}
    assert base == {"g1": [("A", 0.9)], "g2": []}
    assert Summary.of(best).covered == 2 > Summary.of(base).covered
    assert Summary.of(best).total_score > Summary.of(base).total_score
    assert capacity == {"A": 1, "B": 1}  # the caller's capacities are not consumed


def test_a_traineeship_with_two_places_is_in_two_plans_not_forty():
    candidates = {f"g{n}": [("T-2", 1.0), (f"T-own{n % 5}", 0.5)] for n in range(40)}
    capacity = {"T-2": 2, **{f"T-own{n}": 3 for n in range(5)}}
    best = min_cost(candidates, dict.fromkeys(candidates, 1), capacity)
    given = [ref for picks in best.values() for ref, _ in picks]
    assert given.count("T-2") == 2
    assert Summary.of(best).covered == 2 + 15  # every place is used, none twice
    assert oversubscribed(best, capacity) == {}


def _brute_force(candidates, capacity):
    """Best (covered, score) over every way to give each graduate one candidate or none."""
    graduates = list(candidates)
    options = [[None, *[ref for ref, _ in candidates[g]]] for g in graduates]
    best = (0, 0.0)
    for combo in itertools.product(*options):
        used = [r for r in combo if r is not None]
        if any(used.count(r) > capacity.get(r, 0) for r in set(used)):
            continue
        score = sum(dict(candidates[g])[r] for g, r in zip(graduates, combo, strict=True) if r)
        best = max(best, (len(used), round(score, 6)))
    return best


def test_min_cost_matches_brute_force_and_never_loses_to_greedy():
    rng = random.Random(8)
    for _ in range(150):
        items = [f"i{n}" for n in range(rng.randint(1, 4))]
        candidates = {
            f"g{n}": [
                (i, round(rng.uniform(0.1, 1.0), 3))
                for i in rng.sample(items, rng.randint(1, len(items)))
            ]
            for n in range(rng.randint(1, 5))
        }
        capacity = {i: rng.randint(0, 2) for i in items}
        wanted = dict.fromkeys(candidates, 1)
        best = Summary.of(min_cost(candidates, wanted, capacity))
        assert (best.assigned, round(best.total_score, 6)) == _brute_force(candidates, capacity)
        base = Summary.of(greedy(candidates, wanted, capacity))
        assert best.assigned >= base.assigned
        if best.assigned == base.assigned:
            assert best.total_score >= base.total_score - 1e-9


def test_several_items_per_graduate_are_distinct_and_within_capacity():
    rng = random.Random(3)
    items = [f"p{n}" for n in range(12)]
    candidates = {
        f"g{n}": sorted(((i, rng.random()) for i in rng.sample(items, 8)), key=lambda x: -x[1])
        for n in range(30)
    }
    capacity = {i: rng.randint(1, 4) for i in items}
    best = min_cost(candidates, dict.fromkeys(candidates, 3), capacity)
    assert oversubscribed(best, capacity) == {}
    for picks in best.values():
        refs = [r for r, _ in picks]
        assert len(refs) == len(set(refs)) <= 3
    base = greedy(candidates, dict.fromkeys(candidates, 3), capacity)
    assert Summary.of(best).assigned >= Summary.of(base).assigned


def test_four_decimal_scores_are_kept_exactly():
    """Scores differing in the fourth decimal: the optimum must not be lost to rounding."""
    candidates = {
        "g-1": [("a", 0.1004), ("b", 0.1000)],
        "g-2": [("a", 0.1001), ("b", 0.0996)],
    }
    chosen = min_cost(candidates, {"g-1": 1, "g-2": 1}, {"a": 1, "b": 1})
    assert chosen == {"g-1": [("b", 0.1000)], "g-2": [("a", 0.1001)]}
    assert Summary.of(chosen).total_score == 0.2001
