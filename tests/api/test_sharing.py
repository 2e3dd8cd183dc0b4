"""A graduate's choices of sharing with the bureau's partners (issue 17, consent to share per
partner): their university sees them only while they share with it (it still keeps its roster
up to date, and a re-sent roster never gives consent back), agencies see them as candidates
only when they let agencies, a training institution sees and reports them only when they let
training institutions; the bureau's side sees everything. Set through the API or the
graduate's own page, audited. On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from matcher.records.prepare import employer_id, prepare
from matcher.store import Store, migrate
from matcher.store.authorisations import today
from matcher.store.keys import audit_entries
from matcher.store.partners import Partners
from matcher.store.plans import NewItem, NewPlan, Plans
from matcher.text.encoders import FakeEncoder
from tests.api.conftest import A, key_headers, two_employers_postings
from tests.conftest import AGENCY, TRAINING, UNIVERSITY, course, graduate


@pytest.fixture()
def site(any_store: Store, settings: Any) -> Iterator[dict[str, Any]]:
    store = any_store
    two_employers_postings(store)
    for given, pid in ((UNIVERSITY, "pt-u"), (AGENCY, "pt-ag"), (TRAINING, "pt-tr")):
        Partners(store).add(given, "test", partner_id=pid)
    store.upsert("trainings", [prepare("trainings", course("t-1", partner="pt-tr"))])
    app = create_app(
        settings.replace(api_worker=False, quiet_hours="off"), store, encoder=FakeEncoder(32)
    )
    with TestClient(app) as client:
        keys = {
            "university": key_headers(store, "partner", partner="pt-u"),
            "agency": key_headers(store, "partner", partner="pt-ag"),
            "training": key_headers(store, "partner", partner="pt-tr"),
            "bureau": key_headers(store, "bureau"),
            "adviser": key_headers(store, "adviser", adviser="a-1"),
            "g1": key_headers(store, "graduate", graduate="g-1"),
            "employer": key_headers(store, "employer", employer=employer_id(A, None)),
        }
        roster = [graduate(f"g-{i}", adviser="a-1") for i in range(1, 4)]
        assert (
            client.post("/graduates/bulk", json=roster, headers=keys["university"]).json()[
                "inserted"
            ]
            == 3
        )
        yield {"client": client, "store": store, **keys}


def _share(site: dict[str, Any], who: str, gid: str = "g-1", **choices: bool) -> Any:
    body = {"how": "online" if who == "g1" else "phone", **choices}
    return site["client"].post(f"/graduates/{gid}/sharing", json=body, headers=site[who])


def test_defaults_follow_each_partners_purpose_and_bad_choices_are_named(site) -> None:
    client, store = site["client"], site["store"]
    shown = client.get("/graduates/g-1/sharing", headers=site["g1"]).json()
    assert (shown["school"], shown["agencies"], shown["training"], shown["chosen"]) == (
        True,
        True,
        True,
        [],
    )  # consent to offers given, no choice made
    store.revise("graduates", "g-2", {"consent": {"push": False}})
    quiet = client.get("/graduates/g-2/sharing", headers=site["bureau"]).json()
    assert (quiet["school"], quiet["agencies"], quiet["training"]) == (True, False, False)
    assert "毕业院校" in shown["labels"]["school"]
    empty = _share(site, "g1")
    assert empty.status_code == 422 and empty.json()["field"] == "share"
    assert "共享选项" in empty.json()["detail_zh"]
    how = client.post(
        "/graduates/g-1/sharing", json={"how": "telepathy", "school": False}, headers=site["g1"]
    )
    assert how.status_code == 422 and how.json()["field"] == "how"
    assert _share(site, "university", school=True).status_code == 403
    assert _share(site, "employer", school=True).status_code == 403
    assert _share(site, "g1", "g-2", school=False).status_code == 403
    assert store.get("graduates", "g-1")["consent"] == {"push": True}  # nothing stored


def test_the_university_sees_its_graduate_only_while_the_graduate_shares_with_it(site) -> None:
    client, store = site["client"], site["store"]
    uni = site["university"]
    listed = lambda: [g["id"] for g in client.get("/graduates", headers=uni).json()["items"]]  # noqa: E731
    assert listed() == ["g-1", "g-2", "g-3"]
    done = _share(site, "g1", school=False)
    assert done.status_code == 200 and done.json()["school"] is False
    assert done.json()["chosen"] == ["school"] and done.json()["agencies"] is True
    assert listed() == ["g-2", "g-3"]
    for gid in ("g-1", "g-2"):
        made = client.post(
            "/offers", json={"graduate_id": gid, "position_id": "p-a"}, headers=site["bureau"]
        )
        assert made.status_code == 201, made.text
    offers = client.get("/offers", headers=uni).json()["items"]
    assert [o["graduate_id"] for o in offers] == ["g-2"]  # its graduates' offers, as shared
    assert client.get("/offers?graduate_id=g-1", headers=uni).status_code == 403
    assert client.get("/offers", headers=site["agency"]).json()["items"] == []
    for path in ("", "/recommendations", "/history", "/provenance", "/sharing"):
        refused = client.get(f"/graduates/g-1{path}", headers=uni)
        assert refused.status_code == 403, (path, refused.text)
    # the school still keeps its roster up to date, and its copy of consent never wins
    client.post("/graduates/g-1/consent", json={"how": "online", "push": False}, headers=site["g1"])
    again = client.post(
        "/graduates/bulk",
        json=[graduate("g-1", adviser="a-1", major="数据科学与大数据技术")],
        headers=uni,
    ).json()
    assert again["updated"] == 1 and again["errors"] == [], again
    stored = store.get("graduates", "g-1")
    assert stored["major"] == "数据科学与大数据技术"
    assert stored["consent"]["push"] is False and stored["consent"]["share"] == {"school": False}
    # a single write answers with the whole profile: not for a graduate who does not share
    merge = uni | {"Content-Type": "application/merge-patch+json"}
    hidden = client.patch("/graduates/g-1", json={"major": "会计学"}, headers=merge)
    assert hidden.status_code == 403 and "批量名单" in hidden.json()["detail_zh"]
    assert client.post("/graduates", json=graduate("g-1"), headers=uni).status_code == 403
    regiven = client.patch(
        "/graduates/g-2", json={"consent": {"share": {"agencies": False}}}, headers=merge
    )
    assert regiven.status_code == 403 and regiven.json()["field"] == "consent"
    odd = client.post("/graduates/bulk", json=[{"id": ["g-9"]}], headers=uni).json()
    assert [e["field"] for e in odd["errors"]] == ["id"]  # named, not a server error
    new = client.post("/graduates", json=graduate("g-4", consent={"push": True}), headers=uni)
    assert new.status_code == 201 and new.json()["consent"]["push"] is True  # collected at school
    figures = client.get("/partners/pt-u/figures", headers=uni).json()
    assert figures["graduates"] == 4  # counts, no person, still include everyone it supplied
    assert client.get("/graduates/g-1", headers=site["adviser"]).status_code == 200
    back = _share(site, "adviser", school=True)
    assert back.status_code == 200 and listed() == ["g-1", "g-2", "g-3", "g-4"]
    logged = [e for e in audit_entries(store, "g-1") if e["action"] == "sharing"]
    assert [e["actor"].split(":")[0] for e in logged] == ["graduate", "adviser"]


def test_agencies_see_only_graduates_who_let_them(site) -> None:
    client = site["client"]
    until = (today() + timedelta(days=30)).isoformat()
    granted = client.post(
        "/partners/pt-ag/authorisations",
        json={"employer_id": employer_id(A, None), "until": until},
        headers=site["bureau"],
    )
    assert granted.status_code == 201, granted.text
    seen = lambda who: {  # noqa: E731
        i["id"] for i in client.get("/positions/p-a/candidates", headers=site[who]).json()["items"]
    }
    assert "g-1" in seen("agency") and "g-1" in seen("employer")
    _share(site, "g1", agencies=False)
    assert "g-1" not in seen("agency") and {"g-2", "g-3"} <= seen("agency")
    assert "g-1" in seen("employer")  # the employer's own view follows consent to offers


def test_a_training_institution_sees_and_reports_only_graduates_who_let_it(site) -> None:
    client, store = site["client"], site["store"]
    plans = Plans(store)
    for gid in ("g-1", "g-2"):
        item = NewItem(f"i-{gid}", "training", "t-1", "proposed", 0, ["技能提升"])
        plans.create(NewPlan(f"pl-{gid}", gid, "a-1", [item], "adviser:a-1/k1"))
        plans.update(
            f"pl-{gid}", {"status": "agreed"}, "adviser:a-1/k1", "status", {"to": "agreed"}
        )
    names = lambda who: [  # noqa: E731
        r["graduate_id"] for r in client.get("/trainings/t-1/enrolments", headers=site[who]).json()
    ]
    assert names("training") == ["g-1", "g-2"]
    _share(site, "g1", training=False)
    assert names("training") == ["g-2"] and names("bureau") == ["g-1", "g-2"]
    body = {"enrolments": [{"graduate_id": g, "status": "enrolled"} for g in ("g-1", "g-2")]}
    told = client.post("/trainings/t-1/enrolments", json=body, headers=site["training"]).json()
    assert told["changed"] == 1 and [(e["index"], e["field"]) for e in told["errors"]] == [
        (0, "graduate_id")
    ]
    assert "同意向培训机构提供信息" in told["errors"][0]["message_zh"]
    by_bureau = client.post("/trainings/t-1/enrolments", json=body, headers=site["bureau"]).json()
    assert by_bureau["changed"] == 1 and by_bureau["errors"] == []


def _ticked(page: str) -> set[str]:
    return set(re.findall(r'<input [^>]*checked data-testid="share-(\w+)"', page))


def test_the_graduate_sets_sharing_on_their_own_page(site) -> None:
    client, store = site["client"], site["store"]
    link = client.post("/graduates/g-1/links", headers=site["adviser"]).json()["url"]
    client.get(link.split("testserver", 1)[1])
    page = client.get("/me/data").text
    assert _ticked(page) == {"school", "agencies", "training"} and "信息共享" in page
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    saved = client.post("/me/data/sharing", data={"csrf": csrf, "school": "yes"})
    assert "信息共享设置已保存" in saved.text
    assert store.get("graduates", "g-1")["consent"]["share"] == {
        "school": True,
        "agencies": False,
        "training": False,
    }
    page = client.get("/me/data").text
    assert _ticked(page) == {"school"}
    forged = client.post("/me/data/sharing", data={"csrf": "nope", "school": "no"})
    assert forged.status_code in (400, 403)
    assert store.get("graduates", "g-1")["consent"]["share"]["school"] is True


def test_a_choice_survives_the_migration_going_down_and_up(site) -> None:
    client, store = site["client"], site["store"]
    _share(site, "g1", school=False)
    migrate.downgrade(store.engine, "0015")
    migrate.upgrade(store.engine)
    listed = client.get("/graduates", headers=site["university"]).json()["items"]
    assert [g["id"] for g in listed] == ["g-2", "g-3"]
