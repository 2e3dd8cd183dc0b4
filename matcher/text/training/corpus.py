"""Training text for the encoder: sentence-length pieces and natural pairs from postings and
profiles. Sources are generated data (:mod:`matcher.datasets`) and any unlabeled posting files
(JSONL in the exchange format; only ``title`` and ``description`` are read). Evaluation profiles
and judgements are never read."""

from __future__ import annotations

import json
import random
import re
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matcher.text.render import graduate_text, normalise, position_text

_SENTENCE_END = re.compile(r"[。；;！!？?\n]+|(?<=[^\d.])(?=\d{1,2}[、.)）](?!\d))")
_NUMBERING = re.compile(r"^\d{1,2}\s*[、.)）]\s*")
MIN_CHARS, MAX_CHARS = 4, 120
DESCRIPTION_PAIR_CHARS = 200


@dataclass
class Corpus:
    documents: list[str] = field(default_factory=list)  # whole texts, for the tokenizer
    sentences: list[str] = field(default_factory=list)  # pieces the teacher embeds
    pairs: list[tuple[str, str]] = field(default_factory=list)  # (anchor, positive)


def split_sentences(text: str) -> list[str]:
    """Sentence-length pieces of a description: split at sentence ends and numbered items."""
    pieces = (
        _NUMBERING.sub("", p.strip()).strip(" ,、:-—*·•●")
        for p in _SENTENCE_END.split(normalise(text))
    )
    return [p for p in pieces if MIN_CHARS <= len(p) <= MAX_CHARS]


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                if isinstance(record, dict):
                    yield record


def _add_position(corpus: Corpus, record: dict[str, Any], rendered: bool) -> None:
    title = normalise(record.get("title"))
    description = normalise(record.get("description"))
    corpus.documents.append(f"{title} {description}")
    if title:
        corpus.sentences.append(title)
    corpus.sentences.extend(split_sentences(description))
    skills = record.get("skills") or []
    if skills:
        corpus.sentences.append("技能：" + "、".join(skills))
    if rendered:
        corpus.sentences.append(position_text(record)[:MAX_CHARS])
    if title and len(description) >= 20:
        corpus.pairs.append((title, description[:DESCRIPTION_PAIR_CHARS]))
    if skills:
        needs = [s for s in split_sentences(description) if any(k in s for k in skills)]
        if needs:
            corpus.pairs.append((needs[0], "、".join(skills)))


def _add_graduate(corpus: Corpus, record: dict[str, Any]) -> None:
    text = graduate_text(record)
    corpus.documents.append(text)
    corpus.sentences.append(text[:MAX_CHARS])
    corpus.sentences.extend(split_sentences(record.get("bio") or ""))
    if record.get("major"):
        corpus.sentences.append(normalise(record["major"]))


def build_corpus(
    posting_files: Sequence[Path],
    *,
    generated_scale: int,
    seed: int,
    max_sentences: int,
    max_pairs: int,
) -> Corpus:
    """Collect, de-duplicate and sample (with ``seed``) the training text."""
    corpus = Corpus()
    with tempfile.TemporaryDirectory() as tmp:
        if generated_scale > 0:
            from matcher.datasets import generate

            generate(
                Path(tmp), scale=generated_scale, seed=seed, graduates=max(generated_scale // 2, 1)
            )
            for record in _jsonl(Path(tmp) / "positions.jsonl"):
                _add_position(corpus, record, rendered=True)
            for record in _jsonl(Path(tmp) / "graduates.jsonl"):
                _add_graduate(corpus, record)
            for record in _jsonl(Path(tmp) / "trainings.jsonl"):
                corpus.sentences.append(normalise(record.get("title")))
    for path in posting_files:
        for record in _jsonl(path):
            _add_position(corpus, record, rendered=False)
    rng = random.Random(seed)
    corpus.sentences = _sample(
        list(dict.fromkeys(s for s in corpus.sentences if s)), max_sentences, rng
    )
    corpus.pairs = _sample(list(dict.fromkeys(corpus.pairs)), max_pairs, rng)
    return corpus


def _sample(items: list[Any], limit: int, rng: random.Random) -> list[Any]:
    rng.shuffle(items)
    return items[:limit]
