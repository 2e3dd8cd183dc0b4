"""Issue #19, item 4 through the HTTP API: an employer is told before it publishes — the flags
with the exact wording, the law and the advice, whether the posting would be published at
once, and a rewrite that screens clean — nothing is stored, and a blacklisted employer is
refused with the reason stored when it was blacklisted."""

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from matcher.compliance.screen import default_rules
from matcher.records.prepare import employer_id
from matcher.text.encoders import FakeEncoder
from tests.api.conftest import A, B, key_headers, two_employers_postings
from tests.conftest import position

BIASED = "负责收银和理货。要求：女，35岁以下，本地户口，需交押金500元。"
ZH = {"Accept-Language": "zh-CN"}


@pytest.fixture
def world(settings, store):
    two_employers_postings(store)
    with TestClient(create_app(settings, store, encoder=FakeEncoder(32))) as client:
        keys = {
            role: key_headers(store, role, **scope)
            for role, scope in (
                ("bureau", {}),
                ("service", {}),
                ("employer", {"employer": employer_id(A, None)}),
                ("graduate", {"graduate": "g-1"}),
                ("adviser", {"adviser": "a-1"}),
            )
        }
        yield client, keys, store


def _draft(**changes):
    return position("d-1", employer={"name": A}, description=BIASED) | changes


def test_an_employer_sees_each_flag_with_its_law_and_a_rewrite_that_screens_clean(world):
    client, keys, store = world
    answer = client.post("/positions/screen", json=_draft(), headers=keys["employer"])
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["id"] == "d-1" and body["publishable"] is False
    assert body["categories"] == ["gender", "age", "hukou_region", "fees_fraud"]
    by_category = {f["category"]: f for f in body["flags"]}
    assert by_category["gender"]["category_label"] == "性别"
    assert by_category["fees_fraud"]["category_label"] == "收费、欺诈"
    for flag in body["flags"]:
        assert flag["match"] in BIASED  # the posting's own words
        assert BIASED[flag["start"] : flag["end"]] == flag["match"]
        assert flag["basis"].startswith("《") and flag["rewrite"] and flag["rule"]
    rewritten = body["rewritten"]
    assert set(rewritten) == {"title", "description"}
    assert "男女不限" in rewritten["description"] and "户籍不限" in rewritten["description"]
    assert "押金" not in rewritten["description"] and "35岁" not in rewritten["description"]
    assert "负责收银和理货" in rewritten["description"]
    assert default_rules().screen(rewritten) == [] and body["rewritten_clean"] is True
    assert "人社部门审核" in body["message_zh"]
    assert store.get_many("positions", ["d-1"]) == {}  # nothing stored
    again = client.post("/positions/screen", json=_draft(**rewritten), headers=keys["employer"])
    assert again.json()["publishable"] is True and again.json()["flags"] == []


def test_a_blacklisted_employer_is_refused_with_the_stored_reason(world):
    client, keys, store = world
    store.set_blacklisted(employer_id(A, None), True, "多次发布收费招聘信息", actor="bureau:test")
    for role, draft in (
        ("employer", _draft()),
        ("employer", {"title": "收银员"}),  # no employer named: its own
        ("bureau", _draft()),
        ("service", _draft(employer={"name": A})),
    ):
        refused = client.post("/positions/screen", json=draft, headers=keys[role] | ZH)
        assert refused.status_code == 403, (role, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
        problem = refused.json()
        assert "黑名单" in problem["detail"] and "多次发布收费招聘信息" in problem["detail"]
        assert "blacklisted" in problem["detail_en"]
    # the same employer cannot publish either, with the same reason
    published = client.post("/positions", json=_draft(), headers=keys["employer"] | ZH)
    assert published.status_code == 403 and "多次发布收费招聘信息" in published.json()["detail"]
    # another employer, or a draft naming none, is screened as usual by the bureau
    assert (
        client.post(
            "/positions/screen", json=_draft(employer={"name": B}), headers=keys["bureau"]
        ).status_code
        == 200
    )
    assert (
        client.post(
            "/positions/screen", json={"title": "收银员"}, headers=keys["bureau"]
        ).status_code
        == 200
    )
    # the text-only check names no employer and refuses nobody
    text_only = client.post("/compliance/screen", json=_draft(), headers=keys["employer"])
    assert text_only.status_code == 200 and text_only.json()["flags"]
    store.set_blacklisted(employer_id(A, None), False, "已整改", actor="bureau:test")
    assert (
        client.post("/positions/screen", json=_draft(), headers=keys["employer"]).status_code == 200
    )


def test_an_employer_key_screens_as_its_own_employer_only(world):
    client, keys, _ = world
    other = client.post(
        "/positions/screen", json=_draft(employer={"name": B}), headers=keys["employer"] | ZH
    )
    assert other.status_code == 403 and "本单位" in other.json()["detail"]
    unknown = client.post(
        "/positions/screen", json=_draft(employer={"name": "重庆丁公司"}), headers=keys["employer"]
    )
    assert unknown.status_code == 403
    for role in ("graduate", "adviser"):
        assert (
            client.post("/positions/screen", json=_draft(), headers=keys[role]).status_code == 403
        )


def test_screening_answers_odd_drafts_without_failing(world):
    client, keys, _ = world
    for draft in (
        {},
        {"id": 5, "title": ["x"], "employer": "A"},
        {"title": "前台（限女性）", "employer": {"name": 3, "credit_code": None}},
        {"description": "限女性" * 200},
    ):
        answer = client.post("/positions/screen", json=draft, headers=keys["bureau"])
        assert answer.status_code == 200, (draft, answer.text)
        assert default_rules().screen(answer.json()["rewritten"]) == []
    assert client.post("/positions/screen", json=[1], headers=keys["bureau"]).status_code == 422
