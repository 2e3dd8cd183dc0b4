"""Generate N postings and graduates, then ingest them into a fresh SQLite store.

Reports seconds and records per second for generation, the first load and an unchanged re-run,
and peak RSS. Usage: python benchmarks/bench_ingest.py --scale 100000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._machine import peak_rss_mib, write_result
from matcher.config import Settings
from matcher.datasets import generate
from matcher.ingest.files import ingest_file
from matcher.store import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=100_000, help="postings (and graduates)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        counts = generate(folder / "data", scale=args.scale, seed=args.seed)
        gen_s = time.perf_counter() - started

        store = Store.open(Settings.from_env(env={}, data_dir=folder / "var"))
        stages: dict[str, dict[str, float]] = {}
        for entity in ("employers", "positions", "graduates"):
            for run in ("load", "rerun"):
                started = time.perf_counter()
                report = ingest_file(store, entity, folder / "data" / f"{entity}.jsonl")
                seconds = time.perf_counter() - started
                stages[f"{entity}_{run}"] = {
                    "records": report.lines,
                    "seconds": round(seconds, 2),
                    "records_per_s": round(report.lines / seconds, 1),
                    "rejected": len(report.rejected),
                }
        store.close()

    result = {
        "parameters": {"scale": args.scale, "seed": args.seed},
        "generate": {
            "records": sum(counts.values()),
            "seconds": round(gen_s, 2),
            "postings_per_s": round(args.scale / gen_s, 1),
        },
        "ingest": stages,
        "peak_rss_mib": round(peak_rss_mib(), 1),
    }
    path = write_result(f"ingest_{args.scale}", result)
    print(f"generate: {args.scale:,} postings in {gen_s:.1f} s")
    for name, stage in stages.items():
        print(
            f"{name:18s} {stage['records']:>9,} records {stage['seconds']:>8.1f} s "
            f"{stage['records_per_s']:>10,.0f}/s"
        )
    print(f"peak RSS {result['peak_rss_mib']} MiB → {path}")


if __name__ == "__main__":
    main()
