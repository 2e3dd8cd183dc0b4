"""The `matcher` command as a user runs it."""

import json

from matcher.cli import main
from matcher.store import migrate
from tests.conftest import graduate, position, write_jsonl


def test_ingest_twice_then_a_broken_file(tmp_path, capsys):
    good = write_jsonl(tmp_path / "good.jsonl", [position("p-1"), position("p-2")])
    base = ["--data-dir", str(tmp_path / "var")]
    assert main([*base, "ingest", "positions", str(good)]) == 0
    assert "inserted 2, updated 0, unchanged 0, rejected 0" in capsys.readouterr().out
    assert main([*base, "ingest", "positions", str(good)]) == 0
    assert "inserted 0, updated 0, unchanged 2, rejected 0" in capsys.readouterr().out

    bad = write_jsonl(tmp_path / "bad.jsonl", [position("p-3"), "{oops", position("p-4", kind="x")])
    assert main([*base, "ingest", "positions", str(bad)]) == 1
    captured = capsys.readouterr()
    assert "line 2: id ?: invalid JSON" in captured.err
    assert "line 3: id p-4: kind: Input should be" in captured.err
    assert "inserted 1, updated 0, unchanged 0, rejected 2" in captured.out
    assert "bad.jsonl.rejects.jsonl" in captured.out


def test_db_upgrade_and_stats(tmp_path, capsys):
    base = ["--data-dir", str(tmp_path / "var")]
    assert main([*base, "db", "upgrade"]) == 0
    assert "schema upgraded to revision" in capsys.readouterr().out
    assert main([*base, "db", "current"]) == 0
    head = migrate.head_revision()
    assert f"current revision: {head} (latest: {head})" in capsys.readouterr().out
    assert main([*base, "stats"]) == 0
    assert "positions" in capsys.readouterr().out


def test_missing_file_is_a_clear_error(tmp_path, capsys):
    assert main(["--data-dir", str(tmp_path), "ingest", "graduates", "nope.jsonl"]) == 2
    assert "no such file: nope.jsonl" in capsys.readouterr().err


def test_generate_writes_the_data_set(tmp_path, capsys):
    out = tmp_path / "demo"
    assert main(["generate", "--scale", "300", "--seed", "3", str(out)]) == 0
    first = json.loads((out / "positions.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["id"] and first["title"]
    assert "positions: 300 records" in capsys.readouterr().out


def test_graduates_link_and_revoke_links(tmp_path, capsys):
    data = write_jsonl(tmp_path / "g.jsonl", [graduate("g-1")])
    base = ["--data-dir", str(tmp_path / "var")]
    assert main([*base, "ingest", "graduates", str(data)]) == 0
    capsys.readouterr()
    link = [*base, "graduates", "link", "g-1", "--base-url", "https://jy.example.cn/"]
    assert main(link) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("https://jy.example.cn/me/signin/") and "一次性" in printed[1]
    assert main([*base, "graduates", "revoke-links", "g-1"]) == 0
    assert "revoked 1 unused sign-in link(s) of g-1" in capsys.readouterr().out
    assert main([*base, "graduates", "link", "g-404"]) != 0
    assert "g-404" in capsys.readouterr().err


def test_plans_contact_sets_and_lists_advisers_contact_details(tmp_path, capsys):
    base = ["--data-dir", str(tmp_path / "var")]
    set_one = [
        *base,
        "plans",
        "contact",
        "a-500112",
        "--name",
        "王老师",
        "--phone",
        "023-6789 1234",
    ]
    assert main([*set_one, "--office", "渝北区人力社保局二楼", "--hours", "工作日 9:00-17:00"]) == 0
    assert "指导员联系方式已保存" in capsys.readouterr().out
    assert main([*base, "plans", "contact"]) == 0
    listed = capsys.readouterr().out
    assert (
        "1 advisers" in listed and "a-500112  王老师  023-6789 1234  渝北区人力社保局二楼" in listed
    )
    assert (
        main([*base, "plans", "contact", "a-500112", "--name", "王老师", "--phone", "打电话"]) == 2
    )
    assert "指导员 a-500112 的电话只能包含数字" in capsys.readouterr().err
    assert main([*base, "plans", "contact", "a-500113", "--name", "李老师"]) == 2
    assert "指导员 a-500113 的电话不能为空" in capsys.readouterr().err


def test_partners_add_list_suspend_and_resume(tmp_path, capsys):
    base = ["--data-dir", str(tmp_path / "var")]
    add = [*base, "partners", "add", "--kind", "university", "--name", "重庆大学"]
    assert main([*add, "--code", "10611", "--district", "500106,500107"]) == 0
    pid = capsys.readouterr().out.splitlines()[0].rsplit(": ", 1)[1]
    assert main([*add, "--code", "10611", "--district", "500106"]) == 2
    assert "已登记" in capsys.readouterr().err
    assert main([*add, "--code", "106", "--district", "500106"]) == 2
    assert "5 位院校代码" in capsys.readouterr().err
    assert main([*base, "partners", "suspend", pid, "--reason", "待核实"]) == 0
    assert "已暂停（待核实）" in capsys.readouterr().out
    assert main([*base, "partners", "resume", pid]) == 0
    assert main([*base, "partners", "list", "--kind", "university"]) == 0
    listed = capsys.readouterr().out
    assert f"{pid}  university" in listed and "500106,500107  正常" in listed


def test_campaigns_create_list_and_run_in_this_process(tmp_path, capsys):
    """``matcher campaigns`` (issue 20): a campaign made, listed and run now without Ray; bad
    input is named before anything is stored or loaded."""
    base = ["--data-dir", str(tmp_path / "var")]
    postings = [position(f"p-{i}", expires_at="2099-12-31") for i in range(4)]
    assert (
        main([*base, "ingest", "positions", str(write_jsonl(tmp_path / "p.jsonl", postings))]) == 0
    )
    people = [graduate(f"g-{i}") for i in range(3)]
    assert main([*base, "ingest", "graduates", str(write_jsonl(tmp_path / "g.jsonl", people))]) == 0
    capsys.readouterr()
    assert main([*base, "campaigns", "create", "--name", "推送", "-k", "2", "--at", "9am"]) == 2
    assert "--at '9am' is not a date and time" in capsys.readouterr().err
    assert main([*base, "campaigns", "run"]) == 2
    assert "needs the campaign id" in capsys.readouterr().err
    assert main([*base, "campaigns", "run", "c-nope"]) == 2
    assert "c-nope" in capsys.readouterr().err
    assert main([*base, "campaigns", "create", "--name", "推送", "-k", "2"]) == 0
    campaign_id = capsys.readouterr().out.split()[2]
    assert main([*base, "campaigns", "run", campaign_id, "--ray-workers", "1"]) == 0
    out = capsys.readouterr().out
    assert f"campaign {campaign_id}: ranking in this process" in out
    counts = json.loads(out.strip().splitlines()[-1].split("done, ", 1)[1])
    assert counts["segment"] == counts["processed"] == 3 and counts["offered"] == 6
    assert main([*base, "campaigns", "list"]) == 0
    assert f"{campaign_id}  done      推送  processed 3 of 3, offered 6" in capsys.readouterr().out
