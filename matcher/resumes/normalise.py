"""Text as extracted → text as written: radical look-alikes, width, spaced-out headings,
bullets and stray control characters; brackets around Chinese words stay full width.

PDFs made by some résumé templates and Word versions map common characters to the Kangxi
radicals block (⼤ U+2F24 for 大, ⼯ for 工) or the CJK radicals supplement (⻓ for 长, ⻔ for
门). NFKC maps the Kangxi radicals and two of the supplement; :data:`RADICALS` maps the
supplement's simplified forms NFKC leaves alone. Everything else NFKC does too: full-width
letters and digits, ``：`` → ``:``, ``（）`` → ``()``, the ideographic space, ligatures."""

from __future__ import annotations

import re
import unicodedata

#: CJK radicals supplement (U+2E80–U+2EFF) → the unified ideograph it stands for in running
#: text. NFKC already maps ⺟ (U+2E9F) and ⻳ (U+2EF3), and every Kangxi radical (U+2F00–2FD5).
RADICALS = str.maketrans(
    {
        "\u2e85": "亻",
        "\u2e8c": "小",
        "\u2e8d": "小",
        "\u2e96": "忄",
        "\u2e98": "扌",
        "\u2e9c": "日",
        "\u2e9d": "月",
        "\u2ea0": "民",
        "\u2ea1": "氵",
        "\u2ea3": "灬",
        "\u2ea7": "牛",
        "\u2ea8": "犭",
        "\u2ea9": "王",
        "\u2eaa": "疋",
        "\u2eab": "目",
        "\u2eae": "竹",
        "\u2eb2": "罒",
        "\u2eb7": "羊",
        "\u2ebc": "月",
        "\u2ebe": "艹",
        "\u2ebf": "艹",
        "\u2ec0": "艹",
        "\u2ec1": "虎",
        "\u2ec2": "衤",
        "\u2ec4": "西",
        "\u2ec5": "见",
        "\u2ec6": "角",
        "\u2ec8": "讠",
        "\u2ec9": "贝",
        "\u2eca": "足",
        "\u2ecb": "车",
        "\u2ecc": "辶",
        "\u2ecf": "阝",
        "\u2ed0": "钅",
        "\u2ed1": "長",
        "\u2ed3": "长",
        "\u2ed4": "门",
        "\u2ed6": "阝",
        "\u2ed7": "雨",
        "\u2ed8": "青",
        "\u2ed9": "韦",
        "\u2eda": "页",
        "\u2edb": "风",
        "\u2edc": "飞",
        "\u2edd": "食",
        "\u2edf": "飠",
        "\u2ee0": "饣",
        "\u2ee2": "马",
        "\u2ee3": "骨",
        "\u2ee4": "鬼",
        "\u2ee5": "鱼",
        "\u2ee6": "鸟",
        "\u2ee7": "卤",
        "\u2ee8": "麦",
        "\u2ee9": "黄",
        "\u2eea": "黾",
        "\u2eeb": "斉",
        "\u2eec": "齐",
        "\u2eed": "歯",
        "\u2eee": "齿",
        "\u2eef": "竜",
        "\u2ef0": "龙",
        "\u2ef2": "亀",
    }
)
#: bullets, boxes and check marks templates put before items; they separate, like a comma
_BULLETS = re.compile(r"[•●○◆◇■□▪▫►▶▸➢➤★☆✓✔√◎◉❖※\u2600-\u27bf\U0001f300-\U0001faff]+")
#: zero-width and other invisible characters, private-use glyphs of icon fonts, controls
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060-\u2064\ufeff\ue000-\uf8ff\x00-\x08\x0b-\x1f\x7f]")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
#: three or more single CJK characters separated by one space: a letter-spaced heading
_SPACED = re.compile(rf"(?<![{_CJK}])(?:[{_CJK}] ){{2,}}[{_CJK}](?![{_CJK}])")
_SPACES = re.compile(r"[ \t\u00a0]+")
#: a two-character label spaced out to align with longer ones: ``姓    名：``
_SPACED_LABEL = re.compile(rf"(?<![{_CJK}])([{_CJK}]) ([{_CJK}])(?=\s*:)")
#: NFKC makes （） ASCII; around Chinese words they are put back, as names are written
_CJK_BRACKETS = re.compile(rf"\(([^()]*[{_CJK}][^()]*)\)")


def normalise_line(line: str) -> str:
    """One line: radicals → ideographs, NFKC, bullets → spaces, letter-spacing removed."""
    line = unicodedata.normalize("NFKC", line.translate(RADICALS))
    line = _INVISIBLE.sub("", line)
    line = _BULLETS.sub(" ", line)
    line = _SPACES.sub(" ", line).strip()
    line = _CJK_BRACKETS.sub(r"（\1）", line)
    line = _SPACED_LABEL.sub(r"\1\2", line)
    return _SPACED.sub(lambda m: m.group(0).replace(" ", ""), line)


def normalise(text: str) -> str:
    """The whole text, line by line, without empty lines."""
    lines = (normalise_line(line) for line in text.replace("\r\n", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def has_radicals(text: str) -> bool:
    """Whether ``text`` holds Kangxi radicals or radicals-supplement characters."""
    return any("\u2e80" <= c <= "\u2fdf" for c in text)
