"""Issue #19, part 3: the classifier's second opinion only raises candidates for review that no
rule flagged, is measured out of fold, refuses the held-aside set, stays off the screening path,
and the shipped model loads."""

import gzip
import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from matcher.compliance.classifier import MODEL_FILE, Suggester, posting_text, suggestions
from matcher.compliance.screen import CATEGORIES, default_rules
from matcher.compliance.second_opinion import GRID, added, evaluate_suggestions, train
from matcher.datasets import generate
from matcher.errors import MatcherError


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("generated")
    generate(out, scale=1500, seed=3, graduates=0)
    return out


@pytest.fixture(scope="module")
def trained(generated):
    return train(
        [generated / "positions.jsonl"],
        [generated / "compliance_labels.jsonl"],
        default_rules(),
        folds=2,
        max_clean=400,
    )


def test_training_reports_its_data_threshold_and_cross_validated_figures(trained, generated):
    suggester, report = trained
    assert report["threshold"] == suggester.threshold and suggester.threshold in GRID
    data = report["data"]
    assert data["postings"] == 1500 and data["trained_on"] < data["postings"]
    labelled = (generated / "compliance_labels.jsonl").read_text(encoding="utf-8").splitlines()
    assert data["hand_labelled"] == len(labelled)
    assert set(report["cross_validated"]) == {str(t) for t in GRID}
    for figures in report["cross_validated"].values():
        assert {"all", "positions.jsonl"} <= set(figures)
        assert figures["all"]["true"] <= figures["all"]["raised"]
    load = report["review_load"]
    assert load["unseen_postings"] == data["postings"] - data["trained_on"]
    assert report["ms_per_posting"] > 0


def test_a_saved_model_loads_and_scores_the_same(trained, generated, tmp_path):
    suggester, _ = trained
    path = tmp_path / "m.pkl.gz"
    suggester.save(path)
    again = Suggester.load(path)
    texts = [posting_text({"title": "前台", "description": "限女性，身高160cm以上"}), "会计"]
    assert (again.scores(texts) == suggester.scores(texts)).all()
    assert again.threshold == suggester.threshold and again.meta == suggester.meta
    suggester.save(tmp_path / "n.pkl.gz")
    assert path.read_bytes() == (tmp_path / "n.pkl.gz").read_bytes()  # reproducible bytes


def test_suggestions_skip_categories_the_rules_flagged(trained):
    suggester, _ = trained
    record = {"id": "p", "title": "前台", "description": "限女性，身高160cm以上，需交押金500元"}
    flagged = {f.category for f in default_rules().screen(record)}
    [found] = suggester.suggest([record], [flagged])
    assert all(s.category not in flagged and s.score >= suggester.threshold for s in found)
    row = [0.99] * len(CATEGORIES)
    assert [s.category for s in suggestions(row, {"gender"}, 0.5)] == list(CATEGORIES[1:])


def test_what_it_adds_is_counted_per_pair():
    rows = [
        (frozenset({"age"}), frozenset(), [0.9 if c == "age" else 0.1 for c in CATEGORIES]),
        (frozenset(), frozenset(), [0.95 if c == "gender" else 0.0 for c in CATEGORIES]),
        (frozenset({"religion"}), frozenset({"religion"}), [0.2] * len(CATEGORIES)),
    ]
    found = added(rows, 0.8)
    assert (found["raised"], found["true"], found["precision"]) == (2, 1, 0.5)
    assert (found["missed_by_rules"], found["caught"], found["postings_raised"]) == (1, 1, 2)
    assert (found["alone_precision"], found["alone_recall"]) == (0.5, 0.5)
    assert added(rows, 0.99)["precision"] is None


def test_evaluation_measures_the_second_opinion_on_labelled_postings(trained, generated):
    suggester, _ = trained
    report = evaluate_suggestions(
        generated / "compliance_labels.jsonl",
        [generated / "positions.jsonl"],
        default_rules(),
        suggester,
    )
    assert report["n"] > 0 and report["threshold"] == suggester.threshold
    assert report["missed_by_rules"] == 0  # the rules are exact on the generated set


def test_the_held_aside_set_and_missing_models_are_refused(tmp_path, generated):
    heldout = tmp_path / "written-heldout.labels.jsonl"
    with pytest.raises(MatcherError, match="held-aside") as info:
        train([generated / "positions.jsonl"], [heldout], default_rules())
    assert "不能用于训练" in info.value.zh
    assert not heldout.exists()
    with pytest.raises(MatcherError, match="no compliance classifier") as info:
        Suggester.load(tmp_path / "nope.pkl.gz")
    assert "未找到" in info.value.zh
    foreign = tmp_path / "foreign.pkl.gz"
    with gzip.open(foreign, "wb") as handle:
        pickle.dump({"format": 99}, handle)
    with pytest.raises(MatcherError, match="not a compliance classifier") as info:
        Suggester.load(foreign)
    assert "重新训练" in info.value.zh


def test_screening_does_not_load_the_classifier():
    code = (
        "import json, sys; from matcher.compliance.screen import screen; "
        "assert screen({'id': 'p', 'title': '前台', 'description': '限女性'}); "
        "print(json.dumps(sorted(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(done.stdout)
    assert not any(m.startswith("sklearn") for m in loaded)
    assert "matcher.compliance.classifier" not in loaded


def test_the_shipped_model_loads_with_its_card():
    suggester = Suggester.load()
    assert MODEL_FILE.stat().st_size < 5_000_000
    card = (MODEL_FILE.parent / "MODEL_CARD.md").read_text(encoding="utf-8")
    training = json.loads((MODEL_FILE.parent / "training.json").read_text(encoding="utf-8"))
    assert suggester.threshold == training["threshold"] and training["trained"] in card
    assert "written-heldout" not in json.dumps(training["data"])
    [scores] = suggester.scores(
        [posting_text({"title": "保安", "description": "限男性，乙肝携带者勿扰"})]
    )
    assert scores.shape == (len(CATEGORIES),) and ((scores >= 0) & (scores <= 1)).all()


def test_posting_text_is_the_normalised_screened_fields():
    record = {
        "title": "前台",
        "description": "女 性 优 先",
        "benefits": "五险",
        "salary": {"min": 1},
    }
    assert posting_text(record) == "前台\n女性优先\n五险"
    assert Path(MODEL_FILE).name.endswith(".pkl.gz")
