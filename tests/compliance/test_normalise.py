"""Issue #19, part 1: text is normalised before the rules match it (width, traditional
characters, characters spaced apart, symbols, pinyin, English phrases, Chinese numerals), and
every span of the normalised text maps back to the exact words of the original."""

import random

import pytest

from matcher.compliance.normalise import fold, normalise, tables
from matcher.compliance.numerals import number


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        # width, dashes, case, traditional characters: one character for one
        ("年龄：２５ー３５岁，ＣＭ", "年龄:25-35岁,cm"),
        (
            "限本地戶籍，漢族，18-38歲，無宗教信仰，已婚已育優先",
            "限本地户籍,汉族,18-38岁,无宗教信仰,已婚已育优先",
        ),
        ("維吾爾族、藏族等少數民族人員不予考慮", "维吾尔族、藏族等少数民族人员不予考虑"),
        # characters spaced or split apart are joined; words written with spaces stay apart
        ("女 性 优 先", "女性优先"),
        ("限 * 男，仅 限 汉 族", "限男,仅限汉族"),
        ("形 象 好 气 质 佳", "形象好气质佳"),
        ("女\u200b性优先", "女性优先"),
        ("招聘 销售 专员", "招聘 销售 专员"),
        ("年龄 35岁~性别 不限", "年龄 35岁~性别 不限"),
        # symbols and emoji standing for words
        ("限女 ♀", "限女"),
        ("男♂优先", "男优先"),
        ("🈲外地户口", "禁外地户口"),
        ("不吃🐷的勿扰", "不吃猪肉的勿扰"),
        ("年龄≤35岁", "年龄不超过35岁"),
        # pinyin and homophones for the screened words, only next to Chinese characters
        ("信jiao者勿扰，无zong教信仰，仅限汉zu", "信教者勿扰,无宗教信仰,仅限汉族"),
        ("乙G携带者勿扰，大小三羊勿扰", "乙肝携带者勿扰,大小三阳勿扰"),
        ("熟悉java开发，5g网络，30min以内", "熟悉java开发,5g网络,30min以内"),
        # English phrasings
        ("male only", "仅限男性"),
        ("Girls only", "仅限女性"),
        ("boys preferred", "男性优先"),
        ("Requirements: male, height 175cm+", "requirements: 男, 身高175cm+"),
        ("under 35, Han nationality only", "35岁以下, 仅限汉族"),
        ("aged 20-30", "年龄20-30岁"),
        ("Local Chongqing hukou only.", "仅限本地户口."),
        ("no tattoos, slim figure, good looking", "无纹身, 身材好, 长相好看"),
        ("要求：single，能出差", "要求:未婚,能出差"),
        ("Male or female, any age", "男女不限, any age"),
        ("earn 800 a day, add my wechat", "日结800, 加微信"),
        # Chinese numerals before 岁, birth years and cohorts become digits
        ("二十至三十五岁", "20至35岁"),
        ("卅五岁以下", "35岁以下"),
        ("年龄在二十八周岁至三十五周岁之间", "年龄在28周岁至35周岁之间"),
        ("一九九〇年以后出生", "1990年以后出生"),
        ("九零后优先", "90后优先"),
        ("十分重要，三年内，五官端正", "十分重要,三年内,五官端正"),
    ],
)
def test_fold(text, folded):
    assert fold(text).text == folded


@pytest.mark.parametrize(
    "english",
    [
        "attractive salary and training provided",
        "3 years of experience, under 30 minutes from the metro",
        "a single page application with single sign-on",
        "over 20 stores in the city",
        "we build a young team",
    ],
)
def test_ordinary_english_is_left_alone(english):
    assert fold(english).text == english.lower()


@pytest.mark.parametrize(
    ("text", "found", "cited"),
    [
        ("要求：女 性 优 先。", "女性优先", "女 性 优 先"),
        ("要求：under 35, Han nationality only。", "35岁以下", "under 35"),
        ("要求：under 35, Han nationality only。", "仅限汉族", "Han nationality only"),
        ("要求：卅五岁以下", "35岁以下", "卅五岁以下"),
        ("限本地戶籍", "本地户籍", "本地戶籍"),
        ("男♂优先", "男优先", "男♂优先"),
        ("信jiao者勿扰", "教者", "jiao者"),
    ],
)
def test_a_match_maps_back_to_the_words_as_written(text, found, cited):
    folded = fold(text)
    start = folded.text.index(found)
    lo, hi = folded.span(start, start + len(found))
    assert text[lo:hi] == cited


def test_spans_stay_inside_the_text_and_keep_their_order():
    pieces = [
        "女 性",
        "限 * 男",
        "male only",
        "卅五岁",
        "戶籍",
        "♀",
        "jiao者",
        "，",
        "岗位",
        " ",
        "18-35岁",
    ]
    rng = random.Random(7)
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        folded = fold(text)
        ends = [folded.span(i, i + 1) for i in range(len(folded.text))]
        for lo, hi in ends:
            assert 0 <= lo < hi <= len(text)
        assert [lo for lo, _ in ends] == sorted(lo for lo, _ in ends)
        assert folded.span(0, len(folded.text)) == ((0, len(text)) if folded.text else (0, 0))


def test_the_first_step_keeps_the_length_for_callers_that_need_it():
    text = "年龄：２５ー３５岁，ＣＭ～⑥，戶籍"
    assert len(normalise(text)) == len(text)
    assert normalise(text) == "年龄:25-35岁,cm~⑥,户籍"


@pytest.mark.parametrize(
    ("numeral", "digits"),
    [
        ("二十", "20"),
        ("三十五", "35"),
        ("十八", "18"),
        ("卅五", "35"),
        ("廿", "20"),
        ("一九九〇", "1990"),
        ("零零", "00"),
        ("⑤⓪", "50"),
        ("❸❺", "35"),
    ],
)
def test_chinese_numerals(numeral, digits):
    assert number(numeral) == digits


def test_bad_tables_are_refused_naming_the_entry(tmp_path):
    text = (tables.__wrapped__.__defaults__[0]).read_text(encoding="utf-8")  # type: ignore[attr-defined]
    broken = tmp_path / "normalise.toml"
    broken.write_text(text.replace('pairs = """', 'pairs = """\n戶戶戶'), encoding="utf-8")
    with pytest.raises(ValueError, match=r"\[traditional\] pair '戶戶戶'"):
        tables.__wrapped__(broken)  # type: ignore[attr-defined]
    broken.write_text(text.replace('when = "hepatitis hep hbv hiv"', 'when = ""'), encoding="utf-8")
    with pytest.raises(ValueError, match=r"\[\[english\]\] \d+: give the words it needs"):
        tables.__wrapped__(broken)  # type: ignore[attr-defined]


def test_one_circled_digit_stays_a_list_marker_two_before_an_age_are_a_number():
    assert fold("①负责收银②⑤⓪岁以下").text == "①负责收银②50岁以下"
    assert fold("要求：①本科②三年经验").text == "要求:①本科②三年经验"
