"""Quality beside speed: `matcher eval` on both judged development sets (IT graduates over
the IT and Shanghai postings; graduates of many majors over the 智联 postings), each with the
learned ranker, the hand weights and BM25 under the same hard filters, in one run per set
(temporary store and index).

Usage: python benchmarks/bench_quality.py --data ../shared/data
Writes benchmarks/results/bench_quality.json and prints one table (nDCG/P/recall/MRR@10 and
per-query latency)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._machine import peak_rss_mib, write_result
from matcher.config import Settings
from matcher.engine.learned import MODEL_DIR
from matcher.quality.evaluate import evaluate_engine

#: judged set → (posting files, folder of graduates.jsonl and qrels.tsv), under --data
SETS = {
    "dev": (("it-4cities.jsonl", "shanghai-mixed.jsonl"), "eval/dev"),
    "dev-mixed": (("mixed-zhilian2022.jsonl",), "eval/dev-mixed"),
}
SYSTEMS = ("learned", "weights", "bm25")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default="../shared/data", help="the real data folder")
    parser.add_argument("-k", type=int, default=10)
    args = parser.parse_args()
    data = Path(args.data)
    settings = Settings.from_env()
    started = time.perf_counter()
    results = {}
    for name, (files, folder) in SETS.items():
        postings = [data / "postings" / f for f in files]
        judged = data / folder
        if not all(p.is_file() for p in postings) or not (judged / "qrels.tsv").is_file():
            raise SystemExit(f"{name}: postings or judgements missing under {data}; pass --data")
        results[name] = evaluate_engine(
            postings,
            judged / "graduates.jsonl",
            judged / "qrels.tsv",
            k=args.k,
            compare_bm25=True,
            settings=settings,
            rankers=["learned", "weights"],
            log=lambda m: print(m, file=sys.stderr),
        )
    result = {
        "parameters": {
            "k": args.k,
            "sets": {n: {"postings": list(f), "judged": d} for n, (f, d) in SETS.items()},
            "candidate_pool": settings.candidate_pool,
            "lexical": settings.lexical,
            "encoder": settings.encoder,
        },
        "results": results,
        "seconds": round(time.perf_counter() - started, 1),
        "peak_rss_mib": round(peak_rss_mib(), 1),
    }
    card = _card()
    result["learned_cross_validated"] = card.get("cross_validated", {})
    path = write_result("bench_quality", result)
    print(table(results, args.k, result["learned_cross_validated"]))
    print(f"written to {path}")


def _card() -> dict[str, Any]:
    """The shipped learned ranker's card (its cross-validated figures), if there is one."""
    path = MODEL_DIR / "ranker.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def table(
    results: dict[str, dict[str, dict[str, Any]]], k: int, cv: dict[str, dict[str, Any]]
) -> str:
    """One Markdown table: a row per set and system. The learned ranker is scored on the
    graduates it was trained on (in-sample); its cross-validated nDCG@10 (each graduate scored
    by a model that did not see them, from the model's card) is the row below it."""
    lines = [
        f"| set | system | nDCG@{k} | P@{k} | recall@{k} | MRR@{k} | p50 ms | ranker |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, systems in results.items():
        for system in SYSTEMS:
            f = systems[system]
            latency = f.get("latency_ms") or {}
            lines.append(
                f"| {name} | {system} | {f[f'ndcg@{k}']} | {f[f'p@{k}']} | {f[f'recall@{k}']} "
                f"| {f[f'mrr@{k}']} | {latency.get('p50', '')} | {f.get('ranker', '')} |"
            )
            if system == "learned" and name in cv:
                lines[-1] = lines[-1].replace("| learned |", "| learned (in-sample) |")
                lines.append(
                    f"| {name} | learned (cross-validated) | {cv[name]['learned']} "
                    f"| | | | | hand weights on the same candidates: {cv[name]['weights']} |"
                )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
