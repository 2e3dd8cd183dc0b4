"""What the ranking reads of each posting, for every row of the postings index, kept in memory
and compressed: the lower-case text the features search (title, skills, description) and a
small card of what a result shows and explains (title, employer, place, skills, majors,
education, kind), so that ranking and explaining read no record from the database.
zlib with a preset dictionary taken from the first postings it receives shrinks texts of the
same kind about 3.5-fold (generated postings: 305 bytes a row instead of 1,057). Saved with the
index."""

from __future__ import annotations

import json
import threading
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from matcher.engine.features import posting_body

VERSION = 1  # layout of a row: the card's JSON line, then the body
DICTIONARY_BYTES = 32_768  # zlib's window: a longer preset dictionary is not used
LEVEL = 3  # 3,000 generated postings: 222 bytes a row at 24 µs, level 6 213 bytes at 35 µs
CACHED_ROWS = 20_000  # rows kept unpacked (the postings many graduates are shown; ~25 MB)


CARD_FIELDS = ("title", "kind", "education_min", "skills", "salary", "expires_at")


def _card(record: Mapping[str, Any]) -> str:
    card = {f: record[f] for f in CARD_FIELDS if record.get(f)}
    if (record.get("employer") or {}).get("name"):
        card["employer"] = {"name": record["employer"]["name"]}
    location = record.get("location") or {}
    place = {k: location[k] for k in ("zone", "district", "city") if location.get(k)}
    if place:
        card["location"] = place
    if record.get("majors"):
        card["majors"] = list(record["majors"])[:2]  # reasons name at most two
    return json.dumps(card, ensure_ascii=False, separators=(",", ":"))


class PostingText:
    """Rows loaded from disk stay in one byte array (no object per row); rows written since
    live beside it (a list for new rows, a dict for replaced ones)."""

    def __init__(self, dictionary: bytes = b"") -> None:
        self.dictionary = dictionary
        self._packer: Any = None
        self._blob = np.zeros(0, dtype=np.uint8)  # rows [0, len(_ends)) as loaded
        self._ends = np.zeros(0, dtype=np.int64)
        self._replaced: dict[int, bytes] = {}
        self._tail: list[bytes] = []  # rows from len(_ends) on
        self._title = np.zeros(0, dtype=np.int32)  # characters of the title at the body's start
        self._unpacked: dict[int, str] = {}  # recently read rows, oldest first
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._ends) + len(self._tail)

    def set_many(self, slots: Sequence[int], records: Sequence[Mapping[str, Any]]) -> None:
        """Store the text of each record at its row (the first call picks the dictionary)."""
        texts = [posting_body(r) for r in records]
        # one JSON line (no raw newline inside) then the body
        rows = [f"{_card(r)}\n{body}".encode() for r, (_, body) in zip(records, texts, strict=True)]
        if not self.dictionary and rows:
            self.dictionary = b"\n".join(rows)[-DICTIONARY_BYTES:]
        self.resize(max(slots, default=-1) + 1)
        if self._packer is None:  # primed with the dictionary once; each row starts from a copy
            self._packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15, 9, zdict=self.dictionary)
        base = len(self._ends)
        with self._lock:
            for slot in slots:
                self._unpacked.pop(slot, None)
        for slot, (title, _), row in zip(slots, texts, rows, strict=True):
            packer = self._packer.copy()
            packed = packer.compress(row) + packer.flush()
            if slot < base:
                self._replaced[slot] = packed
            else:
                self._tail[slot - base] = packed
            self._title[slot] = len(title)

    def resize(self, rows: int) -> None:
        if rows > len(self):
            self._tail.extend([b""] * (rows - len(self)))
            grown = np.zeros(rows, dtype=np.int32)
            grown[: len(self._title)] = self._title
            self._title = grown

    def get(self, slots: Sequence[int]) -> list[tuple[str, str]]:
        """(title, body) of each row, lower-case ("" for rows never set)."""
        out = []
        for slot in slots:
            body = self._unpack(slot).partition("\n")[2]
            out.append((body[: self._title[slot]], body))
        return out

    def cards(self, slots: Sequence[int]) -> list[tuple[dict[str, Any], str]]:
        """(card, body) of each row: the card is a posting record with only the fields a
        result shows and its reasons read ({} for rows never set)."""
        out = []
        for slot in slots:
            card, _, body = self._unpack(slot).partition("\n")
            out.append((json.loads(card) if card else {}, body))
        return out

    def _packed(self, slot: int) -> bytes | memoryview:
        base = len(self._ends)
        if slot >= base:
            i = slot - base
            return self._tail[i] if i < len(self._tail) else b""
        replaced = self._replaced.get(slot)
        if replaced is not None:
            return replaced
        start = int(self._ends[slot - 1]) if slot else 0
        return self._blob.data[start : int(self._ends[slot])]

    def _unpack(self, slot: int) -> str:
        found = self._unpacked.get(slot)
        if found is not None:
            return found
        packed = self._packed(slot)
        if not len(packed):
            return ""
        text = zlib.decompressobj(-15, zdict=self.dictionary).decompress(packed).decode()
        with self._lock:  # queries read in several threads
            if len(self._unpacked) >= CACHED_ROWS:  # the oldest goes (first in, first out)
                self._unpacked.pop(next(iter(self._unpacked)))
            self._unpacked[slot] = text
        return text

    @property
    def nbytes(self) -> int:
        rows = sum(len(r) for r in self._tail) + sum(len(r) for r in self._replaced.values())
        return self._blob.nbytes + self._ends.nbytes + rows + self._title.nbytes

    # ---- persistence (arrays saved beside the index) ------------------------------------
    def arrays(self) -> dict[str, npt.NDArray[Any]]:
        rows = [self._packed(slot) for slot in range(len(self))]
        lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
        return {
            "text_blob": np.frombuffer(b"".join(rows), dtype=np.uint8),
            "text_ends": np.cumsum(lengths),
            "text_title": self._title,
            "text_dictionary": np.frombuffer(self.dictionary, dtype=np.uint8),
            "text_version": np.array([VERSION]),
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, npt.NDArray[Any]], rows: int) -> PostingText:
        """The saved column; ValueError when it is missing or does not fit ``rows``."""
        try:
            blob = np.ascontiguousarray(arrays["text_blob"], dtype=np.uint8)
            ends = np.asarray(arrays["text_ends"], dtype=np.int64)
            title = arrays["text_title"]
            dictionary = arrays["text_dictionary"].tobytes()
            version = int(arrays["text_version"][0])
        except KeyError as exc:
            raise ValueError(f"saved text column lacks {exc}") from None
        if version != VERSION:
            raise ValueError(f"saved text column has layout {version}, not {VERSION}")
        if ends.shape != (rows,) or title.shape != (rows,) or (rows and ends[-1] != len(blob)):
            raise ValueError("saved text column does not fit the index")
        column = cls(dictionary)
        column._blob, column._ends = blob, ends
        column._title = title.astype(np.int32)
        return column
