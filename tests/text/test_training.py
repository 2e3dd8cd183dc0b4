"""The encoder training pipeline, piece by piece and end to end at a tiny scale."""

import numpy as np
import pytest
import scipy.sparse as sp

from matcher.text.encoders import SentenceTransformerEncoder
from matcher.text.training.contrastive import fine_tune
from matcher.text.training.corpus import split_sentences
from matcher.text.training.distill import (
    fit_error,
    fit_token_vectors,
    reduce_dimension,
    smooth_inverse_frequency,
    token_matrix,
)
from matcher.text.training.tokenizer import train_tokenizer, vocabulary
from matcher.text.training.train import TrainConfig, distil, train_encoder

DOCS = [
    "Java开发工程师：熟悉Java、Spring Boot和MySQL，负责后端接口开发",
    "前端开发工程师：熟悉Vue、JavaScript，负责页面开发",
    "会计：负责凭证录入、报表编制和纳税申报",
    "C++算法工程师：熟悉C++和Python，负责算法开发",
    "C#开发：熟悉.NET和SQL Server",
] * 4


def test_split_sentences_cuts_numbered_items_and_keeps_decimals():
    text = "岗位职责：1. 负责接口开发；2.编写文档。任职要求：1.本科及以上，3.5年以上经验"
    assert split_sentences(text) == [
        "岗位职责",
        "负责接口开发",
        "编写文档",
        "任职要求",
        "本科及以上,3.5年以上经验",
    ]


def test_tokenizer_keeps_skill_names_whole_and_normalises():
    tokenizer = train_tokenizer(DOCS, vocab_size=400, min_count=1)
    tokens = tokenizer.encode("熟悉ＪＡＶＡ、C++和C#，Vue", add_special_tokens=False).tokens
    assert {"java", "c++", "c#", "vue"} <= set(tokens)
    assert vocabulary(tokenizer)[0] == "[UNK]"


def test_tokenizer_adds_general_words():
    tokenizer = train_tokenizer(DOCS, vocab_size=3000, min_count=1, general=2000)
    vocab = set(vocabulary(tokenizer))
    assert {"中国", "我们"} <= vocab  # common words the job lines never contain


def test_token_matrix_rows_are_token_frequencies():
    tokenizer = train_tokenizer(DOCS, vocab_size=400, min_count=1)
    a = token_matrix(tokenizer, ["java java 开发", ""], tokenizer.get_vocab_size())
    assert np.allclose(np.asarray(a.sum(axis=1)).ravel(), [1.0, 0.0])
    java = tokenizer.token_to_id("java")
    assert a[0, java] == pytest.approx(2 / 3)


def test_fit_recovers_vectors_that_explain_the_targets():
    rng = np.random.default_rng(0)
    a = sp.random(400, 50, density=0.1, random_state=1, dtype=np.float32, format="csr")
    truth = rng.standard_normal((50, 8)).astype(np.float32)
    targets = np.asarray(a @ truth, dtype=np.float32)
    start = rng.standard_normal((50, 8)).astype(np.float32)
    fitted = fit_token_vectors(a, targets, start, strength=1e-4, iterations=60)
    assert fit_error(a, targets, fitted) > 0.99 > fit_error(a, targets, start)


def test_sif_weighting_shrinks_frequent_tokens():
    vectors = np.ones((3, 4), dtype=np.float32) + np.eye(3, 4, dtype=np.float32)
    out = smooth_inverse_frequency(vectors, np.array([0.0, 0.1, 1e-5]), a=1e-4)
    assert np.all(out[0] == 0)
    assert np.linalg.norm(out[1]) < np.linalg.norm(out[2])


def test_reduce_dimension_keeps_the_main_structure():
    rng = np.random.default_rng(0)
    low = rng.standard_normal((300, 4)) @ rng.standard_normal((4, 16))
    reduced = reduce_dimension(low.astype(np.float32), 4, seed=0)
    assert reduced.shape == (300, 4)
    before = low @ low[0]
    after = reduced @ reduced[0]
    assert np.allclose(before, after, atol=1e-3)


def test_fine_tune_pulls_pairs_together_and_is_deterministic():
    tokenizer = train_tokenizer(DOCS, vocab_size=400, min_count=1)
    rng = np.random.default_rng(0)
    weights = rng.standard_normal((tokenizer.get_vocab_size(), 16)).astype(np.float32)
    pairs = [(d.split("：")[0], d.split("：")[1]) for d in DOCS[:5]]

    def pair_cosine(w):
        a = token_matrix(tokenizer, [x for x, _ in pairs], w.shape[0]) @ w
        b = token_matrix(tokenizer, [y for _, y in pairs], w.shape[0]) @ w
        return np.mean(np.sum(a * b, 1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1))

    tuned = fine_tune(
        tokenizer,
        weights,
        pairs * 10,
        seed=3,
        epochs=5,
        batch_size=4,
        learning_rate=0.05,
        anchor_strength=0.0,
    )
    again = fine_tune(
        tokenizer,
        weights,
        pairs * 10,
        seed=3,
        epochs=5,
        batch_size=4,
        learning_rate=0.05,
        anchor_strength=0.0,
    )
    assert pair_cosine(tuned) > pair_cosine(weights) + 0.1
    assert np.array_equal(tuned, again)


def test_training_end_to_end_is_reproducible_and_saves_a_loadable_model(tmp_path):
    config = TrainConfig(
        out_dir=tmp_path / "model",
        generated_scale=150,
        max_sentences=600,
        max_pairs=300,
        vocab_size=1500,
        general_words=300,
        dimension=32,
        cg_iterations=5,
        seed=7,
    )
    _, first, report = distil(config, log=lambda _: None)
    _, second, _ = distil(config, log=lambda _: None)
    assert np.array_equal(first.weights, second.weights)
    assert report["dimension"] == 32 and report["corpus"]["pairs"] > 0
    train_encoder(config, log=lambda _: None)
    encoder = SentenceTransformerEncoder(str(config.out_dir))
    vectors = encoder.encode_positions(["Java开发工程师", "会计"])
    assert vectors.shape == (2, 32)
    assert (config.out_dir / "training.json").is_file()


def test_the_teacher_stage_says_how_far_it_is(monkeypatch):
    """Issue 15, point 18: the longest stage of training reports its progress."""
    from matcher.text.training import train

    class Teacher:
        dimension = 4

        def encode_positions(self, texts):
            return np.ones((len(texts), 4), dtype=np.float32)

    monkeypatch.setattr(train, "TEACHER_BATCH", 10)
    monkeypatch.setattr(train, "PROGRESS_EVERY", 0.0)
    lines: list[str] = []
    vectors = train._teacher_vectors(Teacher(), [f"t{i}" for i in range(35)], None, lines.append)
    assert vectors.shape == (35, 4)
    assert [line.split(",")[0] for line in lines[:3]] == [
        "  teacher: 10 / 35 texts",
        "  teacher: 20 / 35 texts",
        "  teacher: 30 / 35 texts",
    ]
    assert lines[-1].startswith("  teacher encoded 35 texts")
