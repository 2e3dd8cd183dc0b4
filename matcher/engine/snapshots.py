"""When the engine saves its index. The store is the truth and keeps every change with its
watermark, so a saved index is a snapshot of the store at its watermark: on start the engine
loads the newest snapshot and encodes only what changed since (the store's change feed is the
log). Saving the whole index on every write would cost seconds per write at a million postings;
instead a snapshot is written when ``MATCHER_INDEX_SAVE_CHANGES`` watermark steps or
``MATCHER_INDEX_SAVE_SECONDS`` have passed since the last one, at once after a rebuild or an
erasure (an erased graduate's vector must leave the files at once), and when the server stops.
A process killed between snapshots loses nothing: it catches up from the last one."""

from __future__ import annotations

import time

import numpy as np

from matcher.config import Settings
from matcher.engine.sync import SyncReport, save_indexes
from matcher.index.vectors import VectorIndex
from matcher.text.encoders import Encoder


class Snapshots:
    """The snapshot policy of one engine: what was saved last, and whether to save now."""

    def __init__(self, settings: Settings) -> None:
        self.folder = settings.resolved_index_dir
        self.every = settings.index_save_changes
        self.seconds = settings.index_save_seconds
        self.watermark = -1  # the watermark of the snapshot on disk (-1: none known)
        self.at = time.monotonic()

    def due(self, watermark: int, report: SyncReport, stale: bool) -> bool:
        """Whether the index caught up to ``watermark`` should be saved now."""
        if watermark == self.watermark and not stale:
            return False
        return (
            stale
            or report.graduates_erased > 0
            or watermark - self.watermark >= self.every
            or time.monotonic() - self.at >= self.seconds
        )

    def saved(self, watermark: int) -> None:
        self.watermark = watermark
        self.at = time.monotonic()

    def save(
        self,
        positions: VectorIndex,
        graduates: VectorIndex,
        encoder: Encoder,
        watermark: int,
        extra: dict[str, np.ndarray],
    ) -> None:
        """Write a snapshot of both indexes at ``watermark`` (each file atomically)."""
        save_indexes(self.folder, positions, graduates, encoder, watermark, extra)
        self.saved(watermark)
