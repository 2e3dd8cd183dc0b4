import pytest

from matcher.errors import TaxonomyError
from matcher.taxonomy.industries import load_industries


@pytest.fixture(scope="module")
def industries():
    return load_industries()


def test_catalog_has_20_sections_and_97_divisions(industries):
    assert len(industries.sections()) == 20
    assert len(industries.divisions()) == 97
    assert [d.code for d in industries.divisions("I")] == ["63", "64", "65"]


@pytest.mark.parametrize(
    ("code", "name", "level"),
    [
        ("I", "信息传输、软件和信息技术服务业", 1),
        ("65", "软件和信息技术服务业", 2),
        ("651", "软件开发", 3),
        ("0111", "稻谷种植", 4),
        ("i", "信息传输、软件和信息技术服务业", 1),
    ],
)
def test_get_by_code_at_every_level(industries, code, name, level):
    item = industries.get(code)
    assert (item.name, item.level) == (name, level)


def test_names_are_trimmed_and_found_exactly(industries):
    assert industries.lookup("烟草制品业").code == "16"
    assert industries.lookup("软件和信息技术服务业").code == "65"


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("计算机软件", "65"),
        ("互联网/电子商务", "64"),
        ("银行", "66"),
        ("保险", "68"),
        ("IT服务(系统/数据/维护),计算机硬件,计算机软件", "65"),
        ("电子技术/半导体/集成电路", "39"),
        ("教育/培训/院校", "83"),
        ("物流/仓储", "59"),
        ("汽车/摩托车", "36"),
        ("金融", "J"),
    ],
)
def test_job_site_labels_map_to_the_standard(industries, label, code):
    assert industries.lookup(label).code == code


def test_section_of_a_division(industries):
    assert industries.section_of(industries.get("36")).name == "制造业"


def test_unknown_industry(industries):
    assert industries.lookup("不存在的行业xyz") is None
    assert industries.lookup("") is None
    with pytest.raises(TaxonomyError, match="GB/T 4754"):
        industries.resolve("不存在的行业xyz")
    with pytest.raises(TaxonomyError):
        industries.get("99")
