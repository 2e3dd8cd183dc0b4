"""The vector index: FAISS over our own string ids (the only module that imports faiss).

- ``flat``: exact inner-product search (small collections);
- ``hnsw``: approximate search (HNSW graph over 8-bit scalar-quantised vectors) for large ones.

Vectors are also kept as float32 rows, so a query restricted to a small subset of postings is
answered exactly over that subset, and the graph can be rebuilt without re-encoding. Updates
append a new row and tombstone the old one; removals tombstone; :meth:`compact` drops the dead
rows. Saves are atomic: files go to a fresh version folder, fsynced, then ``manifest.json`` (the
encoder id, dimension, count and store watermark) is replaced in one rename."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from matcher.errors import MatcherError

# faiss ships partial type stubs that do not match its SWIG API: treat it as untyped.
faiss: Any = importlib.import_module("faiss")
Floats = npt.NDArray[np.float32]
Slots = npt.NDArray[np.int64]
FORMAT = 1
HNSW_THRESHOLD = 200_000  # above this many rows "auto" builds an HNSW graph


class IndexUnusableError(MatcherError):
    """The saved index cannot be used (missing, corrupt, or built by another encoder)."""


@dataclass(frozen=True)
class Manifest:
    encoder_id: str
    dimension: int
    kind: str
    count: int
    watermark: int
    version: str
    format: int = FORMAT


class VectorIndex:
    def __init__(
        self,
        dimension: int,
        *,
        kind: str = "auto",
        hnsw_m: int = 32,
        ef_construction: int = 80,
        ef_search: int = 1024,
    ) -> None:
        if kind not in {"auto", "flat", "hnsw"}:
            raise ValueError(f"unknown index kind {kind!r}; use auto, flat or hnsw")
        self.dimension = dimension
        self.kind = kind
        self.hnsw_m, self.ef_construction, self.ef_search = hnsw_m, ef_construction, ef_search
        self._buffer = np.zeros((0, dimension), dtype=np.float32)  # rows + spare capacity
        self._used = 0
        self._keys: list[str] = []
        self._tags: list[str] = []  # per row: hash of the text that was encoded
        self._slot: dict[str, int] = {}
        self._live = np.zeros(0, dtype=bool)
        self._graph: Any = None  # faiss HNSW index over rows [0, _graph_rows)
        self._graph_rows = 0
        self.extra: dict[str, npt.NDArray[Any]] = {}  # arrays saved beside the vectors

    # ---- size and ids ----------------------------------------------------------------
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

    def vectors(self, keys: Sequence[str]) -> Floats:
        return self._vectors[self.slots_of(keys)]

    def tag_of(self, key: str) -> str | None:
        """The text hash stored with ``key`` (None when absent)."""
        slot = self._slot.get(key)
        return None if slot is None else self._tags[slot]

    @property
    def live(self) -> npt.NDArray[np.bool_]:
        return self._live

    # ---- writes -------------------------------------------------------------------------
    def upsert(
        self, keys: Sequence[str], vectors: Floats, tags: Sequence[str] | None = None
    ) -> None:
        """Add or replace vectors (rows must be L2-normalised, float32, ``dimension`` wide)."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.shape != (len(keys), self.dimension):
            raise ValueError(
                f"expected {len(keys)} vectors of dimension {self.dimension}, "
                f"got shape {vectors.shape}"
            )
        if len(set(keys)) != len(keys):
            raise ValueError("duplicate ids in one upsert call")
        self.remove(keys)
        start = len(self._keys)
        self._append(vectors)
        self._live = np.concatenate([self._live, np.ones(len(keys), dtype=bool)])
        for i, key in enumerate(keys):
            self._keys.append(key)
            self._slot[key] = start + i
        self._tags.extend(tags if tags is not None else [""] * len(keys))
        if self._graph is not None:
            self._graph.add(vectors)
            self._graph_rows += len(keys)

    @property
    def _vectors(self) -> Floats:
        """The stored rows (a view of the buffer)."""
        return self._buffer[: self._used]

    @_vectors.setter
    def _vectors(self, rows: Floats) -> None:
        self._buffer, self._used = rows, len(rows)

    def _append(self, vectors: Floats) -> None:
        """Append rows, growing the buffer by half again when full (amortised copies)."""
        need = self._used + len(vectors)
        if need > len(self._buffer):
            grown = np.empty(
                (max(need, len(self._buffer) * 3 // 2, 1024), self.dimension), np.float32
            )
            grown[: self._used] = self._buffer[: self._used]
            self._buffer = grown
        self._buffer[self._used : need] = vectors
        self._used = need

    def trim(self) -> None:
        """Give back spare capacity (after a full build, so memory holds just the rows)."""
        if len(self._buffer) > self._used:
            self._buffer = self._buffer[: self._used].copy()

    def remove(self, keys: Sequence[str]) -> int:
        """Tombstone ids; returns how many were present."""
        gone = [self._slot.pop(k) for k in keys if k in self._slot]
        self._live[gone] = False
        return len(gone)

    def compact(self) -> None:
        """Drop tombstoned rows and rebuild the graph."""
        keep = np.flatnonzero(self._live)
        self._vectors = self._vectors[keep]
        self._keys = [self._keys[i] for i in keep]
        self._tags = [self._tags[i] for i in keep]
        self._slot = {k: i for i, k in enumerate(self._keys)}
        self._live = np.ones(len(self._keys), dtype=bool)
        self._graph = None
        self._graph_rows = 0
        self.build()

    @property
    def dead_share(self) -> float:
        return 1.0 - len(self._slot) / self.rows if self.rows else 0.0

    def build(self) -> None:
        """(Re)build the approximate graph when the kind asks for one."""
        if self.kind == "flat" or (self.kind == "auto" and self.rows < HNSW_THRESHOLD):
            self._graph, self._graph_rows = None, 0
            return
        graph = faiss.IndexHNSWSQ(
            self.dimension, faiss.ScalarQuantizer.QT_8bit, self.hnsw_m, faiss.METRIC_INNER_PRODUCT
        )
        graph.hnsw.efConstruction = self.ef_construction
        graph.train(self._vectors[: min(self.rows, 100_000)])
        graph.add(self._vectors)
        self._graph, self._graph_rows = graph, self.rows

    @property
    def approximate(self) -> bool:
        return self._graph is not None

    # ---- search -------------------------------------------------------------------------
    def search_exact(
        self, queries: Floats, k: int, candidates: Slots | None = None
    ) -> tuple[Floats, Slots]:
        """Exact top-k over live rows (or over ``candidates``); rows of -1 pad short results."""
        rows = (
            np.flatnonzero(self._live) if candidates is None else candidates[self._live[candidates]]
        )
        queries = np.atleast_2d(np.asarray(queries, dtype=np.float32))
        if not len(rows):
            scores = np.zeros((len(queries), 0), dtype=np.float32)
        elif len(rows) * 3 > self.rows:  # a broad subset: score every row, no copy of vectors
            scores = (queries @ self._vectors.T)[:, rows]
        else:
            scores = queries @ self._vectors[rows].T
        return _top_k(scores, rows, k)

    def search_approximate(
        self,
        queries: Floats,
        k: int,
        allowed: npt.NDArray[np.bool_] | None = None,
        ef: int | None = None,
        refine: int = 4,
    ) -> tuple[Floats, Slots]:
        """Approximate top-k among live rows allowed by the mask (over rows): ``refine`` × k
        candidates from the graph, re-scored with the exact vectors. Falls back to exact
        search when no graph is built."""
        if self._graph is None:
            candidates = None if allowed is None else np.flatnonzero(allowed)
            return self.search_exact(queries, k, candidates)
        mask = self._live if allowed is None else (allowed & self._live)
        bitmap = np.packbits(mask[: self._graph_rows], bitorder="little")
        selector = faiss.IDSelectorBitmap(self._graph_rows, faiss.swig_ptr(bitmap))
        fetch = k * refine
        params = faiss.SearchParametersHNSW(sel=selector, efSearch=max(ef or self.ef_search, fetch))
        queries = np.atleast_2d(np.asarray(queries, dtype=np.float32))
        _, found = self._graph.search(queries, fetch, params=params)
        # the graph ranks by 8-bit codes: score its candidates again with the exact vectors
        out_scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
        out_slots = np.full((len(queries), k), -1, dtype=np.int64)
        for i, row in enumerate(found.astype(np.int64)):
            rows = row[row >= 0]
            if len(rows):
                top_scores, top_slots = _top_k(queries[i : i + 1] @ self._vectors[rows].T, rows, k)
                out_scores[i], out_slots[i] = top_scores[0], top_slots[0]
        return out_scores, out_slots

    # ---- persistence ----------------------------------------------------------------------
    def save(
        self,
        folder: Path,
        *,
        encoder_id: str,
        watermark: int,
        extra: dict[str, npt.NDArray[Any]] | None = None,
    ) -> Manifest:
        """Write atomically; readers see the old or the new index, never a mix. ``extra``
        arrays (one value per row, e.g. filter columns) are saved with it and come back in
        :attr:`extra` on load."""
        folder.mkdir(parents=True, exist_ok=True)
        version = f"v{time.time_ns()}"
        target = folder / version
        target.mkdir()
        np.save(target / "vectors.npy", np.ascontiguousarray(self._vectors))
        np.save(target / "keys.npy", np.array(self._keys, dtype=np.str_))
        np.save(target / "tags.npy", np.array(self._tags, dtype=np.str_))
        np.save(target / "live.npy", self._live)
        if self._graph is not None:
            faiss.write_index(self._graph, str(target / "graph.faiss"))
        if extra:
            np.savez(target / "extra.npz", **extra)  # type: ignore[arg-type]
        for path in target.iterdir():
            _fsync(path)
        manifest = Manifest(
            encoder_id,
            self.dimension,
            "hnsw" if self._graph else "flat",
            len(self),
            watermark,
            version,
        )
        tmp = folder / f"manifest.json.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(asdict(manifest), indent=2) + "\n", encoding="utf-8")
        _fsync(tmp)
        os.replace(tmp, folder / "manifest.json")
        _fsync(folder)
        for old in folder.glob("v*"):
            if old.is_dir() and old.name != version:
                shutil.rmtree(old, ignore_errors=True)
        return manifest

    @classmethod
    def load(
        cls, folder: Path, *, encoder_id: str, dimension: int, kind: str = "auto"
    ) -> tuple[VectorIndex, Manifest]:
        """Load a saved index built by the same encoder; :class:`IndexUnusableError` otherwise."""
        manifest = read_manifest(folder)
        if manifest.encoder_id != encoder_id or manifest.dimension != dimension:
            raise IndexUnusableError(
                f"index in {folder} was built by encoder {manifest.encoder_id} "
                f"(dimension {manifest.dimension}), not {encoder_id} (dimension {dimension})"
            )
        files = folder / manifest.version
        try:
            index = cls(dimension, kind=kind)
            index._vectors = np.load(files / "vectors.npy")
            index._keys = [str(k) for k in np.load(files / "keys.npy")]
            index._tags = [str(t) for t in np.load(files / "tags.npy")]
            index._live = np.load(files / "live.npy")
            if (files / "graph.faiss").is_file():
                index._graph = faiss.read_index(str(files / "graph.faiss"))
                index._graph_rows = index._graph.ntotal
            if (files / "extra.npz").is_file():
                with np.load(files / "extra.npz") as arrays:
                    index.extra = {name: arrays[name] for name in arrays.files}
        except (OSError, ValueError, RuntimeError) as exc:
            raise IndexUnusableError(f"index files in {files} are unreadable: {exc}") from exc
        index._slot = {k: i for i, k in enumerate(index._keys) if index._live[i]}
        if (
            index._vectors.shape != (len(index._keys), dimension)
            or len(index._live) != len(index._keys)
            or len(index) != manifest.count
            or (index._graph is not None and index._graph_rows != len(index._keys))
        ):
            raise IndexUnusableError(f"index files in {files} disagree with their manifest")
        return index, manifest


def read_manifest(folder: Path) -> Manifest:
    path = folder / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        manifest = Manifest(**data)
    except FileNotFoundError:
        raise IndexUnusableError(f"no index in {folder}") from None
    except (OSError, ValueError, TypeError) as exc:
        raise IndexUnusableError(f"index manifest {path} is unreadable: {exc}") from exc
    if manifest.format != FORMAT:
        raise IndexUnusableError(f"index format {manifest.format} in {folder} is not {FORMAT}")
    return manifest


def _top_k(scores: Floats, rows: Slots, k: int) -> tuple[Floats, Slots]:
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


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def set_threads(n: int) -> None:
    """FAISS OpenMP threads (2 on the reference machine)."""
    faiss.omp_set_num_threads(n)
