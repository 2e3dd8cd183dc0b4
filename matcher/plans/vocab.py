"""The words of a plan: item kinds, the statuses of plans and items, the moves allowed between
them, what counts as done, and their Chinese labels for the console."""

from __future__ import annotations

#: Item kinds in the order a plan lists them.
KINDS: tuple[str, ...] = ("guidance", "posting", "training", "traineeship")
#: Postings a plan recommends: full-time jobs, public institutions and grassroots projects.
JOB_KINDS: tuple[str, ...] = ("full_time", "public_institution", "grassroots")
JOBS_PER_PLAN = 3

PLAN_STATUSES: tuple[str, ...] = ("draft", "agreed", "in_progress", "closed")
#: Allowed moves; ``closed → in_progress`` reopens a plan.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "draft": ("agreed", "closed"),
    "agreed": ("in_progress", "closed"),
    "in_progress": ("closed",),
    "closed": ("in_progress",),
}
OUTCOMES: tuple[str, ...] = ("employed", "further_study", "declined", "other")
#: A closing outcome that changes the graduate's own status.
OUTCOME_STATUS = {"employed": "employed", "further_study": "further_study"}

ITEM_STATUSES: dict[str, tuple[str, ...]] = {
    "guidance": ("scheduled", "done", "missed", "cancelled"),
    "posting": ("proposed", "recommended", "offered", "applied", "placed", "declined"),
    "training": ("proposed", "enrolled", "done", "declined"),
    "traineeship": ("proposed", "offered", "applied", "placed", "done", "declined"),
}
#: Item statuses that count as the item being done (the coverage figures).
DONE: dict[str, tuple[str, ...]] = {
    "guidance": ("done",),
    "posting": ("recommended", "offered", "applied", "placed", "declined"),
    "training": ("done",),
    "traineeship": ("placed", "done"),
}

KIND_LABELS = {
    "guidance": "职业指导",
    "posting": "岗位推荐",
    "training": "职业培训",
    "traineeship": "就业见习",
}
PLAN_LABELS = {
    "draft": "草拟",
    "agreed": "已确认",
    "in_progress": "实施中",
    "closed": "已结案",
}
OUTCOME_LABELS = {
    "employed": "已就业",
    "further_study": "升学",
    "declined": "本人拒绝帮扶",
    "other": "其他",
}
ITEM_LABELS = {
    "scheduled": "已预约",
    "done": "已完成",
    "missed": "未到场",
    "cancelled": "已取消",
    "proposed": "建议",
    "recommended": "已推荐",
    "offered": "已推送",
    "applied": "已投递",
    "placed": "已上岗",
    "declined": "已放弃",
    "enrolled": "已报名",
}
STATUS_LABELS = {
    "seeking": "求职中",
    "employed": "已就业",
    "further_study": "升学",
    "not_seeking": "暂不求职",
}
ALERT_LABELS = {
    "no_plan": "尚无帮扶计划",
    "stalled": "计划停滞超过30天",
    "traineeship_ending": "见习即将到期",
    "fell_back": "近3个月由就业或升学退回求职",
    "disagreement": "高校报告的去向与记录不一致",
}
