"""The vector index: FAISS over our own string ids (the only module that imports faiss; its
files and manifest are handled by :mod:`matcher.index.files`).

- ``flat``: float32 rows in memory, exact inner-product search (small collections);
- ``ivf``: an inverted file (k-means lists) over half-precision rows for large ones (half the
  memory of float32; scores differ by about 1e-3). Approximate search scans the lists nearest
  the query, more of them the fewer rows a filter leaves; exact search decodes the allowed
  rows when they are few and otherwise scans every list, scoring only the allowed rows.

Updates append a row and tombstone the old one; :meth:`compact` drops dead rows. Saves are
atomic (see :mod:`matcher.index.files`)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from matcher.index.files import IndexUnusableError, Manifest, new_version, publish, read_manifest
from matcher.index.rowkeys import Floats, RowKeys, Slots, top_k

# faiss ships partial type stubs that do not match its SWIG API: treat it as untyped.
faiss: Any = importlib.import_module("faiss")
IVF_THRESHOLD = 50_000  # from this many rows "auto" builds the inverted file
RETRAIN_GROWTH = 4  # rebuild the lists once the rows are this many times those trained on
MAX_SCAN = 0.12  # an approximate query scans at most this share of the lists
GATHER_BELOW = 2_000  # exact search over fewer rows decodes just those rows
Assign = Callable[[Floats, Floats], npt.NDArray[np.int64]]  # (centroids, rows) → list of each


class VectorIndex(RowKeys):
    """Vectors by string id (the ids' bookkeeping is :class:`matcher.index.rowkeys.RowKeys`)."""

    def __init__(
        self,
        dimension: int,
        *,
        kind: str = "auto",
        lists: int | None = None,
        probes: int = 16,
    ) -> None:
        super().__init__()
        if kind not in {"auto", "flat", "ivf"}:
            raise ValueError(f"unknown index kind {kind!r}; use auto, flat or ivf")
        self.dimension = dimension
        self.kind = kind
        self.lists = lists  # None: about 4 × √rows when the inverted file is built
        self.probes = probes  # lists scanned by an unfiltered approximate query
        self._buffer = np.zeros((0, dimension), dtype=np.float32)  # flat rows + spare capacity
        self._used = 0
        self._ivf: Any = None  # faiss inverted file holding every row (ids are row numbers)
        self._trained_rows = 0
        self.extra: dict[str, npt.NDArray[Any]] = {}  # arrays saved beside the vectors

    # ---- reads -------------------------------------------------------------------------
    def vectors(self, keys: Sequence[str]) -> Floats:
        return self.rows_at(self.slots_of(keys))

    def rows_at(self, slots: Slots) -> Floats:  # float32 vectors of the given rows
        if self._ivf is None:
            return self._buffer[: self._used][slots]
        if not len(slots):
            return np.zeros((0, self.dimension), dtype=np.float32)
        out: Floats = self._ivf.reconstruct_batch(np.ascontiguousarray(slots, dtype=np.int64))
        return out

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
        if self._ivf is None:
            self._append(vectors)
        else:
            self._ivf.add(vectors)  # ids continue from the row count
        self._add_rows(keys, tags)

    def _append(self, vectors: Floats) -> None:
        """Append flat rows, growing the buffer by half again when full (amortised copies)."""
        need = self._used + len(vectors)
        if need > len(self._buffer):
            grown = np.empty(
                (max(need, len(self._buffer) * 3 // 2, 1024), self.dimension), np.float32
            )
            grown[: self._used] = self._buffer[: self._used]
            self._buffer = grown
        self._buffer[self._used : need] = vectors
        self._used = need

    def trim(self) -> None:  # after a full build: memory holds just the rows
        if len(self._buffer) > self._used:
            self._buffer = self._buffer[: self._used].copy()

    def compact(self) -> None:
        """Drop tombstoned rows (and rebuild the inverted file when there is one)."""
        keep = np.flatnonzero(self._live)
        kept = self.rows_at(keep)
        self._keep_rows(keep)
        self._ivf, self._trained_rows = None, 0
        self._buffer, self._used = kept, len(kept)
        self.build()

    @property
    def needs_build(self) -> bool:
        """The kind asks for an inverted file that is missing, or that was trained on far
        fewer rows than there are now."""
        if self.kind == "flat" or (self.kind == "auto" and self.rows < IVF_THRESHOLD):
            return False
        return self._ivf is None or self.rows > RETRAIN_GROWTH * self._trained_rows

    def build(self, assign: Assign | None = None) -> None:
        """Build (or rebuild) the inverted file when the kind asks for one: k-means lists
        trained on a sample, every row added as half-precision floats to its nearest list
        (found by ``assign`` when given, e.g. on Ray workers: :func:`nearest_lists`); the
        float32 rows are then released."""
        if not self.needs_build:
            return
        rows = self.rows_at(np.arange(self.rows)) if self._ivf is not None else self._vectors
        lists = self.lists or int(np.clip(4 * np.sqrt(len(rows)), 16, 65_536))
        quantizer = faiss.IndexFlatIP(self.dimension)
        fp16, product = faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT
        ivf = faiss.IndexIVFScalarQuantizer(quantizer, self.dimension, lists, fp16, product)
        quantizer.this.disown()
        ivf.own_fields = True
        ivf.by_residual = False
        sample = np.random.default_rng(0).permutation(len(rows))[: min(len(rows), 40 * lists)]
        ivf.train(rows[np.sort(sample)])
        ivf.make_direct_map(True)
        centroids: Floats = quantizer.reconstruct_n(0, lists)
        for start in range(0, len(rows), 100_000):
            chunk = np.ascontiguousarray(rows[start : start + 100_000])
            if assign is None:
                ivf.add(chunk)
            else:  # ids continue from the row count, as add() numbers them
                near = np.ascontiguousarray(assign(centroids, chunk), dtype=np.int64)
                ivf.add_core(len(chunk), faiss.swig_ptr(chunk), None, faiss.swig_ptr(near))
        self._ivf, self._trained_rows = ivf, len(rows)
        self._buffer, self._used = np.zeros((0, self.dimension), dtype=np.float32), 0

    @property
    def _vectors(self) -> Floats:  # the flat rows (a view of the buffer)
        return self._buffer[: self._used]

    @property
    def approximate(self) -> bool:
        return self._ivf is not None

    # ---- search -------------------------------------------------------------------------
    def search_exact(
        self, queries: Floats, k: int, candidates: Slots | None = None
    ) -> tuple[Floats, Slots]:
        """Exact top-k over live rows (or over ``candidates``); rows of -1 pad short results."""
        queries = np.atleast_2d(np.asarray(queries, dtype=np.float32))
        if self._ivf is not None:
            if candidates is not None and len(candidates) < GATHER_BELOW:
                rows = candidates[self._live[candidates]]
                return top_k(queries @ self.rows_at(rows).T, rows, k)
            allowed = self._live.copy() if candidates is None else self._subset(candidates)
            return self._search_ivf(queries, k, allowed, self._ivf.nlist)
        rows = (
            np.flatnonzero(self._live) if candidates is None else candidates[self._live[candidates]]
        )
        if not len(rows):
            scores = np.zeros((len(queries), 0), dtype=np.float32)
        elif len(rows) * 3 > self.rows:  # a broad subset: score every row, no copy of vectors
            scores = (queries @ self._vectors.T)[:, rows]
        else:
            scores = queries @ self._vectors[rows].T
        return top_k(scores, rows, k)

    def search_approximate(
        self, queries: Floats, k: int, allowed: npt.NDArray[np.bool_] | None = None
    ) -> tuple[Floats, Slots]:
        """Approximate top-k among live rows allowed by the mask (over rows): the lists
        nearest the query are scanned, ``probes`` of them divided by the share of rows the
        mask allows (a filter leaving 5% scans 20 times as many), at most ``MAX_SCAN`` of
        them. Exact search when no inverted file is built."""
        if self._ivf is None:
            candidates = None if allowed is None else np.flatnonzero(allowed)
            return self.search_exact(queries, k, candidates)
        mask = self._live if allowed is None else (allowed & self._live)
        share = max(int(np.count_nonzero(mask)), 1) / max(self.rows, 1)
        most = max(self.probes, int(np.ceil(MAX_SCAN * self._ivf.nlist)))
        probes = min(most, int(np.ceil(self.probes / share)))
        queries = np.atleast_2d(np.asarray(queries, dtype=np.float32))
        return self._search_ivf(queries, k, mask, probes)

    def _subset(self, candidates: Slots) -> npt.NDArray[np.bool_]:
        mask = np.zeros(self.rows, dtype=bool)
        mask[candidates] = True
        return mask & self._live

    def _search_ivf(
        self, queries: Floats, k: int, mask: npt.NDArray[np.bool_], probes: int
    ) -> tuple[Floats, Slots]:
        """Scan ``probes`` lists per query, scoring only the rows the mask allows."""
        bitmap = np.packbits(mask, bitorder="little")
        selector = faiss.IDSelectorBitmap(len(mask), faiss.swig_ptr(bitmap))
        params = faiss.SearchParametersIVF(sel=selector, nprobe=probes)
        scores, slots = self._ivf.search(queries, k, params=params)
        scores[slots < 0] = -np.inf
        return scores, slots.astype(np.int64)

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
        version, target = new_version(folder)
        if self._ivf is None:
            np.save(target / "vectors.npy", np.ascontiguousarray(self._vectors))
        else:
            faiss.write_index(self._ivf, str(target / "lists.faiss"))
        self._save_keys(target)
        if extra:
            np.savez(target / "extra.npz", **extra)  # type: ignore[arg-type]
        manifest = Manifest(
            encoder_id,
            self.dimension,
            "flat" if self._ivf is None else "ivf",
            len(self),
            watermark,
            version,
            trained_rows=self._trained_rows,
        )
        publish(folder, target, manifest)
        return manifest

    @classmethod
    def load(
        cls,
        folder: Path,
        *,
        encoder_id: str,
        dimension: int,
        kind: str = "auto",
        mapped: bool = False,
    ) -> tuple[VectorIndex, Manifest]:
        """Load a saved index built by the same encoder (``mapped``: its rows memory-mapped
        read-only, shared by the processes of one host); :class:`IndexUnusableError` if not."""
        manifest = read_manifest(folder)
        if manifest.encoder_id != encoder_id or manifest.dimension != dimension:
            raise IndexUnusableError(
                f"index in {folder} was built by encoder {manifest.encoder_id} "
                f"(dimension {manifest.dimension}), not {encoder_id} (dimension {dimension})"
            )
        files = folder / manifest.version
        try:
            index = cls(dimension, kind=kind)
            if (files / "lists.faiss").is_file():
                flags = faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY if mapped else 0
                index._ivf = faiss.read_index(str(files / "lists.faiss"), flags)
                index._trained_rows = manifest.trained_rows
                stored = (index._ivf.ntotal, index._ivf.d)
            else:  # flat rows (format 1 kept them beside an HNSW graph, which is not used)
                index._buffer = np.load(files / "vectors.npy", mmap_mode="r" if mapped else None)
                index._used = len(index._buffer)
                stored = index._buffer.shape
            index._load_keys(files)
            if (files / "extra.npz").is_file():
                with np.load(files / "extra.npz") as arrays:
                    index.extra = {name: arrays[name] for name in arrays.files}
        except (OSError, ValueError, RuntimeError) as exc:
            raise IndexUnusableError(f"index files in {files} are unreadable: {exc}") from exc
        if stored != (index.rows, dimension) or len(index) != manifest.count:
            raise IndexUnusableError(f"index files in {files} disagree with their manifest")
        return index, manifest


def nearest_lists(centroids: Floats, rows: Floats) -> npt.NDArray[np.int64]:
    """The list (centroid by inner product) each row joins, as the inverted file's add does."""
    quantizer = faiss.IndexFlatIP(centroids.shape[1])
    quantizer.add(np.ascontiguousarray(centroids, dtype=np.float32))
    near: npt.NDArray[np.int64] = quantizer.assign(np.ascontiguousarray(rows, np.float32), 1)
    return near[:, 0]


def set_threads(n: int) -> None:
    """FAISS OpenMP threads (2 on the reference machine)."""
    faiss.omp_set_num_threads(n)
