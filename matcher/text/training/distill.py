"""Distillation of a static (mean of token vectors) student from a sentence-encoder teacher.

Token vectors start as the teacher's vector of each token string, then are fitted so that the
mean of a sentence's token vectors reproduces the teacher's sentence vector:

    minimise  ||A W − T||²  +  λ ||W − W0||²

with A the (sentences × vocabulary) matrix of token frequencies (rows sum to 1), T the teacher's
sentence vectors and W0 the initial token vectors. The normal equations are solved by conjugate
gradients, all 512 columns at once."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from tokenizers import Tokenizer

Matrix = npt.NDArray[np.float32]


def token_matrix(tokenizer: Tokenizer, texts: Sequence[str], vocab_size: int) -> sp.csr_matrix:
    """Row i holds the frequencies of the tokens of ``texts[i]`` (rows sum to 1; empty rows 0)."""
    indptr = [0]
    indices: list[int] = []
    for encoding in tokenizer.encode_batch(list(texts), add_special_tokens=False):
        indices.extend(encoding.ids)
        indptr.append(len(indices))
    counts = sp.csr_matrix(
        (np.ones(len(indices), dtype=np.float32), np.array(indices), np.array(indptr)),
        shape=(len(texts), vocab_size),
    )
    counts.sum_duplicates()
    lengths = np.asarray(counts.sum(axis=1)).ravel()
    scale = np.divide(1.0, lengths, out=np.zeros_like(lengths), where=lengths > 0)
    return sp.diags(scale.astype(np.float32)) @ counts


def fit_token_vectors(
    a: sp.csr_matrix,
    targets: Matrix,
    initial: Matrix,
    *,
    strength: float,
    iterations: int = 40,
    log: Callable[[str], None] = lambda _: None,
) -> Matrix:
    """Conjugate-gradient solution of (AᵀA + λI) W = AᵀT + λW0, started from W0."""
    at = a.T.tocsr()

    def apply(x: Matrix) -> Matrix:
        return np.asarray(at @ (a @ x), dtype=np.float32) + strength * x

    w = initial.astype(np.float32).copy()
    r = np.asarray(at @ targets, dtype=np.float32) + strength * initial - apply(w)
    p = r.copy()
    rs = np.einsum("ij,ij->j", r, r)
    start = float(np.sqrt(rs.sum()))
    for step in range(iterations):
        ap = apply(p)
        alpha = rs / np.maximum(np.einsum("ij,ij->j", p, ap), 1e-30)
        w += p * alpha
        r -= ap * alpha
        rs_new = np.einsum("ij,ij->j", r, r)
        p = r + p * (rs_new / np.maximum(rs, 1e-30))
        rs = rs_new
        if step % 10 == 9:
            log(
                f"  conjugate gradients: step {step + 1}, residual "
                f"{float(np.sqrt(rs.sum())) / max(start, 1e-30):.4f} of the start"
            )
    return w


def fit_error(a: sp.csr_matrix, targets: Matrix, weights: Matrix) -> float:
    """Mean cosine between the student's and the teacher's sentence vectors."""
    pred = np.asarray(a @ weights, dtype=np.float32)
    norms = np.linalg.norm(pred, axis=1) * np.linalg.norm(targets, axis=1)
    cos = np.einsum("ij,ij->i", pred, targets) / np.maximum(norms, 1e-12)
    return float(cos[norms > 0].mean())


def piece_probabilities(tokenizer: Tokenizer) -> npt.NDArray[np.float64]:
    """Unigram probability of every token id (0 for ``[UNK]``)."""
    import json

    pieces = json.loads(tokenizer.to_str())["model"]["vocab"]
    probs = np.exp(np.array([score for _, score in pieces], dtype=np.float64))
    probs[0] = 0.0
    return probs


def smooth_inverse_frequency(initial: Matrix, probs: npt.NDArray[np.float64], a: float) -> Matrix:
    """Centre the token vectors and weight each by a / (a + p(token)), so that frequent tokens
    (的, 负责, 工作) weigh less in the mean: the SIF weighting, baked into the vectors."""
    centred = initial - initial[1:].mean(axis=0)
    out: Matrix = (centred * (a / (a + probs))[:, None]).astype(np.float32)
    out[0] = 0.0
    return out


def norm_matched(a: sp.csr_matrix, targets: Matrix, weights: Matrix) -> Matrix:
    """Teacher vectors rescaled to the length the student's sentence vectors have now, so that
    fitting moves directions and keeps the frequency weighting."""
    lengths = np.linalg.norm(np.asarray(a @ weights), axis=1, keepdims=True)
    out: Matrix = (targets * lengths).astype(np.float32)
    return out


def reduce_dimension(weights: Matrix, dimension: int, seed: int, sample: int = 20_000) -> Matrix:
    """Project token vectors on their ``dimension`` principal axes (SVD of a row sample)."""
    if dimension >= weights.shape[1]:
        return weights
    rng = np.random.default_rng(seed)
    rows = rng.choice(weights.shape[0] - 1, min(sample, weights.shape[0] - 1), replace=False) + 1
    _, _, axes = np.linalg.svd(weights[rows].astype(np.float64), full_matrices=False)
    reduced: Matrix = (weights @ axes[:dimension].T).astype(np.float32)
    return reduced
