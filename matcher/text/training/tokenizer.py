"""A word-level Chinese tokenizer for the static encoder, built with the ``tokenizers`` library.

Chinese runs are cut into frequent jieba words (up to 4 characters) or single characters by a
Unigram model; runs of Latin letters and digits are kept whole, so skill names such as ``java``,
``mysql``, ``vue``, ``c++`` and ``c#`` are single tokens. Text is NFKC-normalised and lower-cased
first, so full-width and capitalised spellings meet. Everything is serialisable into
``tokenizer.json``: no Python code runs at encoding time."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers

from matcher.text.render import segmenter

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_PIECES = rf"[{CJK}]+|[a-z][a-z0-9]*(?:\+\+|#)?|[0-9]+|[^\s{CJK}a-z0-9]"
_SPLIT = re.compile(_PIECES)
UNK = "[UNK]"
MAX_WORD_CHARS = 4


def _normalizer() -> Any:
    return normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])


def count_pieces(texts: Iterable[str]) -> tuple[Counter[str], Counter[str]]:
    """Counts of single CJK characters and of words (jieba words of Chinese runs, Latin and
    digit runs, punctuation) over ``texts``."""
    jieba = segmenter()
    norm = _normalizer()
    chars: Counter[str] = Counter()
    words: Counter[str] = Counter()
    for text in texts:
        for piece in _SPLIT.findall(norm.normalize_str(text)):
            if "\u3400" <= piece[0] <= "\ufaff":
                chars.update(piece)
                words.update(w for w in jieba.lcut(piece, HMM=True) if 1 < len(w) <= MAX_WORD_CHARS)
            else:
                words[piece] += 1
    return chars, words


def general_words(limit: int) -> Counter[str]:
    """The ``limit`` most frequent words (1–4 Chinese characters) of jieba's general-language
    dictionary, with their frequencies: vocabulary the job corpus alone would miss."""
    path = Path(segmenter().__file__).parent / "dict.txt"
    words: Counter[str] = Counter()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            word, freq, *_ = line.split(" ")
            if len(word) <= MAX_WORD_CHARS and re.fullmatch(f"[{CJK}]+", word):
                words[word] = int(freq)
    return Counter(dict(words.most_common(limit)))


def train_tokenizer(
    texts: Iterable[str], vocab_size: int = 30_000, min_count: int = 2, general: int = 0
) -> Tokenizer:
    """A Unigram tokenizer whose vocabulary is ``[UNK]``, every CJK character seen at least
    ``min_count`` times, the most frequent corpus words, and up to ``general`` common words of
    general Chinese: ``vocab_size`` pieces in all. A piece's probability is the mean of its
    relative frequency in the corpus and in the general dictionary."""
    chars, words = count_pieces(texts)
    common = general_words(general) if general else Counter()
    corpus = Counter({c: n for c, n in chars.items() if n >= min_count})
    for word, n in sorted(words.items(), key=lambda kv: (-kv[1], kv[0])):
        if len(corpus) >= vocab_size - 1 - len(common) or n < min_count:
            break
        corpus[word] = n
    extra = [w for w, _ in common.most_common() if w not in corpus]
    extra = extra[: max(vocab_size - 1 - len(corpus), 0)]
    corpus_total = sum(corpus.values()) or 1
    common_total = sum(common.values()) or 1
    weights = {
        piece: 0.5 * corpus.get(piece, 0) / corpus_total + 0.5 * common.get(piece, 0) / common_total
        for piece in [*corpus, *extra]
    }
    pieces = [(UNK, 0.0)] + [
        (piece, math.log(max(w, 1e-12)))
        for piece, w in sorted(weights.items(), key=lambda kv: -kv[1])
    ]
    tokenizer = Tokenizer(models.Unigram(pieces, unk_id=0, byte_fallback=False))
    tokenizer.normalizer = _normalizer()
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.WhitespaceSplit(),
            pre_tokenizers.Split(Regex(_PIECES), behavior="isolated"),
        ]
    )
    return tokenizer


def vocabulary(tokenizer: Tokenizer) -> list[str]:
    """Token strings by id."""
    by_id = sorted(tokenizer.get_vocab().items(), key=lambda kv: kv[1])
    return [token for token, _ in by_id]
