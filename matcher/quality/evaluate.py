"""Retrieval evaluation: graded relevance judgements (qrels), nDCG / precision / recall / MRR
at k, and a task that ranks each graduate's eligible postings (same hard filters as the engine:
desired city or district, education) with any scoring function.

A task has the shape of a retrieval evaluator: queries (graduates), a corpus (postings) and the
relevant documents of each query."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from matcher.errors import ValidationError
from matcher.records.prepare import prepare
from matcher.taxonomy.vocab import Degree, degree_rank

Qrels = dict[str, dict[str, int]]
#: Scores of every corpus document for every query: (n_queries, n_docs).
ScoreFn = Callable[["RetrievalTask"], npt.NDArray[np.float32]]


def load_qrels(path: Path) -> Qrels:
    """TSV ``graduate_id<TAB>position_id<TAB>grade`` (grade 1 or 2; absent means 0)."""
    qrels: Qrels = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 3 or not parts[2].strip().isdigit():
            raise ValidationError(
                f"{path}:{number}: expected graduate_id, position_id, grade",
                zh=f"{path} 第 {number} 行格式有误：应为 graduate_id、position_id、grade 三列",
            )
        qrels.setdefault(parts[0], {})[parts[1]] = int(parts[2])
    return qrels


def ndcg_at_k(ranked: Sequence[str], relevant: Mapping[str, int], k: int) -> float:
    """Normalised discounted cumulative gain with gains 2^grade − 1."""
    dcg = sum(
        (2 ** relevant.get(doc, 0) - 1) / math.log2(i + 2) for i, doc in enumerate(ranked[:k])
    )
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def precision_at_k(ranked: Sequence[str], relevant: Mapping[str, int], k: int) -> float:
    return sum(1 for doc in ranked[:k] if relevant.get(doc, 0) > 0) / k


def recall_at_k(ranked: Sequence[str], relevant: Mapping[str, int], k: int) -> float:
    positives = sum(1 for g in relevant.values() if g > 0)
    hits = sum(1 for doc in ranked[:k] if relevant.get(doc, 0) > 0)
    return hits / positives if positives else 0.0


def mrr_at_k(ranked: Sequence[str], relevant: Mapping[str, int], k: int) -> float:
    for i, doc in enumerate(ranked[:k]):
        if relevant.get(doc, 0) > 0:
            return 1.0 / (i + 1)
    return 0.0


METRICS: dict[str, Callable[[Sequence[str], Mapping[str, int], int], float]] = {
    "ndcg": ndcg_at_k,
    "precision": precision_at_k,
    "recall": recall_at_k,
    "mrr": mrr_at_k,
}


@dataclass
class RetrievalTask:
    """Graduates (queries), postings (corpus) and judgements; ``eligible[i]`` is the boolean
    mask of postings graduate ``i`` may be shown under the hard filters."""

    graduates: list[dict[str, Any]]
    positions: list[dict[str, Any]]
    qrels: Qrels
    eligible: npt.NDArray[np.bool_] = field(init=False)

    def __post_init__(self) -> None:
        self.eligible = eligibility(self.graduates, self.positions)

    @property
    def position_ids(self) -> list[str]:
        return [p["id"] for p in self.positions]

    def rank(self, scores: npt.NDArray[np.float32], k: int) -> list[list[str]]:
        """Top-k eligible posting ids of every graduate, best first."""
        ids = self.position_ids
        out = []
        for row, mask in zip(scores, self.eligible, strict=True):
            masked = np.where(mask, row, -np.inf)
            top = np.argsort(-masked, kind="stable")[:k]
            out.append([ids[j] for j in top if np.isfinite(masked[j])])
        return out

    def evaluate(self, scores: npt.NDArray[np.float32], k: int = 10) -> dict[str, Any]:
        """Mean of each metric at k over the graduates that have judgements."""
        ids = [g["id"] for g in self.graduates]
        return score_rankings(dict(zip(ids, self.rank(scores, k), strict=True)), self.qrels, k)


def eligibility(
    graduates: Sequence[Mapping[str, Any]], positions: Sequence[Mapping[str, Any]]
) -> npt.NDArray[np.bool_]:
    """Hard filters: a posting in one of the desired places (any place when none is given) that
    asks no more education than the graduate has."""
    codes = [str((p.get("location") or {}).get("code") or "") for p in positions]
    need = np.array(
        [
            degree_rank(Degree(p["education_min"])) if p.get("education_min") else -1
            for p in positions
        ]
    )
    out = np.zeros((len(graduates), len(positions)), dtype=bool)
    for i, g in enumerate(graduates):
        places = tuple((g.get("desired") or {}).get("region_codes") or ())
        in_place = np.array([c.startswith(places) for c in codes]) if places else True
        rank = degree_rank(Degree(g["degree"])) if g.get("degree") else len(Degree) - 1
        out[i] = in_place & (need <= rank)
    return out


def read_records(entity: str, paths: Iterable[Path]) -> list[dict[str, Any]]:
    """Validated, normalised records from JSONL files (bad lines raise)."""
    out = []
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    out.append(prepare(entity, json.loads(line)).record)  # type: ignore[arg-type]
    return out


def load_task(positions: Sequence[Path], graduates: Path, qrels: Path) -> RetrievalTask:
    return RetrievalTask(
        read_records("graduates", [graduates]),
        read_records("positions", positions),
        load_qrels(qrels),
    )


def read_pairs(path: Path) -> tuple[list[str], list[str], npt.NDArray[np.float32]]:
    """Sentence pairs with a score or label: ``s1<TAB>s2<TAB>score`` (Chinese STS-B, LCQMC) or
    PAWS-X's ``id<TAB>sentence1<TAB>sentence2<TAB>label`` with a header row."""
    left, right, scores = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 4:
            parts = parts[1:]
        if len(parts) != 3:
            continue
        try:
            value = float(parts[2])
        except ValueError:
            continue  # a header row
        left.append(parts[0])
        right.append(parts[1])
        scores.append(value)
    return left, right, np.array(scores, dtype=np.float32)


