"""Lexical retrieval: BM25 over jieba words, kept row by row beside the postings index.

A row's words are counted once, when its text enters the index (a row's text never changes:
new text is a new row), and kept in inverted files: for every word, the rows holding it and
how often (:mod:`matcher.index.inverted`). Each write adds a small inverted file; files of
similar size are merged, so one posting written costs the segmenting of one text and the files
stay few.
The number of rows, their mean length and each word's document frequency count every row
held, as Lucene counts deleted documents until its segments merge: a row replaced by new text
scores nothing at once and leaves the statistics when the index is compacted and the rows
renumbered (:meth:`Lexicon.take`). Saved with the index as plain arrays.

Scores follow Lucene's BM25: idf = ln(1 + (N - df + 0.5) / (df + 0.5)) times
tf / (tf + k1 (1 - b + b dl / avgdl)), each occurrence of a word in the query counting once.
A query after the best rows of a filter (:meth:`Lexicon.best`) reads whole columns only for its
rarer words: once the best rows found so far score above what the remaining, commoner words
could add to a row not yet seen, those words are looked up only in the rows still in the race
(binary search in their columns), so a word held by half the postings costs little."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from matcher.index.inverted import Ints, Inverted
from matcher.text.render import tokenize

Floats = npt.NDArray[np.float32]
Segment = Callable[[Sequence[str]], list[list[str]]]  # texts → words of each (batch first)
MERGE_RATIO = 4  # merge the newest file into the one before while it is over a quarter of it
#: A word whose column holds more than this many times the filter's rows is looked up row by
#: row (a binary search per eligible row) instead of read whole.
LOOK_UP = 4


def segment_here(texts: Sequence[str]) -> list[list[str]]:
    """The words of each text, segmented in this process (the default :data:`Segment`)."""
    return [tokenize(t) for t in texts]


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

    def add(
        self, rows: Sequence[int] | Ints, texts: Sequence[str], segment: Segment | None = None
    ) -> None:
        """Count the words of new rows (each row once: its text never changes); ``segment``
        may find the words elsewhere (Ray workers during a build)."""
        rows = np.asarray(rows, dtype=np.int64)
        if not len(rows):
            return
        self.resize(int(rows.max()) + 1)
        words: list[int] = []
        docs: list[int] = []
        tf: list[int] = []
        for row, words_of in zip(rows.tolist(), (segment or segment_here)(texts), strict=True):
            counted = Counter(words_of)
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
            merged = Inverted.empty(size)
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
        counted = self.length >= 0
        alive = np.zeros(len(self.length), dtype=bool)
        alive[: len(live)] = live[: len(self.length)]
        self._alive = alive & counted
        self._rows = int(counted.sum())
        mean = float(self.length[counted].mean()) if self._rows else 1.0
        dl = self.length.astype(np.float32) / np.float32(max(mean, 1e-9))
        self._norm = (self.k1 * (1 - self.b + self.b * dl)).astype(np.float32)

    # ---- reads --------------------------------------------------------------------------
    def _asked(self, text: str) -> list[tuple[int, float, int]]:
        """(word, weight: times asked × idf, live rows holding it) of the query's known
        words, the heaviest first."""
        asked = Counter(self._word[w] for w in tokenize(text) if w in self._word)
        weighted = []
        for word, times in asked.items():
            df = self._frequency(word)
            if df:
                idf = float(np.log1p((self._rows - df + 0.5) / (df + 0.5)))
                weighted.append((word, times * idf, df))
        return sorted(weighted, key=lambda w: -w[1])

    def _frequency(self, word: int) -> int:
        """Rows holding ``word``."""
        return sum(int(f.ptr[word + 1] - f.ptr[word]) for f in self.files if word + 1 < len(f.ptr))

    def _add_column(self, out: Floats, word: int, weight: float) -> npt.NDArray[np.int32]:
        """Add ``word``'s part to every row holding it; returns those rows."""
        columns = [f.column(word) for f in self.files]
        docs = np.concatenate([c[0] for c in columns])
        tf = np.concatenate([c[1] for c in columns]).astype(np.float32)
        out[docs] += np.float32(weight) * tf / (tf + self._norm[docs])
        return docs

    def scores(self, text: str) -> Floats:
        """Every row's score (dead rows and rows without text: 0)."""
        out = np.zeros(len(self._alive), dtype=np.float32)
        for word, weight, _ in self._asked(text):
            self._add_column(out, word, weight)
        out[~self._alive] = 0
        return out

    def scores_many(self, queries: Sequence[str]) -> npt.NDArray[np.float32]:
        if not queries:
            return np.zeros((0, len(self._alive)), dtype=np.float32)
        return np.stack([self.scores(q) for q in queries])

    def best(self, text: str, mask: npt.NDArray[np.bool_], pool: int) -> tuple[Ints, Floats]:
        """Rows of ``mask`` scoring above 0 that may be among its ``pool`` best, with their
        exact scores: every row of the true ``pool`` best and of its ties is there."""
        eligible = np.zeros(len(self._alive), dtype=bool)  # rows beyond the mask: not asked
        eligible[: len(mask)] = mask[: len(self._alive)]
        mask = eligible & self._alive
        out = np.zeros(len(self._alive), dtype=np.float32)
        seen = np.zeros(len(self._alive), dtype=bool)
        asked = self._asked(text)
        rest = [*np.cumsum([w for _, w, _ in asked][::-1])[::-1].tolist(), 0.0]
        found: list[Ints] = []
        size, few = 0, int(np.count_nonzero(mask))
        rows_of_mask: Ints | None = None
        for i, (word, weight, df) in enumerate(asked):
            docs: npt.NDArray[np.integer[Any]]
            if df > LOOK_UP * few:  # a column far longer than the filter: look its rows up
                if rows_of_mask is None:
                    rows_of_mask = np.flatnonzero(mask)
                docs = self._add_rows(out, rows_of_mask, word, weight)
            else:
                docs = self._add_column(out, word, weight)
            new = docs[mask[docs] & ~seen[docs]]
            seen[new] = True
            found.append(new.astype(np.int64))
            size += len(new)
            # worth checking when the next word's column is long beside the rows seen
            if size <= pool or i + 1 == len(asked) or 4 * asked[i + 1][2] < size:
                continue
            rows = np.concatenate(found)
            bar = -np.partition(-out[rows], pool - 1)[pool - 1]
            if rest[i + 1] < bar:  # no row unseen so far can reach the pool any more
                rows = np.sort(rows[out[rows] + rest[i + 1] >= bar])
                for later, later_weight, _ in asked[i + 1 :]:
                    self._add_rows(out, rows, later, later_weight)
                return rows, out[rows]
        rows = np.sort(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
        return rows, out[rows]

    def _add_rows(self, out: Floats, rows: Ints, word: int, weight: float) -> Ints:
        """Add ``word``'s part to those of ``rows`` (ascending) that hold it; returns them."""
        held = []
        for part in self.files:
            docs, tf = part.column(word)
            if not len(docs):
                continue
            at = np.minimum(np.searchsorted(docs, rows), len(docs) - 1)
            hit = docs[at] == rows
            count = tf[at[hit]].astype(np.float32)
            found = rows[hit]
            out[found] += np.float32(weight) * count / (count + self._norm[found])
            held.append(found)
        return np.concatenate(held) if held else np.zeros(0, dtype=np.int64)

    # ---- saved with the index -------------------------------------------------------------
    def arrays(self) -> dict[str, npt.NDArray[Any]]:
        self.merge()
        merged = self.files[0] if self.files else Inverted.empty(len(self.vocabulary))
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
        starts = np.zeros(len(docs), dtype=bool)
        starts[ptr[:-1][ptr[:-1] < len(docs)]] = True
        if len(docs) and not ((np.diff(docs) > 0) | starts[1:]).all():
            raise ValueError("the saved lexical index has a word's rows out of order")
        lexicon.files = [Inverted(ptr, np.asarray(docs, np.int32), np.asarray(tf, np.uint16))]
        lexicon.length = length.copy()
        return lexicon
