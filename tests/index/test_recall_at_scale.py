"""Approximate search keeps the exact top-10 on 100,000 generated postings (default encoder)."""

import json

import numpy as np

from matcher.datasets import generate
from matcher.index.vectors import VectorIndex
from matcher.text.encoders import load_encoder
from matcher.text.render import graduate_text, position_text


def test_ivf_top10_overlaps_exact_top10_at_100k(tmp_path):
    generate(tmp_path, scale=100_000, seed=11, graduates=300)
    encoder = load_encoder("default")
    with (tmp_path / "positions.jsonl").open(encoding="utf-8") as f:
        postings = [json.loads(line) for line in f]
    with (tmp_path / "graduates.jsonl").open(encoding="utf-8") as f:
        graduates = [json.loads(line) for line in f]
    index = VectorIndex(encoder.dimension, kind="ivf")
    index.upsert(
        [p["id"] for p in postings], encoder.encode_positions([position_text(p) for p in postings])
    )
    index.build()
    queries = encoder.encode_graduates([graduate_text(g) for g in graduates])
    overlap = []
    vectors = index.vectors([p["id"] for p in postings])
    for q in queries:
        exact_scores, _ = index.search_exact(q, 10)
        _, approx = index.search_approximate(q, 10)
        # Tie-aware: a result counts when its exact score reaches the exact 10th best
        # (generated postings repeat texts, so equal scores are common).
        found = vectors[approx[0][approx[0] >= 0]] @ q
        overlap.append(float(np.sum(found >= exact_scores[0][-1] - 1e-5)) / 10)
    assert float(np.mean(overlap)) >= 0.95
