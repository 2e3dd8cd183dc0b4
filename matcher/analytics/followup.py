"""Report sections for follow-up work: hard-to-fill postings, hard-to-place graduates, the
offer funnel, one-person-one-plan coverage, and the definitions of every figure."""

from __future__ import annotations

from typing import Any

from matcher.analytics import charts
from matcher.analytics.document import Block, Chart, Section, n, pct, r, table
from matcher.analytics.labels import STATUS_LABELS
from matcher.store.outcomes import OUTCOME_IN_PROGRESS

STAGE_LABELS = {"offered": "已推送", "viewed": "已查看", "applied": "已投递", "hired": "已录用"}


def _estimate(part: dict[str, Any], what: str, threshold: float) -> str:
    if part["population"] == 0:
        return f"本月没有需要评估的{what}。"
    scope = (
        f"全部 {n(part['population'])} 个均由匹配引擎评估"
        if part["exact"]
        else f"从 {n(part['population'])} 个中分层随机抽取 {n(part['judged'])} 个由匹配引擎评估"
    )
    interval = "" if part["exact"] else f"，95% 置信区间 {n(part['low'])}–{n(part['high'])}"
    return (
        f"{scope}（匹配分阈值 {threshold:.2f}）：{n(part['hard'])} 个低于阈值，"
        f"估计共 {n(part['estimate'])} 个{what}（{pct(part['share'])}{interval}）。"
    )


def _gaps(part: dict[str, Any]) -> list[Block]:
    blocks: list[Block] = []
    if part["gaps"]:
        blocks.append(
            table(
                "主要缺口 Most common gaps (a case may have several)",
                ["缺口", "个案数", "占比"],
                [[g["label"], n(g["cases"]), pct(g["share"])] for g in part["gaps"]],
            )
        )
    if part["missing_skills"]:
        blocks.append(
            table(
                "最常缺少的技能 Most often missing skills",
                ["技能", "个案数"],
                [[s["skill"], n(s["cases"])] for s in part["missing_skills"]],
            )
        )
    return blocks


def hard_to_fill(report: dict[str, Any]) -> Section:
    part, threshold = report["hard_to_fill"], report["fit"]["threshold"]
    blocks: list[Block] = [
        report["definitions"]["hard_to_fill"],
        _estimate(part, "难招岗位", threshold),
    ]
    blocks += _gaps(part)
    if part["cases"]:
        blocks.append(
            table(
                "抽样中的难招岗位（按在招天数） Hard-to-fill postings in the sample",
                ["岗位", "单位", "类型", "区县", "在招天数", "最佳匹配分", "缺口", "缺少技能"],
                [
                    [
                        f"{c['title']}（{c['id']}）",
                        c["employer"],
                        c["kind"],
                        c["district"],
                        n(c["days_open"]),
                        r(c["best_score"]),
                        "、".join(c["gap_labels"]),
                        "、".join(c["missing_skills"]),
                    ]
                    for c in part["cases"]
                ],
            )
        )
    return Section("难招岗位 Hard-to-fill postings", blocks)


def hard_to_place(report: dict[str, Any]) -> Section:
    part, threshold = report["hard_to_place"], report["fit"]["threshold"]
    blocks: list[Block] = [
        report["definitions"]["hard_to_place"],
        _estimate(part, "难就业毕业生", threshold),
    ]
    blocks += _gaps(part)
    if part["cases"]:
        blocks.append(
            table(
                "抽样中的难就业毕业生（按最佳匹配分） Hard-to-place graduates in the sample",
                ["编号", "专业", "学历", "意向区县", "最佳匹配分", "缺口", "缺少技能"],
                [
                    [
                        c["id"],
                        c["major"],
                        c["degree"],
                        c["districts"],
                        r(c["best_score"]),
                        "、".join(c["gap_labels"]),
                        "、".join(c["missing_skills"]),
                    ]
                    for c in part["cases"]
                ],
            )
        )
    return Section("难就业毕业生 Hard-to-place graduates", blocks)


