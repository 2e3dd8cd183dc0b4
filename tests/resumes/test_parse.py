"""Fields of a résumé, each from the words it was read in; protected traits never kept; the
draft a graduate record once confirmed."""

from __future__ import annotations

import json
from datetime import date

from benchmarks.resumes import render
from matcher.records.prepare import prepare
from matcher.resumes.dates import periods
from matcher.resumes.parse import parse_file, parse_text
from tests.resumes.conftest import PASTED, written

TODAY = date(2024, 3, 1)


def test_a_pasted_resume_gives_each_field_with_its_source():
    draft = parse_text(PASTED, today=TODAY)
    assert draft.name is not None and draft.name.value == "李明"
    assert (
        draft.school is not None and draft.school.value == "重庆工商大学"
    )  # the 本科, not the 专科
    assert draft.major is not None and draft.major.value == "会计学"
    assert draft.major_code == "120203K"
    assert draft.degree is not None and draft.degree.value == "本科"
    assert draft.graduation_year is not None and draft.graduation_year.value == 2023
    assert "重庆工商大学" in draft.school.source
    assert [e.degree for e in draft.education] == ["本科", "大专"]
    assert {s.name for s in draft.skills} >= {"初级会计", "计算机二级", "CET-4", "C1驾照", "用友"}
    assert "税法" not in {s.name for s in draft.skills}  # a course, not a skill
    jobs = [(w.employer, w.role, w.months) for w in draft.experience]
    assert jobs == [
        ("重庆渝富会计师事务所（普通合伙）", "审计助理", 3),
        ("重庆百货大楼股份有限公司", "出纳", 3),
    ]
    assert draft.desired.titles == ("会计助理", "出纳")
    assert draft.desired.districts == ("渝北区",) and draft.desired.kinds == ("full_time",)
    assert draft.contact.phone == "13823456789"
    assert "工作认真负责" in draft.unparsed and "13823456789" not in draft.unparsed


def test_protected_traits_are_dropped_and_only_their_kinds_reported():
    draft = parse_text(PASTED, today=TODAY)
    shown = json.dumps(draft.to_dict(), ensure_ascii=False)
    for value in ("土家族", "四川省广安市", "广安", "500101200103051234", "2001年3月", "身体健康"):
        assert value not in shown
    assert "性别" not in shown.replace('"removed"', "") or "gender" in draft.removed
    assert set(draft.removed) >= {
        "gender",
        "birth_date",
        "ethnicity",
        "hukou",
        "id_number",
        "health",
    }
    assert any("不会保存" in note for note in draft.notes)


def test_values_without_labels_in_the_header_go_too():
    draft = parse_text(
        "王芳\n女 | 22岁 | 苗族 | 中共党员 | 已婚 | 重庆市石柱县\n"
        + PASTED[PASTED.index("教育经历") :]
    )
    shown = json.dumps(draft.to_dict(), ensure_ascii=False)
    for value in ("22岁", "苗族", "中共党员", "已婚", "石柱"):
        assert value not in shown
    assert draft.name is not None and draft.name.value == "王芳"


def test_dates_as_resumes_write_them():
    def first(text: str) -> tuple[object, object]:
        found = periods(text)[0]
        return found.start, found.end

    assert first("2021.09-2025.06") == ((2021, 9), (2025, 6))
    assert first("2021年9月—2025年6月") == ((2021, 9), (2025, 6))
    assert first("2021/9 ~ 2025/6") == ((2021, 9), (2025, 6))
    assert first("2023年7月至8月在医院实习") == ((2023, 7), (2023, 8))
    assert first("2022.09-至今") == ((2022, 9), None)
    assert periods("2024.07-2024.08")[0].months(TODAY) == 2


def test_a_student_still_studying_graduates_after_the_usual_years():
    draft = parse_text("教育背景\n2022.09-至今 重庆交通职业学院 汽车检测与维修 高职\n技能\nC1驾照")
    assert draft.major is not None and draft.major.value == "汽车检测与维修技术"
    assert draft.degree is not None and draft.degree.value == "大专"
    assert draft.graduation_year is not None and draft.graduation_year.value == 2025


def test_a_generated_docx_and_pdf_give_the_truth(tmp_path, resume):
    for writer, suffix in ((render.docx_table, ".docx"), (render.pdf_two_columns, ".pdf")):
        draft = parse_file(written(tmp_path, resume, writer, suffix))
        truth = resume.truth
        assert draft.school is not None and draft.school.value == truth["school"]
        assert draft.major is not None and draft.major.value == truth["major"]
        assert draft.degree is not None and draft.degree.value == truth["degree"]
        assert draft.graduation_year is not None
        assert draft.graduation_year.value == truth["graduation_year"]
        assert set(truth["skills"]) <= {s.name for s in draft.skills}
        shown = json.dumps(draft.to_dict(), ensure_ascii=False)
        assert not [v for v in truth["protected"] if v in shown]


def test_the_confirmed_draft_is_a_valid_graduate_record():
    draft = parse_text(PASTED, today=TODAY)
    prepared = prepare("graduates", draft.to_graduate("g-resume-1", status="seeking"))
    record = prepared.record
    assert record["major_code"] == "120203K" and record["degree"] == "本科"
    assert record["desired"]["region_codes"] == ["50", "500112"]
    assert "CET-4" in record["skills"] and record["contact"]["phone"] == "13823456789"
    assert "审计助理" in record["bio"] and "土家族" not in record["bio"]
