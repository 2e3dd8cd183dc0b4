"""Posting text as the compliance rules read it, with a map back to the posting's own words.

Advertisers write around keyword filters: 女 性 优 先, 限本地戶籍, 限女 ♀, 信jiao者勿扰,
male only, 卅五岁以下. :func:`fold` rewrites such text into the plain wording the rules match
(女性优先, 限本地户籍, 限女, 信教者勿扰, 仅限男性, 35岁以下) and keeps, for every character of the
result, where it came from, so that :meth:`Folded.span` turns a match in the rewritten text into
the exact substring of the posting that reviewers and employers see.

The tables (traditional characters, symbols, pinyin, homophones, English phrases) are data in
``normalise.toml``; the steps are described there."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from matcher.compliance.layout import CJK, table_edits
from matcher.compliance.numerals import NUMERAL_GATE, NUMERALS, number

TABLES_FILE = Path(__file__).parent / "normalise.toml"
_DASHES = "‐‑‒–—―ー－﹣−⁃─━"
_TILDES = "～〜∼"
_FIXED = {**dict.fromkeys(_DASHES, "-"), **dict.fromkeys(_TILDES, "~")}
# spaces and filler symbols put between single characters to break up a word
_FILLERS = r"*·•・_|+^#`'\"\-."
_SEPARATOR = rf"(?:[ \t]*[{_FILLERS}]+[ \t]*|[ \t]+)"
# a separator after a character that stands alone on its left, or before one that stands alone on
# its right: 女 性 优 先 → 女性优先, 要求 女 → 要求女; 招聘 销售 and 35岁-性别 stay as they are
_SPACED = re.compile(
    rf"[{CJK}](?=[ \t{_FILLERS}])(?<!岁)(?:(?<![{CJK}][{CJK}])|(?={_SEPARATOR}[{CJK}](?![{CJK}])))"
    rf"(?P<cut>{_SEPARATOR})(?=[{CJK}])"
    # invisible characters put inside a word anywhere (zero-width space, soft hyphen, emoji
    # presentation selector)
    # the gender sign of a gesturing emoji (🙅‍♀️: a woman saying no) belongs to the emoji, not to
    # the text, and goes with the joiner
    r"|(?P<emoji_gender>\u200d[\u2640\u2642]\ufe0f?)"
    r"|(?P<invisible>[\u00ad\u200b-\u200f\u2060-\u2064\ufeff\ufe0e\ufe0f]+)"
    # slashes between single characters, three or more in a row (少/数/民/族; 元/天 stays)
    rf"|(?<=[{CJK}])(?<![{CJK}][{CJK}])(?P<slash>[/\\])(?=[{CJK}][/\\][{CJK}])"
    rf"|(?<=[/\\][{CJK}])(?P<slash_end>[/\\])(?=[{CJK}])"
)
_WORD = re.compile(r"[a-z]+")
_AGE = r"(?<![0-9])(?:1[6-9]|[2-6][0-9])(?![0-9])"

Step = tuple[tuple[int, ...], tuple[tuple[int, int, bool], ...]]


@dataclass(frozen=True, slots=True)
class Folded:
    """A text as the rules read it (``text``) and the steps that map it back to the original."""

    original: str
    text: str
    steps: tuple[Step, ...] = ()

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that ``text[start:end]`` was made from."""
        for outs, pieces in reversed(self.steps):
            start, end = _back(outs, pieces, start, end)
        return start, end


def _back(
    outs: tuple[int, ...], pieces: tuple[tuple[int, int, bool], ...], start: int, end: int
) -> tuple[int, int]:
    """One step back: a piece copied unchanged maps character by character, a rewritten piece
    maps as a whole (a match touching ``仅限男性`` made from ``male only`` cites ``male only``)."""
    k = bisect_right(outs, start) - 1
    a, b, exact = pieces[k]
    lo = a + (start - outs[k]) if exact else a
    if end <= start:
        return lo, lo
    k = bisect_right(outs, end - 1) - 1
    a, b, exact = pieces[k]
    hi = a + (end - outs[k]) if exact else b
    return lo, hi


Edit = tuple[int, int, str]  # replace text[start:end] by this


