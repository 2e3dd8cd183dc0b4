import re
from collections import Counter

import pytest

from matcher.errors import TaxonomyError
from matcher.taxonomy.majors import LEVELS, MAJOR_ALIASES, MajorCatalog, load_majors

UG = "undergraduate"
VOC = "vocational"


@pytest.fixture(scope="module")
def catalog() -> MajorCatalog:
    return load_majors()


def test_load_majors_is_cached(catalog):
    assert load_majors() is catalog


# --- counts and structure ---------------------------------------------------------------


def test_undergraduate_catalog_has_12_categories_and_the_93_classes(catalog):
    categories = catalog.categories(UG)
    assert categories == {
        "01": "哲学",
        "02": "经济学",
        "03": "法学",
        "04": "教育学",
        "05": "文学",
        "06": "历史学",
        "07": "理学",
        "08": "工学",
        "09": "农学",
        "10": "医学",
        "12": "管理学",
        "13": "艺术学",
    }
    classes = catalog.classes(UG)
    assert len(classes) >= 90
    per_category = Counter(c.category_code for c in classes)
    assert per_category["08"] == 32 and per_category["07"] == 12 and per_category["10"] == 11
    assert per_category["12"] == 9 and per_category["13"] == 5


def test_vocational_catalog_has_the_19_big_categories_41_to_59(catalog):
    categories = catalog.categories(VOC)
    assert sorted(categories) == [str(code) for code in range(41, 60)]
    assert categories["51"] == "电子与信息大类"
    assert categories["53"] == "财经商贸大类"
    assert categories["41"] == "农林牧渔大类"
    assert categories["59"] == "公共管理与服务大类"
    assert len(catalog.classes(VOC)) >= 95


def test_major_counts(catalog):
    assert len(catalog.majors(UG)) >= 300
    assert len(catalog.majors(VOC)) >= 200
    assert len(catalog.majors()) == len(catalog.majors(UG)) + len(catalog.majors(VOC))
    assert len(catalog.classes()) == len(catalog.classes(UG)) + len(catalog.classes(VOC))


def test_every_major_points_to_an_existing_class_of_its_own_level(catalog):
    classes = {(c.level, c.code): c for c in catalog.classes()}
    for major in catalog.majors():
        assert classes[(major.level, major.major_class.code)] == major.major_class
        assert major.code[:4] == major.major_class.code, major


def test_every_class_has_majors_families_and_skills(catalog):
    used = {m.major_class.code for m in catalog.majors()}
    for cls in catalog.classes():
        assert cls.code in used, f"{cls.code} {cls.name} has no major"
        assert 3 <= len(cls.families) <= 8, cls.code
        assert 5 <= len(cls.skills) <= 12, cls.code
        assert all(item.strip() for item in cls.families + cls.skills), cls.code
        assert cls.code.startswith(cls.category_code)
        assert cls.name.endswith("类")


@pytest.mark.parametrize("level", LEVELS)
def test_codes_and_names_are_unique_within_a_level(catalog, level):
    majors = catalog.majors(level)
    assert len({m.code for m in majors}) == len(majors)
    assert len({m.code[:6] for m in majors}) == len(majors)
    assert len({m.name for m in majors}) == len(majors)
    classes = catalog.classes(level)
    assert len({c.code for c in classes}) == len({c.name for c in classes}) == len(classes)


def test_code_formats(catalog):
    for major in catalog.majors():
        assert re.fullmatch(r"\d{6}[KT]{0,2}", major.code), major.code
    for cls in catalog.classes():
        assert re.fullmatch(r"\d{4}", cls.code)
        first = int(cls.code[:2])
        assert (first <= 13) if cls.level == UG else (41 <= first <= 59)


# --- known facts ------------------------------------------------------------------------


def test_software_engineering_is_080902_in_computer_class(catalog):
    major = catalog.lookup("080902")
    assert major is not None
    assert (major.level, major.name) == (UG, "软件工程")
    assert (major.major_class.code, major.major_class.name) == ("0809", "计算机类")
    assert (major.major_class.category_code, major.major_class.category_name) == ("08", "工学")
    assert "Java" in major.major_class.skills


def test_software_technology_is_vocational_510203(catalog):
    major = catalog.lookup("软件技术")
    assert major is not None
    assert (major.level, major.code) == (VOC, "510203")
    assert (major.major_class.code, major.major_class.name) == ("5102", "计算机类")
    assert major.major_class.category_name == "电子与信息大类"


@pytest.mark.parametrize(
    ("code", "name", "class_code"),
    [
        ("080901", "计算机科学与技术", "0809"),
        ("120203K", "会计学", "1202"),
        ("100201K", "临床医学", "1002"),
        ("050201", "英语", "0502"),
        ("081001", "土木工程", "0810"),
        ("080601", "电气工程及其自动化", "0806"),
        ("130502", "视觉传达设计", "1305"),
        ("510201", "计算机应用技术", "5102"),
        ("530302", "大数据与会计", "5303"),
        ("520201", "护理", "5202"),
        ("570102K", "学前教育", "5701"),
        ("460301", "机电一体化技术", "4603"),
    ],
)
def test_catalog_facts(catalog, code, name, class_code):
    major = catalog.lookup(code)
    assert major is not None
    assert (major.code, major.name, major.major_class.code) == (code, name, class_code)


# --- lookup rules -----------------------------------------------------------------------


def _code(catalog, text, level=None):
    major = catalog.lookup(text, level)
    return None if major is None else major.code


