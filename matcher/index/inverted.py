"""An inverted file of words: for each word, the rows holding it (ascending) and how often.

Files are immutable; two are merged into a new one, by counting when every row of the newer
file comes after the older file's rows (rows appended to an index), otherwise by a sorted
merge of (word, row) keys. Each word's rows stay ascending, so a query can look rows up in a
column by binary search."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]
Rows = npt.NDArray[np.int32]
Counts = npt.NDArray[np.uint16]
MAX_COUNT = np.iinfo(np.uint16).max


def _pointers(counts: Ints) -> Ints:
    return np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)


@dataclass(frozen=True)
class Inverted:
    """For word t, rows ``docs[ptr[t]:ptr[t + 1]]`` (ascending) hold it ``tf[...]`` times."""

    ptr: Ints
    docs: Rows
    tf: Counts

    @classmethod
    def empty(cls, vocabulary: int = 0) -> Inverted:
        return cls(
            np.zeros(vocabulary + 1, dtype=np.int64),
            np.zeros(0, dtype=np.int32),
            np.zeros(0, dtype=np.uint16),
        )

    @classmethod
    def of(cls, words: Ints, docs: Ints, tf: Ints, vocabulary: int) -> Inverted:
        """From one entry per (word, row) with its count, in any order."""
        order = np.lexsort((docs, words))
        return cls(
            _pointers(np.bincount(words, minlength=vocabulary)),
            docs[order].astype(np.int32),
            np.minimum(tf[order], MAX_COUNT).astype(np.uint16),
        )

    def __len__(self) -> int:
        return len(self.docs)

    def counts(self, vocabulary: int) -> Ints:
        counts = np.zeros(vocabulary, dtype=np.int64)
        own = np.diff(self.ptr)
        counts[: len(own)] = own
        return counts

    def column(self, word: int) -> tuple[Rows, Counts]:
        if word + 1 >= len(self.ptr):
            return self.docs[:0], self.tf[:0]
        start, end = self.ptr[word], self.ptr[word + 1]
        return self.docs[start:end], self.tf[start:end]

    def words(self) -> Ints:
        """The word of each entry."""
        return np.repeat(np.arange(len(self.ptr) - 1, dtype=np.int64), np.diff(self.ptr))

    def merged(self, newer: Inverted, vocabulary: int) -> Inverted:
        """Both files in one; no row may be in both."""
        if not len(self) or not len(newer) or int(newer.docs.min()) > int(self.docs.max()):
            return self._appended(newer, vocabulary)
        mine, theirs = self.words(), newer.words()
        span = np.int64(max(int(self.docs.max()), int(newer.docs.max())) + 1)
        a, b = mine * span + self.docs, theirs * span + newer.docs
        at_a = np.arange(len(a)) + np.searchsorted(b, a)
        at_b = np.arange(len(b)) + np.searchsorted(a, b)
        docs = np.empty(len(a) + len(b), dtype=np.int32)
        tf = np.empty(len(docs), dtype=np.uint16)
        docs[at_a], tf[at_a] = self.docs, self.tf
        docs[at_b], tf[at_b] = newer.docs, newer.tf
        return Inverted(_pointers(self.counts(vocabulary) + newer.counts(vocabulary)), docs, tf)

    def _appended(self, newer: Inverted, vocabulary: int) -> Inverted:
        """Each word's rows of this file, then those of ``newer`` (a counting merge)."""
        mine = self.counts(vocabulary)
        ptr = _pointers(mine + newer.counts(vocabulary))
        docs = np.empty(len(self) + len(newer), dtype=np.int32)
        tf = np.empty(len(docs), dtype=np.uint16)
        for part, before in ((self, np.zeros_like(mine)), (newer, mine)):
            words = part.words()
            at = ptr[words] + before[words] + (np.arange(len(part)) - part.ptr[words])
            docs[at], tf[at] = part.docs, part.tf
        return Inverted(ptr, docs, tf)

    def renumbered(self, new_row: Ints, vocabulary: int) -> Inverted:
        """Rows renumbered by ``new_row`` (ascending where kept; -1: dropped)."""
        rows = new_row[self.docs]
        kept = rows >= 0
        words = self.words()[kept]
        return Inverted(
            _pointers(np.bincount(words, minlength=vocabulary)),
            rows[kept].astype(np.int32),
            self.tf[kept],
        )
