"""The text the ranking features read (title, skills, description; lower-cased), for every row
of the postings index, kept in memory and compressed: zlib with a preset dictionary taken from
the first postings it receives, which shrinks short texts of the same kind about threefold
(≈ 210 bytes a generated posting instead of 750). Saved with the index."""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from matcher.features import posting_body

DICTIONARY_BYTES = 32_768  # zlib's window: a longer preset dictionary is not used
LEVEL = 6


class TextColumn:
    def __init__(self, dictionary: bytes = b"") -> None:
        self.dictionary = dictionary
        self._rows: list[bytes] = []
        self._title = np.zeros(0, dtype=np.int32)  # characters of the title at the body's start

    def __len__(self) -> int:
        return len(self._rows)

    def set_many(self, slots: Sequence[int], records: Sequence[Mapping[str, Any]]) -> None:
        """Store the text of each record at its row (the first call picks the dictionary)."""
        texts = [posting_body(r) for r in records]
        if not self.dictionary and texts:
            sample = "\n".join(body for _, body in texts).encode("utf-8")
            self.dictionary = sample[-DICTIONARY_BYTES:]
        self.resize(max(slots, default=-1) + 1)
        for slot, (title, body) in zip(slots, texts, strict=True):
            packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15, zdict=self.dictionary)
            self._rows[slot] = packer.compress(body.encode("utf-8")) + packer.flush()
            self._title[slot] = len(title)

    def resize(self, rows: int) -> None:
        if rows > len(self._rows):
            self._rows.extend([b""] * (rows - len(self._rows)))
            grown = np.zeros(rows, dtype=np.int32)
            grown[: len(self._title)] = self._title
            self._title = grown

    def get(self, slots: Sequence[int]) -> list[tuple[str, str]]:
        """(title, body) of each row ("" for rows never set)."""
        out = []
        for slot in slots:
            packed = self._rows[slot] if slot < len(self._rows) else b""
            if not packed:
                out.append(("", ""))
                continue
            body = zlib.decompressobj(-15, zdict=self.dictionary).decompress(packed).decode()
            out.append((body[: self._title[slot]], body))
        return out

    @property
    def nbytes(self) -> int:
        return sum(len(r) for r in self._rows) + self._title.nbytes

    # ---- persistence (arrays saved beside the index) ------------------------------------
    def arrays(self) -> dict[str, npt.NDArray[Any]]:
        lengths = np.fromiter((len(r) for r in self._rows), dtype=np.int64, count=len(self._rows))
        return {
            "text_blob": np.frombuffer(b"".join(self._rows), dtype=np.uint8),
            "text_ends": np.cumsum(lengths),
            "text_title": self._title,
            "text_dictionary": np.frombuffer(self.dictionary, dtype=np.uint8),
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, npt.NDArray[Any]], rows: int) -> TextColumn:
        """The saved column; ValueError when it is missing or does not fit ``rows``."""
        try:
            blob = arrays["text_blob"].tobytes()
            ends = arrays["text_ends"]
            title = arrays["text_title"]
            dictionary = arrays["text_dictionary"].tobytes()
        except KeyError as exc:
            raise ValueError(f"saved text column lacks {exc}") from None
        if ends.shape != (rows,) or title.shape != (rows,) or (rows and ends[-1] != len(blob)):
            raise ValueError("saved text column does not fit the index")
        column = cls(dictionary)
        starts = np.concatenate([[0], ends[:-1]]).tolist()
        column._rows = [blob[s:e] for s, e in zip(starts, ends.tolist(), strict=True)]
        column._title = title.astype(np.int32).copy()
        return column