def _edits(
    pattern: re.Pattern[str], text: str, replace: Callable[[re.Match[str]], str]
) -> Iterator[Edit]:
    """The changes ``pattern`` makes; the last group that closed is the part replaced (a match
    may start with context, such as the character before a pinyin syllable)."""
    for m in pattern.finditer(text):
        a, b = m.span(m.lastgroup) if m.lastgroup else m.span()
        new = replace(m)
        if new != text[a:b]:
            yield a, b, new


def _rewrite(text: str, edits: Iterable[Edit]) -> tuple[str, Step | None]:
    """``text`` with ``edits`` (in order; one overlapping an earlier one is dropped) and the map
    back (``None``: unchanged)."""
    parts: list[str] = []
    outs: list[int] = []
    pieces: list[tuple[int, int, bool]] = []
    pos = size = 0
    for a, b, new in edits:
        if a < pos:
            continue
        if a > pos:
            outs.append(size)
            pieces.append((pos, a, True))
            parts.append(text[pos:a])
            size += a - pos
        if new:
            outs.append(size)
            pieces.append((a, b, False))
            parts.append(new)
            size += len(new)
        pos = b
    if not parts and pos == 0:
        return text, None
    if pos < len(text):
        outs.append(size)
        pieces.append((pos, len(text), True))
        parts.append(text[pos:])
    if not parts:  # everything deleted: map the empty text to the start
        return "", ((0,), ((0, 0, True),))
    return "".join(parts), (tuple(outs), tuple(pieces))


@dataclass(frozen=True)
class _Tables:
    chars: dict[int, str]
    symbols: re.Pattern[str]  # any symbol that stands for a word
    # symbols, numerals, pinyin (each only when the text has some), homophones and labels
    base: tuple[str, str, str, str]
    syllables: frozenset[str]  # the pinyin syllables read as words
    english: tuple[tuple[re.Pattern[str], str], ...]  # (phrase, its replacement)
    replace: dict[str, str]  # group name or matched text → replacement
    needs: dict[str, tuple[int, ...]]  # a word → the English phrases that need it


@cache
@cache
def _phrases(symbols: bool, numerals: bool, pinyin: bool) -> re.Pattern[str]:
    """The alternatives worth looking for in a text: symbols, numerals and pinyin only when
    the text has some (fast on long texts)."""
    t = tables()
    wanted = (symbols, numerals, pinyin, True)
    return re.compile("|".join(part for part, on in zip(t.base, wanted, strict=True) if on))


