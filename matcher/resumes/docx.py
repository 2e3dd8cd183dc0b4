"""Word DOCX résumés through python-docx (the only module that imports it), in document order:
paragraphs, tables (templates are often one big table; a row of short cells becomes one line
``姓名 | 张三 | 专业 | 会计学``, a row with longer cells one line per paragraph), text boxes
(read once, though Word stores each twice), content controls, headers and footers."""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Iterator
from typing import Any

import docx
from docx.oxml.ns import qn

from matcher.errors import UnreadableFileError
from matcher.resumes.extracted import Extracted

log = logging.getLogger("matcher.resumes")
#: uncompressed size of all parts at most: a zip bomb is refused before it is inflated
MAX_UNPACKED = 100 * 1024 * 1024
#: a row of cells is one line when it is at most this long
ROW_LINE = 80
_P, _TBL, _SDT, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:tr"), qn("w:tc")
_TXBX = qn("w:txbxContent")
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_TEXT = {qn("w:t"): None, qn("w:tab"): " ", qn("w:br"): "\n", qn("w:cr"): "\n"}


def docx_text(data: bytes) -> Extracted:
    _check_package(data)
    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_blocks(document.element.body))
        for section in document.sections[:1]:
            parts = (section.header, section.first_page_header)
            head = [line for part in parts for line in _blocks(part._element)]
            lines = head + lines + list(_blocks(section.footer._element))
    except Exception as exc:
        log.info("unreadable DOCX: %s", type(exc).__name__)
        raise UnreadableFileError(
            "the Word file is damaged and cannot be read",
            reason="corrupt_file",
            zh="该 Word 文件已损坏，无法读取：请在 Word 或 WPS 中打开后重新保存，再上传",
        ) from None
    return Extracted("\n".join(line for line in lines if line.strip()), "docx")


def _check_package(data: bytes) -> None:
    """A Word package of modest unpacked size, or a clear refusal."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
            names = {i.filename for i in infos}
            unpacked = sum(i.file_size for i in infos)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableFileError(
            "the file is a damaged zip archive",
            reason="corrupt_file",
            zh="该文件已损坏（DOCX 压缩包不完整），无法读取：请重新保存后上传",
        ) from None
    if "word/document.xml" not in names:
        kind = "Excel" if any(n.startswith("xl/") for n in names) else ""
        kind = kind or ("PowerPoint" if any(n.startswith("ppt/") for n in names) else "")
        raise UnreadableFileError(
            f"the archive is not a Word document{f' ({kind})' if kind else ''}",
            reason="unsupported_format",
            zh=f"不支持该文件类型{f'（{kind} 文件）' if kind else '（不是 Word 文档）'}："
            "请上传 PDF 或 Word（.docx）格式的简历",
        )
    if unpacked > MAX_UNPACKED:
        raise UnreadableFileError(
            f"the Word file unpacks to {unpacked:,} bytes",
            reason="file_too_large",
            zh="该 Word 文件解压后过大，无法读取：请删除其中的大图片后重新上传",
        )


def _blocks(parent: Any) -> Iterator[str]:
    """Lines of the block-level children of a body, cell, text box, header or footer."""
    for child in parent.iterchildren():
        if child.tag == _P:
            yield from _paragraph(child)
        elif child.tag == _TBL:
            yield from _table(child)
        elif child.tag == _SDT:
            for content in child.iterchildren(qn("w:sdtContent")):
                yield from _blocks(content)


def _paragraph(p: Any) -> Iterator[str]:
    parts: list[str] = []
    boxes: list[Any] = []
    for node in p.iter(*_TEXT, _TXBX):
        if _owner(node) is not p:
            continue
        if node.tag == _TXBX:
            if not any(a.tag == _FALLBACK for a in node.iterancestors()):
                boxes.append(node)
        else:
            fixed = _TEXT[node.tag]
            parts.append(fixed if fixed is not None else str(node.text or ""))
    yield from "".join(parts).split("\n")
    for box in boxes:
        yield from _blocks(box)


def _owner(node: Any) -> Any:
    """The paragraph a run's text (or a text box) belongs to: its nearest ``w:p``."""
    return next(node.iterancestors(_P), None)


def _table(tbl: Any) -> Iterator[str]:
    for row in tbl.iterchildren(_TR):
        cells = [[x.strip() for x in _blocks(tc) if x.strip()] for tc in row.iterchildren(_TC)]
        cells = [c for c in cells if c]
        if not cells:
            continue
        if all(len(c) == 1 for c in cells) and sum(len(c[0]) for c in cells) <= ROW_LINE:
            yield " | ".join(c[0] for c in cells)
        else:
            for cell in cells:
                yield from cell
