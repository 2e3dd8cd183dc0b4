"""A neutral rewrite of a flagged posting (issue #19, item 4): each flagged wording is removed
with the requirement it belongs to, or replaced by the category's neutral wording (男女不限,
户籍不限, 民族不限), and the text is screened again until nothing is flagged.

The unit removed around a flag is the requirement that holds it: the clause between two
punctuation marks (，。；：！？【】 and line breaks; a parenthesis stays whole, so a
justification goes with its requirement), narrowed to the listed items it touches (、 / or
spaces: 本科以上学历、限男性、有驾照 keeps the other two) with the short members of the group
named after them (四川、贵州籍员工优先); a fee takes the rest of its sentence (…押金，满一年
退还). A header the flag starts with stays (要求：女 → 要求：男女不限) unless it names what is
asked (身高：165以上). A title keeps its words but the flagged ones, and is left empty when
nothing but symbols remains. Punctuation left dangling is tidied away."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from matcher.compliance.screen import SCREENED_FIELDS, Flag, RuleSet, default_rules

#: What replaces a removed requirement of these categories (once a text, and not where the
#: text already says it in words of its own).
NEUTRAL = {"gender": "男女不限", "hukou_region": "户籍不限", "ethnicity": "民族不限"}
_SAID = {
    "gender": re.compile(r"男女|性别不限"),
    "hukou_region": re.compile(r"户籍不限|不限户籍|户口不限"),
    "ethnicity": re.compile(r"民族不限|不限民族"),
}
#: Categories whose flagged clause takes the rest of its sentence with it (押金…，满一年退还).
_TAIL = frozenset({"fees_fraud"})
#: How many rounds of screening and rewriting at most (a removal may bring a look-alike next
#: to a flagged word, or uncover a finding an exception had hidden).
ROUNDS = 4
_SENTENCE = set("。；;！!？?\n\r")
_CLAUSE = _SENTENCE | set("，,：:【】")  # 【要求】 heads a section
_ITEM = set("、/ \t\u3000")
_OPEN, _CLOSE = "（([", "）)]"
_SHORT = 4  # a list member this short may belong to the group named after it (四川、贵州籍)
_WORD = re.compile(r"[^\W\d_]")
_DEMAND = re.compile(r"[有无会能持需要限不可具熟懂善精]")
_TOPIC = re.compile(
    r"年龄|岁|身高|体重|性别|[男女]|民族|[族户籍婚育孕]|宗教|信仰|健康|病|相貌|外貌|长相|形象|五官|"
    r"纹身|属相|生肖|(?i:age|height|weight|gender|sex)"
)
_HEADER = re.compile(r"[^，,。；;！!？?\n：:]{0,8}[：:]\s*")
_DANGLING = re.compile(
    r"(^|[。；;！!？?\n，,])[^，,。；;！!？?\n：:]{0,10}[：:]"
    r"[ \t\u3000、，,；;]*(?=[。；;！!？?]|$)"
)
_TIDY = [
    (_DANGLING, r"\1"),  # a header left with nothing after it (要求：。)
    (re.compile(r"[（(【\[]\s*[）)】\]]"), ""),  # emptied brackets
    (re.compile(r"[ \t\u3000]*([、，,；;])(?:[ \t\u3000]*[、，,；;])+"), r"\1"),  # ，，
    (re.compile(r"[、，,；;：:\s]+([。！？!?])"), r"\1"),  # ，。 and 要求：。
    (re.compile(r"([。！？!?\n])[ \t\u3000]*[、，,；;]+"), r"\1"),  # 。，
    (re.compile(r"([（(【\[：:])[ \t\u3000]*[、，,；;]+"), r"\1"),  # （， and ：，
    (re.compile(r"[ \t\u3000]*[、，,；;]+[ \t\u3000]*([）)】\]])"), r"\1"),  # ，）
    (re.compile(r"([。！？!?])[。！？!?]+"), r"\1"),  # 。。
    (re.compile(r"[ \t\u3000]{2,}"), " "),
    (re.compile(r"\n[ \t\u3000]*(?=\n)"), ""),  # emptied lines
]


@dataclass(frozen=True)
class Rewritten:
    """The rewritten screened fields of a posting and what the rules still flag in them
    (nothing, unless the rewrite gave up after ``ROUNDS``)."""

    fields: dict[str, str]
    remaining: list[Flag]


def rewrite_posting(record: Mapping[str, Any], rules: RuleSet | None = None) -> Rewritten:
    """The screened text fields of ``record`` (those it has) rewritten neutrally."""
    rules = rules or default_rules()
    fields = {f: record[f] for f in SCREENED_FIELDS if isinstance(record.get(f), str)}
    for name in list(fields):
        fields[name] = rewrite_text(fields[name], rules, title=name == "title", field=name)
        if not _WORD.search(fields[name]):  # nothing but symbols and figures left
            fields[name] = ""
    remaining = rules.screen(fields)
    return Rewritten(fields, remaining)


def rewrite_text(text: str, rules: RuleSet, *, title: bool = False, field: str = "text") -> str:
    """``text`` with every flagged wording removed or neutralised; screened again after each
    round. A wording still flagged after the rounds is cut out with its whole sentence."""
    for round_ in range(ROUNDS + 1):
        flags = rules.screen_text(text, field)
        if not flags:
            return text
        if round_ == ROUNDS:  # last resort: the sentences that hold what is still flagged
            return _tidy(_splice(text, [(_sentence(text, f), "") for f in flags]))
        text = _tidy(_splice(text, _edits(text, flags, title)))
    return text  # pragma: no cover - the loop returns


def _edits(text: str, flags: Sequence[Flag], title: bool) -> list[tuple[tuple[int, int], str]]:
    """(span, replacement) for each flag: what to remove, and the neutral wording to put there
    (the first time a category's is needed)."""
    edits = []
    present = {c for c, said in _SAID.items() if said.search(text)}
    for flag in sorted(flags, key=lambda f: f.start):
        start, end = _trimmed(text, flag.start, flag.end)
        span = (start, end) if title else _unit(text, start, end, flag.category in _TAIL)
        words = ""
        if not title and flag.category in NEUTRAL and flag.category not in present:
            present.add(flag.category)
            words = NEUTRAL[flag.category]
        edits.append((span, words))
    return edits


def _splice(text: str, edits: Sequence[tuple[tuple[int, int], str]]) -> str:
    """``text`` with the spans replaced; overlapping spans are merged (their words joined)."""
    merged: list[tuple[int, int, list[str]]] = []
    for (start, end), words in sorted(edits):
        if merged and start <= merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2] + [words] if words else last[2])
        else:
            merged.append((start, end, [words] if words else []))
    out, at = [], 0
    for start, end, said in merged:
        out.append(text[at:start])
        replacement = "，".join(said)
        if not replacement:  # the separator after a removed unit goes with it
            while end < len(text) and text[end] in "，,、；; \t\u3000":
                end += 1
        out.append(replacement)
        at = end
    out.append(text[at:])
    return "".join(out)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The flagged span without a header it begins with (要求：女 → 女), unless the header
    names what is asked (身高：165以上, 民族：汉)."""
    header = _HEADER.match(text, start, end)
    if header and header.end() < end and not _TOPIC.search(header.group()):
        start = header.end()
    return start, end


def _bounds(text: str, start: int, end: int, stops: set[str]) -> tuple[int, int]:
    """The span around [start, end) up to (not over) the nearest characters in ``stops``
    outside brackets: a parenthesis stays whole."""
    lo = start
    while lo > 0 and text[lo - 1] not in stops:
        lo = _skip(text, lo - 1, -1)
    hi = end
    while hi < len(text) and text[hi] not in stops:
        hi = _skip(text, hi, 1) + 1
    return lo, hi


def _skip(text: str, at: int, step: int) -> int:
    """Where the bracket at ``at`` closes (scanning by ``step``); ``at`` itself otherwise."""
    into, out = (_OPEN, _CLOSE) if step > 0 else (_CLOSE, _OPEN)
    if text[at] not in into:
        return at
    depth, i = 0, at
    while 0 <= i < len(text):
        if text[i] in into:
            depth += 1
        elif text[i] in out:
            depth -= 1
            if depth == 0:
                return i
        i += step
    return at  # unbalanced: the bracket is a character like any other


def _unit(text: str, start: int, end: int, tail: bool) -> tuple[int, int]:
    """The requirement around a flagged span: its clause, or the listed items of the clause it
    touches with the short members of their group before them; with ``tail`` the rest of its
    sentence too; a header it ends (加微：…) with what the header introduces."""
    lo, hi = _bounds(text, start, end, _CLAUSE)
    items = _items(text, lo, hi)
    touched = [i for i, (a, b) in enumerate(items) if a < end and b > start]
    if touched:
        first, last = touched[0], touched[-1]
        while first > 0 and _grouped(text, items[first - 1], items[first]):
            first -= 1
        lo, hi = items[first][0], items[last][1]
    if len(text[lo:hi]) > 2 * (end - start) + 24:  # a long run-on clause: the words only
        lo, hi = start, end
    if hi < len(text) and text[hi] in "：:":
        hi = _bounds(text, hi + 1, hi + 1, _CLAUSE)[1]
    if tail:
        hi = max(hi, _bounds(text, start, end, _SENTENCE)[1])
    return lo, hi


def _items(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Spans of the listed items between lo and hi (split at 、 / and spaces outside
    brackets)."""
    out, at, i = [], lo, lo
    while i <= hi:
        if i == hi or text[i] in _ITEM:
            if i > at:
                out.append((at, i))
            at = i + 1
        elif text[i] in _OPEN:
            i = min(_skip(text, i, 1), hi - 1)
        i += 1
    return out


def _grouped(text: str, item: tuple[int, int], beside: tuple[int, int]) -> bool:
    """Whether a listed item is a short member of the group named after it (四川、贵州籍),
    not a requirement of its own (有驾照、会开车)."""
    words = text[item[0] : item[1]].strip()
    between = text[item[1] : beside[0]].strip()
    return len(words) <= _SHORT and between in ("、", "/") and not _DEMAND.match(words)


def _sentence(text: str, flag: Flag) -> tuple[int, int]:
    return _bounds(text, flag.start, flag.end, _SENTENCE)


def _tidy(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        for pattern, replacement in _TIDY:
            text = pattern.sub(replacement, text)
        text = re.sub(r"^[\s、，,；;：:。]+", "", text)
        text = re.sub(r"[\s、，,；;：:]+$", "", text)
    return text
