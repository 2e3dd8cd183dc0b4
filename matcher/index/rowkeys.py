"""The string ids of an index's rows: which row holds each live id, which rows are tombstoned
(replaced or removed), and a 64-bit hash of the text each row was encoded from, so unchanged
text is never encoded again; and the top-k of exact scores. Shared by every index kind in
:mod:`matcher.index.vectors`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

Slots = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float32]


class RowKeys:
    def __init__(self) -> None:
        self._keys: list[str] = []  # per row, tombstoned rows included
        self._tags = np.zeros(0, dtype=np.uint64)  # per row: hash of the text that was encoded
        self._slot: dict[str, int] = {}  # live ids only
        self._live = np.zeros(0, dtype=bool)

    def __len__(self) -> int:
        return len(self._slot)

    @property
    def rows(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._slot

    def keys(self) -> list[str]:
        return list(self._slot)

    def key_of(self, slots: Sequence[int] | Slots) -> list[str]:
        return [self._keys[int(s)] for s in slots]

    def slots_of(self, keys: Sequence[str]) -> Slots:
        """Rows of the given ids (ids not in the index are skipped)."""
        return np.fromiter((self._slot[k] for k in keys if k in self._slot), dtype=np.int64)

    def has_tag(self, key: str, tag: str) -> bool:
        """Whether ``key`` is present and was stored with the text hash ``tag``."""
        slot = self._slot.get(key)
        return slot is not None and int(self._tags[slot]) == text_tag(tag)

    @property
    def live(self) -> npt.NDArray[np.bool_]:
        return self._live

    @property
    def dead_share(self) -> float:
        return 1.0 - len(self._slot) / self.rows if self.rows else 0.0

    def remove(self, keys: Sequence[str]) -> int:
        """Tombstone ids; returns how many were present."""
        gone = [self._slot.pop(k) for k in keys if k in self._slot]
        self._live[gone] = False
        return len(gone)

    def _add_rows(self, keys: Sequence[str], tags: Sequence[str] | None) -> None:
        """New live rows at the end for ``keys`` (tombstone their old rows first)."""
        start = len(self._keys)
        self._live = np.concatenate([self._live, np.ones(len(keys), dtype=bool)])
        for i, key in enumerate(keys):
            self._keys.append(key)
            self._slot[key] = start + i
        new_tags = np.fromiter(
            (text_tag(t) for t in (tags if tags is not None else [""] * len(keys))),
            dtype=np.uint64,
            count=len(keys),
        )
        self._tags = np.concatenate([self._tags, new_tags])

    def _keep_rows(self, keep: Slots) -> None:
        """Only the rows ``keep``, renumbered from 0 (compaction)."""
        self._keys = [self._keys[i] for i in keep]
        self._tags = self._tags[keep]
        self._slot = {k: i for i, k in enumerate(self._keys)}
        self._live = np.ones(len(self._keys), dtype=bool)

    def _save_keys(self, target: Path) -> None:
        np.save(target / "keys.npy", np.array(self._keys, dtype=np.str_))
        np.save(target / "tags.npy", self._tags)
        np.save(target / "live.npy", self._live)

    def _load_keys(self, files: Path) -> None:
        """Read what :meth:`_save_keys` wrote (raises OSError or ValueError when it can't)."""
        self._keys = [str(k) for k in np.load(files / "keys.npy")]
        tags = np.load(files / "tags.npy")
        self._tags = (  # format 1 kept the hex digests themselves
            tags if tags.dtype == np.uint64 else np.fromiter(map(text_tag, tags), np.uint64)
        )
        self._live = np.load(files / "live.npy")
        if len(self._live) != len(self._keys) or len(self._tags) != len(self._keys):
            raise ValueError("ids, tags and tombstones have different lengths")
        self._slot = {k: i for i, k in enumerate(self._keys) if self._live[i]}


def text_tag(text_hash: str) -> int:
    """64 bits of a hex text hash (enough to tell changed text; "" → 0)."""
    return int(text_hash[:16], 16) if text_hash else 0


def top_k(scores: Floats, rows: Slots, k: int) -> tuple[Floats, Slots]:
    """The ``k`` best of each row of ``scores`` (columns = ``rows``), best first; missing places
    are -inf with row -1."""
    n = scores.shape[1]
    out_scores = np.full((scores.shape[0], k), -np.inf, dtype=np.float32)
    out_slots = np.full((scores.shape[0], k), -1, dtype=np.int64)
    if n == 0:
        return out_scores, out_slots
    take = min(k, n)
    part = (
        np.argpartition(-scores, take - 1, axis=1)[:, :take]
        if take < n
        else np.tile(np.arange(n), (scores.shape[0], 1))
    )
    top = np.take_along_axis(scores, part, axis=1)
    order = np.argsort(-top, axis=1, kind="stable")
    out_scores[:, :take] = np.take_along_axis(top, order, axis=1)
    out_slots[:, :take] = rows[np.take_along_axis(part, order, axis=1)]
    return out_scores, out_slots
