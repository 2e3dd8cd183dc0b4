"""PDF résumés through pdfplumber (the only module that imports it): the text layer page by
page, two-column pages split (:mod:`matcher.resumes.layout`), and the PDFs that cannot be read
told apart: encrypted, damaged, scanned images without a text layer (read by OCR when it is
installed and allowed), and text layers of unmapped glyphs (``(cid:1234)``)."""

from __future__ import annotations

import io
import logging
import re
from typing import Any

import pdfplumber

from matcher.errors import UnreadableFileError
from matcher.resumes.extracted import Extracted
from matcher.resumes.layout import read_page

log = logging.getLogger("matcher.resumes")
#: pages recognised by OCR at most (about 4 s a page on two cores)
OCR_PAGES = 3
_CID = re.compile(r"\(cid:\d+\)")
_ENCRYPTED = {"PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning"}
_SCANNED_ZH = (
    "该 PDF 是扫描图片，没有文字层，无法读取其中的文字：请上传可复制文字的 PDF 或 Word 文件，"
    "或直接粘贴简历文字"
)


def pdf_text(data: bytes, *, max_pages: int, ocr: bool) -> Extracted:
    """The text of the first ``max_pages`` pages of a PDF."""
    try:
        with pdfplumber.open(io.BytesIO(data), pages=list(range(1, max_pages + 1))) as pdf:
            return _read(pdf, ocr=ocr)
    except UnreadableFileError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on damaged files
        causes = {type(exc).__name__, *(type(a).__name__ for a in exc.args)}
        if causes & _ENCRYPTED:
            raise UnreadableFileError(
                "the PDF is protected by a password",
                reason="encrypted_file",
                zh="该 PDF 设置了打开密码，无法读取："
                "请取消密码保护（或另存为无密码的 PDF）后重新上传",
            ) from None
        log.info("unreadable PDF: %s", " ".join(sorted(causes)))  # never the content
        raise UnreadableFileError(
            "the PDF is damaged or incomplete and cannot be read",
            reason="corrupt_file",
            zh="该 PDF 文件已损坏或不完整，无法读取：请重新导出 PDF 后上传",
        ) from None


def _read(pdf: Any, *, ocr: bool) -> Extracted:
    lines: list[str] = []
    columns = 0
    images = 0
    for page in pdf.pages:
        words = page.extract_words(x_tolerance=1.5, y_tolerance=3, keep_blank_chars=False)
        words = [w for w in words if str(w["text"]).strip()]
        images += len(page.images)
        if not words:
            continue
        page_lines, split = read_page(words, float(page.width))
        columns += split
        lines.extend(page_lines)
    text = "\n".join(lines)
    pages = len(pdf.pages)
    unmapped = len(_CID.findall(text))
    readable = len(_CID.sub("", text).strip())
    if readable >= 20 and unmapped <= readable // 10:
        return Extracted(_CID.sub("", text), "pdf", pages=pages, columns=columns)
    if ocr:
        from matcher.resumes.ocr import available, page_images_text

        if available():
            pictures = [p.to_image(resolution=200).original for p in pdf.pages[:OCR_PAGES]]
            found = page_images_text(pictures)
            return Extracted(found, "pdf", pages=pages, ocr=True)
    if unmapped:
        raise UnreadableFileError(
            "the PDF's text layer uses fonts without a character map; its text cannot be read",
            reason="no_text",
            zh="该 PDF 的文字使用了无法识别的字体编码，读不出文字：请用 Word 或 WPS 重新导出 PDF，"
            "或上传 Word 文件",
        )
    if images:
        raise UnreadableFileError(
            "the PDF is a scanned image without a text layer", reason="scanned_pdf", zh=_SCANNED_ZH
        )
    raise UnreadableFileError(
        "the PDF holds no text",
        reason="no_text",
        zh="该 PDF 中没有可读取的文字，请检查文件是否正确",
    )
