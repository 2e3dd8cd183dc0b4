"""``matcher train-ranker`` on a small judged set: cross-validation by graduate, the model,
its card and model card written, and the model loads for serving."""

from __future__ import annotations

import json
import random

from matcher.config import Settings
from matcher.engine import learned
from matcher.engine.features import FEATURES
from matcher.quality.ranker_training import JudgedSet, folds_of
from matcher.quality.train_ranker import train
from tests.conftest import graduate, position

TITLES = {"会计": "财务会计", "人事": "人事专员", "销售": "销售代表", "客服": "客服专员"}


def _judged(tmp_path):
    rng = random.Random(3)
    postings, graduates, qrels = [], [], []
    for i in range(80):
        wish = rng.choice(list(TITLES))
        postings.append(
            position(
                f"p-{i}",
                title=TITLES[wish],
                description=f"{wish}工作，五险一金",
                majors=[],
                skills=[],
                experience_min_years=rng.choice([0, 0, 2]),
                expires_at="2099-12-31",
            )
        )
    for j in range(24):
        wish = list(TITLES)[j % 4]
        graduates.append(graduate(f"g-{j}", bio=f"我想找{wish}的工作，踏实肯干。", skills=[]))
        for p in postings:
            if p["title"] == TITLES[wish]:
                qrels.append(f"g-{j}\t{p['id']}\t{2 if p['experience_min_years'] == 0 else 1}")
    for name, rows in (("p.jsonl", postings), ("g.jsonl", graduates)):
        (tmp_path / name).write_text(
            "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8"
        )
    (tmp_path / "q.tsv").write_text("\n".join(qrels) + "\n", encoding="utf-8")
    return JudgedSet((tmp_path / "p.jsonl",), tmp_path / "g.jsonl", tmp_path / "q.tsv")


def test_folds_split_by_graduate_within_each_set():
    class Q:
        def __init__(self, dataset):
            self.dataset = dataset

    queries = [Q("a")] * 10 + [Q("b")] * 5
    fold = folds_of(queries, 5)
    assert sorted(fold[:10]) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert sorted(fold[10:]) == [0, 1, 2, 3, 4]


def test_training_writes_a_model_its_card_and_cross_validated_figures(tmp_path):
    judged = _judged(tmp_path)
    settings = Settings(data_dir=tmp_path / "var", encoder="fake:32", candidate_pool=40)
    out = tmp_path / "ranker"
    card = train([judged], out, settings, folds=3, log=lambda _: None)
    figures = card["cross_validated"][judged.name]
    assert figures["graduates"] == 24
    assert 0.0 <= figures["weights"] <= 1.0 and 0.0 <= figures["learned"] <= 1.0
    assert figures["learned"] > 0.5  # the wish in the title decides the grade: it is learned
    assert card["beats_weights"] == (figures["learned"] >= figures["weights"])
    model = learned.load(out)
    assert model.features == FEATURES and model.version == "learned:" + card["version"]
    text = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert card["version"] in text and "Cross-validated" in text
