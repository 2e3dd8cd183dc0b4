"""Keeping the index in step with the store: what a sync did, and encoding only the records
whose rendered text changed (the text's hash is kept with each row)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from matcher.engine.columns import PostingColumns
from matcher.engine.posting_text import PostingText
from matcher.index.files import IndexUnusableError, Manifest, read_manifest
from matcher.index.lexical import Lexicon, Segment
from matcher.index.vectors import VectorIndex
from matcher.records.prepare import content_hash
from matcher.store.erasure import ERASED_AT
from matcher.text.encoders import Encoder
from matcher.text.render import graduate_text, position_text


@dataclass
class SyncReport:
    positions_encoded: int = 0
    positions_unchanged_text: int = 0
    graduates_encoded: int = 0
    graduates_erased: int = 0  # vectors removed: the index is saved at once
    rebuilt: bool = False
    reason: str = ""
    watermark: int = 0
    details: dict[str, Any] = field(default_factory=dict)


def encode_stale(
    index: VectorIndex,
    records: Sequence[dict[str, Any]],
    render: Callable[[Any], str],
    encode: Callable[[Sequence[str]], np.ndarray],
) -> int:
    """Encode the records whose rendered text differs from what the index holds; returns how
    many were encoded (unchanged text is never encoded again)."""
    texts = {r["id"]: render(r) for r in records}
    hashes = {rid: content_hash({"t": t}) for rid, t in texts.items()}
    stale = [rid for rid in texts if not index.has_tag(rid, hashes[rid])]
    if stale:
        index.upsert(stale, encode([texts[r] for r in stale]), [hashes[r] for r in stale])
    return len(stale)


def sync_profiles(
    index: VectorIndex, profiles: Sequence[dict[str, Any]], encoder: Encoder, report: SyncReport
) -> None:
    """Encode the changed profiles whose text changed; an erased profile's vector leaves the
    index at once (compacted, so the next save holds no trace of it)."""
    gone = [p["id"] for p in profiles if p.get(ERASED_AT)]
    removed = index.remove(gone)
    if removed:
        index.compact()
        report.graduates_erased += int(removed)
    kept = [p for p in profiles if not p.get(ERASED_AT)]
    report.graduates_encoded += encode_stale(index, kept, graduate_text, encoder.encode_graduates)


def load_indexes(
    folder: Path, encoder: Encoder, store_watermark: int, mapped: bool = False
) -> tuple[VectorIndex, VectorIndex, Manifest] | str:
    """The saved postings and profiles indexes with the postings' manifest, or why they
    cannot be used (then the index is rebuilt from the store). ``mapped``: read-only,
    memory-mapped (see :meth:`VectorIndex.load`)."""
    try:
        manifest = read_manifest(folder / "positions")
        positions, _ = VectorIndex.load(
            folder / "positions",
            encoder_id=encoder.model_id,
            dimension=encoder.dimension,
            mapped=mapped,
        )
        graduates, theirs = VectorIndex.load(
            folder / "graduates",
            encoder_id=encoder.model_id,
            dimension=encoder.dimension,
            kind="flat",
            mapped=mapped,
        )
    except IndexUnusableError as exc:
        return str(exc)
    if manifest.watermark > store_watermark or theirs.watermark != manifest.watermark:
        return "index is newer than the store (restored database?)"
    return positions, graduates, manifest


def save_indexes(
    folder: Path,
    positions: VectorIndex,
    graduates: VectorIndex,
    encoder: Encoder,
    watermark: int,
    extra: dict[str, np.ndarray],
) -> None:
    """Save both indexes (atomically each), the postings with their columns and text."""
    positions.save(
        folder / "positions", encoder_id=encoder.model_id, watermark=watermark, extra=extra
    )
    graduates.save(folder / "graduates", encoder_id=encoder.model_id, watermark=watermark)


def refresh_rows(
    positions: VectorIndex,
    columns: PostingColumns,
    text: PostingText,
    lexicon: Lexicon,
    batch: Sequence[tuple[dict[str, Any], bool]],
    segment: Segment | None = None,
) -> None:
    """Set the filter columns and the ranking text of each (posting, recommendable) of a
    batch at its row of the index, and count the words of rows new to the lexicon."""
    columns.resize(positions.rows)
    slots, records = [], []
    for record, recommendable in batch:
        slot = positions.slots_of([record["id"]])
        if len(slot):
            columns.set(int(slot[0]), record, is_open=recommendable)
            slots.append(int(slot[0]))
            records.append(record)
    text.set_many(slots, records)
    new = set(lexicon.missing(slots))
    fresh = [(s, r) for s, r in zip(slots, records, strict=True) if s in new]
    lexicon.add([s for s, _ in fresh], [position_text(r) for _, r in fresh], segment)
