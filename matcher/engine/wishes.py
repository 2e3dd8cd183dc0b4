"""What a graduate says they want to do and what they do not, read from the profile's free
text: 想找人事专员或招聘助理 → 人事, 招聘 (and the words of those occupations: HR, 人力资源...);
其实不太想当老师 → 老师 avoided. A posting whose title names a wish is what the graduate asked
for, whatever the major (a mechanical engineer who writes 想转行做销售 wants 销售).

A sentence is read clause by clause: a clause with a wish cue (想, 希望, 可以做, 愿意, 考虑...)
starts wanting, one with a refusal cue (不想, 不适合, 不喜欢...) starts avoiding, and the
clauses after it in the same sentence follow (比如行政文秘、新媒体文案这类). Only words that
name an occupation of :mod:`matcher.taxonomy.occupations` are kept (not 专员, 助理, 公司 or
place names), widened to that occupation's words."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from matcher.taxonomy.occupations import names_occupation, related_words
from matcher.taxonomy.regions import load_regions
from matcher.text.render import tokenize

_SENTENCE = re.compile(r"[。！!？?\n]+")
_CLAUSE = re.compile(r"[，,；;：:、/（）()]+")
_WANT = re.compile(
    r"想|希望|愿意|可以|都行|也行|考虑|接受|打算|方向|岗位|从事|转行|目标|意向|比如|包括|之类|这类|的工作|都能|倾向"
)
_AVOID = re.compile(
    r"不太想|不想|不适合|不喜欢|不愿|不考虑|不打算|不做|厌倦|不感兴趣|太难|太少|没兴趣"
)
#: words that say nothing about the occupation (roles, stages, places of work, life)
_EMPTY = frozenset(
    """专员 助理 经理 主管 顾问 人员 工程师 岗位 工作 职位 管理 管理员 相关 方向 行业 企业 公司
    机构 单位 部门 技术 业务 服务 专业 基础 初级 中级 高级 实习 应届 学徒 文字 东西 经验 机会
    事情 城市 老家 家里 亲戚 同学 表哥 姐姐 对象 男朋友 女朋友 双休 底薪 提成 包吃住 毕业 之后
    以后 将来 一些 一点 比较 最好 希望 愿意 接受 考虑 打算 想要 一下 试试 看看 那边 这边 都行
    也行 如果 或是 或者 以及 比如 例如 包括 其实 主要 能够 继续 慢慢 积累 只要 接触 从事 转行
    目标 意向 可以 之类 这类 这种 那种 方面 类的 先从 做起 开始 地方 稳定 稳一点 发展 锻炼 加分项
    作为 进入 研究 地点 踏实 肯干 吃苦 夜班 白班 轮班 上班 下班 时间 工资 薪资 待遇 福利""".split()
)


@dataclass(frozen=True, slots=True)
class Wishes:
    """Lower-case words of the occupations wanted and avoided (never both)."""

    wanted: frozenset[str] = frozenset()
    avoided: frozenset[str] = frozenset()


def wishes_of(graduate: Mapping[str, Any]) -> Wishes:
    """The wishes in a graduate's ``bio``."""
    return _read(str(graduate.get("bio") or ""))


@lru_cache(maxsize=4096)
def _read(bio: str) -> Wishes:
    wanted: set[str] = set()
    avoided: set[str] = set()
    for sentence in _SENTENCE.split(bio):
        into: set[str] | None = None
        for clause in _CLAUSE.split(sentence):
            if _AVOID.search(clause):
                into = avoided
            elif _WANT.search(clause):
                into = wanted
            if into is not None:
                into.update(w for w in tokenize(clause) if _names_work(w))
    want = related_words(wanted - avoided) - _EMPTY
    avoid = related_words(avoided - wanted) - _EMPTY - want
    return Wishes(frozenset(want), frozenset(avoid))


def _names_work(word: str) -> bool:
    return (
        len(word) >= 2
        and not any(c.isdigit() for c in word)
        and word not in _EMPTY
        and not _place(word)
        and names_occupation(word)
    )


@cache
def _place(word: str) -> bool:
    return load_regions().is_place(word)
