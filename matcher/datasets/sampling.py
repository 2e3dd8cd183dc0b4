"""Fast seeded sampling helpers: every draw goes through one ``random.Random``'s ``random()``
so that a run is reproducible and cheap (no per-call weight normalisation)."""

from __future__ import annotations

import bisect
import random
from collections.abc import Callable, Sequence
from itertools import accumulate
from typing import Generic, TypeVar

T = TypeVar("T")


class Weighted(Generic[T]):
    """Draw items with fixed relative weights in O(log n) from a uniform ``r`` in [0, 1)."""

    __slots__ = ("_cum", "_items", "_total")

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        kept = [(item, w) for item, w in pairs if w > 0]
        if not kept:
            raise ValueError("Weighted needs at least one item with a positive weight")
        self._items = [item for item, _ in kept]
        self._cum = list(accumulate(w for _, w in kept))
        self._total = self._cum[-1]

    def __call__(self, r: float) -> T:
        return self._items[bisect.bisect_right(self._cum, r * self._total)]

    @property
    def items(self) -> list[T]:
        return list(self._items)

    def share(self, item: T) -> float:
        """The probability of ``item``."""
        out = 0.0
        prev = 0.0
        for it, c in zip(self._items, self._cum, strict=True):
            if it == item:
                out += c - prev
            prev = c
        return out / self._total


def pairs(text: str) -> list[tuple[str, float]]:
    """Parse ``"本科:6 大专:3 硕士:1"`` into (item, weight) pairs."""
    out: list[tuple[str, float]] = []
    for part in text.split():
        name, _, w = part.rpartition(":")
        out.append((name, float(w)))
    return out


def weighted(text: str) -> Weighted[str]:
    """A sampler over ``"本科:6 大专:3 硕士:1"``."""
    return Weighted(pairs(text))


class Draw:
    """Bound shortcuts over one generator."""

    __slots__ = ("random", "rng")

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.random: Callable[[], float] = rng.random

    def pick(self, seq: Sequence[T]) -> T:
        return seq[int(self.random() * len(seq))]

    def between(self, lo: int, hi: int) -> int:
        """An integer in [lo, hi]."""
        return lo + int(self.random() * (hi - lo + 1))

    def some(self, seq: Sequence[T], lo: int, hi: int) -> list[T]:
        """Between lo and hi distinct items of ``seq`` in random order (a partial
        Fisher–Yates shuffle; several times faster than ``Random.sample`` on short lists)."""
        r = self.random
        n = len(seq)
        k = min(n, lo + int(r() * (hi - lo + 1)))
        items = list(seq)
        for i in range(k):
            j = i + int(r() * (n - i))
            items[i], items[j] = items[j], items[i]
        del items[k:]
        return items
