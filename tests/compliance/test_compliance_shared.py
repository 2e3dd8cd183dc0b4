"""Issue #7 acceptance on the labelled development set of real postings (skipped without
../shared/data): precision ≥ 0.95 and recall ≥ 0.90 over all flags, no category with a
precision below 0.85."""

import pytest

from matcher.compliance.evaluate import evaluate_files

pytestmark = pytest.mark.shared


def test_dev_set_precision_and_recall(shared_data):
    postings = [
        shared_data / "postings" / "it-4cities.jsonl",
        shared_data / "postings" / "shanghai-mixed.jsonl",
    ]
    scores, missing = evaluate_files(shared_data / "compliance" / "dev.jsonl", postings)
    assert missing == [] and scores["n"] == 250
    assert scores["overall"]["precision"] >= 0.95
    assert scores["overall"]["recall"] >= 0.90
    for category, figures in scores["per_category"].items():
        assert figures["precision"] >= 0.85, category
