"""Retrieval metrics against hand-computed values, and the judgement file format."""

import math

import pytest

from matcher.errors import ValidationError
from matcher.quality.evaluate import (
    eligibility,
    load_qrels,
    mrr_at_k,
    ndcg_at_k,
    precision_at_k,
    recall_at_k,
    score_rankings,
)

RELEVANT = {"a": 2, "b": 1, "z": 1}


def test_ndcg_uses_graded_gains_and_the_ideal_order():
    dcg = (2**2 - 1) / math.log2(3) + (2**1 - 1) / math.log2(4)  # ranks: x, a, b
    ideal = (2**2 - 1) / 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert ndcg_at_k(["x", "a", "b"], RELEVANT, 3) == pytest.approx(dcg / ideal)
    assert ndcg_at_k(["a", "b", "z"], RELEVANT, 3) == pytest.approx(1.0)
    assert ndcg_at_k(["x"], {}, 10) == 0.0


def test_precision_recall_mrr():
    ranked = ["x", "a", "y", "b"]
    assert precision_at_k(ranked, RELEVANT, 4) == 0.5
    assert recall_at_k(ranked, RELEVANT, 4) == pytest.approx(2 / 3)
    assert mrr_at_k(ranked, RELEVANT, 4) == 0.5
    assert mrr_at_k(["x", "y"], RELEVANT, 2) == 0.0


def test_score_rankings_averages_over_judged_queries_only():
    out = score_rankings(
        {"q1": ["a"], "q2": ["x"], "unjudged": ["a"]}, {"q1": {"a": 1}, "q2": {"a": 1}}, 1
    )
    assert out == {"ndcg@1": 0.5, "p@1": 0.5, "recall@1": 0.5, "mrr@1": 0.5, "queries": 2}


def test_qrels_file(tmp_path):
    path = tmp_path / "qrels.tsv"
    path.write_text("g1\tp1\t2\ng1\tp2\t1\n\ng2\tp1\t1\n", encoding="utf-8")
    assert load_qrels(path) == {"g1": {"p1": 2, "p2": 1}, "g2": {"p1": 1}}
    path.write_text("g1\tp1\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"qrels\.tsv:1"):
        load_qrels(path)


def test_eligibility_is_place_and_education():
    graduates = [{"id": "g", "degree": "大专", "desired": {"region_codes": ["4403"]}}, {"id": "h"}]
    positions = [
        {"id": "p1", "location": {"code": "440305"}, "education_min": "大专"},
        {"id": "p2", "location": {"code": "440305"}, "education_min": "本科"},
        {"id": "p3", "location": {"code": "11"}},
    ]
    assert eligibility(graduates, positions).tolist() == [[True, False, False], [True, True, True]]
