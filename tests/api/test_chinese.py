"""Messages people see are in Chinese (issue 15, point 15): every problem answer carries a
machine code and a Chinese text; the API answers in the language the request prefers."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.errors import prefers_chinese
from matcher.errors import MatcherError
from matcher.offers.single import OfferRefused
from matcher.records.prepare import prepare
from matcher.text.encoders import FakeEncoder
from tests.api.conftest import key_headers
from tests.conftest import position

ZH = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}


@pytest.fixture
def client(settings, store):
    store.upsert("positions", [prepare("positions", position("p-1", expires_at="2099-12-31"))])
    with TestClient(create_app(settings.replace(api_worker=False), store, FakeEncoder(16))) as c:
        yield c, key_headers(store, "bureau")


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize(
    ("header", "chinese"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", True),
        ("en-US,en;q=0.9,zh-CN;q=0.8", False),
        ("en;q=0.5, zh-TW", True),
        ("", False),
        (None, False),
    ],
)
def test_language_negotiation(header, chinese):
    assert prefers_chinese(header) is chinese


def test_a_missing_record_is_told_in_both_languages(client):
    c, bureau = client
    plain = c.get("/positions/p-nope", headers=bureau).json()
    assert plain["code"] == "not_found" and "not found" in plain["detail"]
    assert _cjk(plain["detail_zh"]) and "p-nope" in plain["detail_zh"]
    chinese = c.get("/positions/p-nope", headers={**bureau, **ZH}).json()
    assert chinese["code"] == "not_found" and chinese["title"] == "未找到"
    assert _cjk(chinese["detail"]) and "not found" in chinese["detail_en"]


def test_a_bad_record_names_the_field_in_chinese(client):
    c, bureau = client
    bad = position("p-2", kind="gig", headcount="3-5")
    answer = c.post("/positions", json=bad, headers={**bureau, **ZH}).json()
    assert answer["code"] == "invalid_record" and answer["field"] == "kind"
    assert "kind：取值无效" in answer["detail"] and "headcount：应为整数" in answer["detail"]
    assert "Input should be" in answer["detail_en"]


def test_bad_request_parameters_are_explained_in_chinese(client):
    c, bureau = client
    answer = c.get("/positions?limit=100000", headers={**bureau, **ZH}).json()
    assert answer["code"] == "invalid_request"
    assert "不能大于 500" in answer["detail"]
    assert answer["errors"][0]["message_zh"] == "不能大于 500"


def test_unauthenticated_and_forbidden_have_chinese_texts(client):
    c, _ = client
    assert _cjk(c.get("/positions").json()["detail_zh"])
    assert "API 密钥" in c.get("/positions", headers=ZH).json()["detail"]


def test_domain_errors_carry_a_chinese_text():
    assert MatcherError("x").zh == "操作未完成"
    refused = OfferRefused("frequency", "graduate 'g-1' already had 3 offers")
    assert refused.zh == "推送未完成：本周推送次数已达上限"
