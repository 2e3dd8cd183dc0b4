"""``matcher parse-resume`` on files it cannot read: a clear Chinese message, exit status 2, no
traceback; and a file over the limit refused before it is read."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from benchmarks.resumes.make_resumes import unreadable
from matcher.cli import main
from matcher.errors import UnreadableFileError
from matcher.resumes.parse import parse_bytes, parse_file
from tests.resumes.conftest import PASTED

MESSAGES = {
    "scanned.pdf": "扫描图片，没有文字层",
    "encrypted.pdf": "设置了打开密码",
    "corrupt.pdf": "已损坏或不完整",
    "huge.pdf": "不能超过 10 MB",
    "legacy.doc": "旧版 Word 文件（.doc",
    "resume.rtf": "RTF 格式",
}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("unreadable")
    return folder, unreadable(folder)


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_each_unreadable_file_is_named_in_chinese(files, name, capsys):
    folder, reasons = files
    assert main(["parse-resume", "--no-ocr", str(folder / name)]) == 2
    err = capsys.readouterr().err
    assert MESSAGES[name] in err and reasons[name] in err
    assert "Traceback" not in err


def test_the_command_as_a_process_prints_no_traceback(files):
    folder, _ = files
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "matcher.cli",
            "parse-resume",
            "--no-ocr",
            str(folder / "corrupt.pdf"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "已损坏" in done.stderr and "Traceback" not in done.stderr


def test_a_huge_file_is_refused_before_it_is_opened(files, monkeypatch):
    folder, _ = files

    def never(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr("pathlib.Path.open", never)
    with pytest.raises(UnreadableFileError) as refused:
        parse_file(folder / "huge.pdf")
    assert refused.value.reason == "file_too_large"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "no_text"),
        (b"PK\x03\x04broken zip", "corrupt_file"),
        (bytes(range(256)) * 40, "unsupported_format"),
        ("只有几个字".encode(), "no_text"),
    ],
)
def test_bytes_that_hold_no_resume_are_refused(data, reason):
    with pytest.raises(UnreadableFileError) as refused:
        parse_bytes(data)
    assert refused.value.reason == reason and refused.value.zh


def test_a_scanned_pdf_is_read_by_ocr_when_it_is_installed(files):
    pytest.importorskip("rapidocr_onnxruntime")
    from matcher.resumes.ocr import available

    if not available():
        pytest.skip("OCR is installed but does not load here")
    folder, _ = files
    draft = parse_file(folder / "scanned.pdf")
    assert draft.file.ocr and any("OCR" in note for note in draft.notes)
    assert draft.school is not None and draft.school.value == "重庆师范大学"


def test_the_command_prints_chinese_labels_and_json(tmp_path, capsys):
    path = tmp_path / "简历.txt"
    path.write_text(PASTED, encoding="utf-8")
    assert main(["parse-resume", str(path)]) == 0
    out = capsys.readouterr().out
    assert "学校：重庆工商大学" in out and "专业：会计学（专业代码 120203K）" in out
    assert "已删除的个人敏感信息" in out and "土家族" not in out
    assert main(["parse-resume", "--json", str(path)]) == 0
    draft = json.loads(capsys.readouterr().out)
    assert draft["school"]["value"] == "重庆工商大学" and "ethnicity" in draft["removed"]
