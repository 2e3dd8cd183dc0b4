"""What a reader of one file format gives back: the text and how it was read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Extracted:
    """The text of a file and how it was read."""

    text: str
    format: str  # pdf, docx, html, text, image, pasted
    pages: int = 1
    ocr: bool = False  # the text was recognised from images
    columns: int = 0  # pages read as two columns
