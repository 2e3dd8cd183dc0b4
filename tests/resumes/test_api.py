"""``POST /resumes/parse``: an uploaded file or pasted text → the draft; who may call it; a
file that cannot be read → problem+json with the reason and Chinese."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from benchmarks.resumes import render
from matcher.text.encoders import FakeEncoder
from tests.api.conftest import key_headers
from tests.resumes.conftest import PASTED, written


@pytest.fixture
def client(settings, store) -> Iterator[TestClient]:
    with TestClient(create_app(settings, store, encoder=FakeEncoder(32))) as client:
        yield client


def test_a_partner_uploads_a_docx_and_gets_the_draft(client, store, tmp_path, resume):
    path = written(tmp_path, resume, render.docx_table, ".docx")
    answer = client.post(
        "/resumes/parse",
        headers=key_headers(store, "service"),
        files={"file": ("简历.docx", path.read_bytes())},
    )
    assert answer.status_code == 200
    draft = answer.json()
    assert draft["school"]["value"] == resume.truth["school"]
    assert draft["major"]["value"] == resume.truth["major"]
    assert draft["record"] is None  # no graduate id: nothing to store under
    assert not [v for v in resume.truth["protected"] if v in answer.text]


def test_a_graduate_pastes_text_for_their_own_profile(client, store):
    own = key_headers(store, "graduate", graduate="g-7")
    answer = client.post("/resumes/parse", headers=own, json={"text": PASTED})
    assert answer.status_code == 200
    assert answer.json()["record"]["id"] == "g-7"
    assert answer.json()["record"]["major"] == "会计学"
    other = client.post("/resumes/parse?graduate_id=g-8", headers=own, json={"text": PASTED})
    assert other.status_code == 403 and "只能为自己的档案" in other.json()["detail_zh"]


@pytest.mark.parametrize(("role", "status"), [("bureau", 200), ("employer", 403), ("adviser", 403)])
def test_roles(client, store, role, status):
    scope = {"employer": {"employer": "e-1"}, "adviser": {"adviser": "a-1"}}.get(role, {})
    answer = client.post(
        "/resumes/parse", headers=key_headers(store, role, **scope), json={"text": PASTED}
    )
    assert answer.status_code == status
    assert client.post("/resumes/parse", json={"text": PASTED}).status_code == 401


def test_an_unreadable_file_is_a_problem_with_its_reason(client, store):
    headers = {**key_headers(store, "bureau"), "Accept-Language": "zh-CN"}
    legacy = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "WordDocument".encode("utf-16-le")
    answer = client.post("/resumes/parse", headers=headers, files={"file": ("a.doc", legacy)})
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == "legacy_doc" and "另存为" in answer.json()["detail"]
    big = client.post(
        "/resumes/parse", headers=headers, files={"file": ("a.pdf", b"%PDF-" + bytes(10_500_000))}
    )
    assert big.status_code == 413 and big.json()["code"] == "file_too_large"
    none = client.post("/resumes/parse", headers=headers, files={"other": ("a.txt", b"x")})
    assert none.status_code == 422 and none.json()["code"] == "invalid_request"
    empty = client.post("/resumes/parse", headers=headers, json={"text": ""})
    assert empty.status_code == 422
