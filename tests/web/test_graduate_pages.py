"""Graduates' own pages over HTTP (issue 16): a sign-in link works once, expires, can be
revoked, is issued only by who may see the graduate, and opens that graduate's pages only; the
answers on the pages are feedback (a dismissed posting is not recommended again); the data
download holds the profile; erasure ends the session. The same in a phone-sized browser is in
``test_graduate_browser.py``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from api.app import create_app
from matcher.records.prepare import prepare
from matcher.store import Store, tables
from matcher.store.db import utcnow
from matcher.store.feedback import events_of
from matcher.store.links import SignInLinks
from matcher.text.encoders import FakeEncoder
from tests.api.conftest import key_headers
from tests.conftest import graduate, position

LATER = "2099-12-31"


@pytest.fixture()
def site(store: Store, settings: Any) -> Iterator[dict[str, Any]]:
    titles = ["Java开发工程师", "Python开发", "测试工程师", "运维工程师", "数据分析师", "前端开发"]
    store.upsert(
        "positions",
        [
            prepare("positions", position(f"p-{i}", title=t, expires_at=LATER))
            for i, t in enumerate(titles)
        ],
    )
    store.upsert(
        "graduates",
        [
            prepare("graduates", graduate("g-x", adviser="a-1")),
            prepare("graduates", graduate("g-y", adviser="a-2")),
        ],
    )
    app = create_app(
        settings.replace(api_worker=False, quiet_hours="off"), store, encoder=FakeEncoder(32)
    )
    with TestClient(app) as client:
        yield {"client": client, "store": store, "app": app}


def _link(client: TestClient, store: Store, gid: str = "g-x", adviser: str = "a-1") -> str:
    answer = client.post(
        f"/graduates/{gid}/links", headers=key_headers(store, "adviser", adviser=adviser)
    )
    assert answer.status_code == 201, answer.text
    url = answer.json()["url"]
    assert re.search(r"/me/signin/[\w-]{40,}$", url)
    return url.split("testserver", 1)[1]


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no form on the page"
    return found.group(1)


def _shown(html: str) -> list[str]:
    return re.findall(r'data-testid="match" data-id="([^"]+)"', html)


def test_a_link_signs_in_once_and_only_its_graduate(site):
    client, store = site["client"], site["store"]
    path = _link(client, store)
    home = client.get(path)
    assert home.status_code == 200 and "为您推荐" in home.text
    assert _shown(home.text), "the graduate sees recommendations"
    assert "mk_" not in home.text and "key" not in home.text.lower()  # no key is ever shown
    with TestClient(site["app"]) as other_browser:
        again = other_browser.get(path)
    assert again.status_code == 410 and "只能使用一次" in again.text
    # signed in as g-x, g-y's offer cannot be answered or seen
    bureau = key_headers(store, "bureau")
    offer = client.post(
        "/offers", json={"graduate_id": "g-y", "position_id": "p-1"}, headers=bureau
    )
    assert offer.status_code in (200, 201), offer.text
    oid = offer.json()["id"]
    csrf = _csrf(client.get("/me/offers").text)
    refused = client.post(f"/me/offers/{oid}/answer", data={"csrf": csrf, "event": "applied"})
    assert refused.status_code == 404
    assert client.get(f"/offers/{oid}", headers=bureau).json()["status"] != "applied"
    assert oid not in client.get("/me/offers").text


def test_links_expire_are_revoked_and_are_issued_only_in_scope(site):
    client, store = site["client"], site["store"]
    refused = client.post(
        "/graduates/g-x/links", headers=key_headers(store, "adviser", adviser="a-2")
    )
    assert refused.status_code == 403
    as_graduate = client.post(
        "/graduates/g-x/links", headers=key_headers(store, "graduate", graduate="g-x")
    )
    assert as_graduate.status_code == 403
    token, _ = SignInLinks(store).issue("g-x", "test", timedelta(hours=1))
    link = tables.graduate_links.c
    with store.engine.begin() as conn:
        conn.execute(
            sa.update(tables.graduate_links).values(expires_at=utcnow() - timedelta(seconds=1))
        )
    expired = client.get(f"/me/signin/{token}")
    assert expired.status_code == 410 and "已过期" in expired.text
    path = _link(client, store)
    revoked = client.delete("/graduates/g-x/links", headers=key_headers(store, "bureau"))
    assert revoked.json() == {"graduate_id": "g-x", "revoked": 1}
    answer = client.get(path)
    assert answer.status_code == 410 and "已被撤销" in answer.text
    assert client.get("/me/signin/not-a-token").status_code == 410
    with store.engine.connect() as conn:
        kept = conn.execute(sa.select(link.id)).scalars().all()
    assert all(len(h) == 64 and token not in h for h in kept)  # only hashes are stored
    assert client.get("/me").status_code == 401


def test_a_dismissed_posting_is_not_recommended_again(site):
    client, store = site["client"], site["store"]
    home = client.get(_link(client, store)).text
    first = _shown(home)[0]
    answer = client.post(
        f"/me/positions/{first}/answer",
        data={"csrf": _csrf(home), "event": "not_interested", "reason": "离家太远"},
    )
    assert answer.status_code == 200 and "不会再向您推荐" in answer.text
    assert first not in _shown(client.get("/me").text)
    assert [e["event"] for e in events_of(store, "g-x")] == ["not_interested"]
    no_csrf = client.post(f"/me/positions/{first}/answer", data={"event": "saved"})
    assert no_csrf.status_code == 403


def test_my_data_downloads_and_erasure_ends_the_session(site):
    client, store = site["client"], site["store"]
    client.get(_link(client, store))
    held = client.get("/me/data.json")
    assert held.status_code == 200 and "attachment" in held.headers["content-disposition"]
    data = json.loads(held.text)
    assert data["profile"]["id"] == "g-x" and data["profile"]["school"] == "重庆大学"
    assert len(data["sign_in_links"]) == 1
    page = client.get("/me/data").text
    wrong = client.post("/me/erase", data={"csrf": _csrf(page), "confirm": "好的"})
    assert "请在确认框中输入" in wrong.text
    assert store.get("graduates", "g-x").get("school") == "重庆大学"
    done = client.post("/me/erase", data={"csrf": _csrf(page), "confirm": "删除"})
    assert done.status_code == 200 and "档案已删除" in done.text and "依法保留" in done.text
    assert "school" not in store.get("graduates", "g-x")
    assert client.get("/me").status_code == 401


def test_wishes_are_a_partial_update_that_keeps_consent(site):
    client, store = site["client"], site["store"]
    store.revise("graduates", "g-x", {"consent": {"push": True, "how": "phone"}})
    client.get(_link(client, store))
    page = client.get("/me/data").text
    assert "您已同意接收岗位推送" in page
    form = {
        "csrf": _csrf(page),
        "districts": "渝北、江北区，重庆渝北区",
        "kinds": ["traineeship", "full_time"],
        "salary_min": "5000",
        "bio": "喜欢和数据打交道。",
    }
    saved = client.post("/me/data/wishes", data=form)
    assert "求职意向已保存" in saved.text
    stored = store.get("graduates", "g-x")
    assert stored["desired"]["districts"] == ["渝北区", "江北区"]
    assert stored["desired"]["kinds"] == ["traineeship", "full_time"]
    assert stored["desired"]["salary_min"] == 5000 and stored["bio"] == "喜欢和数据打交道。"
    assert stored["consent"]["push"] is True and stored["consent"]["how"] == "phone"
    assert stored["school"] == "重庆大学"
    wrong = client.post("/me/data/wishes", data=form | {"districts": "成华区"})
    assert "“成华区”不是重庆的区县名称" in wrong.text
    late = client.post("/me/data/wishes", data=form | {"salary_min": "五千"})
    assert "期望月薪请填写整数" in late.text
    assert store.get("graduates", "g-x")["desired"] == stored["desired"]  # nothing lost
