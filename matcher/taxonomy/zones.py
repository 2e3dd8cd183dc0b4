"""Chongqing's functional zones (development zones, new areas, business districts): not
divisions, but written in ads as if they were; each maps to the districts it spans."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Zone:
    """A functional zone (not a division) and the districts it spans; ``code`` is the main one."""

    name: str
    code: str
    covers: tuple[str, ...]
    aliases: tuple[str, ...] = ()


#: Chongqing's development zones and well-known business districts as written in ads.
ZONES: tuple[Zone, ...] = (
    Zone("两江新区", "500112", ("500112", "500105", "500109"), ("两江", "重庆两江新区")),
    Zone(
        "西部科学城重庆高新区",
        "500106",
        ("500106", "500107", "500109", "500116", "500120"),
        ("重庆高新区", "高新区", "西部科学城", "西部（重庆）科学城", "西部(重庆)科学城"),
    ),
    Zone("重庆经济技术开发区", "500108", ("500108",), ("重庆经开区", "经开区", "重庆经济开发区")),
    Zone("万盛经济技术开发区", "500110", ("500110",), ("万盛经开区", "万盛", "万盛区")),
    Zone("长寿经济技术开发区", "500115", ("500115",), ("长寿经开区",)),
    Zone("璧山高新技术产业开发区", "500120", ("500120",), ("璧山高新区",)),
    Zone("解放碑", "500103", ("500103",), ("解放碑商圈",)),
    Zone("江北嘴", "500105", ("500105",), ("江北嘴金融城",)),
    Zone("观音桥", "500105", ("500105",), ("观音桥商圈",)),
)
