"""Issue #19, item 5 through the HTTP API: the bureau's queue of held postings sorted by
confidence and paged by cursor, bulk clear and reject answered per posting, and the confirmed
decisions exported as labelled data that ``matcher screen --eval`` and the classifier's
training read as they are."""

import json

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from matcher.cli import main
from matcher.compliance.classifier import training_set
from matcher.compliance.evaluate import load_labels
from matcher.compliance.screen import default_rules
from matcher.records.prepare import employer_id, prepare
from matcher.text.encoders import FakeEncoder
from tests.api.conftest import A, key_headers
from tests.conftest import position

HELD = {
    "p-many": "限男性，35岁以下，入职需交押金500元。",
    "p-height": "身高165以上。",
    "p-age": "年龄35岁以下。",
    "p-health": "乙肝携带者勿扰。",
}
ORDER = ["p-many", "p-height", "p-age", "p-health"]


@pytest.fixture
def world(settings, store):
    store.upsert(
        "positions",
        [
            prepare("positions", position(pid, description=text, employer={"name": A}))
            for pid, text in HELD.items()
        ]
        + [prepare("positions", position("p-clean"))],
    )
    with TestClient(create_app(settings, store, encoder=FakeEncoder(32))) as client:
        keys = {
            "bureau": key_headers(store, "bureau"),
            "service": key_headers(store, "service"),
            "employer": key_headers(store, "employer", employer=employer_id(A, None)),
        }
        yield client, keys, store


def _ids(page):
    return [item["id"] for item in page["items"]]


