"""Building the compliance rules' regular expressions: ``{NAME}`` fragments expanded, bad
patterns reported with the rule and index at fault, and trigger words compiled into one trie."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from matcher.compliance.normalise import normalise

_FRAGMENT = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")


def trigger_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    words = {normalise(str(w)) for w in words}
    return re.compile(trie(words)) if words else None


def trie(words: Iterable[str]) -> str:
    """A regular expression that finds any of ``words``, written as a trie (户(?:口|籍)…) so
    that each position costs one look at its first characters, not one per word. A word that
    starts with another word is dropped: finding the shorter one is enough."""
    root: dict[str, Any] = {}
    for word in sorted(words, key=len):
        node = root
        for ch in word:
            if "" in node:
                break
            node = node.setdefault(ch, {})
        else:
            node.clear()
            node[""] = True

    def emit(node: dict[str, Any]) -> str:
        singles = "".join(re.escape(ch) for ch, child in node.items() if ch and "" in child)
        longer = [
            re.escape(ch) + emit(child) for ch, child in node.items() if ch and "" not in child
        ]
        parts = ([f"[{singles}]" if len(singles) > 1 else singles] if singles else []) + longer
        return parts[0] if len(parts) == 1 else f"(?:{'|'.join(parts)})"

    return emit(root)


def scanner(words: Iterable[str]) -> re.Pattern[str]:
    """A pattern that matches, where one of ``words`` starts, the longest word starting there
    (the shorter words starting there are its prefixes): searched again from one character
    after each match start (:func:`words_in`), it finds every word of a text, overlapping or
    not, at the speed of one search for the words' first characters."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in node.items() if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        if "" not in node:
            return body
        return f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else f"{body}?"

    return re.compile(emit(root))


def words_in(text: str, scan: re.Pattern[str]) -> set[str]:
    """Every word of a :func:`scanner` pattern's longest-first set that starts somewhere in
    ``text`` (for each position, the longest one; its prefixes are implied)."""
    found: set[str] = set()
    at = scan.search(text)
    while at is not None:
        found.add(at.group())
        at = scan.search(text, at.start() + 1)
    return found


def compile_patterns(
    patterns: Sequence[str], fragments: Mapping[str, str], at: str
) -> tuple[re.Pattern[str], ...]:
    out = []
    for i, pattern in enumerate(patterns):
        expanded = expand(str(pattern), fragments, f"{at}[{i}]")
        try:
            out.append(re.compile(expanded))
        except re.error as exc:
            raise ValueError(f"{at}[{i}]: bad regular expression ({exc}): {pattern}") from None
    return tuple(out)


def expand(pattern: str, fragments: Mapping[str, str], at: str, depth: int = 0) -> str:
    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in fragments:
            raise ValueError(f"{at}: unknown fragment {{{name}}}; define it under [fragments]")
        if depth > 5:
            raise ValueError(f"{at}: fragments nest too deeply around {{{name}}}")
        return expand(fragments[name], fragments, at, depth + 1)

    return _FRAGMENT.sub(sub, pattern)