@pytest.mark.parametrize("text", ["120203K", "120203", "120203k", "１２０２０３K", "120203K会计学"])
def test_lookup_by_code_with_or_without_suffix_letters(catalog, text):
    assert _code(catalog, text) == "120203K"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("软件工程", "080902"),
        ("  软件工程\t", "080902"),
        ("会计学专业", "120203K"),
        ("计算机科学与技术（本科）", "080901"),
        ("计算机科学与技术(本科)", "080901"),
        ("计算机科学与技术【本科】", "080901"),
        ("软件技术(大专)", "510203"),
        ("软件技术（大专）", "510203"),
        ("软件技术（高职）", "510203"),
        ("软件工程（嵌入式方向）", "080902"),
        ("软件工程(嵌入式方向)", "080902"),
        ("软件工程方向", "080902"),
        ("软件工程嵌入式方向", "080902"),
        ("网络工程专业（本科）", "080903"),
        ("计算机科学与技术(大专", "080901"),  # unclosed note; only an undergraduate major
    ],
)
def test_lookup_tolerates_spaces_brackets_and_suffixes(catalog, text, code):
    assert _code(catalog, text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("学前教育", "040106"),
        ("学前教育（本科）", "040106"),
        ("学前教育（专科）", "570102K"),
        ("学前教育(大专)", "570102K"),
        ("临床医学", "100201K"),
        ("临床医学（高职）", "520101K"),
        ("电子商务", "120801"),
        ("电子商务【大专】", "530701"),
        ("市场营销（专科）", "530605"),
    ],
)
def test_names_in_both_catalogs_prefer_undergraduate_unless_the_note_says_otherwise(
    catalog, text, code
):
    assert _code(catalog, text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("计算机", "080901"),
        ("计科", "080901"),
        ("会计", "120203K"),
        ("英语专业", "050201"),
        ("临床", "100201K"),
        ("土木", "081001"),
        ("电气", "080601"),
        ("机械", "080202"),
        ("软件", "080902"),
        ("会计（大专）", "530302"),
        ("软件(专科)", "510203"),
        ("计算机（高职）", "510201"),
        ("财务管理", "120204"),
        ("财务管理（大专）", "530301"),
        ("护理", "520201"),  # an exact vocational name beats the alias to 护理学
        ("护理（本科）", "101101K"),
    ],
)
def test_informal_names_map_through_aliases(catalog, text, code):
    assert _code(catalog, text) == code


def test_every_alias_target_is_a_catalog_major(catalog):
    for alias, targets in MAJOR_ALIASES.items():
        assert any(targets), alias
        for level, target in zip(LEVELS, targets, strict=True):
            if target:
                major = catalog.lookup(target, level)
                assert major is not None and major.name == target, (alias, level, target)


def test_level_restricts_the_search(catalog):
    assert _code(catalog, "软件工程", UG) == "080902"
    assert catalog.lookup("软件工程", VOC) is None
    assert catalog.lookup("软件技术", UG) is None
    assert catalog.lookup("080902", VOC) is None
    assert _code(catalog, "学前教育", VOC) == "570102K"
    assert _code(catalog, "临床医学（本科）", VOC) == "520101K"
    assert _code(catalog, "计算机", VOC) == "510201"
    assert _code(catalog, "学前教育", "大专") == "570102K"
    assert all(m.level == VOC for m in catalog.majors("专科"))
    with pytest.raises(ValueError, match="unknown level"):
        catalog.lookup("软件工程", "master")


@pytest.mark.parametrize("text", ["", "   ", "量子炼金术", "xyz", "999999", "0809"])
def test_unknown_text_returns_none(catalog, text):
    assert catalog.lookup(text) is None


def test_resolve_returns_the_major_or_raises_with_close_names(catalog):
    assert catalog.resolve("软件工程（嵌入式方向）").code == "080902"
    with pytest.raises(TaxonomyError, match="计算机科学与技术") as err:
        catalog.resolve("计算机科学技术")
    assert "计算机科学技术" in str(err.value)
    with pytest.raises(TaxonomyError, match="软件技术"):
        catalog.resolve("软件技朮")
    with pytest.raises(TaxonomyError, match="vocational") as err:
        catalog.resolve("软件工程", VOC)
    assert "软件技术" in str(err.value)
    with pytest.raises(TaxonomyError, match="no similar"):
        catalog.resolve("量子炼金术")


# --- classes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "level", "code"),
    [
        ("计算机类", None, "0809"),
        ("计算机类（专科）", None, "5102"),
        ("计算机类", VOC, "5102"),
        ("0809", None, "0809"),
        ("5102", None, "5102"),
        ("财务会计类", None, "5303"),
        ("工商管理类", None, "1202"),
        ("软件工程", None, "0809"),
        ("软件技术(大专)", None, "5102"),
        ("会计", None, "1202"),
        ("会计学专业", None, "1202"),
        ("大数据与会计", None, "5303"),
        ("临床医学（专科）", None, "5201"),
    ],
)
def test_major_class_by_name_code_or_major(catalog, text, level, code):
    cls = catalog.major_class(text, level)
    assert cls is not None and cls.code == code


def test_major_class_unknown_or_out_of_level(catalog):
    assert catalog.major_class("0809", VOC) is None
    assert catalog.major_class("9999") is None
    assert catalog.major_class("量子炼金术类") is None
    assert catalog.major_class("量子炼金术") is None


def test_classes_and_majors_are_ordered_by_code(catalog):
    codes = [c.code for c in catalog.classes()]
    assert codes == sorted(codes)
    assert codes[0] == "0101" and codes[-1] == "5904"
    for level in LEVELS:
        major_codes = [m.code for m in catalog.majors(level)]
        assert major_codes == sorted(major_codes)
