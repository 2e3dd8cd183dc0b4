"""Text handling: normalisation, word segmentation (jieba), and the text of a record that gets
embedded. Postings and profiles are rendered differently: a posting leads with its title and
required skills, a profile with the major and skills, so that both meet in the same space."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

_SPACE = re.compile(r"\s+")
_NOISE = re.compile(r"^(职位描述|岗位职责|工作职责|职位信息)[:：]?")
#: Characters of a posting description that are embedded (after the title, majors, skills).
DESCRIPTION_CHARS = 400
BIO_CHARS = 300


def normalise(text: str | None) -> str:
    """NFKC (full-width letters and digits to half-width), whitespace collapsed, trimmed."""
    if not text:
        return ""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def _join(items: Iterable[Any]) -> str:
    return "、".join(str(x) for x in items if x)


def position_text(record: Mapping[str, Any]) -> str:
    """The text of a posting that is embedded: title, majors, skills, then the description."""
    parts = [normalise(record.get("title"))]
    if record.get("majors"):
        parts.append("专业：" + _join(record["majors"]))
    if record.get("skills"):
        parts.append("技能：" + _join(record["skills"]))
    description = _NOISE.sub("", normalise(record.get("description")))
    if description:
        parts.append(description[:DESCRIPTION_CHARS])
    return "。".join(p for p in parts if p)


def graduate_text(record: Mapping[str, Any]) -> str:
    """The text of a graduate profile that is embedded: major, skills, then the bio."""
    parts = []
    major = normalise(record.get("major"))
    if major:
        klass = record.get("major_class")
        parts.append(f"{major}专业" + (f"（{klass}）" if klass else ""))
    if record.get("skills"):
        parts.append("技能：" + _join(record["skills"]))
    bio = normalise(record.get("bio"))
    if bio:
        parts.append(bio[:BIO_CHARS])
    return "。".join(parts)


@cache
def segmenter() -> Any:
    """jieba, the Chinese word segmenter (the only place that imports it), quiet and loaded."""
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    return jieba


_WORD = re.compile(r"[\w+#.]*\w[\w+#.]*", re.UNICODE)
_STOP = frozenset(
    """的 了 和 与 及 或 等 在 是 有 对 为 能 将 并 以 中 上 下
    及其 以上 优先 相关 负责 工作""".split()
)


def tokenize(text: str) -> list[str]:
    """Words for lexical search: jieba segmentation, lower-cased Latin words kept whole
    (``Spring``, ``C++``, ``Node.js``), punctuation and a few function words dropped."""
    words = []
    for token in segmenter().lcut(normalise(text).lower(), HMM=False):
        token = token.strip()
        if token and _WORD.fullmatch(token) and token not in _STOP:
            words.append(token)
    return words
