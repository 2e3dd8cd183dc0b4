"""Write a monthly report: a self-contained HTML file (charts embedded as PNG), a Markdown file
(charts as PNG files beside it) and the figures as JSON."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2

from matcher.analytics import followup, history, market
from matcher.analytics.charts import require_font
from matcher.analytics.document import Chart, Section, Table
from matcher.errors import TaxonomyError
from matcher.taxonomy.regions import load_regions
from matcher.types import REPORT_TZ


def sections(report: dict[str, Any]) -> list[Section]:
    out = [
        market.summary(report),
        market.postings(report),
        market.seekers(report),
        market.ratios(report),
    ]
    if report.get("fit"):
        out += [followup.hard_to_fill(report), followup.hard_to_place(report)]
    out += [followup.funnel(report), followup.plans(report)]
    if "flows" in report:  # reports cached before the monthly history have none
        out.append(history.section(report))
    out.append(followup.definitions(report))
    return out


def title(report: dict[str, Any], home_province: str = "50") -> str:
    year, month = report["month"].split("-")
    try:
        place = load_regions().get(home_province).name
    except TaxonomyError:
        place = ""
    return f"{place}高校毕业生就业供需月报（{int(year)}年{int(month)}月）"


@dataclass(frozen=True)
class Written:
    html: Path
    markdown: Path
    figures: Path
    charts: list[Path]


def write_report(report: dict[str, Any], out_dir: Path, home_province: str = "50") -> Written:
    """Draw every chart once and write ``monthly-YYYY-MM.{html,md,json}`` and the charts
    (``monthly-YYYY-MM_files/*.png``, used by the Markdown file) under ``out_dir``."""
    stem = f"monthly-{report['month']}"
    out_dir.mkdir(parents=True, exist_ok=True)
    figures = out_dir / f"{stem}.json"  # first: the figures are kept even if charts fail
    figures.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    parts = sections(report)
    if any(isinstance(b, Chart) for s in parts for b in s.blocks):
        require_font()  # loudly, before anything is drawn as boxes
    chart_dir = out_dir / f"{stem}_files"
    chart_dir.mkdir(exist_ok=True)
    images: dict[str, bytes] = {}
    for section in parts:
        for block in section.blocks:
            if isinstance(block, Chart):
                images[block.name] = block.draw()
    chart_paths = []
    for name, png in images.items():
        path = chart_dir / f"{name}.png"
        path.write_bytes(png)
        chart_paths.append(path)
    heading = title(report, home_province)
    html = out_dir / f"{stem}.html"
    html.write_text(render_html(heading, report, parts, images), encoding="utf-8")
    markdown = out_dir / f"{stem}.md"
    markdown.write_text(render_markdown(heading, report, parts, chart_dir.name), encoding="utf-8")
    return Written(html, markdown, figures, chart_paths)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(
    heading: str, report: dict[str, Any], parts: list[Section], chart_folder: str
) -> str:
    lines = [
        f"# {heading}",
        "",
        f"Monthly supply and demand report · 统计期 {report['period']['first']} 至 "
        f"{report['period']['last']} · 生成于 {local_time(report['generated_at'])}",
    ]
    for section in parts:
        lines += ["", f"## {section.title}"]
        for block in section.blocks:
            lines.append("")
            if isinstance(block, str):
                lines.append(block)
            elif isinstance(block, Chart):
                lines.append(f"![{block.caption}]({chart_folder}/{block.name}.png)")
            else:
                lines += _markdown_table(block)
    return "\n".join(lines) + "\n"


def _markdown_table(t: Table) -> list[str]:
    out = [f"**{t.caption}**", ""]
    if not t.rows:
        return [*out, "（无数据）"]
    out.append("| " + " | ".join(_cell(h) for h in t.headers) + " |")
    out.append("|" + "|".join(" ---: " if right else " --- " for right in t.numeric) + "|")
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in t.rows]
    return out


_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("matcher.analytics", "templates"),
    autoescape=jinja2.select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_html(
    heading: str, report: dict[str, Any], parts: list[Section], images: dict[str, bytes]
) -> str:
    encoded = {name: base64.b64encode(png).decode("ascii") for name, png in images.items()}
    return _ENV.get_template("monthly.html").render(
        heading=heading,
        report=report,
        sections=parts,
        images=encoded,
        is_text=lambda b: isinstance(b, str),
        is_chart=lambda b: isinstance(b, Chart),
        generated=local_time(report["generated_at"]),
    )


def local_time(stamp: str) -> str:
    """An ISO instant as people in the bureau read it: ``2026-12-03 17:04（北京时间）``."""
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return str(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(REPORT_TZ).strftime("%Y-%m-%d %H:%M（北京时间）")
