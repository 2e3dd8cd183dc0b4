"""Chongqing geography for generation: the 38 districts and counties weighted by the size of
their job market, pay tiers, functional zones, and town names."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from matcher.datasets.sampling import Weighted
from matcher.taxonomy.regions import load_regions, short_area_name

#: Relative share of job postings, roughly following each area's GDP and employment, with
#: the central districts weighted up (that is where most employers recruit).
DISTRICT_WEIGHTS: dict[str, float] = {
    "渝北区": 14,
    "九龙坡区": 10,
    "江北区": 9,
    "渝中区": 9,
    "沙坪坝区": 7.5,
    "南岸区": 6.5,
    "巴南区": 4,
    "北碚区": 3.5,
    "大渡口区": 1.6,
    "江津区": 3,
    "永川区": 3,
    "涪陵区": 3,
    "万州区": 3.2,
    "合川区": 2.2,
    "璧山区": 2.2,
    "长寿区": 1.8,
    "大足区": 1.6,
    "荣昌区": 1.4,
    "铜梁区": 1.3,
    "綦江区": 1.3,
    "潼南区": 1.0,
    "南川区": 0.8,
    "开州区": 1.0,
    "梁平区": 0.9,
    "垫江县": 0.8,
    "黔江区": 0.7,
    "忠县": 0.6,
    "丰都县": 0.5,
    "云阳县": 0.6,
    "奉节县": 0.5,
    "武隆区": 0.45,
    "石柱土家族自治县": 0.4,
    "秀山土家族苗族自治县": 0.45,
    "酉阳土家族苗族自治县": 0.35,
    "彭水苗族土家族自治县": 0.35,
    "巫山县": 0.35,
    "巫溪县": 0.3,
    "城口县": 0.3,
}

#: 主城 (central) districts pay most; 主城新区 (the metropolitan ring) a little less; the
#: counties of north-east and south-east Chongqing least.
CENTRAL = frozenset(
    {"渝中区", "江北区", "渝北区", "九龙坡区", "沙坪坝区", "南岸区", "大渡口区", "北碚区", "巴南区"}
)
RING = frozenset(
    {
        "涪陵区",
        "长寿区",
        "江津区",
        "合川区",
        "永川区",
        "南川区",
        "綦江区",
        "大足区",
        "璧山区",
        "铜梁区",
        "潼南区",
        "荣昌区",
    }
)

#: The functional zones written in ads instead of a district, with relative shares.
ZONE_WEIGHTS: dict[str, float] = {"两江新区": 5, "西部科学城重庆高新区": 3, "重庆经济技术开发区": 2}
ZONE_SHARE = 0.08  # share of postings that give a zone
CODE_SHARE = 0.05  # share of postings that give a 6-digit division code


@dataclass(frozen=True, slots=True)
class District:
    code: str
    name: str
    short: str
    pay: float  # salary factor
    towns: tuple[str, ...]  # towns and sub-districts (街道, 镇, 乡)
    zones: tuple[str, ...]  # functional zones that cover it


@dataclass(frozen=True, slots=True)
class Geography:
    districts: tuple[District, ...]
    by_name: dict[str, District]
    economic: Weighted[District]  # where companies are
    rural: Weighted[District]  # where grassroots posts are (flatter, counties weighted up)
    zone_odds: dict[str, float]  # district name → probability to write a covering zone


def _pay(name: str) -> float:
    return 1.0 if name in CENTRAL else 0.88 if name in RING else 0.8


@cache
def geography() -> Geography:
    catalog = load_regions()
    zones = {z.name: z for z in catalog.zones() if z.name in ZONE_WEIGHTS}
    districts = []
    for region in catalog.chongqing_districts():
        covering = tuple(n for n, z in zones.items() if region.code in z.covers)
        towns = tuple(catalog.towns(region.code))
        districts.append(
            District(
                region.code,
                region.name,
                short_area_name(region.name),
                _pay(region.name),
                towns,
                covering,
            )
        )
    if {d.name for d in districts} != set(DISTRICT_WEIGHTS):
        raise RuntimeError("district weights do not match the Chongqing division list")
    economic = Weighted([(d, DISTRICT_WEIGHTS[d.name]) for d in districts])
    rural = Weighted([(d, 1.0 if d.name not in CENTRAL else 0.4) for d in districts])
    # Choose per-district odds so that about ZONE_SHARE of all postings carry a zone.
    covered = sum(economic.share(d) for d in districts if d.zones)
    odds = {d.name: min(1.0, ZONE_SHARE / covered) for d in districts if d.zones}
    return Geography(tuple(districts), {d.name: d for d in districts}, economic, rural, odds)


def zone_for(district: District, r: float) -> str:
    """One of the zones covering ``district`` (weighted), chosen by ``r`` in [0, 1)."""
    total = sum(ZONE_WEIGHTS[z] for z in district.zones)
    acc = 0.0
    for z in district.zones:
        acc += ZONE_WEIGHTS[z] / total
        if r < acc:
            return z
    return district.zones[-1]
