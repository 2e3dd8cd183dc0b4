"""The report's charts as PNG bytes (matplotlib, no display needed). Labels are Chinese, so a
CJK font is looked up among the usual ones; without one the charts are not drawn at all (their
labels would be boxes): :class:`MissingFont` says which package to install."""

from __future__ import annotations

import functools
import io
import logging
import math
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, ParamSpec

from matplotlib import font_manager, rc_context
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure

from matcher.errors import MatcherError

log = logging.getLogger("matcher.analytics")
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "Arial Unicode MS",
)
BLUE, ORANGE, GREY = "#2f6db5", "#e07b39", "#9aa5b1"
DPI = 110
P = ParamSpec("P")


#: File name parts of CJK fonts, for fonts installed after matplotlib cached its font list.
CJK_FILES = ("cjk", "wqy", "simhei", "msyh", "pingfang", "sourcehan", "heiti")


@cache
def cjk_font() -> str | None:
    """The first installed CJK font family, or None (with a warning)."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    if not installed.intersection(CJK_FONTS):
        for path in font_manager.findSystemFonts():
            if any(part in Path(path).name.lower() for part in CJK_FILES):
                font_manager.fontManager.addfont(path)
        installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in installed:
            return name
    return None


class MissingFont(MatcherError):
    """No CJK font is installed, so the report's Chinese chart labels cannot be drawn."""

    def __init__(self) -> None:
        super().__init__(
            "no CJK font is installed for the report's Chinese chart labels; install one "
            "(Debian/Ubuntu: apt-get install fonts-noto-cjk, or fonts-wqy-zenhei) and run the "
            "report again — the figures were written as JSON",
            zh="未安装中文字体，无法绘制报告图表：请安装 fonts-noto-cjk 或 fonts-wqy-zenhei "
            "后重新生成（各项数据已写入 JSON 文件）",
        )


def require_font() -> str:
    """The CJK font to draw with; :class:`MissingFont` when there is none."""
    font = cjk_font()
    if font is None:
        raise MissingFont()
    return font


def _with_font(draw: Callable[P, bytes]) -> Callable[P, bytes]:
    """Run a chart function with the CJK font first in the font family list."""

    @functools.wraps(draw)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> bytes:
        family = [require_font(), "DejaVu Sans"]
        with rc_context({"font.family": family, "axes.unicode_minus": False}):
            return draw(*args, **kwargs)

    return wrapper


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), dpi=DPI, layout="constrained")


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _style(ax: Any) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#e5e8ec", linewidth=0.8)
    ax.set_axisbelow(True)


@_with_font
def paired_bars(
    title: str, labels: list[str], left: list[float], right: list[float], names: tuple[str, str]
) -> bytes:
    """Horizontal bars of two figures per label (e.g. open headcount and seekers)."""
    fig = _figure(8, 0.8 + 0.32 * max(len(labels), 3))
    ax = fig.add_subplot()
    rows = list(range(len(labels)))[::-1]
    height = 0.4
    ax.barh([r + height / 2 for r in rows], left, height, color=BLUE, label=names[0])
    ax.barh([r - height / 2 for r in rows], right, height, color=ORANGE, label=names[1])
    ax.set_yticks(rows, labels)
    ax.set_title(title, loc="left", fontsize=12)
    ax.legend(loc="lower right", frameon=False)
    _style(ax)
    return _png(fig)


@_with_font
def bars(title: str, labels: list[str], values: list[float], note: str = "") -> bytes:
    fig = _figure(8, 0.8 + 0.32 * max(len(labels), 3))
    ax = fig.add_subplot()
    rows = list(range(len(labels)))[::-1]
    ax.barh(rows, values, 0.6, color=BLUE)
    for r, v in zip(rows, values, strict=True):
        ax.text(v, r, f" {v:,.0f}", va="center", fontsize=8, color="#333")
    ax.set_yticks(rows, labels)
    ax.set_title(title, loc="left", fontsize=12)
    if note:
        ax.set_xlabel(note, fontsize=8, color="#555")
    _style(ax)
    return _png(fig)


@_with_font
def heatmap(
    title: str, rows: list[str], columns: list[str], values: list[list[float | None]]
) -> bytes:
    """Ratios on a log colour scale centred on 1 (blue: more seekers, red: more places)."""
    fig = _figure(1.8 + 0.62 * len(columns), 1.4 + 0.34 * len(rows))
    ax = fig.add_subplot()
    finite = [v for row in values for v in row if v]
    span = max([abs(math.log10(v)) for v in finite] + [0.5])
    grid = [[v if v else float("nan") for v in row] for row in values]
    image = ax.imshow(grid, cmap="RdBu_r", norm=LogNorm(10**-span, 10**span), aspect="auto")
    ax.set_xticks(range(len(columns)), columns, rotation=40, ha="right", fontsize=8)
    ax.set_yticks(range(len(rows)), rows, fontsize=8)
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            if v is not None:
                ax.text(j, i, f"{v:.1f}", ha="center", va="center", fontsize=7)
    ax.set_title(title, loc="left", fontsize=12)
    fig.colorbar(image, ax=ax, shrink=0.8, label="求人倍率")
    return _png(fig)


@_with_font
def funnel(title: str, stages: list[str], series: dict[str, list[int]]) -> bytes:
    """Grouped bars: one group per stage, one bar per series (e.g. per kind)."""
    fig = _figure(8, 3.6)
    ax = fig.add_subplot()
    width = 0.8 / max(len(series), 1)
    palette = [BLUE, ORANGE, "#3a9e6f", "#8a5cb8", GREY, "#c94f4f"]
    for n, (name, values) in enumerate(series.items()):
        xs = [i - 0.4 + width * (n + 0.5) for i in range(len(stages))]
        ax.bar(xs, values, width, label=name, color=palette[n % len(palette)])
    ax.set_xticks(range(len(stages)), stages)
    ax.set_title(title, loc="left", fontsize=12)
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)
