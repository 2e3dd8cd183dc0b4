"""Lexical retrieval: BM25 over jieba words, kept row by row beside the postings index.

A row's words are counted once, when its text enters the index (a row's text never changes:
new text is a new row), and kept in inverted files: for every word, the rows holding it and
how often. Each write adds a small inverted file; files of similar size are merged (counting,
no sort), so one posting written costs the segmenting of one text and the files stay few.
The number of live rows, their mean length and each word's document frequency are taken over
the rows alive at the last sync, so a deleted posting stops counting at once; a compaction
renumbers the rows (:meth:`Lexicon.take`). Saved with the index as plain arrays.

Scores follow Lucene's BM25: idf = ln(1 + (N - df + 0.5) / (df + 0.5)) times
tf / (tf + k1 (1 - b + b dl / avgdl)), each occurrence of a word in the query counting once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from matcher.text.render import tokenize

Ints = npt.NDArray[np.int64]
MERGE_RATIO = 4  # merge the newest file into the one before while it is over a quarter of it
MAX_COUNT = np.iinfo(np.uint16).max


@dataclass(frozen=True)
class Inverted:
    """For word t, rows ``docs[ptr[t]:ptr[t + 1]]`` hold it ``tf[...]`` times."""

    ptr: Ints
    docs: npt.NDArray[np.int32]
    tf: npt.NDArray[np.uint16]

    @classmethod
    def of(cls, words: Ints, docs: Ints, tf: Ints, vocabulary: int) -> Inverted:
        order = np.argsort(words, kind="stable")
        counts = np.bincount(words, minlength=vocabulary)
        return cls(
            np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
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

    def column(self, word: int) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.uint16]]:
        if word + 1 >= len(self.ptr):
            return self.docs[:0], self.tf[:0]
        start, end = self.ptr[word], self.ptr[word + 1]
        return self.docs[start:end], self.tf[start:end]

    def words(self) -> Ints:
        """The word of each entry."""
        return np.repeat(np.arange(len(self.ptr) - 1, dtype=np.int64), np.diff(self.ptr))

    def merged(self, newer: Inverted, vocabulary: int) -> Inverted:
        """Both files in one, each word's rows from this file first (a counting merge)."""
        mine, theirs = self.counts(vocabulary), newer.counts(vocabulary)
        ptr = np.concatenate([[0], np.cumsum(mine + theirs)]).astype(np.int64)
        docs = np.empty(len(self) + len(newer), dtype=np.int32)
        tf = np.empty(len(docs), dtype=np.uint16)
        for part, before in ((self, np.zeros_like(mine)), (newer, mine)):
            words = part.words()
            at = ptr[words] + before[words] + (np.arange(len(part)) - part.ptr[words])
            docs[at], tf[at] = part.docs, part.tf
        return Inverted(ptr, docs, tf)

    def renumbered(self, new_row: Ints, vocabulary: int) -> Inverted:
        """Rows renumbered by ``new_row`` (-1: dropped)."""
        rows = new_row[self.docs]
        kept = rows >= 0
        words = self.words()[kept]
        return Inverted(
            np.concatenate([[0], np.cumsum(np.bincount(words, minlength=vocabulary))]).astype(
                np.int64
            ),
            rows[kept].astype(np.int32),
            self.tf[kept],
        )


def _empty(vocabulary: int = 0) -> Inverted:
    return Inverted(
        np.zeros(vocabulary + 1, dtype=np.int64),
        np.zeros(0, dtype=np.int32),
        np.zeros(0, dtype=np.uint16),
    )


