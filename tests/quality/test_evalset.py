"""Smaller copies of an evaluation set, and per-query metrics for breakdowns by query type."""

from __future__ import annotations

import json

import pytest

from matcher.quality.evalset import EvalFiles, subset_eval_set
from matcher.quality.evaluate import load_qrels, score_queries, score_rankings
from tests.conftest import graduate, position, write_jsonl


@pytest.fixture
def files(tmp_path):
    positions = write_jsonl(tmp_path / "p.jsonl", [position(f"p-{i}") for i in range(30)])
    graduates = write_jsonl(tmp_path / "g.jsonl", [graduate(f"g-{i}") for i in range(6)])
    qrels = tmp_path / "q.tsv"
    qrels.write_text(
        "".join(f"g-{g}\tp-{g * 3 + j}\t{1 + j % 2}\n" for g in range(5) for j in range(3)),
        encoding="utf-8",
    )
    return EvalFiles([positions], graduates, qrels)


def _ids(path):
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_subset_keeps_chosen_queries_some_judged_postings_and_distractors(files, tmp_path):
    small = subset_eval_set(
        files, tmp_path / "small", queries=2, judged_per_query=2, distractors=4, seed=1
    )
    qrels = load_qrels(small.qrels)
    assert len(qrels) == 2 and all(len(judged) == 2 for judged in qrels.values())
    assert sorted(_ids(small.graduates)) == sorted(qrels)
    original = load_qrels(files.qrels)
    for gid, judged in qrels.items():
        assert all(original[gid][pid] == grade for pid, grade in judged.items())
    postings = _ids(small.positions[0])
    judged_ids = {pid for judged in qrels.values() for pid in judged}
    assert judged_ids <= set(postings) and len(postings) == len(judged_ids) + 4
    again = subset_eval_set(
        files, tmp_path / "again", queries=2, judged_per_query=2, distractors=4, seed=1
    )
    assert _ids(again.positions[0]) == postings


def test_subset_with_no_limits_keeps_everything(files, tmp_path):
    whole = subset_eval_set(files, tmp_path / "whole")
    assert load_qrels(whole.qrels) == load_qrels(files.qrels)
    assert len(_ids(whole.positions[0])) == 30
    assert len(_ids(whole.graduates)) == 5  # g-5 has no judgements


def test_bad_subset_sizes_are_refused(files, tmp_path):
    with pytest.raises(ValueError, match="queries must be at least 1"):
        subset_eval_set(files, tmp_path, queries=0)
    with pytest.raises(ValueError, match="distractors must be 0 or more"):
        subset_eval_set(files, tmp_path, distractors=-1)


def test_per_query_metrics_average_to_the_overall_figures():
    ranked = {"q1": ["a", "x"], "q2": ["x", "b"], "q3": ["a"]}
    qrels = {"q1": {"a": 2}, "q2": {"b": 1}}
    per_query = score_queries(ranked, qrels, 2)
    assert set(per_query) == {"q1", "q2"}
    assert per_query["q1"]["mrr@2"] == 1.0 and per_query["q2"]["mrr@2"] == 0.5
    overall = score_rankings(ranked, qrels, 2)
    assert overall["mrr@2"] == 0.75 and overall["queries"] == 2
