"""Smaller copies of an evaluation set (graduates, postings, judgements) for quick runs, such
as the evaluation notebook executed in CI: some of the queries, some of each query's judged
postings, and some unjudged postings as distractors. Figures on a subset are not comparable
with figures on the whole set (fewer distractors make retrieval easier)."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from matcher.quality.evaluate import Qrels, load_qrels


@dataclass(frozen=True)
class EvalFiles:
    positions: list[Path]
    graduates: Path
    qrels: Path


def subset_eval_set(
    files: EvalFiles,
    out_dir: Path,
    *,
    queries: int | None = None,
    judged_per_query: int | None = None,
    distractors: int | None = None,
    seed: int = 0,
) -> EvalFiles:
    """Write a subset of ``files`` to ``out_dir`` and return its paths; ``None`` keeps all of
    that part. The same arguments always choose the same records."""
    for n, name in ((queries, "queries"), (judged_per_query, "judged_per_query")):
        if n is not None and n < 1:
            raise ValueError(f"{name} must be at least 1 (or None for all), got {n}")
    if distractors is not None and distractors < 0:
        raise ValueError(f"distractors must be 0 or more (or None for all), got {distractors}")
    rng = random.Random(seed)
    qrels = load_qrels(files.qrels)
    chosen = sorted(qrels)
    if queries is not None and queries < len(chosen):
        chosen = sorted(rng.sample(chosen, queries))
    kept: Qrels = {}
    for gid in chosen:
        judged = sorted(qrels[gid])
        if judged_per_query is not None and judged_per_query < len(judged):
            judged = sorted(rng.sample(judged, judged_per_query))
        kept[gid] = {pid: qrels[gid][pid] for pid in judged}
    wanted = {pid for judged in kept.values() for pid in judged}
    out_dir.mkdir(parents=True, exist_ok=True)
    positions = out_dir / "positions.jsonl"
    _write_positions(files.positions, positions, wanted, distractors, rng)
    graduates = out_dir / "graduates.jsonl"
    lines = files.graduates.read_text(encoding="utf-8").splitlines()
    graduates.write_text(
        "".join(line + "\n" for line in lines if line.strip() and _id(line) in kept),
        encoding="utf-8",
    )
    qrels_path = out_dir / "qrels.tsv"
    qrels_path.write_text(
        "".join(
            f"{g}\t{p}\t{grade}\n" for g, judged in kept.items() for p, grade in judged.items()
        ),
        encoding="utf-8",
    )
    return EvalFiles([positions], graduates, qrels_path)


def _id(line: str) -> str:
    return str(json.loads(line).get("id"))


def _write_positions(
    sources: Sequence[Path],
    target: Path,
    wanted: set[str],
    distractors: int | None,
    rng: random.Random,
) -> None:
    judged: list[str] = []
    others: list[str] = []
    for path in sources:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    (judged if _id(line) in wanted else others).append(line.rstrip("\n"))
    if distractors is not None and distractors < len(others):
        picked = set(rng.sample(range(len(others)), distractors))
        others = [line for i, line in enumerate(others) if i in picked]
    target.write_text("".join(line + "\n" for line in judged + others), encoding="utf-8")
