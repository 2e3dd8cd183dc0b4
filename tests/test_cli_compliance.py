"""`matcher screen`, `matcher compliance ...` and `matcher report fairness` as a user runs them."""

import json

import pytest

from matcher.cli import main
from matcher.datasets import generate
from tests.conftest import graduate, position, write_jsonl

BIASED = "负责后端开发。限男性，需缴纳押金500元。"


def test_screen_prints_flags_without_storing(tmp_path, capsys):
    path = write_jsonl(
        tmp_path / "postings.jsonl",
        [position("p-1"), position("p-2", description=BIASED), position("p-3", kind="gig")],
    )
    assert main(["--data-dir", str(tmp_path / "var"), "screen", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "line 2: p-2" in out and "[gender] '限男性'" in out
    assert "依据：《就业促进法》" in out and "建议：" in out
    assert "screened 2 postings: 1 flagged (gender 1, fees_fraud 1), 1 invalid" in out
    assert "line 3: id p-3: kind:" in err
    assert not (tmp_path / "var" / "matcher.db").exists()
    assert main(["screen", "--json", str(path)]) == 1
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["id"] for x in lines] == ["p-2"]
    assert {f["category"] for f in lines[0]["flags"]} == {"gender", "fees_fraud"}


def test_screen_eval_prints_scores(tmp_path, capsys):
    generate(tmp_path, scale=1500, seed=9, graduates=0)
    labels, postings = tmp_path / "compliance_labels.jsonl", tmp_path / "positions.jsonl"
    args = ["screen", "--eval", str(labels), "--positions", str(postings)]
    assert main([*args, "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert set(scores) == {"overall", "per_category", "n"}
    assert scores["overall"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert scores["n"] == sum(1 for _ in labels.open(encoding="utf-8"))
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "overall            precision 1.000  recall 1.000  f1 1.000" in text
    assert "fees_fraud" in text
    assert main(["screen", "--eval", str(labels)]) == 2
    assert "--positions" in capsys.readouterr().err
    assert main(["screen"]) == 2


def test_review_workflow_from_the_command_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MATCHER_ENCODER", "fake:32")
    shady = {"name": "重庆屡犯科技有限公司"}
    path = write_jsonl(
        tmp_path / "postings.jsonl",
        [
            position("p-1"),
            position("p-2", description=BIASED, employer=shady),
            position("p-3", description="身高160cm以上", employer=shady),
        ],
    )
    base = ["--data-dir", str(tmp_path / "var")]
    assert main([*base, "ingest", "positions", str(path)]) == 0
    assert "compliance: 2 postings flagged" in capsys.readouterr().out
    assert main([*base, "compliance", "list"]) == 0
    out = capsys.readouterr().out
    assert "p-2  pending" in out and "[fees_fraud] '需缴纳押金500元'" in out
    assert "2 of 2 postings shown" in out
    assert main([*base, "compliance", "clear", "p-3", "--reason", "礼仪岗位，已核实"]) == 0
    assert "p-3: cleared by bureau — 礼仪岗位，已核实" in capsys.readouterr().out
    assert main([*base, "compliance", "reject", "p-2", "--reason", "确认", "--actor", "李"]) == 0
    assert main([*base, "compliance", "list", "--status", "rejected"]) == 0
    assert "rejected by 李: 确认" in capsys.readouterr().out
    assert main([*base, "compliance", "proposals", "--min", "1"]) == 0
    out = capsys.readouterr().out
    assert "重庆屡犯科技有限公司  1 rejected postings (gender 1, fees_fraud 1)" in out
    employer = out.split()[0]
    assert main([*base, "compliance", "blacklist", employer, "--reason", "屡次违规"]) == 0
    assert "blacklisted" in capsys.readouterr().out
    assert main([*base, "compliance", "proposals", "--min", "1"]) == 0
    assert "0 employers proposed" in capsys.readouterr().out
    assert main([*base, "compliance", "unblacklist", employer, "--reason", "整改"]) == 0
    assert "not blacklisted" in capsys.readouterr().out
    assert main([*base, "compliance", "clear", "p-1", "--reason", "x"]) == 2
    assert "no compliance flags" in capsys.readouterr().err
    assert main([*base, "compliance", "rescreen"]) == 0
    assert "rescreened 3 postings: 0 newly flagged" in capsys.readouterr().out


def test_report_fairness(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MATCHER_ENCODER", "fake:32")
    base = ["--data-dir", str(tmp_path / "var")]
    postings = write_jsonl(
        tmp_path / "p.jsonl", [position(f"p-{i}", expires_at="2099-12-31") for i in range(5)]
    )
    graduates = write_jsonl(
        tmp_path / "g.jsonl", [graduate("g-1"), graduate("g-2", support=["disabled"])]
    )
    assert main([*base, "ingest", "positions", str(postings)]) == 0
    assert main([*base, "ingest", "graduates", str(graduates)]) == 0
    capsys.readouterr()
    assert main([*base, "report", "fairness", "--json", "--sample", "5", "-k", "3"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["sample"] == 2 and report["k"] == 3 and report["pool_postings"] == 5
    assert report["graduates"]["disabled"]["mean_results"] == 3.0
    assert main([*base, "report", "fairness", "--as-of", "2022-09-01"]) == 0
    out = capsys.readouterr().out
    assert "fairness of top-10 recommendations — 2 graduates" in out
    assert "support_any" in out and "employer size" in out
    with pytest.raises(SystemExit):
        main([*base, "report"])


def test_screen_trains_the_classifier_and_shows_its_suggestions(tmp_path, capsys):
    generate(tmp_path, scale=1500, seed=9, graduates=0)
    labels, postings = tmp_path / "compliance_labels.jsonl", tmp_path / "positions.jsonl"
    model = tmp_path / "model" / "c.pkl.gz"
    train = ["screen", "--train-classifier", "--positions", str(postings), "--model", str(model)]
    options = ["--folds", "2", "--max-clean", "300"]
    assert main([*train, "--labels", str(labels), *options]) == 0
    out, err = capsys.readouterr()
    assert "trained on" in out and "out of fold, positions.jsonl" in out and "review load" in out
    assert f"model written to {model}" in err
    assert json.loads((model.parent / "training.json").read_text(encoding="utf-8"))["threshold"]

    path = write_jsonl(tmp_path / "p.jsonl", [position("p-1"), position("p-2", description=BIASED)])
    assert main(["screen", "--json", "--suggest", "--model", str(model), str(path)]) == 0
    out, err = capsys.readouterr()
    lines = [json.loads(x) for x in out.splitlines()]
    assert "p-2" in {x["id"] for x in lines} and all("suggestions" in x for x in lines)
    for x in lines:
        assert not {s["category"] for s in x["suggestions"]} & {f["category"] for f in x["flags"]}
    assert "screened 2 postings: 1 flagged" in err and "more suggested for review" in err

    scored = ["screen", "--eval", str(labels), "--positions", str(postings)]
    assert main([*scored, "--suggest", "--model", str(model)]) == 0
    assert "classifier second opinion (threshold" in capsys.readouterr().out
    assert main([*scored, "--suggest", "--model", str(model), "--json"]) == 0
    assert "second_opinion" in json.loads(capsys.readouterr().out)

    held = tmp_path / "written-heldout.labels.jsonl"
    assert main([*train, "--labels", str(held), *options]) == 2
    assert "held-aside" in capsys.readouterr().err
    assert main(["screen", "--suggest", "--model", str(tmp_path / "none.pkl.gz"), str(path)]) == 2
    assert "no compliance classifier" in capsys.readouterr().err
    assert main(["screen", "--train-classifier"]) == 2
    assert "--positions" in capsys.readouterr().err
