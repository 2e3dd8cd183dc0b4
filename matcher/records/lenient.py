"""Lenient about spelling, strict about meaning. Values written the way people write them in
Chinese ads and forms are rewritten into the exchange format before the strict validation of
:mod:`matcher.records.schema`, and every rewrite is reported as a note:

- counts and years as text: ``"3"``, ``"3人"``, ``"三名"``, ``"２０２６届"``, ``"2026年"`` →
  3 / 2026;
  ``"若干"`` headcount → not given; ``"3年以上"`` or ``"1-3年"`` experience → 3 / 1,
  ``"无经验"`` / ``"经验不限"`` → 0;
- salaries: ``"面议"`` (negotiable) → ``{"negotiable": true}`` (a bound written 面议 is
  dropped the same way); ranges as text, whole or per
  bound: ``"6000-9000元/月"``, ``"6-9千"``, ``"1.5-2万"``, ``"8K"``, ``"150元/天"``;
- amounts as text: ``"6000"`` → 6000.

Anything that still does not mean a number stays as it was and fails validation, naming the
field. A text that means something else (``"3-5"`` for a headcount) is not guessed."""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

NEGOTIABLE = frozenset(
    {"面议", "薪资面议", "薪酬面议", "待遇面议", "工资面议", "面谈", "面议薪资", "negotiable"}
)
_COUNT = re.compile(r"^(\d{1,6})\s*(?:人|名|个|位|届|年|级)?$")
_UNSPECIFIED_COUNT = frozenset({"若干", "不限", "多名", "若干名", "若干人"})
_EXPERIENCE = re.compile(
    r"^(\d{1,2})(?:\s*[-~至到]\s*\d{1,2})?\s*年(?:以上|及以上|以下)?(?:经验)?$"
)
_NO_EXPERIENCE = frozenset({"无经验", "经验不限", "不限", "无", "应届", "应届生", "无需经验"})
_SCALE = {"": 1.0, "元": 1.0, "k": 1000.0, "千": 1000.0, "w": 10000.0, "万": 10000.0}
_NUMBER = r"(\d+(?:\.\d+)?)\s*(k|千|w|万|元)?"
_RANGE = re.compile(rf"^{_NUMBER}\s*(?:[-~至到—–]\s*{_NUMBER})?\s*(.*)$")
_UNITS = (
    (re.compile(r"^(?:/|每|一)?(?:月|个月)$|^元/月$|^/月$|^月薪$"), "month"),
    (re.compile(r"^(?:/|每|一)?(?:天|日)$|^元/(?:天|日)$|^日薪$"), "day"),
    (re.compile(r"^(?:/|每|一)?(?:小时|时)$|^元/(?:小时|时)$|^时薪$"), "hour"),
    (re.compile(r"^(?:/|每|一)?年$|^元/年$|^年薪$"), "year"),
)
#: dotted paths of integer fields per entity (the form's year, counts) and of amounts
INTEGERS: dict[str, tuple[str, ...]] = {
    "positions": ("headcount",),
    "graduates": ("graduation_year",),
    "trainings": ("capacity",),
}
AMOUNTS: dict[str, tuple[str, ...]] = {
    "positions": ("salary.min", "salary.max"),
    "graduates": ("desired.salary_min",),
    "trainings": ("fee",),
}


