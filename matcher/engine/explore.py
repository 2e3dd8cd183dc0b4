"""Exploration for position-bias correction: for a small share ε of displayed lists, one
randomly chosen adjacent pair within the top ten is swapped, and every item is logged with
the probability that an item the model ranked ``r`` is shown at the position it got.

The scheme (per list of n ≥ 2 items; m = min(10, n) and M = m − 1 adjacent pairs, the pair
(j, j+1) for j = 1..M):

- with probability ε the list is *explored*: one pair j is drawn uniformly (probability 1/M)
  and its two items change places; otherwise the model's order is shown unchanged.

So for the item of model rank r ≤ m, with c_r = [r ≥ 2] + [r ≤ m − 1] the number of pairs it
belongs to (1 at either end of the top m, 2 inside it):

- P(shown at p = r)     = 1 − ε · c_r / M   (not explored, or a pair without it was drawn)
- P(shown at p = r − 1) = ε / M            (r ≥ 2: the pair (r − 1, r) was drawn)
- P(shown at p = r + 1) = ε / M            (r ≤ m − 1: the pair (r, r + 1) was drawn)
- 0 at every other position;

the three add up to 1. An item below the top m is always shown at its own rank (P = 1), as is
every item when ε = 0 or n < 2. The propensity recorded for an item is the entry for the
position it was actually shown at — also in lists that were not explored, whose items stay
in place with probability 1 − ε·c_r/M when ε > 0.

Whether a list is explored, and which pair, is decided by a hash of the graduate's id and the
day (not by a random generator): the same graduate sees the same order all day, and the
decision can be reproduced from an impression row. Across graduates the hash behaves like a
uniform draw, so the propensities above are the logging policy's.

Only lists that are displayed (the API, the console, a graduate page) are ever explored. A
campaign's offers are real pushes and a plan's postings an adviser's proposal: both always
follow the model's order and record propensity 1."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

T = TypeVar("T")

TOP = 10  # exploration stays within the first ten positions
#: Surfaces whose lists are displayed and may be explored; others record the model's order.
DISPLAYED = frozenset({"api", "console", "page"})
_SALT = b"matcher-explore-v1"


@dataclass(frozen=True)
class Decision:
    """Whether a list is explored and, if so, the 1-based upper position of the swapped pair."""

    explored: bool
    swap: int | None = None


def decide(graduate_id: str, day: date, rate: float, n: int) -> Decision:
    """Explore with probability ``rate`` (by a hash of the graduate and the day) a list of
    ``n`` items; the swapped pair is drawn uniformly among the first min(10, n) − 1 pairs."""
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"exploration rate {rate} must be between 0 and 1")
    pairs = min(TOP, n) - 1
    if rate <= 0.0 or pairs < 1:
        return Decision(False)
    digest = hashlib.sha256(_SALT + f"|{graduate_id}|{day.isoformat()}".encode()).digest()
    draw = int.from_bytes(digest[:8], "big") / 2.0**64
    if draw >= rate:
        return Decision(False)
    return Decision(True, int.from_bytes(digest[8:16], "big") % pairs + 1)


def apply(items: list[T], decision: Decision) -> list[T]:
    """The items in the order shown (a copy; the pair at ``decision.swap`` exchanged)."""
    shown = list(items)
    if decision.explored and decision.swap is not None:
        j = decision.swap - 1
        shown[j], shown[j + 1] = shown[j + 1], shown[j]
    return shown


def propensity(model_rank: int, shown_rank: int, n: int, rate: float) -> float:
    """P(the item the model ranked ``model_rank`` is shown at ``shown_rank``) under the swap
    scheme with exploration rate ``rate`` in a list of ``n`` items (both ranks 1-based)."""
    m = min(TOP, n)
    pairs = m - 1
    if rate <= 0.0 or pairs < 1 or model_rank > m:
        return 1.0 if shown_rank == model_rank else 0.0
    if shown_rank == model_rank:
        touching = (model_rank >= 2) + (model_rank <= m - 1)
        return 1.0 - rate * touching / pairs
    if abs(shown_rank - model_rank) == 1 and 1 <= shown_rank <= m:
        return rate / pairs
    return 0.0
