"""The skills vocabulary: the skills and tools each 专业类 leads to (``major_classes.csv``) and
the certificates and common spellings graduates write (``skills.csv``: 初级会计职称, 护士执业资格,
教师资格证, CET-4/6, 计算机二级, C1驾照, CAD...), each term with its kind and aliases.

A term's ``name`` is the one stored in a profile's ``skills``; an alias is another way of
writing it (``大学英语四级`` → ``CET-4``, ``CAD`` → ``AutoCAD``). Names of ``major_classes.csv``
are kept as they are: ``skills.csv`` only adds terms and aliases."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from matcher.taxonomy.majors import load_majors

CERTIFICATE, TOOL, SKILL = "certificate", "tool", "skill"
KINDS = (CERTIFICATE, TOOL, SKILL)
#: what marks a term of ``major_classes.csv`` as a certificate (its kind is not written there)
_CERTIFICATE_WORDS = re.compile(
    r"(?<![取辨单])证$|证书|资格|执照|职称|规培|^(CET|CPA|CFA|CATTI|专八)"
)
_LATIN_START = re.compile(r"^[A-Za-z0-9]")


@dataclass(frozen=True, slots=True)
class Term:
    name: str
    kind: str  # certificate, tool or skill
    aliases: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def fold(text: str) -> str:
    """The form terms are compared in: NFKC (full-width letters and brackets become ASCII),
    lower case, no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


class SkillVocabulary:
    """Terms by name and by any spelling (compared with :func:`fold`)."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self._terms: dict[str, Term] = {}
        self._spellings: dict[str, Term] = {}
        for term in terms:
            if term.kind not in KINDS:
                raise ValueError(f"unknown kind {term.kind!r} of skill {term.name!r}")
            known = self._terms.get(term.name)
            if known is not None:  # a later row adds aliases and may set the kind
                aliases = tuple(dict.fromkeys(known.aliases + term.aliases))
                term = Term(term.name, term.kind, aliases)
            self._terms[term.name] = term
        for term in self._terms.values():
            for spelling in term.spellings:
                self._spellings.setdefault(fold(spelling), term)

    def __len__(self) -> int:
        return len(self._terms)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._terms

    def terms(self, kind: str | None = None) -> list[Term]:
        return [t for t in self._terms.values() if kind is None or t.kind == kind]

    def get(self, text: str) -> Term | None:
        """The term written as ``text`` (its name or an alias), or None."""
        return self._spellings.get(fold(text))

    def spellings(self) -> dict[str, Term]:
        """Every folded spelling → its term."""
        return dict(self._spellings)


def _kind_of(name: str) -> str:
    if _CERTIFICATE_WORDS.search(name):
        return CERTIFICATE
    return TOOL if _LATIN_START.match(name) else SKILL


@cache
def load_skills() -> SkillVocabulary:
    """The vocabulary from the majors catalog's skills and ``taxonomy/data/skills.csv``."""
    terms = [
        Term(name, _kind_of(name))
        for major_class in load_majors().classes()
        for name in major_class.skills
        if name
    ]
    path = resources.files("matcher.taxonomy").joinpath("data").joinpath("skills.csv")
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            aliases = tuple(a.strip() for a in row["aliases"].split("|") if a.strip())
            terms.append(Term(row["name"].strip(), row["kind"].strip(), aliases))
    return SkillVocabulary(terms)
