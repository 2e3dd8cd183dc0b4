"""The Matcher: the one place that knows the order of the stages.

store ─▶ (sync) encode changed text ─▶ index + filter columns ─▶ per query: eligibility ─▶
retrieve (dense, exact or approximate; lexical) ─▶ features ─▶ score ─▶ diversify ─▶ reasons."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import numpy as np

from matcher.config import Settings
from matcher.engine import sync as stages
from matcher.engine.columns import PostingColumns
from matcher.engine.explain import outside_wishes
from matcher.engine.filters import Eligibility
from matcher.engine.match import Match
from matcher.engine.posting_text import PostingText
from matcher.engine.rank import rank
from matcher.engine.rankers import ranker_for
from matcher.engine.retrieve import Candidates, retrieve
from matcher.engine.reverse import ReverseQueries
from matcher.engine.rwlock import ReadWriteLock
from matcher.engine.snapshots import Snapshots
from matcher.engine.sync import SyncReport, encode_stale
from matcher.errors import NotFoundError
from matcher.index.files import IndexUnusableError
from matcher.index.lexical import Lexicon, Segment
from matcher.index.vectors import Assign, VectorIndex
from matcher.store import Store
from matcher.text.encoders import Encoder, load_encoder
from matcher.text.render import graduate_text, position_text

log = logging.getLogger("matcher.engine")
OnBatch = Callable[[int], None]  # told how many postings each batch of a sync brought in


class Matcher(ReverseQueries):
    """Recommendations both ways over the store, with vectors kept in step with it."""

    def __init__(self, settings: Settings, store: Store, encoder: Encoder) -> None:
        self.settings = settings
        self.store = store
        self.encoder = encoder
        self.positions = VectorIndex(encoder.dimension)
        self.graduates = VectorIndex(encoder.dimension, kind="flat")
        self.columns, self.text = PostingColumns(), PostingText()
        self.watermark = 0
        self.lexicon = Lexicon()  # BM25 over the postings' words, row by row
        self.last_sync = SyncReport()
        self.lock = ReadWriteLock()  # queries read; catching up with the store writes
        self.snapshots = Snapshots(settings)
        self.assign: Assign | None = None  # a build's list assignment (None: here)
        self.segment: Segment | None = None  # a build's word segmentation (None: here)
        self.fresh = ""  # why the saved index is ignored on open (a fresh build was asked for)

    @classmethod
    def open(
        cls,
        settings: Settings,
        *,
        store: Store | None = None,
        encoder: Encoder | None = None,
        progress: OnBatch | None = None,
        fresh: bool = False,
        assign: Assign | None = None,
        segment: Segment | None = None,
    ) -> Matcher:
        """Load the saved index if it matches the store and the encoder (catching up with
        changes since it was saved), otherwise (or when ``fresh``) rebuild it from the store;
        ``encoder``, ``assign``, ``segment`` may spread a build (:mod:`matcher.scale.building`)."""
        matcher = cls(
            settings, store or Store.open(settings), encoder or load_encoder(settings.encoder)
        )
        matcher.assign, matcher.segment = assign, segment
        matcher.fresh = "a fresh build was asked for" if fresh else ""
        matcher.sync(progress)
        matcher.flush()  # a one-off command keeps what it caught up with
        return matcher

    @classmethod
    def pinned(cls, settings: Settings, at_least: int) -> Matcher:
        """The saved snapshot, memory-mapped and read-only, never catching up with the store
        (a Ray worker of a campaign, ranking beside the engine that saved it at ``at_least``
        or later)."""
        matcher = cls(settings, Store.open(settings), load_encoder(settings.encoder))
        why = matcher._load(settings.resolved_index_dir, SyncReport(), mapped=True)
        if why or matcher.watermark < at_least:
            raise IndexUnusableError(
                f"no index snapshot at watermark {at_least} or later in "
                f"{settings.resolved_index_dir} ({why or f'found {matcher.watermark}'}); a "
                "Ray worker needs the folder its engine saved, at the same path"
            )
        return matcher

    # ---- keeping vectors in step with the store ---------------------------------------
    def refresh(self) -> SyncReport | None:
        """Catch up with the store if it changed since the last sync (cheap when it did not)."""
        if self.store.watermark() == self.watermark:
            return None
        return self.sync()

    def sync(self, progress: OnBatch | None = None) -> SyncReport:
        """Catch up with the store (``progress`` hears of each batch of postings done)."""
        with self.lock.write():
            return self._sync(progress)

    def _sync(self, progress: OnBatch | None) -> SyncReport:
        folder = self.settings.resolved_index_dir
        report = SyncReport()
        if self.watermark == 0 and len(self.positions) == 0:
            report.reason = self.fresh or self._load(folder, report)
            report.rebuilt = bool(report.reason)
            self.snapshots.saved(-1 if report.rebuilt else self.watermark)
        target = self.store.watermark()
        stale = report.rebuilt or self.positions.needs_build or "columns" in report.details
        if target != self.watermark or stale:
            self._catch_up(report, progress=progress)
            self.watermark = target
            if self.snapshots.due(target, report, stale):
                self._save()
        report.watermark = self.watermark
        self.last_sync = report
        return report

    def _load(self, folder: Any, report: SyncReport, mapped: bool = False) -> str:
        """'' when the saved index was loaded; otherwise why it will be rebuilt."""
        loaded = stages.load_indexes(folder, self.encoder, self.store.watermark(), mapped)
        if isinstance(loaded, str):
            log.warning("rebuilding the index: %s", loaded)
            self.positions = VectorIndex(self.encoder.dimension)
            self.graduates = VectorIndex(self.encoder.dimension, kind="flat")
            return loaded
        self.positions, self.graduates, manifest = loaded
        self.watermark = manifest.watermark
        try:  # columns and text saved with the index: no pass over every stored posting
            self.columns = PostingColumns.from_arrays(self.positions.extra, self.positions.rows)
            self.text = PostingText.from_arrays(self.positions.extra, self.positions.rows)
            self.lexicon = Lexicon.from_arrays(self.positions.extra, self.positions.rows)
            self.lexicon.observe(self.positions.live)
        except ValueError as exc:
            log.info("re-deriving the index's columns from the store: %s", exc)
            self._catch_up(SyncReport(), full=True)
            report.details["columns"] = f"re-derived ({exc})"
        self.positions.extra = {}  # now held by the columns
        return ""

    def _catch_up(
        self, report: SyncReport, full: bool = False, progress: OnBatch | None = None
    ) -> None:
        """Encode postings and profiles whose text changed since the watermark; refresh the
        columns and text of every changed posting (``full``: of all postings, no encoding)."""
        since = 0 if full or report.rebuilt else self.watermark
        if since == 0:
            self.columns, self.text = PostingColumns(), PostingText()
        if since == 0 and not full:  # a rebuild: rows renumbered (a compaction keeps words)
            self.lexicon = Lexicon()
        for batch in self.store.changed_positions(since):
            if not full:
                done = encode_stale(
                    self.positions,
                    [r for r, _ in batch],
                    position_text,
                    self.encoder.encode_positions,
                )
                report.positions_encoded += done
                report.positions_unchanged_text += len(batch) - done
            rows = self.positions, self.columns, self.text, self.lexicon
            stages.refresh_rows(*rows, batch, self.segment)
            if progress is not None:
                progress(len(batch))
        self.columns.resize(self.positions.rows)
        self.text.resize(self.positions.rows)
        self.columns.open &= self.positions.live
        self.columns.changed()
        self.lexicon.observe(self.positions.live)
        if since == 0:
            self.positions.trim()
        if full:
            return
        for profiles in self.store.changed("graduates", since):
            stages.sync_profiles(self.graduates, profiles, self.encoder, report)
        if self.positions.dead_share > 0.2:
            self.lexicon.take(np.flatnonzero(self.positions.live))
            self.positions.compact()
            self._catch_up(SyncReport(), full=True)
        elif self.positions.needs_build:
            self.positions.build(self.assign)

    def _save(self) -> None:
        extra = self.columns.arrays() | self.text.arrays() | self.lexicon.arrays()
        self.snapshots.save(self.positions, self.graduates, self.encoder, self.watermark, extra)

    def flush(self) -> None:
        """Save the index if it holds changes no snapshot has (a server stopping)."""
        with self.lock.write():
            if self.snapshots.watermark != self.watermark:
                self._save()

    # ---- recommendations ----------------------------------------------------------------
    def lexical(self) -> Lexicon:  # BM25 over every indexed posting's text, row by row
        return self.lexicon

    def recommend(
        self,
        graduate_ids: Sequence[str],
        k: int = 10,
        *,
        kinds: Sequence[str] = (),
        places: Sequence[str] = (),
        today: date | None = None,
        explain: bool = True,
        relax: bool = True,
    ) -> list[list[Match]]:
        """Top-k postings for each graduate (batch first), each with features and, unless
        ``explain`` is off (a campaign explains only what it offers), reasons and the
        posting's title, employer and place. When the graduate's wished-for districts leave
        fewer than ``k`` postings, the search widens to the cities around them and each
        posting found outside says so (地点放宽), unless ``relax`` is off (campaigns)."""
        with self.lock.read():
            return self._recommend(graduate_ids, k, kinds, places, today, explain, relax)

    def _recommend(
        self,
        graduate_ids: Sequence[str],
        k: int,
        kinds: Sequence[str],
        places: Sequence[str],
        today: date | None,
        explain: bool,
        relax: bool,
    ) -> list[list[Match]]:
        today = today or date.today()
        graduates = self.store.get_many("graduates", graduate_ids)
        missing = [g for g in graduate_ids if g not in graduates]
        if missing:
            raise NotFoundError("graduate", missing[0])
        reached = self.store.already_reached(list(graduate_ids))
        out = []
        for gid in graduate_ids:
            graduate = graduates[gid]
            excluded = self.positions.slots_of(sorted(reached[gid]))
            rule = Eligibility.for_graduate(
                graduate, today=today, kinds=kinds, places=places, excluded=excluded.tolist()
            )
            query = self.graduates.vectors([gid])
            if not len(query):  # not yet synced: encode on the fly, never stored
                query = self.encoder.encode_graduates([graduate_text(graduate)])
            mask = rule.mask(self.columns)
            ranked = self._search(graduate, query[0], mask, k, today, explain)
            if relax and rule.wider and len(ranked) < k:  # 地点放宽: too few where wished
                wider = rule.widened().mask(self.columns) & ~mask
                more = self._search(graduate, query[0], wider, k - len(ranked), today, explain)
                outside_wishes(more)
                ranked += more
            out.append(ranked)
        return out

    def _search(
        self,
        graduate: dict[str, Any],
        query: np.ndarray,
        mask: np.ndarray,
        k: int,
        today: date,
        explain: bool,
    ) -> list[Match]:
        """Retrieve among the rows of ``mask`` and rank: the best ``k``."""
        found = self.retrieve_for(graduate, query, mask, max(self.settings.candidate_pool, 3 * k))
        return rank(
            graduate,
            found,
            k,
            today,
            columns=self.columns,
            text=self.text,
            weights=self.settings.weights,
            max_per_employer=self.settings.max_per_employer,
            explain=explain,
            ranker=ranker_for(self.settings),
        )

    def retrieve_for(
        self, graduate: dict[str, Any], query: np.ndarray, mask: np.ndarray, pool: int
    ) -> Candidates:
        """The ``pool`` candidates of a graduate among the rows of ``mask`` (what is ranked)."""
        lexical = self.settings.lexical
        return retrieve(
            self.positions,
            query,
            mask,
            pool,
            exact_below=self.settings.exact_search_below,
            lexical=self.lexical() if lexical else None,
            text=graduate_text(graduate) if lexical else "",  # BM25's query
            lexical_pool=self.settings.lexical_pool,
        )
