"""The report's section on the monthly history: flows between statuses since the previous
month, months of seeking, falls back to seeking, and the help the newly employed had."""

from __future__ import annotations

from typing import Any

from matcher.analytics.document import Block, Section, n, pct, table
from matcher.analytics.labels import STATUS_LABELS

HELP_LABELS = {
    "offer": "收到过推送",
    "guidance": "参加过就业指导",
    "training": "参加过培训",
    "traineeship": "参加过见习",
    "none": "未记录任何帮扶",
}
TITLE = "月度流向 Flows since last month"


def _status(key: str) -> str:
    return "新入库" if key == "new" else STATUS_LABELS.get(key, key)


def _span(low: int, high: int | None) -> str:
    if high is None:
        return f"{low} 个月及以上"
    return f"{low} 个月" if low == high else f"{low}–{high} 个月"


def section(report: dict[str, Any]) -> Section:
    f = report["flows"]
    blocks: list[Block] = [report["definitions"]["flows"]]
    if not f["transitions"]:
        blocks.append("库中还没有毕业生的月度记录。")
        return Section(TITLE, blocks)
    blocks.append(
        f"与 {f['previous_month']} 月末相比：新就业 {n(f['became_employed'])} 人，"
        f"由就业或升学退回求职 {n(f['fell_back'])} 人；月末求职中 {n(f['seeking'])} 人，"
        f"其中连续求职 3 个月及以上 {n(f['seeking_3_months_or_more'])} 人。"
    )
    blocks.append(
        table(
            "状态流向 Status flows (previous month's end → this month's end)",
            ["上月末", "本月末", "人数"],
            [[_status(t["from"]), _status(t["to"]), n(t["graduates"])] for t in f["transitions"]],
        )
    )
    blocks.append(
        table(
            "连续求职时长 Months seeking (those seeking at the month's end)",
            ["连续求职", "人数"],
            [[_span(d["from"], d["to"]), n(d["graduates"])] for d in f["seeking_months"]],
        )
    )
    h = f["help_before_employment"]
    if h["employed"]:
        blocks.append(
            table(
                f"本月新就业 {n(h['employed'])} 人此前获得的帮扶 Help before employment",
                ["帮扶", "人数", "占比"],
                [
                    [label, n(h[key]), pct(h[key] / h["employed"])]
                    for key, label in HELP_LABELS.items()
                ],
            )
        )
    return Section(TITLE, blocks)
