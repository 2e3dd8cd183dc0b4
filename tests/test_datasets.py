import datetime
import json
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from matcher.datasets import generate
from matcher.datasets.occupations import families
from matcher.datasets.places import CENTRAL
from matcher.datasets.plants import CATEGORIES, VIOLATION_PHRASES
from matcher.records.prepare import prepare
from matcher.taxonomy.credit_code import is_valid
from matcher.taxonomy.majors import load_majors
from matcher.taxonomy.regions import load_regions

SCALE = 5000
AS_OF = datetime.date(2026, 9, 1)
FILES = ("employers", "positions", "graduates", "trainings", "compliance_labels")
REMOTE = {
    "城口县",
    "巫溪县",
    "巫山县",
    "奉节县",
    "云阳县",
    "酉阳土家族苗族自治县",
    "彭水苗族土家族自治县",
    "石柱土家族自治县",
    "秀山土家族苗族自治县",
}
KINDS = {
    "full_time": 0.80,
    "traineeship": 0.11,
    "internship": 0.03,
    "grassroots": 0.025,
    "public_institution": 0.035,
}


def _read(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("demo")
    counts = generate(out, scale=SCALE, seed=0, as_of=AS_OF)
    loaded: dict[str, Any] = {name: _read(out / f"{name}.jsonl") for name in FILES}
    loaded["counts"] = counts
    return loaded


@pytest.fixture(scope="module")
def catalog():
    return load_majors()


def test_same_seed_gives_identical_files_and_another_seed_differs(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    assert generate(a, scale=2000, seed=3) == generate(b, scale=2000, seed=3)
    generate(c, scale=2000, seed=4)
    for name in FILES:
        assert (a / f"{name}.jsonl").read_bytes() == (b / f"{name}.jsonl").read_bytes(), name
    assert (a / "positions.jsonl").read_bytes() != (c / "positions.jsonl").read_bytes()
    assert (a / "graduates.jsonl").read_bytes() != (c / "graduates.jsonl").read_bytes()


def test_counts_match_files_and_defaults(data):
    counts = data["counts"]
    assert set(counts) == set(FILES)
    for name in FILES:
        assert counts[name] == len(data[name])
    assert counts["positions"] == SCALE
    assert counts["graduates"] == SCALE
    assert counts["trainings"] == max(20, SCALE // 500)
    assert SCALE // 20 <= counts["employers"] <= SCALE // 20 + 100


def test_graduates_count_override_and_output_folder_created(tmp_path):
    out = tmp_path / "nested" / "out"
    counts = generate(out, scale=2000, seed=1, graduates=300)
    assert counts["positions"] == 2000 and counts["graduates"] == 300
    assert counts["employers"] >= 100 and counts["trainings"] == 20
    assert len((out / "graduates.jsonl").read_text(encoding="utf-8").splitlines()) == 300


def test_bad_scale_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="scale"):
        generate(tmp_path, scale=-1)


def test_ids_are_unique_and_well_formed(data):
    patterns = {
        "employers": ("e-", 8),
        "positions": ("p-", 9),
        "graduates": ("g-", 9),
        "trainings": ("t-", 7),
    }
    for name, (prefix, length) in patterns.items():
        ids = [r["id"] for r in data[name]]
        assert len(set(ids)) == len(ids), name
        assert all(i.startswith(prefix) and len(i) == length for i in ids), name
    labelled = [r["id"] for r in data["compliance_labels"]]
    assert len(set(labelled)) == len(labelled)


def test_employers_have_valid_unique_credit_codes_and_real_industries(data):
    regions = load_regions()
    districts = {d.name for d in regions.chongqing_districts()}
    codes = [e["credit_code"] for e in data["employers"]]
    assert all(is_valid(c) for c in codes)
    assert len(set(codes)) == len(codes)
    assert len({e["name"] for e in data["employers"]}) == len(data["employers"])
    assert all(e["district"] in districts for e in data["employers"])
    prefixes = Counter(c[:2] for c in codes)
    assert prefixes["91"] > 0.7 * len(codes) and prefixes["12"] > 0
    names = " ".join(e["name"] for e in data["employers"])
    for word in ("有限公司", "支行", "人民医院", "服务中心", "学校"):
        assert word in names


def test_every_position_employer_exists(data):
    employers = {(e["name"], e["credit_code"]): e for e in data["employers"]}
    for p in data["positions"]:
        employer = employers[(p["employer"]["name"], p["employer"]["credit_code"])]
        assert p["industry"] == employer["industry"]


def test_kind_shares_are_near_targets(data):
    counts = Counter(p["kind"] for p in data["positions"])
    for kind, share in KINDS.items():
        assert abs(counts[kind] / SCALE - share) < max(0.02, share * 0.35), kind


def test_all_districts_zones_and_codes_appear(data):
    regions = load_regions()
    by_code = {d.code: d.name for d in regions.chongqing_districts()}
    zones = {z.name for z in regions.zones()}
    seen: Counter[str] = Counter()
    zone_count = code_count = 0
    for p in data["positions"]:
        loc = p["location"]
        if "code" in loc:
            code_count += 1
            seen[by_code[loc["code"]]] += 1
        elif loc["district"] in zones:
            zone_count += 1
            assert regions.resolve(loc["district"]).zone == loc["district"]
        else:
            assert loc["city"] == "重庆"
            seen[loc["district"]] += 1
    assert set(seen) == set(by_code.values())
    assert 0.03 < code_count / SCALE < 0.07
    assert 0.05 < zone_count / SCALE < 0.11
    assert seen["渝北区"] > seen["九龙坡区"] > seen["城口县"]
    assert seen["渝北区"] > 10 * seen["巫溪县"]


def test_salaries_are_coherent(data):
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for p in data["positions"]:
        s = p["salary"]
        assert 0 < s["min"] <= s["max"]
        by_kind.setdefault(p["kind"], []).append(p)
    full_time_min = statistics.median(p["salary"]["min"] for p in by_kind["full_time"])
    for p in by_kind["traineeship"]:
        assert p["salary"]["unit"] == "month" and 1800 <= p["salary"]["min"] <= 2500
        assert p["salary"]["max"] <= 2500 < full_time_min
    units = Counter(p["salary"]["unit"] for p in by_kind["internship"])
    assert units["day"] > 0
    assert all(
        80 <= p["salary"]["min"] <= p["salary"]["max"] <= 200
        for p in by_kind["internship"]
        if p["salary"]["unit"] == "day"
    )
    central = [
        p["salary"]["min"] for p in by_kind["full_time"] if p["location"].get("district") in CENTRAL
    ]
    remote = [
        p["salary"]["min"] for p in by_kind["full_time"] if p["location"].get("district") in REMOTE
    ]
    assert statistics.median(central) > statistics.median(remote)


def test_position_fields_are_coherent(data, catalog):
    class_names = {c.name for c in catalog.classes()}
    degrees = {"中专", "大专", "本科", "硕士", "博士", None}
    for p in data["positions"]:
        assert p["majors"] and set(p["majors"]) <= class_names
        assert 3 <= len(p["skills"]) <= 6 and len(set(p["skills"])) == len(p["skills"])
        assert p["education_min"] in degrees
        assert p["source"] in {"employer", "university", "hr_agency", "training_provider"}
        limit = 20 if p["kind"] == "traineeship" else 10
        assert 1 <= p["headcount"] <= limit
        if p["kind"] != "full_time":
            assert p["experience_min_years"] == 0
        assert 0 <= p["experience_min_years"] <= 3
        posted = datetime.date.fromisoformat(p["posted_at"])
        expires = datetime.date.fromisoformat(p["expires_at"])
        assert 0 <= (AS_OF - posted).days < 180
        assert 30 <= (expires - posted).days <= 120
    experienced = sum(p["experience_min_years"] > 0 for p in data["positions"])
    assert 0.1 < experienced / SCALE < 0.35


def test_family_catalogue_is_broad_and_uses_real_classes(catalog):
    fams = families()
    assert len(fams) >= 40
    ug = {c.name for c in catalog.classes("undergraduate")}
    voc = {c.name for c in catalog.classes("vocational")}
    for f in fams:
        assert len(f.titles) >= 5 and len(f.duties) >= 5 and len(f.requirements) >= 4
        assert len(f.skills) >= 6 and f.divisions
        assert set(f.majors_ug) <= ug and set(f.majors_voc) <= voc
        assert f.salary[0] < f.salary[1]
    grassroots = [f for f in fams if f.kinds == ("grassroots",)]
    assert len(grassroots) >= 4


def test_graduate_majors_resolve_and_skills_come_from_their_class(data, catalog):
    variants = 0
    for g in data["graduates"]:
        level = "vocational" if g["degree"] in ("大专", "中专") else "undergraduate"
        major = catalog.lookup(g["major"], level)
        assert major is not None, g["major"]
        variants += major.name != g["major"]
        assert 3 <= len(g["skills"]) <= 6 or len(g["skills"]) == len(major.major_class.skills)
        assert set(g["skills"]) <= set(major.major_class.skills)
    assert 0.02 < variants / SCALE < 0.08
    assert len({g["school"] for g in data["graduates"]}) >= 25


def test_degree_shares(data):
    degrees = Counter(g["degree"] for g in data["graduates"])
    assert 0.40 < degrees["大专"] / SCALE < 0.50
    assert 0.01 < degrees["中专"] / SCALE < 0.035
    university = degrees["本科"] + degrees["硕士"] + degrees["博士"]
    assert 0.07 < degrees["硕士"] / university < 0.13
    assert 0.003 < degrees["博士"] / university < 0.02


def test_graduate_profiles_are_plausible(data):
    statuses = Counter(g["status"] for g in data["graduates"])
    assert 0.7 < statuses["seeking"] / SCALE < 0.8
    years = Counter(g["graduation_year"] for g in data["graduates"])
    assert years[2026] + years[2025] > 0.7 * SCALE and min(years) >= 2023
    no_district = sum(not g["desired"]["districts"] for g in data["graduates"])
    assert 0.25 < no_district / SCALE < 0.35
    push = sum(g["consent"]["push"] for g in data["graduates"])
    assert 0.75 < push / SCALE < 0.85
    assert len({g["name"] for g in data["graduates"]}) > 0.8 * SCALE
    assert len({g["bio"] for g in data["graduates"]}) > 0.9 * SCALE
    for g in data["graduates"]:
        assert g["desired"]["cities"] == ["重庆"] and g["desired"]["kinds"]
        assert len(g["desired"]["districts"]) <= 3


def test_support_flags_are_rare_and_consistent(data):
    flagged = [g for g in data["graduates"] if g["support"]]
    assert 0.015 < len(flagged) / SCALE < 0.05
    allowed = {
        "poverty_alleviated",
        "low_income_family",
        "zero_employment_family",
        "disabled",
        "long_term_unemployed",
    }
    for g in flagged:
        assert set(g["support"]) <= allowed
        if "long_term_unemployed" in g["support"]:
            assert g["graduation_year"] <= AS_OF.year - 1


def test_compliance_labels_point_at_planted_text(data):
    positions = {p["id"]: p for p in data["positions"]}
    violations = lookalikes = 0
    for label in data["compliance_labels"]:
        text = positions[label["id"]]["description"]
        if label["flags"]:
            violations += 1
            assert len(label["flags"]) == 1 and label["flags"][0] in CATEGORIES
            assert set(label["evidence"]) == set(label["flags"])
            for phrase in label["evidence"].values():
                assert phrase in text
        else:
            lookalikes += 1
            assert label["evidence"] == {}
    assert 0.008 < violations / SCALE < 0.025
    assert 0.02 < lookalikes / SCALE < 0.04
    flagged = {label["id"] for label in data["compliance_labels"] if label["flags"]}
    phrases = [p for pool in VIOLATION_PHRASES.values() for p in pool]
    for p in data["positions"]:
        if p["id"] not in flagged:
            assert not any(phrase in p["description"] for phrase in phrases), p["id"]


def test_titles_and_descriptions_are_varied(data):
    titles = Counter(p["title"] for p in data["positions"])
    assert len(titles) >= 300
    assert titles.most_common(1)[0][1] < 0.02 * SCALE
    descriptions = {p["description"] for p in data["positions"]}
    assert len(descriptions) >= 0.95 * SCALE
    layouts = Counter(
        "brackets"
        if "【" in p["description"]
        else "official"
        if "一、" in p["description"]
        else "numbered"
        if "1" in p["description"]
        else "other"
        for p in data["positions"]
    )
    assert len(layouts) == 4 and min(layouts.values()) > 0.05 * SCALE


def test_trainings_are_subsidised_courses(data, catalog):
    class_names = {c.name for c in catalog.classes()}
    for t in data["trainings"]:
        assert t["title"] and t["provider"] and t["description"] and t["skills"]
        assert set(t["majors"]) <= class_names
        assert 20 <= t["capacity"] <= 60 and t["fee"] >= 0
        assert t["location"]["city"] == "重庆"
        assert t["start_date"] < t["end_date"]
    assert sum(t["fee"] == 0 for t in data["trainings"]) >= len(data["trainings"]) // 2


def test_records_pass_the_exchange_format_validation(data):
    for entity in ("employers", "positions", "graduates", "trainings"):
        for record in data[entity][:1000]:
            prepare(entity, record)
