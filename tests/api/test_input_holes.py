"""Smaller holes of issue 21 (points 6 and 8): console sessions end server-side at logout, key
scopes are typed, a graduate cannot set the bureau's fields of its own profile, flagged
postings are shown only to those who review them and to their employer, a refused key says
nothing about whether its id exists, the public health check names no path, and a request
that fails in the database leaves no personal data in the logs."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from api.app import create_app
from matcher.credentials import ScopeError
from matcher.records.prepare import employer_id, prepare
from matcher.store import tables
from matcher.store.db import utcnow
from matcher.store.keys import ApiKeys
from matcher.text.encoders import FakeEncoder
from tests.api.conftest import A, B, key_headers
from tests.conftest import graduate, position

BIASED = "负责后端接口开发。限男性，35岁以下。"


@pytest.fixture
def world(settings, store):
    store.upsert(
        "positions",
        [
            prepare("positions", position("p-ok", employer={"name": A}, expires_at="2099-12-31")),
            prepare(
                "positions",
                position(
                    "p-flag", employer={"name": A}, description=BIASED, expires_at="2099-12-31"
                ),
            ),
        ],
    )
    store.upsert("graduates", [prepare("graduates", graduate("g-1", adviser="a-1"))])
    s = settings.replace(api_worker=False)
    with TestClient(create_app(s, store, encoder=FakeEncoder(16))) as client:
        yield client, store, s


def test_a_logout_ends_the_console_session_even_for_a_copied_cookie(world):
    client, store, _ = world
    _, key = ApiKeys(store).issue("adviser", {"adviser": "a-1"}, "console")
    assert client.post("/console/login", data={"key": key}, follow_redirects=False).is_redirect
    copied = dict(client.cookies)
    page = client.get("/console")
    assert page.status_code == 200 and 'name="csrf"' in page.text
    csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
    assert client.post("/console/logout", data={"csrf": csrf}, follow_redirects=False).is_redirect
    client.cookies.clear()
    client.cookies.update(copied)  # the cookie as it was before the logout
    replay = client.get("/console", follow_redirects=False)
    assert replay.status_code == 303 and replay.headers["location"] == "/console/login"


def test_an_expired_console_session_is_refused_whatever_the_cookie_says(world):
    client, store, _ = world
    _, key = ApiKeys(store).issue("adviser", {"adviser": "a-1"}, "console")
    client.post("/console/login", data={"key": key}, follow_redirects=False)
    assert client.get("/console", follow_redirects=False).status_code == 200
    with store.engine.begin() as conn:
        conn.execute(
            sa.update(tables.console_sessions).values(expires_at=utcnow() - timedelta(minutes=1))
        )
    assert client.get("/console", follow_redirects=False).status_code == 303


def test_key_scopes_are_typed_and_a_loosely_stored_scope_never_widens(world):
    client, store, _ = world
    admin = key_headers(store, "admin")
    made = client.post(
        "/keys", json={"role": "adviser", "scope": {"districts": ["500112"]}}, headers=admin
    )
    assert made.status_code == 201 and made.json()["scope"] == {"districts": ["500112"]}
    with pytest.raises(ScopeError) as refused:
        ApiKeys(store).issue("adviser", {"districts": "5001"})
    assert refused.value.field == "scope.districts" and "行政区划" in refused.value.zh
    # a key stored before scopes were typed, with districts as a text: "5" would match any
    # code starting with 5 if it were read character by character
    headers = key_headers(store, "adviser", adviser="a-9")
    key_id = headers["Authorization"].split("_")[1]
    with store.engine.begin() as conn:
        k = tables.api_keys.c
        conn.execute(
            sa.update(tables.api_keys).where(k.id == key_id).values(scope={"districts": "5"})
        )
    answer = client.get("/graduates", headers=headers)
    assert answer.status_code == 403 and "重新签发" in answer.json()["detail_zh"]


def test_a_refused_key_says_nothing_about_whether_its_id_exists(world):
    client, store, _ = world
    real = key_headers(store, "bureau")["Authorization"].split("_")[1]
    known = client.get("/positions", headers={"Authorization": f"Bearer mk_{real}_wrong"})
    unknown = client.get("/positions", headers={"Authorization": "Bearer mk_0123456789ab_wrong"})
    assert known.status_code == unknown.status_code == 401
    assert known.json() == unknown.json()
    assert real not in known.text


def test_the_public_health_check_names_no_path(world):
    client, _, settings = world
    answer = client.get("/healthz")
    assert answer.status_code == 200 and answer.json()["index"]["status"] == "ok"
    assert str(settings.data_dir) not in answer.text and "/" not in answer.text


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"adviser": "a-2"}, "adviser"),
        ({"support": ["disabled"]}, "support"),
        ({"consent": {"push": False, "how": "online"}}, "consent"),
    ],
)
def test_a_graduate_cannot_set_the_bureaus_fields_of_its_own_profile(world, change, field):
    client, store, _ = world
    me = key_headers(store, "graduate", graduate="g-1")
    before = store.get("graduates", "g-1")
    for answer in (
        client.post("/graduates", json={**graduate("g-1", adviser="a-1"), **change}, headers=me),
        client.patch("/graduates/g-1", json=change, headers=me),
    ):
        assert answer.status_code == 403, answer.text
        assert field in answer.json()["detail"] and "本人不能修改" in answer.json()["detail_zh"]
    assert store.get("graduates", "g-1") == before
    bureau = key_headers(store, "bureau")
    assert client.patch("/graduates/g-1", json=change, headers=bureau).status_code == 200


def test_a_graduate_still_edits_its_own_profile_and_keeps_its_adviser(world):
    client, store, _ = world
    me = key_headers(store, "graduate", graduate="g-1")
    replaced = client.post("/graduates", json=graduate("g-1", bio="会Go"), headers=me)
    assert replaced.status_code == 201, replaced.text
    assert replaced.json()["bio"] == "会Go" and replaced.json()["adviser"] == "a-1"


def test_flagged_postings_are_shown_only_to_reviewers_and_their_employer(world):
    client, store, _ = world
    assert store.get("positions", "p-flag")["flagged"] is True
    sees = {
        "bureau": key_headers(store, "bureau"),
        "adviser": key_headers(store, "adviser", adviser="a-1"),
        "own employer": key_headers(store, "employer", employer=employer_id(A, None)),
    }
    hidden = {
        "graduate": key_headers(store, "graduate", graduate="g-1"),
        "other employer": key_headers(store, "employer", employer=employer_id(B, None)),
        "service": key_headers(store, "service"),
    }
    for who, headers in {**sees, **hidden}.items():
        listed = {p["id"]: p for p in client.get("/positions", headers=headers).json()["items"]}
        one = client.get("/positions/p-flag", headers=headers)
        assert "p-ok" in listed, who
        if who in sees:
            assert listed["p-flag"]["flagged"] is True and one.json()["flagged"] is True, who
        else:
            assert "p-flag" not in listed and one.status_code == 404, who


@pytest.fixture
def failing(any_store, settings):
    """A store whose database refuses one graduate's row (a constraint the test adds)."""
    secret = "张秘密"
    with any_store.engine.begin() as conn:
        if any_store.engine.dialect.name == "sqlite":
            conn.execute(
                sa.text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON graduates "
                    f"WHEN NEW.name = '{secret}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            )
        else:
            conn.execute(
                sa.text(
                    "ALTER TABLE graduates ADD CONSTRAINT refuse "
                    f"CHECK (name IS DISTINCT FROM '{secret}')"
                )
            )
    s = settings.replace(api_worker=False)
    with TestClient(create_app(s, any_store, encoder=FakeEncoder(16))) as client:
        yield client, any_store, secret


def test_a_request_failing_in_the_database_logs_ids_not_personal_data(failing, caplog, capfd):
    client, store, secret = failing
    phone = "13912345678"
    caplog.set_level(logging.DEBUG)
    record = graduate("g-secret", name=secret, contact={"phone": phone}, bio="住在解放碑8号")
    answer = client.post("/graduates", json=record, headers=key_headers(store, "bureau"))
    assert answer.status_code == 500, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "服务器" in answer.json()["detail_zh"] and secret not in answer.text
    logged = caplog.text + "".join(capfd.readouterr())
    assert "POST /graduates failed" in logged and "Error" in logged  # the failure is logged
    for personal in (secret, phone, "解放碑"):
        assert personal not in logged
    assert not store.get_many("graduates", ["g-secret"])
