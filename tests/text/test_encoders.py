"""Contract every encoder backend must meet, checked on the fake and on a small real
static-embedding model built offline in a temporary folder."""

from pathlib import Path

import numpy as np
import pytest

from matcher.text.encoders import (
    Encoder,
    FakeEncoder,
    SentenceTransformerEncoder,
    build_static_model,
    load_encoder,
    normalise_rows,
)
from matcher.text.training.tokenizer import train_tokenizer

TEXTS = [
    "Java开发工程师。技能：Java、Spring Boot、MySQL",
    "会计。负责凭证录入和报表编制",
    "软件工程专业（计算机类）。技能：Python、Django",
    "见习生：社区服务中心综合岗",
]


@pytest.fixture(scope="module")
def static_model(tmp_path_factory) -> Path:
    """A tiny static model: tokenizer trained on a few lines, random token vectors."""
    tokenizer = train_tokenizer(TEXTS * 3, vocab_size=200, min_count=1)
    rng = np.random.default_rng(0)
    weights = rng.standard_normal((tokenizer.get_vocab_size(), 32)).astype(np.float32)
    weights[0] = 0.0
    return build_static_model(tokenizer, weights, tmp_path_factory.mktemp("model") / "tiny")


@pytest.fixture(params=["fake", "static"])
def encoder(request, static_model) -> Encoder:
    if request.param == "fake":
        return FakeEncoder(48)
    return SentenceTransformerEncoder(str(static_model))


def test_rows_are_unit_float32_and_deterministic(encoder):
    first = encoder.encode_positions(TEXTS)
    again = encoder.encode_positions(TEXTS)
    assert first.dtype == np.float32 and first.shape == (len(TEXTS), encoder.dimension)
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-3)
    assert np.array_equal(first, again)


def test_batch_equals_single(encoder):
    batch = encoder.encode_graduates(TEXTS)
    singles = np.concatenate([encoder.encode_graduates([t]) for t in TEXTS])
    assert np.allclose(batch, singles, atol=1e-3)


def test_empty_text_gives_a_zero_row_and_no_texts_an_empty_array(encoder):
    out = encoder.encode_positions(["", TEXTS[0]])
    assert np.all(out[0] == 0)
    assert np.isclose(np.linalg.norm(out[1]), 1.0, atol=1e-3)
    assert encoder.encode_positions([]).shape == (0, encoder.dimension)


def test_very_long_and_mixed_language_text(encoder):
    long_text = "负责后端开发，熟悉Java和MySQL。" * 2000
    out = encoder.encode_positions([long_text, "Java开发 + Python Django developer"])
    assert np.all(np.isfinite(out))
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-3)


def test_similar_texts_are_closer_than_unrelated_ones(encoder):
    a, b, c = encoder.encode_positions(
        ["Java开发工程师 Java", "Java后端工程师 Java", "幼儿园保育员"]
    )
    assert a @ b > a @ c


def test_model_id_names_the_weights(static_model):
    encoder = SentenceTransformerEncoder(str(static_model))
    assert encoder.model_id.startswith("tiny@")
    assert encoder.dimension == 32


def test_static_model_loads_offline_from_its_folder(static_model, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", "/nonexistent")
    vectors = load_encoder(str(static_model)).encode_positions(TEXTS[:1])
    assert vectors.shape == (1, 32)


def test_fake_spec_and_unknown_model():
    assert load_encoder("fake:16").dimension == 16
    from matcher.errors import MatcherError

    with pytest.raises(MatcherError, match="cannot load encoder"):
        load_encoder("/no/such/model-folder")


def test_normalise_rows_keeps_zero_rows_and_rejects_1d():
    out = normalise_rows([[3.0, 4.0], [0.0, 0.0], [np.nan, 1.0]])
    assert np.allclose(out, [[0.6, 0.8], [0.0, 0.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match="2-D"):
        normalise_rows([1.0, 2.0])
