"""Résumés saved by job sites as web pages: an HTML file or an MHT web archive, often named
``.doc`` (so Word opens them). Their text, a line per block element or table row."""

from __future__ import annotations

import email
import email.policy
import re
from html.parser import HTMLParser

_BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section"}
_CELLS = {"td", "th"}
_SKIPPED = {"script", "style", "head", "title"}


def is_html(text: str) -> bool:
    head = text[:2048].lower()
    return "<html" in head or "<!doctype html" in head or head.startswith("mime-version:")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[list[str]] = [[]]
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.lines.append([])
        elif tag in _CELLS and self.lines[-1]:
            self.lines[-1].append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.lines.append([])

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.lines[-1].append(data)


def _page(text: str) -> str:
    """The HTML part of an MHT archive (or the text itself when it is plain HTML)."""
    if not text[:2048].lower().startswith("mime-version:"):
        return text
    message = email.message_from_string(text, policy=email.policy.default)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                charset = part.get_content_charset() or "utf-8"
                charset = "gb18030" if charset.lower() in ("gb2312", "gbk") else charset
                return payload.decode(charset, errors="replace")
    return ""


def html_text(text: str) -> str:
    parser = _Text()
    parser.feed(_page(text))
    parser.close()
    lines = (re.sub(r"\s+", " ", "".join(parts)).strip(" |") for parts in parser.lines)
    return "\n".join(line for line in lines if line)
