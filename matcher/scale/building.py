"""Index builds spread over Ray workers: the texts of a large posting set are encoded and
segmented into words (for BM25) by actors that each load the encoder once, and once the
inverted file's lists are trained, the actors find the nearest list of every row. This
process reads the store, renders the texts, fills the filter columns, counts the words, trains
the lists on a sample and writes the index, which is the same format as one built here alone
and loads the same way.

The default encoder gives each text the same vector whatever batch it is encoded in, and the
nearest list is the one FAISS's own add would pick, so a build on Ray holds the same vectors
in the same lists as one built in this process."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np
import numpy.typing as npt

from matcher.config import Settings
from matcher.text.encoders import Vectors, load_encoder

#: Texts per request to a worker (about 5 ms of round trip against a second of encoding).
ENCODE_BATCH = 2_000
#: Rows per request when finding lists (25 MiB of float32 rows at 256 dimensions).
ASSIGN_BATCH = 25_000


class EncodingWorker:
    """One Ray actor: the encoder loaded once; encodes texts and finds rows' lists."""

    def __init__(self, settings: Settings) -> None:
        from matcher.index.vectors import set_threads

        set_threads(max(1, int(settings.ray_worker_cpus)))  # the CPUs this actor was given
        self.encoder = load_encoder(settings.encoder)

    def ready(self) -> str:
        return self.encoder.model_id

    def encode(self, work: tuple[str, list[str]]) -> Vectors:
        side, texts = work
        if side == "graduates":
            return self.encoder.encode_graduates(texts)
        return self.encoder.encode_positions(texts)

    def words(self, texts: list[str]) -> list[list[str]]:
        from matcher.index.lexical import segment_here

        return segment_here(texts)

    def lists(self, work: tuple[Vectors, Vectors]) -> npt.NDArray[np.int64]:
        from matcher.index.vectors import nearest_lists

        centroids, rows = work
        return nearest_lists(centroids, rows)


class RayEncoder:
    """An :class:`~matcher.text.encoders.Encoder` whose work runs on a pool of
    :class:`EncodingWorker` actors; :meth:`assign` is a build's list assignment and
    :meth:`segment` its word segmentation."""

    def __init__(self, settings: Settings, workers: int) -> None:
        from matcher.scale.cluster import ActorPool

        local = load_encoder(settings.encoder)  # names and sizes the vectors
        self._model_id, self._dimension = local.model_id, local.dimension
        self.pool = ActorPool(EncodingWorker, workers, settings.ray_worker_cpus, settings)

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def dimension(self) -> int:
        return self._dimension

    def _encode(self, side: str, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        starts = range(0, len(texts), ENCODE_BATCH)
        work = [(side, list(texts[i : i + ENCODE_BATCH])) for i in starts]
        return np.concatenate(list(self.pool.map("encode", work)))

    def encode_positions(self, texts: Sequence[str]) -> Vectors:
        return self._encode("positions", texts)

    def encode_graduates(self, texts: Sequence[str]) -> Vectors:
        return self._encode("graduates", texts)

    def segment(self, texts: Sequence[str]) -> list[list[str]]:
        """The words of each text (a :data:`~matcher.index.lexical.Segment`)."""
        work = [list(texts[i : i + ENCODE_BATCH]) for i in range(0, len(texts), ENCODE_BATCH)]
        return [words for part in self.pool.map("words", work) for words in part]

    def assign(self, centroids: Vectors, rows: Vectors) -> npt.NDArray[np.int64]:
        """The nearest list of each row (a :data:`~matcher.index.vectors.Assign`)."""
        work = [(centroids, rows[i : i + ASSIGN_BATCH]) for i in range(0, len(rows), ASSIGN_BATCH)]
        found = list(self.pool.map("lists", work))
        return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)

    def close(self) -> None:
        self.pool.close()


@contextmanager
def building_on(settings: Settings, workers: int | None = None) -> Iterator[RayEncoder | None]:
    """A :class:`RayEncoder` on the cluster at ``MATCHER_RAY_ADDRESS`` with
    ``MATCHER_RAY_WORKERS`` actors (or ``workers``); ``None`` when no address is set, and the
    build runs in this process."""
    if not settings.ray_address:
        yield None
        return
    from matcher.scale.cluster import connect

    connect(settings.ray_address)
    encoder = RayEncoder(settings, workers or settings.ray_workers)
    try:
        yield encoder
    finally:
        encoder.close()
