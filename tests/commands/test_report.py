"""`matcher report monthly` as a user runs it."""

from __future__ import annotations

import json

import pytest

from matcher.cli import main
from matcher.config import Settings
from matcher.store import Store
from tests.analytics.conftest import load


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("MATCHER_ENCODER", "fake")
    folder = tmp_path / "var"
    store = Store.open(Settings.from_env(env={}, data_dir=folder))
    load(store)
    store.close()
    return folder


def test_monthly_report_writes_html_markdown_and_figures(data_dir, tmp_path, capsys):
    out = tmp_path / "reports"
    args = ["--data-dir", str(data_dir), "report", "monthly", "--month", "2022-08"]
    assert main([*args, "--out", str(out), "--sample", "5"]) == 0
    captured = capsys.readouterr()
    printed = captured.out
    assert f"{out / 'monthly-2022-08.html'}" in printed
    assert "  postings: " in captured.err and "  seekers: " in captured.err  # each stage as done
    figures = json.loads((out / "monthly-2022-08.json").read_text(encoding="utf-8"))
    assert figures["postings"]["total"]["open"] == 6
    assert figures["fit"] == {"threshold": 0.5, "sample": 5}
    assert figures["hard_to_place"]["judged"] == 5
    assert (out / "monthly-2022-08.md").read_text(encoding="utf-8").startswith("# 重庆市")


def test_without_out_the_report_goes_under_the_data_folder(data_dir, capsys):
    args = ["--data-dir", str(data_dir), "report", "monthly", "--month", "2022-08"]
    assert main([*args, "--sample", "0"]) == 0
    figures = json.loads((data_dir / "reports" / "monthly-2022-08.json").read_text("utf-8"))
    assert figures["fit"] is None


def test_a_bad_month_is_a_clear_error(data_dir, capsys):
    args = ["--data-dir", str(data_dir), "report", "monthly", "--month", "2022-13"]
    assert main(args) == 2
    assert "month must be written YYYY-MM, e.g. 2022-08; got '2022-13'" in capsys.readouterr().err


def test_report_needs_a_kind_of_report(capsys):
    with pytest.raises(SystemExit):
        main(["report"])
    assert "monthly" in capsys.readouterr().err
