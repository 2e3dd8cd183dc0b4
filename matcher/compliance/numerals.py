"""Numbers written for the eye rather than for a filter, read as digits: Chinese numerals before
an age (二十至三十五岁, 卅五岁以下, 年龄不超过叁拾伍), birth years and cohorts (九零后), and circled
digits two in a row (⑤⓪岁以下; one alone stays a list marker)."""

from __future__ import annotations

import re
import unicodedata

# circled and parenthesised digits (⓪ ① ❶ ➀ ➊ ⓵) and the digit each stands for
_CIRCLED = {
    chr(c): str(unicodedata.digit(chr(c)))
    for start, end in (
        (0x2460, 0x2468),
        (0x24EA, 0x24EA),
        (0x24F5, 0x24FD),
        (0x2776, 0x277E),
        (0x2780, 0x2788),
        (0x278A, 0x2792),
        (0x24FF, 0x24FF),
    )
    for c in range(start, end + 1)
}
_CIRCLED_CHARS = "".join(_CIRCLED)
NUMERAL_GATE = re.compile(f"[十拾廿卅卌]|[零〇一二三四五六七八九]{{2}}|[{_CIRCLED_CHARS}]{{2}}")
_DIGITS = "零〇一二三四五六七八九"
_VALUE = {c: max(i - 1, 0) for i, c in enumerate(_DIGITS)}
# the financial forms (叁拾伍) read as the plain ones
_CAPITAL = str.maketrans("壹贰貳叁參肆伍陆陸柒捌玖拾", "一二二三三四五六六七八九十")
_ONES = "一二三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖"
_TENS = f"(?:[{_ONES}]?[十拾][{_ONES}]?|[廿卅卌][{_ONES}]?)"
NUMERALS = (
    # 二十至三十五岁, 卅五岁以下, 年龄三十五以下
    rf"(?P<num_tens>{_TENS})(?=\s*(?:周岁|岁|以下|以上|以内|之间|左右|上下|至|到|-|~))"
    # 年龄不超过叁拾伍, 年纪超过四十
    rf"|(?:(?<=超过)|(?<=年龄)|(?<=年纪)|(?<=大于)|(?<=小于)|(?<=低于)|(?<=高于))(?P<num_after>{_TENS})"
    # 一九九〇年以后出生, 九零年后出生
    rf"|(?P<num_year>[{_DIGITS}]{{4}}|[{_DIGITS}]{{2}})(?=\s*年[^。,;\n]{{0,8}}出生)"
    # 九零后, 零零后
    r"|(?P<num_cohort>[六七八九零〇][零〇五])(?=\s*后)"
    # ⑤⓪岁以下: circled digits are list markers alone, digits of a number two in a row before an age
    rf"|(?P<num_circled>[{_CIRCLED_CHARS}]{{2}})(?=\s*(?:周岁|岁|以下|以上|以内|之间|至|到|-|~))"
)


def number(numeral: str) -> str:
    """二十 → 20, 三十五 → 35, 十八 → 18, 卅五 → 35; 一九九〇 → 1990, 九零 → 90 (digit by digit)."""
    if numeral[0] in _CIRCLED:
        return "".join(_CIRCLED[c] for c in numeral)
    numeral = numeral.translate(_CAPITAL)
    if numeral[0] in "廿卅卌":
        tens, tail = "廿卅卌".index(numeral[0]) + 2, numeral[1:]
    elif "十" in numeral:
        head, _, tail = numeral.partition("十")
        tens = _VALUE[head] if head else 1
    else:
        return "".join(str(_VALUE[c]) for c in numeral)
    return str(tens * 10 + (_VALUE[tail] if tail else 0))
