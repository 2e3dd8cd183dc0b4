"""Contrastive fine-tuning of static token vectors on natural pairs (title ↔ description,
requirement sentence ↔ skills): in-batch negatives, symmetric cross-entropy over scaled cosine
similarities, sparse Adam updates, and a pull towards the distilled vectors so that general
sentence similarity is kept."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
import torch
from tokenizers import Tokenizer

Matrix = npt.NDArray[np.float32]


def _bag(tokenizer: Tokenizer, texts: Sequence[str]) -> tuple[torch.Tensor, torch.Tensor]:
    ids: list[int] = []
    offsets: list[int] = []
    for encoding in tokenizer.encode_batch(list(texts), add_special_tokens=False):
        offsets.append(len(ids))
        ids.extend(encoding.ids or [0])
    return torch.tensor(ids, dtype=torch.long), torch.tensor(offsets, dtype=torch.long)


def _batches(
    pairs: Sequence[tuple[str, str]], size: int, rng: random.Random
) -> list[list[tuple[str, str]]]:
    """Shuffled batches in which no anchor or positive text repeats (no false negatives)."""
    order = list(pairs)
    rng.shuffle(order)
    batches: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    seen: set[str] = set()
    for anchor, positive in order:
        if anchor in seen or positive in seen:
            continue
        current.append((anchor, positive))
        seen.update((anchor, positive))
        if len(current) == size:
            batches.append(current)
            current, seen = [], set()
    if len(current) > 1:
        batches.append(current)
    return batches


def fine_tune(
    tokenizer: Tokenizer,
    weights: Matrix,
    pairs: Sequence[tuple[str, str]],
    *,
    seed: int,
    epochs: int = 1,
    batch_size: int = 256,
    learning_rate: float = 1e-3,
    scale: float = 20.0,
    anchor_strength: float = 1.0,
    log: Callable[[str], None] = lambda _: None,
) -> Matrix:
    """Return fine-tuned token vectors (the input is left untouched)."""
    torch.manual_seed(seed)
    rng = random.Random(seed)
    bag = torch.nn.EmbeddingBag.from_pretrained(
        torch.from_numpy(weights.copy()), freeze=False, mode="mean", sparse=True
    )
    reference = torch.from_numpy(weights)
    optimiser = torch.optim.SparseAdam(list(bag.parameters()), lr=learning_rate)
    labels_cache: dict[int, torch.Tensor] = {}
    for epoch in range(epochs):
        batches = _batches(pairs, batch_size, rng)
        total = 0.0
        for batch in batches:
            a_ids, a_off = _bag(tokenizer, [a for a, _ in batch])
            p_ids, p_off = _bag(tokenizer, [p for _, p in batch])
            a = torch.nn.functional.normalize(bag(a_ids, a_off), dim=1)
            p = torch.nn.functional.normalize(bag(p_ids, p_off), dim=1)
            logits = scale * a @ p.T
            labels = labels_cache.setdefault(len(batch), torch.arange(len(batch)))
            loss = (
                torch.nn.functional.cross_entropy(logits, labels)
                + torch.nn.functional.cross_entropy(logits.T, labels)
            ) / 2
            touched = torch.unique(torch.cat([a_ids, p_ids]))
            drift = bag(touched, torch.arange(len(touched))) - reference[touched]
            loss = loss + anchor_strength * drift.pow(2).sum(dim=1).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()  # type: ignore[no-untyped-call]
            total += loss.item()
        log(
            f"  contrastive epoch {epoch + 1}: {len(batches)} batches, mean loss "
            f"{total / max(len(batches), 1):.4f}"
        )
    return bag.weight.detach().numpy().astype(np.float32)
