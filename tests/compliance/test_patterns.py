"""The one-pass scan for trigger words against brute force: every word present is found,
overlapping or nested in another, and each rule is woken exactly when one of its trigger words
is in the text."""

from __future__ import annotations

import random

from matcher.compliance.normalise import fold
from matcher.compliance.patterns import scanner, words_in
from matcher.compliance.screen import default_rules

WORDS = ["交", "交钱", "交费", "钱", "cm", "m", "身高", "高", "以上", "上岗", "a+", "+"]


def _present(text: str, words: list[str]) -> set[str]:
    return {w for w in words if w in text}


def _implied(found: set[str], words: list[str]) -> set[str]:
    """The words found and the shorter words each one starts with."""
    return {w for w in words for f in found if f.startswith(w)}


def test_every_word_present_is_found_even_overlapping_or_nested() -> None:
    scan = scanner(WORDS)
    assert words_in("先交钱再量身高180cm以上岗", scan) == {
        "交钱",
        "钱",
        "身高",
        "高",
        "cm",
        "m",
        "以上",
        "上岗",
    }
    alphabet = "交钱费身高以上岗cm+a 的"
    chance = random.Random(7)
    for _ in range(2000):
        text = "".join(chance.choice(alphabet) for _ in range(chance.randint(0, 14)))
        assert _implied(words_in(text, scan), WORDS) == _present(text, WORDS), text


def test_the_shipped_rules_wake_exactly_the_rules_whose_triggers_occur() -> None:
    rules = default_rules()
    texts = [t for r in rules.rules for t in (*r.examples, *r.clean)]
    texts += ["本科及以上学历，身高165cm以上，交通补贴", "招聘Java开发，五险一金"]
    assert rules._scan is not None
    for text in texts:
        folded = fold(text).text
        woken = {r.id for w in words_in(folded, rules._scan) for r in rules._woken[w]}
        expected = {r.id for r in rules.rules if r.triggers and r.triggers.search(folded)}
        assert woken == expected, text
