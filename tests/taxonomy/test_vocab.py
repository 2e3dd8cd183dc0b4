import pytest

from matcher.taxonomy.vocab import (
    DEGREE_ORDER,
    KIND_LABELS,
    SUPPORT_LABELS,
    Degree,
    PositionKind,
    SupportFlag,
    degree_rank,
    parse_degree,
)


def test_degree_order():
    assert [d.value for d in DEGREE_ORDER] == ["中专", "大专", "本科", "硕士", "博士"]
    assert degree_rank(Degree.DAZHUAN) < degree_rank(Degree.BENKE) < degree_rank(Degree.BOSHI)


@pytest.mark.parametrize(
    ("text", "degree"),
    [
        ("本科", Degree.BENKE),
        ("本科及以上", Degree.BENKE),
        ("大专以上学历", Degree.DAZHUAN),
        ("专科", Degree.DAZHUAN),
        ("高职", Degree.DAZHUAN),
        ("硕士研究生", Degree.SHUOSHI),
        ("研究生", Degree.SHUOSHI),
        ("博士", Degree.BOSHI),
        ("中专", Degree.ZHONGZHUAN),
        ("不限", None),
        ("学历不限", None),
    ],
)
def test_parse_degree_as_written_in_ads(text, degree):
    assert parse_degree(text) == degree


def test_parse_degree_rejects_unknown_text_naming_the_choices():
    with pytest.raises(ValueError, match="中专, 大专, 本科, 硕士, 博士"):
        parse_degree("小学")


def test_every_kind_and_support_flag_has_a_chinese_label():
    assert set(KIND_LABELS) == set(PositionKind)
    assert KIND_LABELS[PositionKind.TRAINEESHIP] == "见习"
    assert set(SUPPORT_LABELS) == set(SupportFlag)
    assert SUPPORT_LABELS[SupportFlag.ZERO_EMPLOYMENT_FAMILY] == "零就业家庭"