def pair_similarity(
    encode: Callable[[Sequence[str]], npt.NDArray[np.float32]], path: Path
) -> dict[str, float]:
    """Spearman correlation (and ROC-AUC for 0/1 labels) of cosine similarity with the gold."""
    from scipy.stats import spearmanr
    from sklearn.metrics import roc_auc_score

    left, right, gold = read_pairs(path)
    a, b = encode(left), encode(right)
    cosine = np.einsum("ij,ij->i", a, b)
    out = {"pairs": float(len(gold)), "spearman": round(float(spearmanr(cosine, gold)[0]), 4)}
    if set(np.unique(gold)) <= {0.0, 1.0}:
        out["roc_auc"] = round(float(roc_auc_score(gold, cosine)), 4)
    return out


def evaluate_engine(
    positions: Sequence[Path],
    graduates: Path,
    qrels_path: Path,
    *,
    k: int = 10,
    compare_bm25: bool = False,
    settings: Any = None,
    per_query: bool = False,
    rankers: Sequence[str] = (),
    log: Callable[[str], None] = lambda _: None,
) -> dict[str, dict[str, Any]]:
    """Run the engine's normal path on a temporary store and index built from the files and
    score it against the judgements: as configured (``engine``), and with each of ``rankers``
    (``learned``, ``weights``) beside it in the same run. With ``per_query`` each system's
    figures also hold ``per_query``: graduate id → metrics."""
    from matcher.engine.filters import Eligibility
    from matcher.engine.rankers import ranker_version
    from matcher.quality.workspace import engine_on
    from matcher.text.render import graduate_text

    qrels = load_qrels(qrels_path)
    results: dict[str, dict[str, Any]] = {}
    with engine_on(positions, graduates, settings, log) as matcher:
        store = matcher.store
        ids = [g["id"] for batch in store.changed("graduates", 0) for g in batch]
        configured = matcher.settings
        for name in ("engine", *rankers):
            matcher.settings = configured.replace(ranker=name) if name != "engine" else configured
            ranked, latency = _served(matcher, ids, k)
            results[name] = score_rankings(ranked, qrels, k) | {
                "ranker": ranker_version(matcher.settings),
                "latency_ms": latency,
            }
            if per_query:
                results[name]["per_query"] = score_queries(ranked, qrels, k)
        matcher.settings = configured
        if compare_bm25:
            lexicon, index = matcher.lexical(), matcher.positions
            baseline: dict[str, list[str]] = {}
            for gid, graduate in store.get_many("graduates", ids).items():
                mask = Eligibility.for_graduate(graduate).mask(matcher.columns)  # live rows
                scores = np.where(mask, lexicon.scores(graduate_text(graduate)), -np.inf)
                top = np.argsort(-scores, kind="stable")[:k]
                baseline[gid] = index.key_of(top[np.isfinite(scores[top])])
            results["bm25"] = score_rankings(baseline, qrels, k)
            if per_query:
                results["bm25"]["per_query"] = score_queries(baseline, qrels, k)
    return results


def _served(matcher: Any, ids: Sequence[str], k: int) -> tuple[dict[str, list[str]], Any]:
    """Each graduate's top k as served, and the median and 99th percentile of the time taken."""
    import statistics
    import time

    ranked: dict[str, list[str]] = {}
    latency = []
    for gid in ids:
        started = time.perf_counter()
        ranked[gid] = [m.id for m in matcher.recommend([gid], k)[0]]
        latency.append((time.perf_counter() - started) * 1000)
    return ranked, {
        "p50": round(statistics.median(latency), 2),
        "p99": round(float(np.percentile(latency, 99)), 2),
    }


def score_queries(
    ranked: Mapping[str, list[str]], qrels: Qrels, k: int
) -> dict[str, dict[str, float]]:
    """nDCG, P, recall and MRR at k of each query that has judgements (for breakdowns by
    query type)."""
    names = {"ndcg": "ndcg", "precision": "p", "recall": "recall", "mrr": "mrr"}
    return {
        g: {f"{short}@{k}": METRICS[name](ranked[g], qrels[g], k) for name, short in names.items()}
        for g in ranked
        if qrels.get(g)
    }


def score_rankings(ranked: Mapping[str, list[str]], qrels: Qrels, k: int) -> dict[str, Any]:
    """nDCG, P, recall and MRR at k averaged over the queries that have judgements."""
    per_query = score_queries(ranked, qrels, k)
    out: dict[str, Any] = {}
    for short in ("ndcg", "p", "recall", "mrr"):
        values = [figures[f"{short}@{k}"] for figures in per_query.values()]
        out[f"{short}@{k}"] = round(sum(values) / max(len(values), 1), 4)
    out["queries"] = len(per_query)
    return out
