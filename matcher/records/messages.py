"""Chinese texts of validation errors, by the kind of error (pydantic's error types), so that
a person who sends a bad record is told in Chinese which field is wrong and how."""

from __future__ import annotations

from typing import Any

_BY_TYPE = {
    "missing": "缺少必填字段",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "finite_number": "应为有限的数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": '应为列表（如 ["Java", "MySQL"]）',
    "dict_type": '应为对象（如 {"min": 6000}）',
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "date_type": "应为日期（如 2022-08-01）",
    "date_parsing": "应为日期（如 2022-08-01）",
    "date_from_datetime_parsing": "应为日期（如 2022-08-01）",
    "date_from_datetime_inexact": "应为日期（如 2022-08-01），不含时刻",
    "datetime_type": "应为日期时间（如 2026-09-01T09:00:00+08:00）",
    "datetime_parsing": "应为日期时间（如 2026-09-01T09:00:00+08:00）",
    "datetime_from_date_parsing": "应为日期时间（如 2026-09-01T09:00:00+08:00）",
    "timezone_aware": "应带时区（如 +08:00）",
    "int_parsing_size": "整数过大",
    "string_unicode": "应为有效的 Unicode 文本",
    "string_pattern_mismatch": "格式不对",
    "id_characters": "编号只能包含字母、数字、汉字和 - _ . : @，且以字母、数字或汉字开头",
    "text_characters": "不能包含空字符（\\u0000）或无效的 Unicode 字符",
    "scope_entry": "不适用于该角色",
    "extra_forbidden": "不接受此字段",
    "json_invalid": "不是有效的 JSON",
    "cursor": "不是本列表的翻页游标：请原样传回上一页的 next_cursor",
}


def zh_message(error: dict[str, Any]) -> str:
    """The Chinese text of one pydantic error (its ``type``, ``ctx`` and ``input``)."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind in ("enum", "literal_error"):
        return f"取值无效，可选：{ctx.get('expected', '')}"
    if kind in ("greater_than_equal", "greater_than"):
        return f"不能小于 {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"不能大于 {ctx.get('le', ctx.get('lt'))}"
    if kind == "date_range":
        return f"应在 {ctx.get('first')} 至 {ctx.get('last')} 之间"
    if kind == "string_too_long":
        return f"过长（最多 {ctx.get('max_length')} 个字符）"
    if kind in ("string_too_short", "too_short"):
        return "不能为空"
    if kind == "too_long":
        return f"条目过多（最多 {ctx.get('max_length')} 项）"
    text = _BY_TYPE.get(kind)
    if text is None:  # a rule of ours (value_error): its own words are the most precise
        return "取值无效：" + str(error.get("msg", "")).removeprefix("Value error, ")
    if kind != "missing" and "input" in error:
        shown = repr(error["input"])
        text += f"（收到 {shown if len(shown) <= 40 else shown[:37] + '...'}）"
    return text