class Lexicon:
    """BM25 over the rows of an index; ``scores`` gives every row's score (0 for dead rows,
    rows without text and rows sharing no word with the query)."""

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.vocabulary: list[str] = []
        self._word: dict[str, int] = {}
        self.length = np.zeros(0, dtype=np.int32)  # words of each row; -1: not counted
        self.files: list[Inverted] = []
        self.observe(np.zeros(0, dtype=bool))

    @classmethod
    def over(cls, texts: Sequence[str]) -> Lexicon:
        """Rows 0..n-1 holding ``texts``, all alive (evaluation outside an engine)."""
        lexicon = cls()
        lexicon.add(np.arange(len(texts)), texts)
        lexicon.observe(np.ones(len(texts), dtype=bool))
        return lexicon

    def __len__(self) -> int:
        return len(self.length)

    # ---- writes -------------------------------------------------------------------------
    def resize(self, rows: int) -> None:
        if rows > len(self.length):
            grown = np.full(rows, -1, dtype=np.int32)
            grown[: len(self.length)] = self.length
            self.length = grown

    def missing(self, rows: Sequence[int]) -> list[int]:
        """Those of ``rows`` whose words are not counted yet."""
        self.resize(max(rows, default=-1) + 1)
        return [r for r in rows if self.length[r] < 0]

    def add(self, rows: Sequence[int] | Ints, texts: Sequence[str]) -> None:
        """Count the words of new rows (each row once: its text never changes)."""
        rows = np.asarray(rows, dtype=np.int64)
        if not len(rows):
            return
        self.resize(int(rows.max()) + 1)
        words: list[int] = []
        docs: list[int] = []
        tf: list[int] = []
        for row, text in zip(rows.tolist(), texts, strict=True):
            counted = Counter(tokenize(text))
            self.length[row] = sum(counted.values())
            for word, count in counted.items():
                index = self._word.get(word)
                if index is None:
                    index = self._word[word] = len(self.vocabulary)
                    self.vocabulary.append(word)
                words.append(index)
                docs.append(row)
                tf.append(count)
        size = len(self.vocabulary)
        self.files.append(
            Inverted.of(np.array(words, np.int64), np.array(docs), np.array(tf), size)
        )
        while len(self.files) > 1 and MERGE_RATIO * len(self.files[-1]) >= len(self.files[-2]):
            newest = self.files.pop()
            self.files[-1] = self.files[-1].merged(newest, size)

    def merge(self) -> None:
        """Fold every inverted file into one (before a save)."""
        size = len(self.vocabulary)
        if len(self.files) > 1 or (self.files and len(self.files[0].ptr) != size + 1):
            merged = _empty(size)
            for part in self.files:
                merged = merged.merged(part, size)
            self.files = [merged]

    def take(self, keep: Ints) -> None:
        """Keep only rows ``keep`` (ascending), renumbered 0..len-1 (an index compacted)."""
        new_row = np.full(max(len(self.length), 1), -1, dtype=np.int64)
        keep = keep[keep < len(self.length)]
        new_row[keep] = np.arange(len(keep))
        self.files = [f.renumbered(new_row, len(self.vocabulary)) for f in self.files]
        self.length = self.length[keep]

    def observe(self, live: npt.NDArray[np.bool_]) -> None:
        """Take the statistics over the rows alive now (after every sync)."""
        self.resize(len(live))
        alive = np.zeros(len(self.length), dtype=bool)
        alive[: len(live)] = live[: len(self.length)]
        alive &= self.length >= 0
        self._alive = alive
        self._all_alive = bool(alive.all())
        self._rows = int(alive.sum())
        mean = float(self.length[alive].mean()) if self._rows else 1.0
        dl = self.length.astype(np.float32) / np.float32(max(mean, 1e-9))
        self._norm = (self.k1 * (1 - self.b + self.b * dl)).astype(np.float32)

    # ---- reads --------------------------------------------------------------------------
    def scores(self, text: str) -> npt.NDArray[np.float32]:
        out = np.zeros(len(self._alive), dtype=np.float32)
        asked = Counter(self._word[w] for w in tokenize(text) if w in self._word)
        for word, times in asked.items():
            columns = [f.column(word) for f in self.files]
            docs = np.concatenate([c[0] for c in columns])
            tf = np.concatenate([c[1] for c in columns])
            if not self._all_alive:
                alive = self._alive[docs]
                docs, tf = docs[alive], tf[alive]
            if not len(docs):
                continue
            idf = np.log1p((self._rows - len(docs) + 0.5) / (len(docs) + 0.5))
            counts = tf.astype(np.float32)
            out[docs] += np.float32(times * idf) * counts / (counts + self._norm[docs])
        return out

    def scores_many(self, queries: Sequence[str]) -> npt.NDArray[np.float32]:
        if not queries:
            return np.zeros((0, len(self._alive)), dtype=np.float32)
        return np.stack([self.scores(q) for q in queries])

    # ---- saved with the index -------------------------------------------------------------
    def arrays(self) -> dict[str, npt.NDArray[Any]]:
        self.merge()
        merged = self.files[0] if self.files else _empty(len(self.vocabulary))
        words = "\n".join(self.vocabulary).encode("utf-8")
        return {
            "lexical_words": np.frombuffer(words, dtype=np.uint8),
            "lexical_ptr": merged.ptr,
            "lexical_docs": merged.docs,
            "lexical_tf": merged.tf,
            "lexical_length": self.length,
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, npt.NDArray[Any]], rows: int) -> Lexicon:
        """The lexicon saved with an index of ``rows`` rows; ValueError when it does not fit."""
        names = ("lexical_words", "lexical_ptr", "lexical_docs", "lexical_tf", "lexical_length")
        if any(n not in arrays for n in names):
            raise ValueError("no saved lexical index")
        lexicon = cls()
        raw = bytes(arrays["lexical_words"])
        lexicon.vocabulary = raw.decode("utf-8").split("\n") if raw else []
        lexicon._word = {w: i for i, w in enumerate(lexicon.vocabulary)}
        ptr = np.asarray(arrays["lexical_ptr"], dtype=np.int64)
        length = np.asarray(arrays["lexical_length"], dtype=np.int32)
        docs, tf = arrays["lexical_docs"], arrays["lexical_tf"]
        if len(length) != rows or len(ptr) != len(lexicon.vocabulary) + 1 or ptr[-1] != len(docs):
            raise ValueError("the saved lexical index does not fit the index")
        lexicon.files = [Inverted(ptr, np.asarray(docs, np.int32), np.asarray(tf, np.uint16))]
        lexicon.length = length.copy()
        return lexicon
