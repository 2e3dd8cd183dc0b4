"""Exploration for position-bias correction (issue #18, item 3): at rate 0 nothing moves, at
rate 1 exactly one adjacent pair within the top ten changes places, and the recorded
propensities are the exact probabilities of the swap scheme (checked against a Monte Carlo
run over the hash that decides it)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from matcher.config import Settings
from matcher.engine import explore
from matcher.engine.ranker_version import learned_version, weights_version
from matcher.engine.rankers import ranker_version

DAY = date(2026, 12, 5)
IDS = [f"g-{i}" for i in range(20_000)]


def _swapped_pairs(before: list[int], after: list[int]) -> list[int]:
    """The 1-based upper positions p where after has before's p and p+1 exchanged."""
    moved = [p for p, (a, b) in enumerate(zip(before, after, strict=True), 1) if a != b]
    assert len(moved) in (0, 2)
    if moved:
        p, q = moved
        assert q == p + 1 and after[p - 1] == before[q - 1] and after[q - 1] == before[p - 1]
        return [p]
    return []


def test_rate_zero_never_swaps():
    for gid in IDS[:2000]:
        decision = explore.decide(gid, DAY, 0.0, 20)
        assert not decision.explored and decision.swap is None
        assert explore.apply(list(range(20)), decision) == list(range(20))
    assert explore.propensity(3, 3, 20, 0.0) == 1.0
    assert explore.propensity(3, 4, 20, 0.0) == 0.0


@pytest.mark.parametrize("n", [2, 3, 7, 10, 11, 25])
def test_rate_one_always_swaps_exactly_one_adjacent_pair_in_the_top_ten(n):
    upper = Counter()
    for gid in IDS[:3000]:
        decision = explore.decide(gid, DAY, 1.0, n)
        assert decision.explored
        shown = explore.apply(list(range(n)), decision)
        (p,) = _swapped_pairs(list(range(n)), shown)
        assert p == decision.swap and 1 <= p <= min(10, n) - 1
        upper[p] += 1
    assert set(upper) == set(range(1, min(10, n)))  # every pair gets drawn


def test_a_list_of_fewer_than_two_is_never_explored():
    for n in (0, 1):
        assert not explore.decide("g-1", DAY, 1.0, n).explored
        assert explore.propensity(1, 1, n, 0.5) == 1.0


def test_the_decision_is_reproducible_for_a_graduate_and_a_day_and_changes_with_the_day():
    first = [explore.decide(g, DAY, 0.5, 10) for g in IDS[:200]]
    assert first == [explore.decide(g, DAY, 0.5, 10) for g in IDS[:200]]
    other = [explore.decide(g, date(2026, 12, 6), 0.5, 10) for g in IDS[:200]]
    assert first != other


@pytest.mark.parametrize("rate", [0.05, 0.3, 1.0])
@pytest.mark.parametrize("n", [2, 5, 10, 14])
def test_propensities_sum_to_one_over_positions_for_every_item(rate, n):
    for r in range(1, n + 1):
        total = sum(explore.propensity(r, p, n, rate) for p in range(1, n + 1))
        assert total == pytest.approx(1.0)
        assert all(0.0 <= explore.propensity(r, p, n, rate) <= 1.0 for p in range(1, n + 1))
    if n > 10:  # below the top ten nothing moves
        assert explore.propensity(n, n, n, rate) == 1.0


def test_propensities_match_a_monte_carlo_run_of_the_hash():
    rate, n = 0.3, 12
    shown_at: Counter[tuple[int, int]] = Counter()
    explored = 0
    for gid in IDS:
        decision = explore.decide(gid, DAY, rate, n)
        explored += decision.explored
        for p, r in enumerate(explore.apply(list(range(1, n + 1)), decision), 1):
            shown_at[r, p] += 1
    assert explored / len(IDS) == pytest.approx(rate, abs=0.015)
    for r in range(1, n + 1):
        for p in range(1, n + 1):
            expected = explore.propensity(r, p, n, rate)
            assert shown_at[r, p] / len(IDS) == pytest.approx(expected, abs=0.01), (r, p)
    # the formula itself, for an end and an inner item (M = 9 pairs)
    assert explore.propensity(1, 1, n, rate) == pytest.approx(1 - rate / 9)
    assert explore.propensity(5, 5, n, rate) == pytest.approx(1 - 2 * rate / 9)
    assert explore.propensity(5, 4, n, rate) == pytest.approx(rate / 9)
    assert explore.propensity(10, 11, n, rate) == 0.0


def test_rates_outside_the_allowed_range_are_refused():
    with pytest.raises(ValueError, match="between 0 and 1"):
        explore.decide("g-1", DAY, 1.5, 10)
    with pytest.raises(ValueError, match="MATCHER_EXPLORE_RATE"):
        Settings.from_env(env={"MATCHER_EXPLORE_RATE": "0.6"})
    assert Settings.from_env(env={"MATCHER_EXPLORE_RATE": "0.05"}).explore_rate == 0.05


def test_the_ranker_version_names_the_weights():
    default = ranker_version(Settings(ranker="weights"))
    assert default.startswith("weights:") and len(default) == len("weights:") + 8
    assert default == weights_version(Settings().weights)
    changed = ranker_version(Settings(ranker="weights", rank_weights='{"salary": 0}'))
    assert changed != default and changed.startswith("weights:")
    assert learned_version("2026-12-05-ab12") == "learned:2026-12-05-ab12"
    with pytest.raises(ValueError):
        learned_version("has space")
