"""Text out of each kind of file: Word tables and text boxes, PDFs of one and two columns,
radicals in a PDF's text layer, web pages saved as .doc, GB18030 text."""

from __future__ import annotations

import pytest

from benchmarks.resumes import render
from matcher.resumes.files import extract, read_file
from matcher.resumes.normalise import has_radicals, normalise
from tests.resumes.conftest import written


def test_a_word_table_template_is_read_cell_by_cell(tmp_path, resume):
    text = read_file(written(tmp_path, resume, render.docx_table, ".docx")).text
    assert f"姓名 | {resume.name}" in text  # a row of short cells is one line
    assert resume.truth["school"] in text  # cells holding several paragraphs
    assert any(heading in text.splitlines() for heading, _ in resume.blocks)


def test_a_text_box_is_read_once(tmp_path, resume):
    got = read_file(written(tmp_path, resume, render.docx_textbox, ".docx"))
    lines = got.text.splitlines()
    assert got.format == "docx"
    assert lines.count(resume.name) == 1
    assert f"电话：{resume.phone}" in lines  # inside the text box


def test_a_one_column_pdf_keeps_its_lines(tmp_path, resume):
    got = read_file(written(tmp_path, resume, render.pdf_one_column, ".pdf"))
    assert got.format == "pdf" and got.columns == 0
    assert resume.blocks[1][0] in got.text.splitlines()


def test_a_two_column_pdf_is_read_column_by_column(tmp_path, resume):
    got = read_file(written(tmp_path, resume, render.pdf_two_columns, ".pdf"))
    lines = got.text.splitlines()
    assert got.columns == 1
    assert "联系方式" in lines  # the sidebar's heading alone on its line, not interleaved
    sidebar = lines.index("联系方式")
    assert lines.index(resume.blocks[1][0]) > sidebar  # the main column comes after


def test_kangxi_radicals_in_a_pdf_text_layer_are_mapped(tmp_path, resume):
    path = tmp_path / "kangxi.pdf"
    if not render.pdf_one_column(resume, path, kangxi=True):
        pytest.skip("no TrueType CJK font to write a radicals text layer (fonts-wqy-zenhei)")
    raw = read_file(path).text
    assert has_radicals(raw)
    assert resume.truth["school"] in normalise(raw)
    assert not has_radicals(normalise(raw))


def test_radicals_and_width_are_normalised():
    assert normalise("重庆⼤学 ⻓江师范学院 ⻔诊 软件⼯程") == "重庆大学 长江师范学院 门诊 软件工程"
    assert normalise("ＡｕｔｏＣＡＤ：熟练（本科）") == "AutoCAD:熟练（本科）"
    assert normalise("教 育 背 景\n姓    名：张三") == "教育背景\n姓名:张三"


def test_a_web_page_saved_as_doc_is_read():
    page = "<html><body><table><tr><td>姓名</td><td>张三</td></tr></table><p>教育背景</p>"
    got = extract(("\ufeff" + page + "<p>重庆大学 软件工程 本科</p></body></html>").encode())
    assert got.format == "html"
    assert got.text.splitlines()[:2] == ["姓名 | 张三", "教育背景"]


def test_windows_chinese_text_is_decoded():
    got = extract("教育背景\n重庆大学 软件工程 本科 2021.09-2025.06".encode("gb18030"))
    assert got.format == "text" and "重庆大学" in got.text