def test_the_queue_lists_the_most_certain_violations_first(world):
    client, keys, _ = world
    page = client.get("/compliance/flagged", params={"count": True}, headers=keys["bureau"]).json()
    assert _ids(page) == ORDER and page["total"] == 4
    figures = [item["compliance"]["confidence"] for item in page["items"]]
    assert figures == sorted(figures, reverse=True) and 0 < figures[-1] < figures[0] < 1
    seen, cursor = [], None
    while True:
        params = {"limit": 1} | ({"cursor": cursor} if cursor else {})
        page = client.get("/compliance/flagged", params=params, headers=keys["bureau"]).json()
        seen += _ids(page)
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ORDER
    by_id = client.get("/compliance/flagged", params={"sort": "id"}, headers=keys["bureau"])
    assert _ids(by_id.json()) == sorted(ORDER)
    everything = client.get("/compliance/flagged", params={"status": "all"}, headers=keys["bureau"])
    assert _ids(everything.json()) == sorted(ORDER)  # id order unless asked
    mine = client.get("/compliance/flagged", headers=keys["employer"]).json()
    assert _ids(mine) == ORDER  # the employer's own postings, in the same order
    bad = client.get(
        "/compliance/flagged",
        params={"cursor": "p-age"},
        headers=keys["bureau"] | {"Accept-Language": "zh"},
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "query.cursor"
    assert "翻页游标" in bad.json()["errors"][0]["message_zh"]


def test_bulk_review_answers_each_posting_and_leaves_reviewed_ones_alone(world):
    client, keys, store = world
    client.post(
        "/compliance/positions/p-age/clear", json={"reason": "岗位需要"}, headers=keys["bureau"]
    )
    body = {
        "action": "reject",
        "ids": ["p-many", "p-height", "p-age", "p-clean", "p-nope"],
        "reason": "确认违规",
    }
    done = client.post("/compliance/positions/bulk", json=body, headers=keys["bureau"])
    assert done.status_code == 200, done.text
    answer = done.json()
    assert answer["action"] == "reject" and answer["done"] == ["p-many", "p-height"]
    codes = {f["id"]: f["code"] for f in answer["failed"]}
    assert codes == {"p-age": "already_reviewed", "p-clean": "not_flagged", "p-nope": "not_found"}
    assert all("岗位" in f["detail_zh"] for f in answer["failed"])
    assert store.get("positions", "p-age")["compliance"]["status"] == "cleared"
    assert store.get("positions", "p-many")["compliance"]["reviewed_by"].startswith("bureau:")
    pending = client.get("/compliance/flagged", headers=keys["bureau"]).json()
    assert _ids(pending) == ["p-health"]


def test_bulk_review_is_for_the_bureau_and_checks_its_body(world):
    client, keys, store = world
    body = {"action": "clear", "ids": ["p-many"], "reason": "x"}
    for role in ("employer", "service"):
        refused = client.post("/compliance/positions/bulk", json=body, headers=keys[role])
        assert refused.status_code == 403
    assert store.get("positions", "p-many")["compliance"]["status"] == "pending"
    for bad, field in (
        (body | {"ids": [f"p-{i}" for i in range(501)]}, "body.ids"),
        (body | {"ids": []}, "body.ids"),
        (body | {"reason": "  "}, "body.reason"),
        (body | {"action": "approve"}, "body.action"),
        (body | {"ids": ["p-\u0000"]}, "body.ids"),
    ):
        answer = client.post("/compliance/positions/bulk", json=bad, headers=keys["bureau"])
        assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == field


def test_exported_decisions_are_labelled_data_the_screener_and_trainer_read(
    world, tmp_path, capsys
):
    client, keys, _ = world
    bulk = "/compliance/positions/bulk"
    client.post(
        bulk,
        json={"action": "reject", "ids": ["p-many", "p-age"], "reason": "违规"},
        headers=keys["bureau"],
    )
    client.post(
        bulk,
        json={"action": "clear", "ids": ["p-height"], "reason": "模特岗位"},
        headers=keys["bureau"],
    )
    assert client.get("/compliance/decisions.jsonl", headers=keys["employer"]).status_code == 403
    files = {}
    for part in ("labels", "postings"):
        answer = client.get(
            "/compliance/decisions.jsonl", params={"part": part}, headers=keys["bureau"]
        )
        assert answer.status_code == 200 and answer.headers["content-type"].startswith(
            "application/x-ndjson"
        )
        files[part] = tmp_path / f"decisions.{part}.jsonl"
        files[part].write_text(answer.text, encoding="utf-8")
    labels = [json.loads(line) for line in files["labels"].read_text(encoding="utf-8").splitlines()]
    flags = {pid: default_rules().screen({"description": HELD[pid]}) for pid in HELD}
    evidence = {pid: {f.category: f.match for f in reversed(found)} for pid, found in flags.items()}
    assert labels == [
        {"id": "p-age", "flags": ["age"], "evidence": evidence["p-age"]},
        {"id": "p-height", "flags": [], "evidence": {}},  # cleared: no violation
        {"id": "p-many", "flags": ["gender", "age", "fees_fraud"], "evidence": evidence["p-many"]},
    ]
    assert evidence["p-many"]["gender"] == "限男性"  # the posting's exact words
    assert set(load_labels(files["labels"])) == {"p-age", "p-height", "p-many"}
    # the screener measured on the decisions: the cleared posting is its one false flag
    args = [
        "screen",
        "--eval",
        str(files["labels"]),
        "--positions",
        str(files["postings"]),
        "--json",
    ]
    assert main(args) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["n"] == 3
    assert scores["per_category"]["appearance"]["fp"] == 1
    assert scores["per_category"]["age"]["tp"] == 2 and scores["overall"]["recall"] == 1.0
    # the classifier's training reads them as hand-labelled postings
    data = training_set([files["postings"]], load_labels(files["labels"]), default_rules())
    gold = {data.ids[i]: data.labels[i] for i in range(len(data.ids)) if data.gold[i]}
    assert gold == {
        "p-age": {"age"},
        "p-height": frozenset(),
        "p-many": {"gender", "age", "fees_fraud"},
    }
    later = client.get(
        "/compliance/decisions.jsonl", params={"since": "2099-01-01"}, headers=keys["bureau"]
    )
    assert later.status_code == 200 and later.text == ""
