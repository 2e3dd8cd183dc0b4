"""Quality beside speed: `matcher eval` on the dev set with relevance judgements, the engine
against BM25 under the same hard filters, in one run (temporary store and index).

Usage: python benchmarks/bench_quality.py --data ../shared/data
Writes benchmarks/results/bench_quality.json (nDCG/P/recall/MRR@10 and per-query latency)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._machine import peak_rss_mib, write_result
from matcher.config import Settings
from matcher.quality.evaluate import evaluate_engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default="../shared/data", help="the real data folder")
    parser.add_argument("-k", type=int, default=10)
    args = parser.parse_args()
    data = Path(args.data)
    postings = sorted((data / "postings").glob("*.jsonl"))
    dev = data / "eval" / "dev"
    if not postings or not (dev / "qrels.tsv").is_file():
        raise SystemExit(f"no postings or dev judgements under {data}; pass --data")
    settings = Settings.from_env()
    started = time.perf_counter()
    results = evaluate_engine(
        postings,
        dev / "graduates.jsonl",
        dev / "qrels.tsv",
        k=args.k,
        compare_bm25=True,
        settings=settings,
        log=lambda m: print(m, file=sys.stderr),
    )
    result = {
        "parameters": {
            "k": args.k,
            "postings": [p.name for p in postings],
            "candidate_pool": settings.candidate_pool,
            "encoder": settings.encoder,
        },
        "results": results,
        "seconds": round(time.perf_counter() - started, 1),
        "peak_rss_mib": round(peak_rss_mib(), 1),
    }
    path = write_result("bench_quality", result)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
