"""The compliance screener (issue #7): phrasing families of every category are flagged with the
exact substring, look-alikes pass, rules load as data with clear errors, and the screener is
exact on the generated data set's planted phrases."""

import json
import re
from pathlib import Path

import pytest

from matcher.compliance.evaluate import evaluate_files, load_labels, score
from matcher.compliance.normalise import normalise
from matcher.compliance.screen import CATEGORIES, RULES_FILE, RuleSet, screen
from matcher.datasets import generate

FLAGGED = {
    "gender": [
        "限男性",
        "仅限女性",
        "男性优先",
        "只招男生",
        "只考虑女生",
        "男生更佳",
        "性别：女",
        "任职资格：1、女，形象好",
        "男士勿扰",
        "不招女性",
        "本岗位更适合男生",
        "身高男170cm女160cm",
        "招聘女性2名",
        "男35岁以下、女30岁以下",
    ],
    "age": [
        "18-30岁",
        "18至30周岁",
        "30岁以下",
        "不超过35岁",
        "年龄25~35",
        "25ー35岁",
        "年龄：25～35岁",
        "年龄20—32周岁",
        "年龄18―35岁",
        "35周岁（含）以下",
        "年龄在三十五岁以下",
        "限90后",
        "90后优先",
        "年龄超过35岁不考虑",
        "年龄从23岁到25岁",
        "18--30岁",
        "1990年以后出生",
        "超龄勿扰",
        "⑥18-28岁。",
    ],
    "hukou_region": [
        "本地户口优先",
        "需本地户口",
        "限重庆户籍",
        "仅限重庆生源",
        "招上海户口，谢谢配合",
        "上海本地户口优先考虑",
        "本地人优先",
        "籍贯：四川",
        "新疆籍勿扰",
        "外地农村户籍缴纳三险",
        "1、23-35岁，上海户籍，男女均可",
        "应聘者应具有北京市常住户口",
        "户籍所在地为重庆",
        "1、重庆籍，大专",
    ],
    "ethnicity": ["限汉族", "汉族优先", "民族：汉族", "不招少数民族", "维族勿扰"],
    "religion": ["无宗教信仰", "不接受有宗教信仰者", "宗教信仰者勿扰", "限基督徒"],
    "marriage_childbearing": [
        "已婚已育优先",
        "限未婚",
        "要求：1、未婚；2、大专",
        "三年内无生育计划",
        "已婚未育者勿扰",
        "婚否：已婚",
        "孕妇勿扰",
        "暂无生育计划",
        "需提供婚育证明",
    ],
    "health": [
        "乙肝携带者勿扰",
        "乙肝病毒携带者不予录用",
        "无乙肝",
        "HBV携带者不录用",
        "乙肝两对半检查必须正常",
        "无既往病史",
        "身体无残疾",
        "四肢健全",
    ],
    "appearance": [
        "身高160cm以上",
        "身高165CM 左右",
        "身高1.60以上",
        "五官端正",
        "相貌端正",
        "形象气质佳",
        "形象好，气质佳",
        "形象、品貌俱佳",
        "外表端庄大方",
        "长相甜美",
        "颜值高优先",
        "体健貌端",
    ],
    "fees_fraud": [
        "需交押金",
        "需缴纳押金500元",
        "入职需缴纳服装费200元",
        "先交培训费",
        "入职需交工牌押金300元",
        "报名需先交资料费100元",
        "交300元押金",
        "需交纳保证金",
        "培训费用自理",
        "本职位为招聘对日软件开发培训生，培训期限4~6个月",
        "学费可分期贷款",
        "刷单兼职，日结",
        "入职需交工服费100元",
    ],
}
CLEAN = [
    "男女不限",
    "性别：男女不限",
    "户籍不限",
    "提供子女医疗补助",
    "三八妇女节福利",
    "婚假、产假按国家规定执行",
    "生育礼金、婚育礼金",
    "女包",
    "女装设计经验优先",
    "欢迎女生",
    "联系人：王女士",
    "年满18周岁",
    "团队平均年龄25岁",
    "公司研发团队，年龄在25-35岁之间，大部分来自华为",
    "年轻人（19-25岁）使用率第一",
    "面向3-12岁儿童授课",
    "体检费报销30岁以下、35岁",
    "年龄不限",
    "民族不限",
    "依民族传统习俗发放过节福利",
    "我们不会以种族、宗教、性别、年龄、婚姻状况为由歧视任何人",
    "对未来有坚定信仰者优先",
    "优秀应届硕士可解决北京户口",
    "对于非天津户口候选人，我们提供额外的职位补助",
    "发展福利 1、深圳户口（公司为满足条件的员工提供集体户口）",
    "注明户口所在地",
    "食品行业需办理健康证",
    "入职体检合格，身体健康",
    "残疾人优先录取",
    "全程无需缴纳任何费用",
    "在招聘过程中不收取任何费用、押金等",
    "报销外部培训费用",
    "EMBA学费全额报销",
    "负责投标保证金的缴纳",
    "维护公司形象",
    "网店整体形象设计",
    "团队年轻、靠谱、颜值高",
    "空气质量预报",
    "单身宿舍",
    "有相关书籍者优先",
    "男女服务员各5名",
    "招聘管理培训生，培训期为一年，轮岗学习",
    "无户籍,性别限制",
    "男女均可，年满18周岁",
]


