import pytest

from matcher.errors import TaxonomyError
from matcher.taxonomy.regions import load_regions, short_area_name


@pytest.fixture(scope="module")
def regions():
    return load_regions()


@pytest.mark.parametrize(
    "text", ["重庆市渝北区", "渝北区", "渝北", "500112", "重庆渝北", " 渝北区 "]
)
def test_every_way_of_naming_yubei_resolves_to_its_code(regions, text):
    region = regions.resolve(text)
    assert (region.code, region.name, region.city, region.province) == (
        "500112",
        "渝北区",
        "重庆市",
        "重庆市",
    )


def test_chongqing_has_its_38_districts_and_counties(regions):
    districts = regions.chongqing_districts()
    assert len(districts) == 38
    assert sum(d.name.endswith("区") for d in districts) == 26
    assert {d.name for d in districts} >= {"渝中区", "万州区", "城口县", "彭水苗族土家族自治县"}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("石柱", "500240"),
        ("石柱土家族自治县", "500240"),
        ("秀山", "500241"),
        ("酉阳", "500242"),
        ("彭水", "500243"),
        ("开州", "500154"),
        ("大渡口", "500104"),
    ],
)
def test_short_names_of_counties_and_autonomous_counties(regions, text, code):
    assert regions.resolve(text).code == code


@pytest.mark.parametrize(
    ("text", "code", "zone"),
    [
        ("两江新区", "500112", "两江新区"),
        ("西部科学城重庆高新区", "500106", "西部科学城重庆高新区"),
        ("重庆高新区", "500106", "西部科学城重庆高新区"),
        ("重庆经开区", "500108", "重庆经济技术开发区"),
        ("万盛经开区", "500110", "万盛经济技术开发区"),
    ],
)
def test_functional_zones_resolve_to_their_main_district(regions, text, code, zone):
    region = regions.resolve(text)
    assert (region.code, region.zone) == (code, zone)


def test_zone_lists_the_districts_it_spans(regions):
    liangjiang = next(z for z in regions.zones() if z.name == "两江新区")
    assert set(liangjiang.covers) == {"500112", "500105", "500109"}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("观音桥街道", "500105"),
        ("南坪街道", "500108"),
        ("鱼复街道", "500236"),
        ("鱼复", "500236"),
        ("500108003", "500108"),
    ],
)
def test_towns_and_subdistricts_resolve_to_their_district(regions, text, code):
    assert regions.resolve(text).code == code
    assert regions.resolve(text).zone is None


def test_towns_of_a_district(regions):
    assert "观音桥街道" in regions.towns("500105")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("北京", "11"),
        ("上海市", "31"),
        ("深圳", "4403"),
        ("深圳市", "4403"),
        ("广州", "4401"),
        ("吉林市", "2202"),
        ("吉林", "22"),
        ("北京市朝阳区", "110105"),
        ("上海浦东新区", "310115"),
        ("四川省成都市武侯区", "510107"),
        ("南京鼓楼区", "320106"),
        ("50", "50"),
        ("5101", "5101"),
    ],
)
def test_other_provinces_and_cities(regions, text, code):
    assert regions.resolve(text).code == code


def test_within_narrows_an_ambiguous_name(regions):
    assert regions.resolve("朝阳区", within="北京").code == "110105"
    assert regions.resolve("鼓楼区", within="福州").code == "350102"


def test_ambiguous_name_outside_chongqing_lists_candidates(regions):
    with pytest.raises(TaxonomyError, match=r"ambiguous.*南京市鼓楼区"):
        regions.resolve("鼓楼区")


def test_chongqing_is_preferred_for_names_it_shares(regions):
    # 江北区 exists in Chongqing and Ningbo: the home province wins without context.
    assert regions.resolve("江北区").code == "500105"
    assert regions.resolve("江北区", within="宁波").code == "330205"


@pytest.mark.parametrize("text", ["火星区", "", "999999", "12345"])
def test_unknown_places_raise_with_a_hint(regions, text):
    with pytest.raises(TaxonomyError):
        regions.resolve(text)
    assert regions.try_resolve(text) is None


def test_short_area_name_keeps_two_character_names():
    assert short_area_name("渝北区") == "渝北"
    assert short_area_name("忠县") == "忠县"
    assert short_area_name("浦东新区") == "浦东"