@cache
def tables(path: Path = TABLES_FILE) -> _Tables:
    """The tables of ``normalise.toml``, compiled once per process. Raises ``ValueError``
    naming the table and entry at fault."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    chars = _char_table()
    for pair in str(data["traditional"]["pairs"]).split():
        if len(pair) != 2 or pair[0] == pair[1]:
            raise ValueError(f"{path}: [traditional] pair {pair!r}: give two different characters")
        chars[ord(pair[0])] = pair[1]
    for symbol, char in data["symbols"]["same"].items():
        chars[ord(symbol)] = char
    replace: dict[str, str] = {}
    symbols = []
    for i, (symbol, word) in enumerate(data["symbols"]["words"].items()):
        replace[f"sym{i}"] = word
        w = re.escape(word)
        sym = re.escape(symbol)
        symbols.append(f"(?P<sym{i}>{w}\\s*{sym}(?:\\s*{w})?|{sym}(?:\\s*{w})?)")
    pinyin = sorted(data["pinyin"], key=len, reverse=True)
    syllables = "|".join(map(re.escape, pinyin))
    homophones = sorted(data["homophones"], key=len, reverse=True)
    base = (
        "|".join(symbols),
        NUMERALS,
        # a syllable may stand apart by one space (信 jiao 人员): the spaces go with it
        f"[{CJK}](?P<pinyin> ?(?:{syllables})(?![a-z0-9ü])(?: (?=[{CJK}]))?)"
        # or at the start of a word, right before a Chinese character (shao数民族, yg携带者)
        f"|(?<![a-z0-9ü])(?P<pinyin_left>(?:{syllables}))(?=[{CJK}])",
        f"(?P<homophone>{'|'.join(map(re.escape, homophones))})"
        # a label and its value joined by a long dash (婚否——未婚) read as by a colon
        f"|(?<=[{CJK}])(?P<colon> ?-{{2,}} ?)(?=[{CJK}0-9])"
        # a label in brackets (【民族】汉) read as one with a colon (民族:汉)
        f"|(?P<label_open>【)(?=[{CJK}]{{1,8}}】)|(?<=[{CJK}])(?P<label_close>】)",
    )
    english = []
    needs: dict[str, tuple[int, ...]] = {}
    for i, item in enumerate(data["english"]):
        try:
            pattern = re.compile(str(item["pattern"]).replace("{N}", _AGE))
        except re.error as exc:
            raise ValueError(f"{path}: [[english]] {i}: bad regular expression ({exc})") from None
        when = str(item.get("when", "")).split()
        if not when:
            raise ValueError(f"{path}: [[english]] {i}: give the words it needs in `when`")
        english.append((pattern, str(item["replace"])))
        for word in when:
            needs[word] = (*needs.get(word, ()), i)
    replace.update({k.lower(): v for k, v in data["pinyin"].items()})
    replace.update(data["homophones"])
    symbol_chars = re.escape("".join(data["symbols"]["words"]))
    return _Tables(
        chars,
        re.compile(f"[{symbol_chars}]"),
        base,
        frozenset(k.lower() for k in data["pinyin"]),
        tuple(english),
        replace,
        needs,
    )


def _char_table() -> dict[int, str]:
    """One character for one over the Basic Multilingual Plane: NFKC when that gives one
    character (full width to half width), dashes to ``-``, tildes to ``~``, lower case."""
    table: dict[int, str] = {}
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000:
            continue
        ch = chr(code)
        mapped = _FIXED.get(ch)
        if mapped is None:
            folded = unicodedata.normalize("NFKC", ch).lower()
            # circled and other "No" numbers (⑥, ²) are list markers, not digits of a number
            keep = len(folded) != 1 or unicodedata.category(ch) == "No"
            mapped = ch if keep else folded
        if mapped != ch:
            table[code] = mapped
    return table


def normalise(text: str) -> str:
    """The first step of :func:`fold`, which keeps the length: each character mapped on its
    own (width, dashes, tildes, case, traditional characters, symbols for one character)."""
    return text.translate(tables().chars)


def fold(text: str) -> Folded:
    """``text`` as the rules read it; see the module's description."""
    t = tables()
    first = text.translate(t.chars)
    second, spaced = _rewrite(first, _edits(_SPACED, first, lambda m: ""))
    words = set(_WORD.findall(second))
    # a syllable stands alone between Chinese characters or spaces: it is a whole word
    pinyin = "ü" in second or not words.isdisjoint(t.syllables)
    numerals = NUMERAL_GATE.search(second) is not None
    phrases = _phrases(t.symbols.search(second) is not None, numerals, pinyin)
    edits = list(_edits(phrases, second, lambda m: _replacement(t, m)))
    # only the English phrases whose words occur in the text are looked for
    for i in sorted({i for w in words for i in t.needs.get(w, ())}):
        pattern, replace = t.english[i]
        edits += [(*m.span(), replace.format(**_given(m))) for m in pattern.finditer(second)]
    edits += table_edits(second)
    edits.sort(key=lambda e: e[0])  # stable: at one place the first phrase listed wins
    third, phrased = _rewrite(second, edits)
    return Folded(text, third, tuple(s for s in (spaced, phrased) if s is not None))


def _given(m: re.Match[str]) -> Mapping[str, Any]:
    return {k: v for k, v in m.groupdict().items() if v is not None}


def _replacement(t: _Tables, m: re.Match[str]) -> str:
    name = m.lastgroup or ""
    if name.startswith("num_"):
        return number(m.group())
    if name.startswith("sym"):
        return t.replace[name]
    if name in ("colon", "label_close"):
        return ":"
    if name == "label_open":
        return ""
    found = m.group(name) if name else m.group()
    return t.replace.get(found.strip(), found)
