"""The skills vocabulary: the majors catalog's skills kept as they are, certificates added with
the ways résumés write them."""

from matcher.taxonomy.majors import load_majors
from matcher.taxonomy.skills import CERTIFICATE, TOOL, load_skills


def test_every_skill_of_the_majors_catalog_keeps_its_name():
    vocabulary = load_skills()
    names = {s for c in load_majors().classes() for s in c.skills if s}
    assert all(name in vocabulary for name in names)


def test_common_certificates_and_their_spellings():
    vocabulary = load_skills()
    for written, name in (
        ("初级会计职称", "初级会计"),
        ("护士资格证", "护士执业资格"),
        ("教资", "教师资格证"),
        ("大学英语四级", "CET-4"),
        ("英语六级", "CET-6"),
        ("全国计算机等级考试二级", "计算机二级"),
        ("C1驾驶证", "C1驾照"),
        ("低压电工证", "电工证"),
        ("cad", "AutoCAD"),
    ):
        term = vocabulary.get(written)
        assert term is not None and term.name == name, written
    assert vocabulary.get("C1驾驶证").kind == CERTIFICATE  # type: ignore[union-attr]
    assert vocabulary.get("Excel").kind == TOOL  # type: ignore[union-attr]
    assert vocabulary.get("外贸单证").kind != CERTIFICATE  # type: ignore[union-attr]
