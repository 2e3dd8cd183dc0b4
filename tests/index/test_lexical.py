"""BM25 kept row by row (``matcher.index.lexical``) against a brute-force BM25 over the rows'
words: after writes in batches of every size (inverted files merged on the way), rows
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


def _brute(texts: dict[int, str], rows: int, query: str, live=None, k1=1.2, b=0.75):
    """Lucene's BM25 over ``texts`` (row → text of every row held), straight from the
    formula; rows not ``live`` score 0 but count in the statistics, as in Lucene."""
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
            if word in c and (live is None or live[r]):
                dl = sum(c.values())
                out[r] += times * idf * c[word] / (c[word] + k1 * (1 - b + b * dl / mean))
    return out


def _check(lexicon: Lexicon, texts: dict[int, str], rows: int, rng: random.Random, live=None):
    for _ in range(6):
        query = _text(rng) + " 不在词表里的词"
        np.testing.assert_allclose(
            lexicon.scores(query)[:rows], _brute(texts, rows, query, live), rtol=1e-5, atol=1e-6
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
    _check(lexicon, texts, rows, rng, live)
    alive = {r: t for r, t in texts.items() if live[r]}
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


@pytest.mark.parametrize("seed", [4, 5, 6, 7])
def test_the_best_rows_of_a_filter_equal_those_of_every_score(seed) -> None:
    """``best`` skips the commoner words' columns once the pool is settled, and looks a
    narrow filter's rows up in long columns instead of reading them; the pool (and its ties)
    and the scores in it are those of scoring every row."""
    rng = random.Random(seed)
    common = " ".join(WORDS[:4])  # words in nearly every row: pruned first
    texts = [
        common + " " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 8)))
        for _ in range(3000)
    ]
    lexicon = Lexicon()
    for start in range(0, len(texts), 700):
        lexicon.add(np.arange(start, min(start + 700, len(texts))), texts[start : start + 700])
    live = np.array([rng.random() > 0.1 for _ in texts])
    lexicon.observe(live)
    for _ in range(10):
        query = common + " " + " ".join(rng.sample(WORDS, 3))
        mask = np.array([rng.random() < rng.choice([0.01, 0.05, 0.5, 1.0]) for _ in texts])
        pool = rng.choice([1, 10, 100])
        every = lexicon.scores(query)
        eligible = np.flatnonzero(mask & (every > 0))
        last = np.sort(every[eligible])[::-1][min(pool, len(eligible)) - 1]
        expected = set(eligible[every[eligible] >= last].tolist())
        rows, scores = lexicon.best(query, mask, pool)
        assert expected <= set(rows.tolist())
        np.testing.assert_allclose(scores, every[rows], rtol=1e-5)
        assert not (~mask[rows]).any() and not (~live[rows]).any()


def test_rows_counted_out_of_order_keep_every_column_ascending() -> None:
    """Rows re-counted in the store's order rather than the index's (a snapshot without
    words): files holding interleaved rows merge by key, and a save stays loadable."""
    rng = random.Random(8)
    order = list(range(600))
    rng.shuffle(order)
    texts = {r: _text(rng) for r in order}
    lexicon = Lexicon()
    for start in range(0, len(order), 37):
        batch = order[start : start + 37]
        lexicon.add(batch, [texts[r] for r in batch])
    lexicon.observe(np.ones(len(order), dtype=bool))
    _check(lexicon, texts, len(order), rng)
    arrays = lexicon.arrays()
    loaded = Lexicon.from_arrays(arrays, len(order))
    loaded.observe(np.ones(len(order), dtype=bool))
    _check(loaded, texts, len(order), rng)
    query = " ".join(WORDS)
    rows, scores = loaded.best(query, np.ones(len(order), dtype=bool), 5)
    np.testing.assert_allclose(scores, loaded.scores(query)[rows], rtol=1e-5)
    swapped = dict(arrays, lexical_docs=arrays["lexical_docs"][::-1].copy())
    with pytest.raises(ValueError, match="out of order"):
        Lexicon.from_arrays(swapped, len(order))
