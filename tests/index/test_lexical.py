"""BM25 kept row by row (``matcher.index.lexical``) against a brute-force BM25 over the live
rows' words: after writes in batches of every size (inverted files merged on the way), rows
dying, a compaction renumbering the rows, and a save and load."""

from __future__ import annotations

import math
import random
from collections import Counter

import numpy as np
import pytest

from matcher.index.lexical import Lexicon
from matcher.text.render import tokenize

WORDS = (
    "java python spring mysql redis linux docker 会计 审计 税务 护理 康复 机械 电气 焊接 "
    "销售 客服 物流 仓储 财务 出纳 教师 英语 数学 设计 建模 测试 运维 前端 后端"
).split()


def _text(rng: random.Random) -> str:
    return " ".join(
        rng.choice(WORDS[: rng.randint(3, len(WORDS))]) for _ in range(rng.randint(0, 30))
    )


def _brute(texts: dict[int, str], rows: int, query: str, k1: float = 1.2, b: float = 0.75):
    """Lucene's BM25 over ``texts`` (row → text of the live rows), straight from the formula."""
    bags = {r: Counter(tokenize(t)) for r, t in texts.items()}
    n = len(bags)
    mean = sum(sum(c.values()) for c in bags.values()) / n
    out = np.zeros(rows)
    for word, times in Counter(tokenize(query)).items():
        df = sum(1 for c in bags.values() if word in c)
        if not df:
            continue
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        for r, c in bags.items():
            if word in c:
                dl = sum(c.values())
                out[r] += times * idf * c[word] / (c[word] + k1 * (1 - b + b * dl / mean))
    return out


def _check(lexicon: Lexicon, texts: dict[int, str], rows: int, rng: random.Random) -> None:
    for _ in range(6):
        query = _text(rng) + " 不在词表里的词"
        np.testing.assert_allclose(
            lexicon.scores(query)[:rows], _brute(texts, rows, query), rtol=1e-5, atol=1e-6
        )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_scores_equal_brute_force_through_writes_deaths_compaction_and_a_save(seed) -> None:
    rng = random.Random(seed)
    lexicon = Lexicon()
    texts: dict[int, str] = {}
    rows = 0
    for size in [rng.choice([1, 2, 5, 40, 200]) for _ in range(25)]:
        batch = {rows + i: _text(rng) for i in range(size)}
        lexicon.add(list(batch), list(batch.values()))
        texts |= batch
        rows += size
    assert len(lexicon.files) < 8  # files of similar size were merged on the way
    live = np.ones(rows, dtype=bool)
    dead = rng.sample(range(rows), rows // 5)
    live[dead] = False
    lexicon.observe(live)
    alive = {r: t for r, t in texts.items() if live[r]}
    _check(lexicon, alive, rows, rng)
    assert not lexicon.scores(" ".join(WORDS))[dead].any()  # a dead row scores nothing

    keep = np.flatnonzero(live)
    lexicon.take(keep)
    lexicon.observe(np.ones(len(keep), dtype=bool))
    renumbered = {i: alive[int(r)] for i, r in enumerate(keep)}
    _check(lexicon, renumbered, len(keep), rng)

    loaded = Lexicon.from_arrays(lexicon.arrays(), len(keep))
    assert len(loaded.files) == 1
    more = {len(keep) + i: _text(rng) for i in range(7)}
    loaded.add(list(more), list(more.values()))
    loaded.observe(np.ones(len(keep) + 7, dtype=bool))
    _check(loaded, renumbered | more, len(keep) + 7, rng)


def test_rows_without_words_yet_and_unknown_words() -> None:
    lexicon = Lexicon()
    lexicon.add([0, 3], ["Java 后端", "会计 出纳"])
    assert lexicon.missing([0, 1, 2, 3, 4]) == [1, 2, 4]
    lexicon.observe(np.ones(5, dtype=bool))
    scores = lexicon.scores("java")
    assert scores[0] > 0 and not scores[1:].any()
    assert not lexicon.scores("完全无关的问题").any() and not lexicon.scores("").any()


def test_a_saved_lexicon_that_does_not_fit_the_index_is_refused() -> None:
    arrays = Lexicon.over(["Java 后端", "会计"]).arrays()
    with pytest.raises(ValueError, match="does not fit"):
        Lexicon.from_arrays(arrays, 3)
    with pytest.raises(ValueError, match="no saved lexical index"):
        Lexicon.from_arrays({}, 2)
