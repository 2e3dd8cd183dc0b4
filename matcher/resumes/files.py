"""A résumé file → its text: the size checked before anything is read, the format known by its
first bytes (never by the file name alone), then the reader of that format.

Formats read: PDF (:mod:`matcher.resumes.pdf`), Word DOCX (:mod:`matcher.resumes.docx`),
web pages and MHT archives saved as ``.doc`` by job sites (:mod:`matcher.resumes.html`),
plain text (UTF-8, UTF-16 or GB18030), and images or scanned PDFs through the optional OCR
(:mod:`matcher.resumes.ocr`). Legacy Word ``.doc`` (OLE2), RTF, encrypted Office files and
anything else are refused with a :class:`~matcher.errors.UnreadableFileError` that says what
to do, in Chinese."""

from __future__ import annotations

import codecs
from pathlib import Path

from matcher.errors import UnreadableFileError
from matcher.resumes.docx import docx_text
from matcher.resumes.extracted import Extracted
from matcher.resumes.html import html_text, is_html
from matcher.resumes.ocr import image_text
from matcher.resumes.pdf import pdf_text

#: Files above this are refused before they are read (a résumé is rarely over 2 MB).
MAX_BYTES = 10 * 1024 * 1024
#: Pages of a PDF read at most (a résumé has one to three; the rest would only cost time).
MAX_PAGES = 10
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"RIFF")
_SAVE_AS = "请在 Word 或 WPS 中“另存为”DOCX 或 PDF 后重新上传，或直接粘贴简历文字"


def too_large(size: int) -> UnreadableFileError:
    return UnreadableFileError(
        f"the file has {size:,} bytes; résumés of at most {MAX_BYTES:,} bytes are read",
        reason="file_too_large",
        zh=f"文件过大（{size / 1048576:.1f} MB）：简历文件不能超过 {MAX_BYTES // 1048576} MB，"
        "请压缩图片或另存为 PDF 后重新上传",
    )


def read_file(path: Path, *, ocr: bool = True) -> Extracted:
    """The text of the file at ``path``; its size is checked before it is opened."""
    size = path.stat().st_size  # FileNotFoundError for a missing file, as usual
    if size > MAX_BYTES:
        raise too_large(size)
    with path.open("rb") as f:
        data = f.read(MAX_BYTES + 1)
    return extract(data, ocr=ocr)


def extract(data: bytes, *, ocr: bool = True) -> Extracted:
    """The text of a file's bytes, by the format its first bytes show."""
    if len(data) > MAX_BYTES:
        raise too_large(len(data))
    if not data.strip():
        raise UnreadableFileError(
            "the file is empty", reason="no_text", zh="文件是空的，请重新选择简历文件"
        )
    head = data[:1024]
    if b"%PDF-" in head:
        return pdf_text(data, max_pages=MAX_PAGES, ocr=ocr)
    if data.startswith(b"PK\x03\x04"):
        return docx_text(data)
    if data.startswith(_OLE2):
        raise _ole2(data)
    if data.lstrip().startswith(b"{\\rtf"):
        raise UnreadableFileError(
            "RTF files are not read; save the résumé as DOCX or PDF",
            reason="unsupported_format",
            zh=f"这是 RTF 格式的文件，无法直接读取：{_SAVE_AS}",
        )
    if data.startswith(_IMAGES):
        return image_text(data, enabled=ocr)
    text = decode(data)
    if is_html(text):
        return Extracted(html_text(text), "html")
    return Extracted(text, "text")


def _ole2(data: bytes) -> UnreadableFileError:
    """An OLE2 compound file: a legacy .doc, or an Office file protected by a password."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return UnreadableFileError(
            "the Office file is protected by a password",
            reason="encrypted_file",
            zh="该 Word 文件设置了打开密码，无法读取：请取消密码保护后重新上传",
        )
    if "WordDocument".encode("utf-16-le") in data:
        return UnreadableFileError(
            "legacy Word .doc files (Word 97-2003) are not read; save as DOCX or PDF",
            reason="legacy_doc",
            zh=f"这是旧版 Word 文件（.doc，Word 97-2003 格式），无法直接读取：{_SAVE_AS}",
        )
    return UnreadableFileError(
        "legacy Office files (Excel, PowerPoint 97-2003) are not résumés this service reads",
        reason="unsupported_format",
        zh=f"不支持该文件类型（旧版 Office 文件）：{_SAVE_AS}",
    )


def decode(data: bytes) -> str:
    """Text bytes → str: a BOM decides, then UTF-8, then GB18030 (Windows Chinese)."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _checked(data.decode(codec, errors="replace"))
    for codec in ("utf-8", "gb18030"):
        try:
            return _checked(data.decode(codec))
        except UnicodeDecodeError:
            continue
    raise _unknown()


def _checked(text: str) -> str:
    """Text that is text: few control characters, few replacement characters."""
    odd = sum(1 for c in text if (c < " " and c not in "\t\n\r\f") or c == "\ufffd")
    if odd > max(8, len(text) // 50):
        raise _unknown()
    return text


def _unknown() -> UnreadableFileError:
    return UnreadableFileError(
        "unknown file type: send a PDF, a Word DOCX file or plain text",
        reason="unsupported_format",
        zh="无法识别的文件类型：请上传 PDF、Word（.docx）文件，或直接粘贴简历文字",
    )
