"""Report sections on the market itself: summary, postings, seekers and ratios."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matcher.analytics import charts
from matcher.analytics.document import Block, Chart, Section, n, r, table
from matcher.analytics.labels import ANY, NO_MAJOR, UNKNOWN

TOP = 15
#: Ratio cells with fewer seekers than this are left out of the ranked lists.
MIN_CELL = 20


def summary(report: dict[str, Any]) -> Section:
    p, s = report["postings"]["total"], report["seekers"]
    ratio = p["open_headcount"] / s["total"] if s["total"] else None
    lines = [
        f"本月新发布岗位 {n(p['new'])} 个（招聘 {n(p['new_headcount'])} 人）；"
        f"月末在招岗位 {n(p['open'])} 个（招聘 {n(p['open_headcount'])} 人）。",
        f"求职中的毕业生 {n(s['total'])} 人，总体求人倍率 {r(ratio)}。",
    ]
    flagged = report["counts"]["flagged_postings"]
    if flagged:
        lines.append(f"另有 {n(flagged)} 个岗位因合规标记未计入（待审核或修改）。")
    for key, what, unit in (
        ("hard_to_fill", "难招岗位", "个"),
        ("hard_to_place", "难就业毕业生", "人"),
    ):
        part = report.get(key)
        if part:
            lines.append(f"{what}约 {n(part['estimate'])} {unit}（{_interval(part)}）。")
    return Section("概览 Summary", list(lines))


def _interval(part: dict[str, Any]) -> str:
    if part.get("exact"):
        return f"全部 {n(part['population'])} 个均已评估"
    return (
        f"抽样评估 {n(part['judged'])} / {n(part['population'])}，"
        f"95% 置信区间 {n(part['low'])}–{n(part['high'])}"
    )


def postings(report: dict[str, Any]) -> Section:
    p = report["postings"]
    heads = ["", "新发布", "新发布人数", "月末在招", "在招人数"]

    def rows(items: list[dict[str, Any]]) -> list[list[str]]:
        return [
            [x["label"], n(x["new"]), n(x["new_headcount"]), n(x["open"]), n(x["open_headcount"])]
            for x in items
        ]

    seekers = {x["key"]: x["seekers"] for x in report["seekers"]["by_district"]}
    districts = [x for x in p["by_district"] if x["open_headcount"]][:TOP]
    blocks: list[Block] = [
        table("按岗位类型 By kind", ["岗位类型", *heads[1:]], rows(p["by_kind"]))
    ]
    if districts:
        blocks.append(
            Chart(
                "districts",
                "在招人数与求职人数（前 15 个区县）",
                lambda: charts.paired_bars(
                    "在招人数与求职人数 Open places vs seekers",
                    [x["label"] for x in districts],
                    [x["open_headcount"] for x in districts],
                    [seekers.get(x["key"], 0) for x in districts],
                    ("在招人数", "求职人数"),
                ),
            )
        )
    blocks.append(table("按区县 By district", ["区县", *heads[1:]], rows(p["by_district"])))
    blocks.append(
        table("按行业门类 By industry section", ["行业", *heads[1:]], rows(p["by_industry"]))
    )
    return Section("岗位供给 Postings", blocks)


def seekers(report: dict[str, Any]) -> Section:
    s = report["seekers"]
    top = s["by_category"][:TOP]
    blocks: list[Block] = []
    if top:
        blocks.append(
            Chart(
                "seekers_by_category",
                "求职人数按专业门类（前 15）",
                lambda: charts.bars(
                    "求职人数按专业门类 Seekers by major category",
                    [x["label"] for x in top],
                    [x["seekers"] for x in top],
                ),
            )
        )
    blocks += [
        table("按专业门类 By major category", ["专业门类", "求职人数"], _pairs(s["by_category"])),
        table("按学历 By degree", ["学历", "求职人数"], _pairs(s["by_degree"])),
        table(
            "按意向区县 By district (a seeker naming several districts counts in each)",
            ["区县", "求职人数"],
            _pairs(s["by_district"]),
        ),
    ]
    return Section("求职者 Seekers", blocks)


def _pairs(items: list[dict[str, Any]]) -> list[list[str]]:
    return [[x["label"], n(x["seekers"])] for x in items]


def ratios(report: dict[str, Any]) -> Section:
    cells = [
        c
        for c in report["ratios"]["by_district_category"]
        if c["category"] not in (NO_MAJOR, UNKNOWN)
    ]
    blocks: list[Block] = [report["definitions"]["ratio"]]
    heat = _heat(cells)
    if heat is not None:
        blocks.append(
            Chart("ratios", "区县 × 专业门类求人倍率（红：岗位多于求职者；蓝：求职者多）", heat)
        )
    ranked = [c for c in cells if c["ratio"] is not None and c["seekers"] >= MIN_CELL]
    ranked.sort(key=lambda c: (-c["ratio"], c["district"], c["category"]))
    heads = ["区县", "专业门类", "在招人数", "求职人数", "求人倍率"]

    def rows(items: list[dict[str, Any]]) -> list[list[str]]:
        return [
            [
                c["district_label"],
                c["category_label"],
                n(c["headcount"]),
                n(c["seekers"]),
                r(c["ratio"]),
            ]
            for c in items
        ]

    blocks.append(
        table(f"岗位最多于求职者（求职人数 ≥ {MIN_CELL}） Tightest", heads, rows(ranked[:10]))
    )
    slack = [c for c in cells if c["seekers"] >= MIN_CELL]
    slack.sort(key=lambda c: (c["ratio"] or 0.0, -c["seekers"], c["district"]))
    blocks.append(
        table(f"求职者最多于岗位（求职人数 ≥ {MIN_CELL}） Slackest", heads, rows(slack[:10]))
    )
    industry = report["ratios"]["by_industry"]
    blocks.append(report["definitions"]["industry_ratio"])
    blocks.append(
        table(
            "按行业门类 By industry section",
            ["行业", "在招岗位", "在招人数", "折算求职人数", "求人倍率"],
            [
                [x["label"], n(x["postings"]), n(x["headcount"]), n(x["seekers"]), r(x["ratio"])]
                for x in industry
            ],
        )
    )
    return Section("供需比 Posting-to-seeker ratios", blocks)


def _heat(cells: list[dict[str, Any]]) -> Callable[[], bytes] | None:
    districts: dict[str, float] = {}
    categories: dict[str, float] = {}
    for c in cells:
        if c["district"] != ANY and len(c["district"]) == 6 and c["headcount"] > 0:
            districts[c["district_label"]] = districts.get(c["district_label"], 0) + c["headcount"]
        categories[c["category_label"]] = categories.get(c["category_label"], 0) + c["seekers"]
    rows = sorted(districts, key=lambda k: -districts[k])[:12]
    columns = sorted(categories, key=lambda k: -categories[k])[:10]
    if not rows or not columns:
        return None
    lookup = {(c["district_label"], c["category_label"]): c["ratio"] for c in cells}
    values = [[lookup.get((d, k)) for k in columns] for d in rows]
    return lambda: charts.heatmap("求人倍率 Posting-to-seeker ratio", rows, columns, values)
