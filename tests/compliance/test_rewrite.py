"""Issue #19, item 4: the neutral rewrite of a flagged posting. Screening the rewrite flags
nothing, over every phrasing the rules must flag and every flagged ad of the written
development set; the rewrite removes the flagged requirement and keeps the rest; the
confidence figure of the review queue."""

import json
from pathlib import Path

import pytest

from matcher.compliance.confidence import MEASURED, confidence, prior
from matcher.compliance.prescreen import prescreen
from matcher.compliance.rewrite import NEUTRAL, rewrite_posting, rewrite_text
from matcher.compliance.screen import CATEGORIES, default_rules

DEV = Path(__file__).resolve().parents[2] / "datasets" / "compliance" / "written-dev.jsonl"


def _still_flagged(records):
    rules = default_rules()
    out = []
    for record in records:
        if not rules.screen(record):
            continue
        done = rewrite_posting(record, rules)
        if done.remaining or rules.screen(done.fields):
            out.append((record.get("id"), done.fields, [f.match for f in done.remaining]))
    return out


def test_every_phrasing_the_rules_flag_rewrites_clean():
    rules = default_rules()
    records = [
        {"id": f"{rule.id}#{i}", "title": "岗位", "description": example}
        for rule in rules.rules
        for i, example in enumerate(rule.examples)
    ]
    assert sum(bool(rules.screen(r)) for r in records) > 300
    assert _still_flagged(records) == []


def test_every_flagged_ad_of_the_development_set_rewrites_clean():
    records = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line]
    assert sum(bool(default_rules().screen(r)) for r in records) > 100
    assert _still_flagged(records) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("出纳。要求：女，本地户口，有房产担保。", "出纳。要求：男女不限，户籍不限，有房产担保。"),
        ("保安。限汉族，退伍军人优先。", "保安。民族不限，退伍军人优先。"),
        (
            "普工。要求：本科以上学历、限男性、有驾照。",
            "普工。要求：本科以上学历、男女不限、有驾照。",
        ),
        ("物流专员。四川、贵州籍员工优先，东北人勿扰。", "物流专员。户籍不限。"),
        ("文员，月薪4000。要求：22-30岁，打字快。", "文员，月薪4000。要求：打字快。"),
        ("前台。要求：身高165cm以上，身材好，颜值高。月薪6000。", "前台。月薪6000。"),
        ("设计师。残疾人勿扰（工位在五楼）。", "设计师。"),
        ("店员，月薪5000，需交3000元保证金，离职退还。包吃住。", "店员，月薪5000。包吃住。"),
        ("招聘会计，两年经验，男女不限。", "招聘会计，两年经验，男女不限。"),
    ],
)
def test_the_flagged_requirement_goes_and_the_rest_stays(text, expected):
    assert rewrite_text(text, default_rules()) == expected


def test_a_title_keeps_its_words_but_the_flagged_ones():
    done = rewrite_posting({"title": "前台（限女性）", "description": "接待来访。"})
    assert done.fields == {"title": "前台", "description": "接待来访。"}
    assert done.remaining == []


def test_neutral_wording_is_not_repeated_and_never_flagged():
    rules = default_rules()
    for words in NEUTRAL.values():
        assert rules.screen_text(words) == []
    text = rewrite_text("司机。要求：男，男女不限者请勿投递以外，限男性。", rules)
    assert text.count("男女不限") <= 1 and rules.screen_text(text) == []


def test_prescreen_answers_flags_with_labels_and_a_clean_rewrite():
    answer = prescreen({"id": "d-1", "title": "保安", "description": "限男性，35岁以下。"})
    assert answer["publishable"] is False and answer["categories"] == ["gender", "age"]
    labels = {f["category"]: f["category_label"] for f in answer["flags"]}
    assert labels == {"gender": "性别", "age": "年龄"}
    assert all(f["match"] and f["basis"].startswith("《") and f["rewrite"] for f in answer["flags"])
    assert answer["rewritten"]["description"] == "男女不限。" and answer["rewritten_clean"]
    assert "性别" in answer["message_zh"]
    clean = prescreen({"title": "会计", "description": "负责账务。"})
    assert clean["publishable"] and clean["flags"] == [] and clean["message_zh"]


def test_confidence_combines_the_measured_precision_of_each_category():
    assert set(MEASURED) == set(CATEGORIES)
    assert all(0.5 < prior(c) < 1 for c in CATEGORIES)
    assert confidence([]) == 0.0
    one = confidence([{"category": "health"}])
    assert one == round(prior("health"), 4)
    assert confidence([{"category": "health"}, {"category": "health"}]) == one  # one category
    two = confidence([{"category": "health"}, {"category": "age"}])
    assert one < two < 1
    doubted = confidence([{"category": "health"}], {"health": 0.0})
    backed = confidence([{"category": "health"}], {"health": 1.0})
    assert doubted < one < backed <= 1
