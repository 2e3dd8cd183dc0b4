"""The written report: a self-contained HTML file, Markdown with its charts, and the figures."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest

from matcher.analytics import Month, monthly_report, write_report
from matcher.engine.orchestrator import Matcher
from matcher.text.encoders import FakeEncoder
from matcher.types import REPORT_TZ
from tests.analytics.conftest import MONTH


@pytest.fixture
def full_report(settings, sqlite_pool):
    engine = Matcher.open(settings, store=sqlite_pool, encoder=FakeEncoder(32))
    return monthly_report(sqlite_pool, Month.parse(MONTH), matcher=engine, threshold=0.6)


def test_html_is_self_contained_with_embedded_charts(full_report, tmp_path):
    written = write_report(full_report, tmp_path)
    html = written.html.read_text(encoding="utf-8")
    assert written.html.name == "monthly-2022-08.html"
    assert "重庆市高校毕业生就业供需月报（2022年8月）" in html
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(images) == len(written.charts) >= 3
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing fetched from elsewhere
    for title in (
        "岗位供给",
        "求职者",
        "供需比",
        "难招岗位",
        "难就业毕业生",
        "推送漏斗",
        "一人一策",
    ):
        assert f"<h2>{title}" in html
    assert "渝北江北专场" in html
    assert '<td class="num">' in html and "&#34;" not in html


def test_markdown_has_the_tables_and_links_the_chart_files(full_report, tmp_path):
    written = write_report(full_report, tmp_path)
    text = written.markdown.read_text(encoding="utf-8")
    # 全职: new p-1 (3 places) and p-10 (4); open p-1, p-5, p-9, p-10 (3 + 1 + 2 + 4)
    assert "| 全职 | 2 | 7 | 4 | 10 |" in text
    assert "另有 1 个岗位因合规标记未计入" in text  # p-6
    assert "| 合计 | 5 | 4（80.0%） | 2（40.0%） | 1（20.0%） |" in text
    for link in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text):
        assert (tmp_path / link).is_file()
    assert json.loads(written.figures.read_text(encoding="utf-8")) == full_report


def test_an_empty_month_renders_without_charts_or_errors(sqlite_pool, tmp_path):
    report = monthly_report(sqlite_pool, Month.parse("2019-01"))
    written = write_report(report, tmp_path)
    text = written.markdown.read_text(encoding="utf-8")
    assert "本月没有推送记录。" in text and "（无数据）" in text
    assert "难招岗位" not in text.split("## 口径说明")[0]
    # seekers are counted as they are now; there is nothing else to draw
    assert [p.stem for p in written.charts] == ["seekers_by_category"]
    assert written.html.read_text(encoding="utf-8").count("data:image/png") == 1


def test_the_flows_section_reads_the_monthly_history(sqlite_pool, tmp_path):
    empty = write_report(monthly_report(sqlite_pool, Month.parse("2019-01")), tmp_path / "old")
    assert "库中还没有毕业生的月度记录" in empty.markdown.read_text(encoding="utf-8")
    now = Month.containing(datetime.now(REPORT_TZ).date())  # the pool was written this month
    report = monthly_report(sqlite_pool, now)
    flows = report["flows"]
    assert flows["transitions"] and {t["from"] for t in flows["transitions"]} == {"new"}
    assert sum(flows["at_month_end"].values()) == sqlite_pool.count("graduates")
    text = write_report(report, tmp_path / "now").markdown.read_text(encoding="utf-8")
    section = text.split("## 月度流向", 1)[1].split("\n## ", 1)[0]
    assert "| 新入库 | 求职中 |" in section and "连续求职时长" in section
