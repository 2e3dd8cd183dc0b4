"""`matcher review ...` (issue #19, item 5) as a user runs it: the queue most certain first,
bulk decisions answered per posting, the classifier's opinion folded into the confidence, and
the decisions exported as files that `matcher screen --eval` reads as they are."""

import json
import re
from pathlib import Path

from matcher.cli import main
from matcher.commands.review import postings_path
from tests.conftest import position, write_jsonl

ROW = re.compile(r"\d\.\d{3}  ")  # a listed posting: its confidence, then its id
HELD = {
    "p-many": "限男性，35岁以下，入职需交押金500元。",
    "p-height": "身高165以上。",
    "p-health": "乙肝携带者勿扰。",
}


def _loaded(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MATCHER_ENCODER", "fake:32")
    records = [position(pid, description=text) for pid, text in HELD.items()]
    path = write_jsonl(tmp_path / "postings.jsonl", [*records, position("p-clean")])
    base = ["--data-dir", str(tmp_path / "var")]
    assert main([*base, "ingest", "positions", str(path)]) == 0
    capsys.readouterr()
    return base


def test_the_queue_is_decided_in_bulk_and_exported_for_evaluation(tmp_path, capsys, monkeypatch):
    base = _loaded(tmp_path, capsys, monkeypatch)
    assert main([*base, "review", "list"]) == 0
    out = capsys.readouterr().out
    rows = [line.split()[1] for line in out.splitlines() if ROW.match(line)]
    assert rows == ["p-many", "p-height", "p-health"]  # most certain first
    assert "3 of 3 postings shown (review status: pending, by confidence)" in out
    decided = [*base, "review", "reject", "p-many", "p-health", "p-clean", "--reason", "确认违规"]
    assert main(decided) == 1  # one posting could not be rejected
    out = capsys.readouterr().out
    assert "p-many: rejected" in out and "p-health: rejected" in out
    assert "p-clean: not changed (not_flagged) — 该岗位没有合规标记" in out
    assert "2 rejected, 1 left as they were" in out
    assert main([*base, "review", "clear", "p-height", "--reason", "模特岗位"]) == 0
    assert main([*base, "review", "clear", "p-many", "--reason", "改判"]) == 1
    assert "already_reviewed" in capsys.readouterr().out
    labels = tmp_path / "out" / "decisions.labels.jsonl"
    assert main([*base, "review", "export", "--out", str(labels)]) == 0
    assert "2 rejected and 1 cleared postings" in capsys.readouterr().out
    postings = tmp_path / "out" / "decisions.jsonl"
    written = [json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines()]
    assert [(x["id"], bool(x["flags"])) for x in written] == [
        ("p-health", True),
        ("p-height", False),
        ("p-many", True),
    ]
    records = [json.loads(line) for line in postings.read_text(encoding="utf-8").splitlines()]
    assert [r["description"] for r in records] == [HELD[x["id"]] for x in written]
    assert main(["screen", "--eval", str(labels), "--positions", str(postings), "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["n"] == 3 and scores["per_category"]["appearance"]["fp"] == 1
    assert scores["overall"]["recall"] == 1.0


def test_the_classifier_opinion_changes_the_stored_confidence(tmp_path, capsys, monkeypatch):
    base = _loaded(tmp_path, capsys, monkeypatch)
    assert main([*base, "review", "score"]) == 0
    assert "confidence of" in capsys.readouterr().out
    assert main([*base, "review", "list", "--sort", "id"]) == 0
    figures = [
        float(line.split()[0]) for line in capsys.readouterr().out.splitlines() if ROW.match(line)
    ]
    assert len(figures) == 3 and all(0 < f < 1 for f in figures)


def test_postings_go_beside_their_labels():
    assert postings_path(Path("a/x.labels.jsonl")).name == "x.jsonl"
    assert postings_path(Path("a/x.jsonl")).name == "x.postings.jsonl"
