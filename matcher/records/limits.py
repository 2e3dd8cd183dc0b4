"""Bounds every incoming value keeps before it is read field by field: text without NUL
characters or broken Unicode, finite numbers of a sane size, nesting and lists of a bounded
size. The exchange format's fields have tighter bounds of their own (``schema``); these also
hold for the fields a record carries beyond the format (kept as they are) and for the API's
own request bodies, so that nothing a database or a JSON page cannot hold is ever stored."""

from __future__ import annotations

import math
import re
from typing import Any, NamedTuple

#: Objects and lists inside one record (the exchange format itself needs three levels).
MAX_DEPTH = 8
#: Entries of any one list or object.
MAX_ITEMS = 1000
#: Characters of any one text (the longest field of the format, a description, allows this).
MAX_TEXT = 20_000
#: Characters of a field name.
MAX_KEY = 100
#: Largest magnitude of a number (a salary is at most ten million; an id number is no count).
MAX_NUMBER = 1e15
#: The only characters a Python text may hold that UTF-8 cannot encode.
_SURROGATE = re.compile("[\ud800-\udfff]")


class Breach(NamedTuple):
    """The first value out of bounds: where (``salary.min``, ``skills[3]``) and why."""

    field: str
    message: str
    zh: str


def text_breach(text: str) -> tuple[str, str] | None:
    """(English, Chinese) when a text cannot be stored as it is: NUL, a lone surrogate."""
    if "\x00" in text:
        return "contains a NUL character (\\u0000)", "不能包含空字符（\\u0000）"
    if not text.isascii() and _SURROGATE.search(text) is not None:
        return (
            "is not valid Unicode text (a lone surrogate)",
            "含有无效的 Unicode 字符（孤立代理项）",
        )
    return None


def number_breach(value: float | int) -> tuple[str, str] | None:
    if isinstance(value, float) and not math.isfinite(value):
        return "is not a finite number", "应为有限的数字"
    if abs(value) > MAX_NUMBER:
        return (
            f"is out of range (at most {MAX_NUMBER:g} in size)",
            f"数值超出范围（绝对值最大 {MAX_NUMBER:g}）",
        )
    return None


def breach(value: Any, path: str = "", depth: int = 0) -> Breach | None:
    """The first value of ``value`` (a record as read from JSON) out of bounds, or None."""
    if depth == 0 and _fine(value, 0):  # the common case, without naming every field
        return None
    where = path or "record"
    if isinstance(value, str):
        found = text_breach(value)
        if found is None and len(value) > MAX_TEXT:
            found = (
                f"is too long (at most {MAX_TEXT} characters)",
                f"过长（最多 {MAX_TEXT} 个字符）",
            )
        return Breach(where, *found) if found else None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        found = number_breach(value)
        return Breach(where, *found) if found else None
    if not isinstance(value, dict | list):
        return None
    if depth >= MAX_DEPTH:
        return Breach(
            where,
            f"is nested too deeply (at most {MAX_DEPTH} levels)",
            f"嵌套过深（最多 {MAX_DEPTH} 层）",
        )
    if len(value) > MAX_ITEMS:
        return Breach(
            where, f"has too many entries (at most {MAX_ITEMS})", f"条目过多（最多 {MAX_ITEMS} 项）"
        )
    if isinstance(value, list):
        for i, item in enumerate(value):
            found_in = breach(item, f"{path}[{i}]" if path else f"[{i}]", depth + 1)
            if found_in:
                return found_in
        return None
    for key, item in value.items():
        name = str(key)
        inner = f"{path}.{name}" if path else name
        bad_key = text_breach(name)
        if bad_key is None and len(name) > MAX_KEY:
            bad_key = (
                f"field name is too long (at most {MAX_KEY} characters)",
                f"字段名过长（最多 {MAX_KEY} 个字符）",
            )
        if bad_key:
            shown = name[:MAX_KEY].replace("\x00", "\\u0000").encode("utf-8", "replace").decode()
            return Breach(f"{path}.{shown}" if path else shown, bad_key[0], bad_key[1])
        found_in = breach(item, inner, depth + 1)
        if found_in:
            return found_in
    return None


def _fine(value: Any, depth: int) -> bool:
    """Whether everything in ``value`` is within bounds (what :func:`breach` checks)."""
    if isinstance(value, str):
        return len(value) <= MAX_TEXT and text_breach(value) is None
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, int | float):
        return number_breach(value) is None
    if not isinstance(value, dict | list):
        return True
    if depth >= MAX_DEPTH or len(value) > MAX_ITEMS:
        return False
    if isinstance(value, list):
        return all(_fine(item, depth + 1) for item in value)
    return all(
        len(name := str(key)) <= MAX_KEY and text_breach(name) is None and _fine(item, depth + 1)
        for key, item in value.items()
    )


def clean_text(value: Any) -> Any:
    """``value`` when it is a text that may be shown and stored, else None (for record ids
    quoted in messages)."""
    if isinstance(value, str) and len(value) <= MAX_KEY * 2 and text_breach(value) is None:
        return value
    return None


def unstorable(value: Any) -> bool:
    """Whether a text, or a text inside a list, holds a NUL character or a lone surrogate."""
    if isinstance(value, str):
        return text_breach(value) is not None
    if isinstance(value, list | tuple):
        return any(unstorable(item) for item in value)
    return False