def _plain(text: str) -> str:
    """Full-width digits and letters to ASCII, spaces out, lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def normalise(entity: str, raw: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """``raw`` with spellings rewritten (a copy; the input is not changed) and the notes."""
    out = dict(raw)
    notes: list[str] = []
    for path in INTEGERS.get(entity, ()):
        _rewrite(out, path, _count, notes)
    if entity == "positions":
        _rewrite(out, "experience_min_years", _experience, notes)
        if isinstance(out.get("salary"), str):
            parsed = salary(out["salary"])
            if parsed is not None:
                notes.append(f"salary: {out['salary']!r} → {parsed}")
                out["salary"] = parsed
        elif isinstance(out.get("salary"), dict):
            out["salary"] = _negotiable_bounds(out["salary"], notes)
    for path in AMOUNTS.get(entity, ()):
        _rewrite(out, path, _amount, notes)
    return out, notes


_MISSING = object()


def _rewrite(record: dict[str, Any], path: str, read: Any, notes: list[str]) -> None:
    """Replace the text at ``path`` by ``read(text)`` when that gives a value (None: drop)."""
    *parents, leaf = path.split(".")
    node: Any = record
    for part in parents:
        child = node.get(part) if isinstance(node, dict) else None
        if not isinstance(child, dict):
            return
        node[part] = child = dict(child)  # copy on write: the caller's record stays as it was
        node = child
    value = node.get(leaf, _MISSING) if isinstance(node, dict) else _MISSING
    if not isinstance(value, str):
        return
    found = read(value)
    if found is _MISSING:
        return
    if found is None:
        del node[leaf]
        notes.append(f"{path}: {value!r} → not given")
    else:
        node[leaf] = found
        notes.append(f"{path}: {value!r} → {found}")


def _negotiable_bounds(value: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    """A bound written as 面议 is no figure: dropped, and the salary marked negotiable."""
    out = dict(value)
    for bound in ("min", "max"):
        text = out.get(bound)
        if isinstance(text, str) and _plain(text) in NEGOTIABLE:
            del out[bound]
            out["negotiable"] = True
            notes.append(f"salary.{bound}: {text!r} → negotiable")
    return out


_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def chinese_number(text: str) -> int | None:
    """一 … 九十九 written in Chinese characters (十二, 二十, 两); None for anything else."""
    if not text or any(c not in _DIGITS and c != "十" for c in text) or text.count("十") > 1:
        return None
    if "十" not in text:
        return _DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)


def _count(text: str) -> Any:
    plain = _plain(text)
    if plain in _UNSPECIFIED_COUNT:
        return None
    found = _COUNT.match(plain)
    if found:
        return int(found.group(1))
    spelled = chinese_number(re.sub(r"(人|名|个|位)$", "", plain))
    return spelled if spelled is not None else _MISSING


def _experience(text: str) -> Any:
    plain = _plain(text)
    if plain in _NO_EXPERIENCE:
        return 0
    found = _COUNT.match(plain) or _EXPERIENCE.match(plain)
    return int(found.group(1)) if found else _MISSING


def _amount(text: str) -> Any:
    plain = _plain(text)
    found = re.fullmatch(_NUMBER, plain)
    if not found:
        return _MISSING
    value = float(found.group(1)) * _SCALE[found.group(2) or ""]
    return int(value) if value.is_integer() else value


def salary(text: str) -> dict[str, Any] | None:
    """A salary written as text, as the exchange format's object; None when it is not one."""
    plain = _plain(text)
    if plain in NEGOTIABLE or plain.rstrip("。.") in NEGOTIABLE:
        return {"negotiable": True}
    found = _RANGE.match(plain)
    if not found:
        return None
    low, low_scale, high, high_scale, rest = found.groups()
    unit = "month"
    open_ended = not high and rest in ("以上", "起", "+")  # "3000以上": a floor, no ceiling
    if open_ended:
        rest = ""
    if rest:
        for pattern, name in _UNITS:
            if pattern.match(rest):
                unit = name
                break
        else:
            return None
    # "6-9千": the scale written once, after the range, applies to both bounds
    low_factor = _SCALE[low_scale or high_scale or ""]
    minimum = float(low) * low_factor
    maximum = float(high) * _SCALE[high_scale or ""] if high else minimum
    if not (math.isfinite(minimum) and math.isfinite(maximum)):
        return None
    if open_ended:
        return {"min": _whole(minimum), "unit": unit}
    return {"min": _whole(minimum), "max": _whole(maximum), "unit": unit}


def _whole(value: float) -> float | int:
    return int(value) if value.is_integer() else round(value, 2)
