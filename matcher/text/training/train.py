"""``matcher train-encoder``: corpus → tokenizer → teacher vectors → fitted token vectors →
contrastive fine-tuning → a sentence-transformers static-embedding model folder."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from matcher.text.encoders import UseM3Encoder, build_static_model, normalise_rows
from matcher.text.training.contrastive import fine_tune
from matcher.text.training.corpus import build_corpus
from matcher.text.training.distill import (
    Matrix,
    fit_error,
    fit_token_vectors,
    norm_matched,
    piece_probabilities,
    reduce_dimension,
    smooth_inverse_frequency,
    token_matrix,
)
from matcher.text.training.tokenizer import train_tokenizer, vocabulary


@dataclass
class TrainConfig:
    out_dir: Path
    posting_files: list[Path] = field(default_factory=list)
    seed: int = 0
    generated_scale: int = 20_000
    max_sentences: int = 150_000
    max_pairs: int = 100_000
    vocab_size: int = 60_000
    general_words: int = 40_000
    sif_a: float = 1e-4
    strength: float = 1e-3
    cg_iterations: int = 30
    dimension: int = 256
    epochs: int = 1
    learning_rate: float = 1e-3
    anchor_strength: float = 1.0
    cache_dir: Path | None = None


class StaticStudent:
    """The student as numbers (tokenizer + token vectors), before it is saved as a model."""

    def __init__(self, tokenizer: Any, weights: Matrix) -> None:
        self.tokenizer = tokenizer
        self.weights = weights

    def encode(self, texts: Sequence[str]) -> Matrix:
        a = token_matrix(self.tokenizer, texts, self.weights.shape[0])
        return normalise_rows(a @ self.weights)


#: Texts the teacher encodes at a time, and seconds between progress lines.
TEACHER_BATCH = 4096
PROGRESS_EVERY = 10.0


def _teacher_vectors(
    teacher: UseM3Encoder, texts: list[str], cache: Path | None, log: Callable[[str], None]
) -> Matrix:
    if cache is not None:
        key = hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()[:16]
        path = cache / f"teacher-{key}.npy"
        if path.is_file():
            log(f"  teacher vectors from cache {path}")
            cached: Matrix = np.load(path)
            return cached
    started = last = time.perf_counter()
    parts = [np.zeros((0, teacher.dimension), dtype=np.float32)]
    for i in range(0, len(texts), TEACHER_BATCH):
        parts.append(teacher.encode_positions(texts[i : i + TEACHER_BATCH]))
        now = time.perf_counter()
        done = min(i + TEACHER_BATCH, len(texts))
        if now - last >= PROGRESS_EVERY and done < len(texts):  # the longest stage: say how far
            last = now
            rate = done / (now - started)
            log(
                f"  teacher: {done:,} / {len(texts):,} texts, {rate:,.0f}/s, "
                f"about {(len(texts) - done) / rate:.0f} s left"
            )
    vectors = np.concatenate(parts)
    log(f"  teacher encoded {len(texts):,} texts in {time.perf_counter() - started:.0f} s")
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
    return vectors


def distil(
    config: TrainConfig, log: Callable[[str], None] = print
) -> tuple[StaticStudent, StaticStudent, dict[str, Any]]:
    """Train; returns the distilled student, the fine-tuned student and a report."""
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        timings[stage] = round(time.perf_counter() - clock, 1)
        clock = time.perf_counter()
        log(f"{stage}: {timings[stage]} s")

    corpus = build_corpus(
        config.posting_files,
        generated_scale=config.generated_scale,
        seed=config.seed,
        max_sentences=config.max_sentences,
        max_pairs=config.max_pairs,
    )
    lap("corpus")
    tokenizer = train_tokenizer(
        corpus.documents, vocab_size=config.vocab_size, general=config.general_words
    )
    vocab = vocabulary(tokenizer)
    lap("tokenizer")
    teacher = UseM3Encoder()
    targets = _teacher_vectors(teacher, corpus.sentences, config.cache_dir, log)
    initial = _teacher_vectors(teacher, vocab, config.cache_dir, log)
    initial = smooth_inverse_frequency(initial, piece_probabilities(tokenizer), config.sif_a)
    lap("teacher")
    a = token_matrix(tokenizer, corpus.sentences, len(vocab))
    log(
        f"  weighted teacher tokens: mean cosine to the teacher "
        f"{fit_error(a, targets, initial):.4f}"
    )
    weights = fit_token_vectors(
        a,
        norm_matched(a, targets, initial),
        initial,
        strength=config.strength,
        iterations=config.cg_iterations,
        log=log,
    )
    fitted_cosine = fit_error(a, targets, weights)
    log(f"  fitted: mean cosine to the teacher {fitted_cosine:.4f}")
    lap("fit")
    tuned = weights
    if config.epochs > 0 and corpus.pairs:
        tuned = fine_tune(
            tokenizer,
            weights,
            corpus.pairs,
            seed=config.seed,
            epochs=config.epochs,
            learning_rate=config.learning_rate,
            anchor_strength=config.anchor_strength,
            log=log,
        )
    lap("contrastive")
    weights = reduce_dimension(weights, config.dimension, config.seed)
    tuned = reduce_dimension(tuned, config.dimension, config.seed)
    lap("reduce")
    report = {
        "config": {
            k: (str(v) if isinstance(v, Path) else v)
            for k, v in asdict(config).items()
            if k not in {"out_dir", "cache_dir", "posting_files"}
        },
        "posting_files": [Path(p).name for p in config.posting_files],
        "corpus": {
            "documents": len(corpus.documents),
            "sentences": len(corpus.sentences),
            "pairs": len(corpus.pairs),
        },
        "vocabulary": len(vocab),
        "dimension": int(tuned.shape[1]),
        "fit_mean_cosine": round(fitted_cosine, 4),
        "seconds": timings,
    }
    return StaticStudent(tokenizer, weights), StaticStudent(tokenizer, tuned), report


def train_encoder(config: TrainConfig, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Train and save the model to ``config.out_dir`` with ``training.json`` beside it."""
    _, student, report = distil(config, log)
    build_static_model(student.tokenizer, student.weights, config.out_dir)
    (config.out_dir / "training.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    log(f"model saved to {config.out_dir}")
    return report
