"""The monthly supply-and-demand report as one JSON-ready dict: the figures the HTML and
Markdown renderings, the API and the notebooks all read."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from matcher.analytics import fit, supply
from matcher.engine.orchestrator import Matcher
from matcher.store import Store, flows, outcomes
from matcher.store import analytics as queries
from matcher.types import Month

DEFINITIONS = {
    "open_postings": (
        "月末在招岗位：报告月最后一天已发布、未过期、未被合规标记，"
        "且当时在招（现仍在招，或在月末之后才关闭）"
    ),
    "new_postings": "本月新发布岗位：发布日期在报告月内且未被合规标记",
    "headcount": "招聘人数：岗位的招聘人数之和（未填写按 1 人计）",
    "seekers": "求职者：报告生成时状态为“求职中”的毕业生（供需表按当前状态；月度流向按月度记录）",
    "flows": (
        "月度流向：每名毕业生每月的状态以当月最后一次写入为准，当月没有写入的沿用上月；"
        "新就业——上月末不是已就业、本月末已就业；退回求职——上月末已就业或升学、本月末求职中；"
        "连续求职月数——截至本月末最近一段求职中状态持续的自然月数；"
        "帮扶——本月末以前创建的推送，以及已完成的就业指导、已报名或完成的培训、已上岗或完成的见习"
    ),
    "seeker_district": (
        "求职者区县：求职意向区县（可多选，每个区县各计一次）；"
        "未填写意向的按居住区县；均未填写的计入“不限区县”"
    ),
    "ratio": (
        "求人倍率：月末在招岗位招聘人数 ÷ 求职人数；列出多个专业类的岗位，其人数在各专业类间均分"
    ),
    "industry_ratio": (
        "行业求人倍率：求职者没有行业属性，各专业类求职者按该专业类岗位需求在各行业的分布折算"
    ),
    "hard_to_fill": (
        "难招岗位：月末在招且已发布 30 天以上，引擎推荐的最佳求职者匹配分低于阈值（或无可推荐者）"
    ),
    "hard_to_place": ("难就业毕业生：求职中，引擎推荐的最佳岗位匹配分低于阈值（或无可推荐岗位）"),
    "gaps": (
        "缺口：无对口专业——没有该专业类的求职者（或在招岗位）；地域不符——有，但都不在意向区县；"
        "学历不符——意向区县内对口的求职者学历都低于岗位要求（或对口岗位都要求更高学历）；"
        "技能缺口——最佳匹配缺少岗位所列技能；无可推荐对象——引擎找不到求职意向（区县、岗位类型）"
        "与条件都相符、同意接收推送且未推送过的对象"
    ),
    "funnel": ("推送漏斗：本月创建的推送，按截至报告生成时的反馈统计（已查看 → 已投递 → 已录用）"),
    "plans": "一人一策：有帮扶标识的毕业生中，截至月末已建立帮扶计划的人数与结果",
}


def monthly_report(
    store: Store,
    month: Month,
    *,
    matcher: Matcher | None = None,
    threshold: float = 0.5,
    sample: int = 200,
    seed: int = 0,
    log: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    """All figures of ``month``. Without ``matcher`` (or with ``sample`` 0) the hard-to-fill
    and hard-to-place sections are left out; ``sample`` postings and ``sample`` graduates are
    judged by the engine otherwise."""
    seconds: dict[str, float] = {}

    def timed(name: str, work: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        result = work()
        seconds[name] = round(time.perf_counter() - started, 2)
        log(f"{name}: {seconds[name]:.1f} s")
        return result

    cells = timed("postings", lambda: queries.posting_cells(store, month))
    by_region = timed("demand", lambda: queries.demand_cells(store, month, "region"))
    by_industry = timed("demand_industry", lambda: queries.demand_cells(store, month, "industry"))
    seekers = timed("seekers", lambda: queries.seeker_cells(store, month))
    by_class = timed("seekers_by_class", lambda: queries.seekers_by_class(store, month))
    counts = queries.scalar_counts(store, month)
    report: dict[str, Any] = {
        "month": str(month),
        "period": {"first": month.first.isoformat(), "last": month.last.isoformat()},
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "definitions": DEFINITIONS,
        "postings": supply.posting_tables(cells),
        "seekers": supply.seeker_tables(by_class, seekers),
        "ratios": {
            "by_district_category": supply.district_category_ratios(by_region, seekers),
            "by_industry": supply.industry_ratios(by_industry, by_class),
        },
        "counts": counts,
    }
    if matcher is not None and sample > 0:
        probe = fit.Probe(threshold=threshold, sample=sample, seed=seed)
        available = supply.Availability.of(by_region, seekers)
        report["fit"] = {"threshold": threshold, "sample": sample}
        report["hard_to_fill"] = timed(
            "hard_to_fill", lambda: fit.hard_to_fill(matcher, month, probe, available)
        )
        report["hard_to_place"] = timed(
            "hard_to_place", lambda: fit.hard_to_place(matcher, month, probe, available)
        )
    else:
        report["fit"] = None
    report["funnel"] = timed("funnel", lambda: outcomes.funnel(store, month))
    report["plans"] = timed("plans", lambda: outcomes.plan_coverage(store, month))
    report["flows"] = timed("flows", lambda: flows.monthly_flows(store, month))
    report["seconds"] = seconds
    return report
