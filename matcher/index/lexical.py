"""Lexical retrieval: BM25 over jieba words (the ``bm25s`` library, imported only here)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from matcher.text.render import tokenize


class BM25:
    """A BM25 index over tokenised documents; ``scores`` gives every document's score."""

    def __init__(self, documents: Sequence[str], k1: float = 1.2, b: float = 0.75) -> None:
        import bm25s

        self.size = len(documents)
        self._retriever: Any = bm25s.BM25(k1=k1, b=b)
        if documents:  # an empty store has nothing to index (bm25s cannot index nothing)
            self._retriever.index([tokenize(d) for d in documents], show_progress=False)

    def scores(self, query: str) -> npt.NDArray[np.float32]:
        words = tokenize(query)
        if not words or not self.size:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._retriever.get_scores(words), dtype=np.float32)

    def scores_many(self, queries: Sequence[str]) -> npt.NDArray[np.float32]:
        return (
            np.stack([self.scores(q) for q in queries])
            if queries
            else np.zeros((0, self.size), dtype=np.float32)
        )
