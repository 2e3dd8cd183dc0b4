"""The fast skill test agrees with a plain reference on random texts (issue 6)."""

from __future__ import annotations

import random
import re

from matcher.engine.features import contains

_LATIN = re.compile(r"[a-z][a-z0-9+#.]*")


def _reference(text: str, skill: str) -> bool:
    """Every occurrence checked by hand: no Latin letter or digit before, none (nor + or #)
    after."""
    if not skill:
        return False
    if not _LATIN.fullmatch(skill):
        return skill in text
    start = text.find(skill)
    while start >= 0:
        before = text[start - 1] if start else " "
        end = start + len(skill)
        after = text[end] if end < len(text) else " "
        if not (before.isascii() and before.isalnum()) and not (
            after.isascii() and (after.isalnum() or after in "+#")
        ):
            return True
        start = text.find(skill, start + 1)
    return False


def test_contains_matches_the_reference_on_random_texts():
    rng = random.Random(6)
    alphabet = "ajv+#. 0c中文go"
    skills = ["java", "go", "c++", "c#", "node.js", "vue", "python3", "中文", "a", ""]
    for _ in range(50_000):
        skill = rng.choice(skills)
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        assert contains(text, skill) == _reference(text, skill), (text, skill)


def test_whole_words_only_for_latin_skills():
    assert contains("熟悉java和spring", "java")
    assert not contains("熟悉javascript", "java")
    assert not contains("google", "go")
    assert contains("会用c++开发", "c++") and not contains("c++11", "c")
    assert contains("财务会计", "会计")


def test_one_search_over_many_texts_agrees_with_contains():
    """The ranking searches each term once in all candidates' texts joined (issue 6)."""
    from matcher.engine.features import contains
    from matcher.engine.scoring import _Joined

    texts = [
        "java开发 javascript",
        "javascript only",
        "c++ c# c",
        "",
        "golang go-zero",
        "会计 java",
    ]
    terms = ["java", "javascript", "c", "c++", "go", "golang", "会计", "开发", "x"]
    joined = _Joined(texts)
    for term in terms:
        assert joined.found(term).tolist() == [contains(t, term) for t in texts], term