@pytest.mark.parametrize(
    ("category", "text"), [(c, t) for c, texts in FLAGGED.items() for t in texts]
)
def test_discriminatory_and_fee_phrasings_are_flagged(category, text):
    flags = RuleSet.load().screen_text(text)
    assert category in {f.category for f in flags}, flags


@pytest.mark.parametrize("text", CLEAN)
def test_look_alikes_pass(text):
    assert RuleSet.load().screen_text(text) == []


def test_a_flag_cites_the_exact_substring_basis_and_rewrite():
    description = "任职要求：１、年龄２０－３０岁；２、身高１６０ＣＭ以上"
    record = {"id": "p-1", "title": "前台", "description": description}
    flags = screen(record)
    assert [f.category for f in flags] == ["age", "appearance"]
    for flag in flags:
        assert record[flag.field][flag.start : flag.end] == flag.match
        assert flag.basis.startswith("《") and flag.rewrite
    assert flags[0].match == "年龄２０－３０岁" and flags[1].match == "身高１６０ＣＭ以上"
    assert "《就业促进法》" in flags[0].basis


def test_normalisation_keeps_offsets_and_folds_width_dashes_and_case():
    text = "年龄：２５ー３５岁，ＣＭ～⑥"
    folded = normalise(text)
    assert len(folded) == len(text)
    assert folded == "年龄:25-35岁,cm~⑥"


def test_every_category_has_rules_and_every_rule_names_its_basis():
    rules = RuleSet.load()
    assert {r.category for r in rules.rules} == set(CATEGORIES)
    assert all("《" in r.basis and r.rewrite for r in rules.rules)


def test_triggers_only_skip_rules_that_could_not_match(tmp_path):
    """Screening with the rules' trigger words gives the same flags as without them."""
    import tomllib

    data = tomllib.loads(RULES_FILE.read_text(encoding="utf-8"))
    for rule in data["rule"]:
        rule.pop("triggers", None)
    slow = RuleSet.from_dict(data)
    fast = RuleSet.load()
    texts = [t for texts in FLAGGED.values() for t in texts] + CLEAN
    texts += [t for rule in fast.rules for t in (*rule.examples, *rule.clean)]
    generate(tmp_path, scale=1500, seed=11, graduates=0)
    with (tmp_path / "positions.jsonl").open(encoding="utf-8") as handle:
        texts += [json.loads(line)["description"] for line in handle]
    for text in texts:
        assert fast.screen_text(text) == slow.screen_text(text), text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"category": "politics"}, "field category"),
        ({"patterns": ["(unclosed"]}, "bad regular expression"),
        ({"patterns": ["{NOPE}"]}, "unknown fragment {NOPE}"),
        ({"patterns": []}, "field patterns"),
        ({"basis": None}, "give a basis"),
    ],
)
def test_bad_rules_are_refused_naming_the_rule_and_field(change, message):
    rule = {"id": "r-1", "category": "age", "patterns": ["岁"], "basis": "b", "rewrite": "r"}
    rule.update(change)
    rule = {k: v for k, v in rule.items() if v is not None}
    with pytest.raises(ValueError, match=re.escape(message)) as info:
        RuleSet.from_dict({"rule": [rule]}, "test.toml")
    assert "rule 'r-1'" in str(info.value)


