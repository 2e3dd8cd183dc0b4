"""Skills and certificates found in résumé text, resolved against the skills vocabulary
(:mod:`matcher.taxonomy.skills`): any spelling of a term (``大学英语四级`` → ``CET-4``,
``CAD制图`` → ``AutoCAD``), the longest one where spellings overlap, Latin names as whole words
(``Java`` is not found in ``JavaScript``).

Where a term counts depends on its kind: certificates and tools wherever the graduate writes
about themself (not in course lists or the job they want); general skills in a skills
section, or in a sentence that claims them (熟悉, 掌握, 使用...); the shortest general words
(设计, 沟通, 英语) only as a whole item of a skills list."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from matcher.taxonomy.skills import SKILL, Term, load_skills

#: words that claim a skill in a sentence
CLAIMS = re.compile(
    r"熟悉|熟练|掌握|精通|擅长|能够|能熟练|会使用|具备|了解|使用|运用|利用|操作|取得|获得|通过|持有"
)
_ITEM_SPLIT = re.compile(r"[、,，;；:：/|()\s]+|及|和|与")
SHORT = 2  # general skills this short count only as whole items of a skills list


@dataclass(frozen=True, slots=True)
class Hit:
    term: Term
    start: int
    end: int


_LATIN = re.compile(r"[a-z0-9+#]")


@cache
def _index() -> dict[str, list[tuple[str, Term]]]:
    """First character → (spelling, term), longest spelling first (spellings folded)."""
    out: dict[str, list[tuple[str, Term]]] = {}
    for spelling, term in load_skills().spellings().items():
        out.setdefault(spelling[0], []).append((spelling, term))
    for candidates in out.values():
        candidates.sort(key=lambda c: len(c[0]), reverse=True)
    return out


def hits(line: str) -> Iterator[Hit]:
    """Every term written in ``line`` (spaces and brackets inside a spelling ignored:
    ``驾驶证(C1)``), the longest spelling
    where they overlap; a spelling that starts or ends with a Latin letter or digit must not
    continue a Latin word."""
    lower = unicodedata.normalize("NFKC", line).lower()
    kept = [i for i, c in enumerate(lower) if not c.isspace() and c not in "()[]（）:："]
    compact = "".join(lower[i] for i in kept)
    index = _index()
    i = 0
    while i < len(compact):
        for spelling, term in index.get(compact[i], ()):
            if not compact.startswith(spelling, i):
                continue
            start, end = kept[i], kept[i + len(spelling) - 1] + 1
            if _LATIN.match(spelling[0]) and start > 0 and _LATIN.match(lower[start - 1]):
                continue
            if _LATIN.match(spelling[-1]) and end < len(lower) and _LATIN.match(lower[end]):
                continue
            yield Hit(term, start, end)
            i += len(spelling) - 1
            break
        i += 1


def _items(line: str) -> set[str]:
    """The items of a list line, each without the claim word before it (熟悉钢琴 → 钢琴)."""
    return {CLAIMS.sub("", i).lower() for i in _ITEM_SPLIT.split(line) if i}


def terms_in(line: str, *, skills_section: bool) -> list[Term]:
    """The terms ``line`` claims, by the rules of the module."""
    claims = skills_section or CLAIMS.search(line) is not None
    items = _items(line) if skills_section else set()
    found: list[Term] = []
    for hit in hits(line):
        term = hit.term
        if term.kind == SKILL:
            written = line[hit.start : hit.end].lower()
            if len(written) <= SHORT and written not in items:
                continue
            if not claims:
                continue
        if term not in found:
            found.append(term)
    return found


def leftover(line: str) -> str:
    """What is left of a skills line once its terms and claim words are taken out."""
    text = unicodedata.normalize("NFKC", line).lower()
    for hit in sorted(hits(line), key=lambda h: h.start, reverse=True):
        text = text[: hit.start] + " " + text[hit.end :]
    text = CLAIMS.sub(" ", text)
    return re.sub(r"[\W_\d]+|等|证书|证|软件|办公|考试|级", "", text)
