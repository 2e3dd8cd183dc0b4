"""A bounded in-memory cache for the ranking stage (posting records, posting texts), so that a
query does not fetch and decode from the database the same popular postings again and again.
The engine drops an entry whenever the store reports the record (or its employer) changed."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import Generic, TypeVar

V = TypeVar("V")


class RecordCache(Generic[V]):
    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._items: OrderedDict[str, V] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._items)

    def get_many(
        self, ids: Sequence[str], fetch: Callable[[list[str]], dict[str, V]]
    ) -> dict[str, V]:
        """Records of ``ids`` (those that exist), fetching the missing ones in one call."""
        found: dict[str, V] = {}
        with self._lock:
            for rid in ids:
                record = self._items.get(rid)
                if record is not None:
                    self._items.move_to_end(rid)
                    found[rid] = record
        missing = [rid for rid in ids if rid not in found]
        self.hits += len(found)
        self.misses += len(missing)
        if missing and self.capacity > 0:
            fetched = fetch(missing)
            found.update(fetched)
            with self._lock:
                self._items.update(fetched)
                while len(self._items) > self.capacity:
                    self._items.popitem(last=False)
        elif missing:
            found.update(fetch(missing))
        return found

    def invalidate(self, ids: Iterable[str]) -> None:
        with self._lock:
            for rid in ids:
                self._items.pop(rid, None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