def test_duplicate_rule_ids_and_bad_toml_are_refused(tmp_path):
    rule = {"id": "r-1", "category": "age", "patterns": ["岁"], "basis": "b", "rewrite": "r"}
    with pytest.raises(ValueError, match="duplicate id"):
        RuleSet.from_dict({"rule": [rule, rule]})
    broken = tmp_path / "rules.toml"
    broken.write_text("[[rule]\nid = 1", encoding="utf-8")
    with pytest.raises(ValueError, match="not valid TOML"):
        RuleSet.load(broken)


def test_generated_data_set_is_screened_exactly(tmp_path):
    """Planted phrases are flagged with their category; look-alikes and every unlabelled
    generated posting stay clean."""
    generate(tmp_path, scale=6000, seed=5, graduates=0)
    labels = load_labels(tmp_path / "compliance_labels.jsonl")
    assert {c for lab in labels.values() for c in lab.flags} == set(CATEGORIES)
    predicted, gold = {}, {}
    with (tmp_path / "positions.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            posting = json.loads(line)
            flags = screen(posting)
            predicted[posting["id"]] = {f.category for f in flags}
            label = labels.get(posting["id"])
            gold[posting["id"]] = label.flags if label else frozenset()
            if label:
                for flag in flags:
                    assert flag.match in label.evidence.get(flag.category, flag.match)
    scores = score(gold, predicted)
    assert scores["overall"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert scores["n"] == 6000


def test_scores_count_pairs_per_category():
    gold = {"a": frozenset({"age"}), "b": frozenset(), "c": frozenset({"gender", "age"})}
    predicted = {"a": {"age"}, "b": {"age"}, "c": {"gender"}}
    scores = score(gold, predicted)
    assert scores["overall"] == {"precision": 0.6667, "recall": 0.6667, "f1": 0.6667}
    age = scores["per_category"]["age"]
    assert (age["tp"], age["fp"], age["fn"], age["precision"], age["recall"]) == (1, 1, 1, 0.5, 0.5)
    religion = scores["per_category"]["religion"]
    assert (religion["precision"], religion["recall"], religion["support"]) == (1.0, 1.0, 0)


def test_labels_file_errors_name_the_line_and_field(tmp_path):
    path = tmp_path / "labels.jsonl"
    path.write_text('{"id": "a", "flags": []}\n{"id": "b", "flags": ["politics"]}\n', "utf-8")
    with pytest.raises(ValueError, match=r"line 2: field flags: unknown categories \['politics'\]"):
        load_labels(path)
    path.write_text('{"flags": []}\n', "utf-8")
    with pytest.raises(ValueError, match="line 1: field id"):
        load_labels(path)
    with pytest.raises(FileNotFoundError):
        load_labels(tmp_path / "nope.jsonl")


def test_evaluation_needs_the_labelled_postings(tmp_path):
    labels = tmp_path / "labels.jsonl"
    labels.write_text('{"id": "x-1", "flags": []}\n', "utf-8")
    postings = tmp_path / "postings.jsonl"
    postings.write_text('{"id": "other", "title": "t"}\n', "utf-8")
    with pytest.raises(ValueError, match="--positions"):
        evaluate_files(labels, [postings])
    postings.write_text('{"id": "x-1", "title": "前台", "description": "限女性"}\n', "utf-8")
    scores, missing = evaluate_files(labels, [postings])
    assert missing == [] and scores["per_category"]["gender"]["fp"] == 1


def test_shipped_rules_file_is_package_data():
    assert RULES_FILE.is_file() and RULES_FILE.suffix == ".toml"
    assert Path(RULES_FILE).parent.name == "compliance"


def test_scam_split_between_title_and_description_is_flagged_in_the_title():
    """Implausible pay in the title and a private contact in the description are one scam: the
    flag cites the title's words; each field alone, or a plausible wage, stays clean."""
    scam = {"title": "🛵骑手日结900-1300", "description": "男女不限，私聊V：cq_ride77"}
    flags = screen(scam)
    assert [(f.category, f.field, f.match) for f in flags] == [
        ("fees_fraud", "title", "日结900-1300")
    ]
    assert scam["title"][flags[0].start : flags[0].end] == flags[0].match
    assert screen({"title": "骑手日结260", "description": "私聊V：cq_ride77"}) == []
    assert screen({"title": "骑手日结900-1300", "description": "到站点面试，五险"}) == []
    assert screen({"title": "", "description": "私聊V：cq_ride77"}) == []
