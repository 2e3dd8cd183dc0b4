"""Optional OCR of scanned résumés through RapidOCR (``pip install '.[ocr]'``: the
``rapidocr-onnxruntime`` wheel ships its PP-OCR detection and recognition models, so nothing is
downloaded; about 4 s a page on two cores). The only module that imports it. Without it, a
scanned PDF or a photo is refused with a message that says so; with it, the recognised boxes
are laid out in lines (two-column scans split like PDFs, :mod:`matcher.resumes.layout`)."""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from functools import cache
from typing import Any

from matcher.errors import UnreadableFileError
from matcher.resumes.extracted import Extracted
from matcher.resumes.layout import read_page

log = logging.getLogger("matcher.resumes")
#: recognised boxes below this confidence are dropped
MIN_SCORE = 0.5
_NO_OCR_ZH = (
    "这是图片文件（或扫描件），没有文字层，本服务未安装文字识别（OCR），无法读取："
    "请上传可复制文字的 "
    "PDF 或 Word 文件，或直接粘贴简历文字"
)


@cache
def _engine() -> Any:
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


@cache
def available() -> bool:
    """Whether OCR is installed and loads (OpenCV needs a few system libraries)."""
    try:
        _engine()
    except Exception as exc:  # ImportError, or OSError for a missing libGL
        log.info("OCR unavailable: %s", type(exc).__name__)
        return False
    return True


def _lines(image: Any) -> tuple[list[str], bool]:
    found, _ = _engine()(image)
    words: list[dict[str, Any]] = []
    for box, text, score in found or ():
        if float(score) < MIN_SCORE or not str(text).strip():
            continue
        xs = [float(p[0]) for p in box]
        ys = [float(p[1]) for p in box]
        words.append({"text": str(text), "x0": min(xs), "x1": max(xs), "top": min(ys)})
    if not words:
        return [], False
    width = max(float(w["x1"]) for w in words)
    return read_page(words, width)


def page_images_text(images: Sequence[Any]) -> str:
    """The text recognised on page images (PIL images); refuses when nothing is found."""
    lines: list[str] = []
    for image in images:
        lines.extend(_lines(image)[0])
    if not lines:
        raise UnreadableFileError(
            "no text was recognised on the scanned pages",
            reason="scanned_pdf",
            zh="该 PDF 是扫描图片，且未能从图片中识别出文字：请上传可复制文字的 PDF 或 Word 文件",
        )
    return "\n".join(lines)


def image_text(data: bytes, *, enabled: bool) -> Extracted:
    """The text of a photo or scan of a résumé (PNG, JPEG...), when OCR is there."""
    if not enabled or not available():
        raise UnreadableFileError(
            "the file is an image; OCR is not installed or not allowed here",
            reason="scanned_pdf",
            zh=_NO_OCR_ZH,
        )
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError):
        raise UnreadableFileError(
            "the image is damaged", reason="corrupt_file", zh="图片文件已损坏，无法读取"
        ) from None
    return Extracted(page_images_text([image.convert("RGB")]), "image", ocr=True)
