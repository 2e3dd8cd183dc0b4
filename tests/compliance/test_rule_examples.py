"""Issue #19: every rule in rules.toml carries texts it must flag (``examples``) and look-alikes it
must pass (``clean``); they run here, so a rule cannot drift from its own documentation. Each
flag cites the exact words of the text, however they were written (spaced out, traditional
characters, symbols, English, Chinese numerals)."""

import pytest

from matcher.compliance.normalise import fold
from matcher.compliance.screen import CATEGORIES, RuleSet

RULES = RuleSet.load()
BY_ID = {rule.id: rule for rule in RULES.rules}
EXAMPLES = [(rule.id, text) for rule in RULES.rules for text in rule.examples]
CLEAN = [(rule.id, text) for rule in RULES.rules for text in rule.clean]


@pytest.mark.parametrize(("rule_id", "text"), EXAMPLES)
def test_each_rule_flags_its_examples_citing_their_own_words(rule_id, text):
    flags = list(BY_ID[rule_id].findings(fold(text), "text"))
    assert flags, f"{rule_id} does not flag {text!r}"
    for flag in flags:
        assert text[flag.start : flag.end] == flag.match and flag.match.strip()
        assert flag.category == BY_ID[rule_id].category


@pytest.mark.parametrize(("rule_id", "text"), CLEAN)
def test_no_rule_of_the_category_flags_the_look_alikes(rule_id, text):
    category = BY_ID[rule_id].category
    assert [f for f in RULES.screen_text(text) if f.category == category] == []


def test_every_rule_has_examples_both_ways_and_every_category_is_covered():
    for rule in RULES.rules:
        assert len(rule.examples) >= 2, rule.id
        assert len(rule.clean) >= 2, rule.id
    assert {rule.category for rule in RULES.rules} == set(CATEGORIES)
    per_category = {
        c: sum(len(r.examples) for r in RULES.rules if r.category == c) for c in CATEGORIES
    }
    assert min(per_category.values()) >= 10, per_category


def test_every_rule_cites_the_law_of_its_category():
    for rule in RULES.rules:
        assert "《" in rule.basis and "条" in rule.basis, rule.id
    health = [r for r in RULES.rules if r.category == "health"]
    assert any("第三十条" in r.basis for r in health)  # carriers of infectious disease
    assert any("第二十九条" in r.basis for r in health)  # disabled people


@pytest.mark.parametrize(
    ("text", "category", "words"),
    [
        ("要求：女 性 优 先，吃苦耐劳", "gender", "女 性 优 先"),
        ("限本地戶籍，人品可靠", "hukou_region", "限本地戶籍"),
        ("限女 ♀，30岁以下", "gender", "限女 ♀"),
        ("Requirements: under 35, Han nationality only.", "ethnicity", "Han nationality only"),
        ("Requirements: under 35, Han nationality only.", "age", "under 35"),
        ("夜班巡逻，要求：卅五岁以下，能熬夜", "age", "卅五岁以下"),
        ("信jiao者勿扰", "religion", "信jiao者勿扰"),
        ("大小三羊勿扰", "health", "大小三羊勿扰"),
        ("🈲外地户口", "hukou_region", "🈲外地户口"),
        ("另：少 数 民 族 勿 扰。", "ethnicity", "少 数 民 族 勿 扰"),
    ],
)
def test_obfuscated_wording_is_cited_as_written(text, category, words):
    flags = [f for f in RULES.screen_text(text) if f.category == category]
    assert [f.match for f in flags] == [words]