def _funnel_rows(items: list[dict[str, Any]]) -> list[list[str]]:
    return [
        [
            x["label"],
            n(x["offered"]),
            f"{n(x['viewed'])}（{pct(x['viewed_rate'])}）",
            f"{n(x['applied'])}（{pct(x['applied_rate'])}）",
            f"{n(x['hired'])}（{pct(x['hired_rate'])}）",
        ]
        for x in items
    ]


def funnel(report: dict[str, Any]) -> Section:
    f = report["funnel"]
    blocks: list[Block] = [report["definitions"]["funnel"]]
    if not f["total"]["offered"]:
        blocks.append("本月没有推送记录。")
        return Section("推送漏斗 Offer funnel", blocks)
    heads = ["已推送", "已查看", "已投递", "已录用"]
    stages = list(STAGE_LABELS)
    kinds = {x["label"]: [x[s] for s in stages] for x in f["by_kind"]}
    blocks.append(
        Chart(
            "funnel",
            "推送漏斗（按岗位类型）",
            lambda: charts.funnel(
                "推送漏斗 Offer funnel", [STAGE_LABELS[s] for s in stages], kinds
            ),
        )
    )
    blocks.append(
        table("合计 Total", ["", *heads], _funnel_rows([{**f["total"], "label": "合计"}]))
    )
    blocks.append(table("按推送活动 By campaign", ["活动", *heads], _funnel_rows(f["by_campaign"])))
    blocks.append(table("按岗位类型 By kind", ["岗位类型", *heads], _funnel_rows(f["by_kind"])))
    return Section("推送漏斗 Offer funnel", blocks)


def plans(report: dict[str, Any]) -> Section:
    p = report["plans"]
    blocks: list[Block] = [report["definitions"]["plans"]]
    if not p["cohort"]:
        blocks.append("没有带帮扶标识的毕业生。")
        return Section("一人一策 One person, one plan", blocks)
    blocks.append(
        f"帮扶对象 {n(p['cohort'])} 人，已建立计划 {n(p['with_plan'])} 人，"
        f"覆盖率 {pct(p['coverage'])}；本月新建计划 {n(p['plans_opened'])} 个。"
    )
    blocks.append(
        table(
            "按帮扶类别 By support flag (a graduate may have several)",
            ["帮扶类别", "帮扶对象", "已建计划", "覆盖率"],
            [[x["label"], n(x["cohort"]), n(x["with_plan"]), pct(_share(x))] for x in p["by_flag"]],
        )
    )
    blocks.append(
        table(
            "当前状态 Current status",
            ["状态", "已建计划", "未建计划"],
            [
                [STATUS_LABELS.get(x["key"], x["key"]), n(x["with_plan"]), n(x["without_plan"])]
                for x in p["by_status"]
            ],
        )
    )
    if p["plans_by_outcome"]:
        blocks.append(
            table(
                "计划状态与结果 Plans by status and outcome",
                ["计划状态", "结果", "计划数"],
                [
                    [
                        str(x["status"]),
                        "进行中" if x["outcome"] == OUTCOME_IN_PROGRESS else str(x["outcome"]),
                        n(x["plans"]),
                    ]
                    for x in p["plans_by_outcome"]
                ],
            )
        )
    if p["items"]:
        blocks.append(
            table(
                "计划事项 Plan items",
                ["事项", "状态", "数量"],
                [[str(x["kind"]), str(x["status"]), n(x["items"])] for x in p["items"]],
            )
        )
    return Section("一人一策 One person, one plan", blocks)


def _share(row: dict[str, Any]) -> float | None:
    return row["with_plan"] / row["cohort"] if row["cohort"] else None


def definitions(report: dict[str, Any]) -> Section:
    blocks: list[Block] = list(report["definitions"].values())
    if report.get("fit"):
        blocks.append(
            f"匹配分阈值 {report['fit']['threshold']:.2f}；每月评估岗位与毕业生各 "
            f"{report['fit']['sample']} 个（按岗位类型、学历分层抽样）。"
        )
    else:
        blocks.append("本报告未做难招岗位与难就业毕业生评估（未提供匹配引擎或样本量为 0）。")
    return Section("口径说明 Definitions", blocks)
