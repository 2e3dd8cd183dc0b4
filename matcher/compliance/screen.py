"""Compliance screening of job postings: discriminatory requirements and fee or scam signs.

The rules are data (``matcher/compliance/rules.toml``): each rule has regular expressions that
flag a requirement, exceptions that cancel a flag (look-alikes such as 男女不限, 婚假, 女装), a
category, the legal basis, a suggested neutral rewrite and examples it must flag and must pass
(run as tests). Text is matched after normalisation (``normalise.fold``: width, case,
traditional characters, spaced-out characters, symbols, pinyin, English phrases, Chinese
numerals), and every match is mapped back, so each flag cites the exact substring of the
posting."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from matcher.compliance.flags import CATEGORIES, Category, Flag, categories_of
from matcher.compliance.normalise import Folded, fold, normalise
from matcher.compliance.patterns import (
    compile_patterns,
    scanner,
    trie,
    trigger_pattern,
    words_in,
)

RULES_FILE = Path(__file__).parent / "rules.toml"
#: What the screener reports, kept importable from here.
__all__ = [
    "CATEGORIES",
    "RULES_FILE",
    "Category",
    "Flag",
    "Rule",
    "RuleSet",
    "categories_of",
    "default_rules",
    "screen",
]


#: Free-text fields of a posting that are screened (title first, as labellers read it).
SCREENED_FIELDS: tuple[str, ...] = ("title", "description", "requirements", "benefits")
#: How far into the description a finding that starts in the title is looked for (rules with
#: ``across_fields`` reach at most this far past the title's end).
ACROSS = 200


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    patterns: tuple[re.Pattern[str], ...]
    exceptions: tuple[re.Pattern[str], ...]
    basis: str
    rewrite: str
    reach: int  # characters either side of a match searched for exceptions
    triggers: re.Pattern[str] | None = None  # the rule only runs on text matching this
    examples: tuple[str, ...] = ()  # texts the rule must flag (run as tests)
    clean: tuple[str, ...] = ()  # look-alikes the rule must pass (run as tests)
    trigger_words: tuple[str, ...] = ()
    # also read over the title and the description together (日结800 in the title, 加V in the
    # description); such a finding cites the part in the field where it starts
    across_fields: bool = False

    def findings(self, folded: Folded, field: str, triggered: bool = False) -> Iterable[Flag]:
        """What the rule finds in one text; ``triggered``: a trigger word is known to be in
        it (the rule set's one scan found it), so it is not searched again."""
        text = folded.text
        if not triggered and self.triggers is not None and self.triggers.search(text) is None:
            return
        for pattern in self.patterns:
            for m in pattern.finditer(text):
                start, end = m.span("hit") if "hit" in pattern.groupindex else m.span()
                if end == start or self._excepted(text, start, end):
                    continue
                start, end = folded.span(start, end)
                yield Flag(
                    self.category,
                    self.id,
                    folded.original[start:end],
                    field,
                    start,
                    end,
                    self.basis,
                    self.rewrite,
                )

    def _excepted(self, folded: str, start: int, end: int) -> bool:
        lo = max(0, start - self.reach)
        hi = min(len(folded), end + self.reach)
        for exception in self.exceptions:
            for m in exception.finditer(folded, lo, hi):
                if m.start() < end and m.end() > start:
                    return True
        return False


class RuleSet:
    """The loaded rules; :meth:`screen` runs them over a posting."""

    def __init__(self, rules: Sequence[Rule], labels: Mapping[str, str], source: str) -> None:
        self.rules = tuple(rules)
        self.labels = dict(labels)
        self.source = source
        # when every rule has trigger words, one scan of a text finds every trigger word in
        # it, and so the rules that can fire there (about 4 of 36 on real postings) instead
        # of one search per rule; a text with none of them is clean
        self._scan: re.Pattern[str] | None = None
        self._woken: dict[str, tuple[Rule, ...]] = {}
        if self.rules and all(r.triggers is not None for r in self.rules):
            words = {w for r in self.rules for w in r.trigger_words}
            self._scan = scanner(words)
            for word in words:  # a word found also holds the shorter words it starts with
                held = {word[:n] for n in range(1, len(word) + 1)} & words
                self._woken[word] = tuple(
                    r for r in self.rules if held.intersection(r.trigger_words)
                )
        across = [r for r in self.rules if r.across_fields]
        self._across_trigger = (
            re.compile(trie(w for r in across for w in r.trigger_words))
            if across and all(r.triggers is not None for r in across)
            else None
        )

    def _may_cross(self, folded: Mapping[str, Folded]) -> bool:
        """Whether a rule read across the title and the description can find anything: some
        trigger word of such a rule is in one of them (a word cannot span the two)."""
        if self._across_trigger is None:
            return True
        return any(
            self._across_trigger.search(folded[f].text) is not None
            for f in ("title", "description")
            if f in folded
        )

    @classmethod
    def load(cls, path: Path | None = None) -> RuleSet:
        """Read and compile a rules file. Raises ``ValueError`` naming the rule and field at
        fault (unknown category, bad regular expression, missing field)."""
        path = path or RULES_FILE
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"compliance rules {path}: not valid TOML: {exc}") from None
        return cls.from_dict(data, str(path))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "<rules>") -> RuleSet:
        where = f"compliance rules {source}"
        fragments = {str(k): str(v) for k, v in (data.get("fragments") or {}).items()}
        categories = data.get("categories") or {}
        unknown = set(categories) - set(CATEGORIES)
        if unknown:
            raise ValueError(
                f"{where}: unknown categories {sorted(unknown)}; use {', '.join(CATEGORIES)}"
            )
        rules, seen = [], set()
        for i, raw in enumerate(data.get("rule") or ()):
            rid = str(raw.get("id") or f"rule[{i}]")
            at = f"{where}: rule {rid!r}"
            if rid in seen:
                raise ValueError(f"{at}: duplicate id; give every rule its own id")
            seen.add(rid)
            category = raw.get("category")
            if category not in CATEGORIES:
                raise ValueError(f"{at}: field category: {category!r} is not one of {CATEGORIES}")
            info = categories.get(category) or {}
            basis = raw.get("basis") or info.get("basis")
            rewrite = raw.get("rewrite") or info.get("rewrite")
            if not basis or not rewrite:
                raise ValueError(f"{at}: give a basis and a rewrite (on the rule or its category)")
            if not raw.get("patterns"):
                raise ValueError(f"{at}: field patterns: at least one regular expression needed")
            rules.append(
                Rule(
                    rid,
                    category,
                    compile_patterns(raw["patterns"], fragments, f"{at}: patterns"),
                    compile_patterns(raw.get("exceptions") or (), fragments, f"{at}: exceptions"),
                    str(basis),
                    str(rewrite),
                    int(raw.get("reach", 24)),
                    trigger_pattern(raw.get("triggers") or ()),
                    tuple(str(x) for x in raw.get("examples") or ()),
                    tuple(str(x) for x in raw.get("clean") or ()),
                    tuple(normalise(str(w)) for w in raw.get("triggers") or ()),
                    bool(raw.get("across_fields", False)),
                )
            )
        labels = {c: str((categories.get(c) or {}).get("label") or c) for c in CATEGORIES}
        return cls(rules, labels, source)

    def screen_text(self, text: str, field: str = "text") -> list[Flag]:
        """Flags of one text; overlapping findings of one category are reported once, over
        the text they cover together."""
        if not text:
            return []
        return self._screen_folded(fold(text), text, field)

    def _screen_folded(self, folded: Folded, text: str, field: str) -> list[Flag]:
        found: list[Flag] = []
        if self._scan is None:
            for rule in self.rules:
                found.extend(rule.findings(folded, field))
        else:
            present = words_in(folded.text, self._scan)
            if not present:
                return []
            woken = {id(r) for word in present for r in self._woken[word]}
            for rule in self.rules:
                if id(rule) in woken:
                    found.extend(rule.findings(folded, field, triggered=True))
        found.sort(key=lambda f: (f.start, -(f.end - f.start), CATEGORIES.index(f.category)))
        kept: list[Flag] = []
        for flag in found:
            for i, k in enumerate(kept):
                if k.category == flag.category and k.start < flag.end and flag.start < k.end:
                    if flag.end > k.end:  # overlapping findings: one flag over their union
                        kept[i] = replace(k, match=text[k.start : flag.end], end=flag.end)
                    break
            else:
                kept.append(flag)
        return kept

    def screen(self, record: Mapping[str, Any]) -> list[Flag]:
        """Flags of a posting (exchange format): its title, description, requirements and
        benefits, in that order."""
        out: list[Flag] = []
        folded: dict[str, Folded] = {}
        for field in SCREENED_FIELDS:
            value = record.get(field)
            if isinstance(value, str) and value:
                folded[field] = fold(value)
                out.extend(self._screen_folded(folded[field], value, field))
        title, description = record.get("title"), record.get("description")
        across = [r for r in self.rules if r.across_fields]
        if (
            across
            and isinstance(title, str)
            and isinstance(description, str)
            and title
            and self._may_cross(folded)
        ):
            seen = {f.category for f in out}
            # a finding that starts in the title ends within ACROSS characters of it
            joined = fold(f"{title}。{description[:ACROSS]}")
            for rule in across:
                for f in rule.findings(joined, "title"):
                    # only a finding that runs from the title into the description is new
                    if f.category not in seen and f.start < len(title) < f.end:
                        out.append(replace(f, match=title[f.start :], end=len(title)))
                        seen.add(f.category)
        return out


@cache
def default_rules() -> RuleSet:
    """The shipped rules, loaded once per process."""
    return RuleSet.load()


def screen(record: Mapping[str, Any], rules: RuleSet | None = None) -> list[Flag]:
    """Flags of one posting under ``rules`` (the shipped rules by default)."""
    return (rules or default_rules()).screen(record)
