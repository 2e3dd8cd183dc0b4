"""Time `matcher report monthly` on N generated postings and N graduates.

Generates the data set (reference date in the month after the reported one), loads it into a
fresh SQLite store and builds the vector index (the steps before a report, not timed as part
of it), then runs the report's steps exactly as the command does — open the store and the
engine, compute the figures, draw and write HTML, Markdown and JSON — timing each, three times.
Usage: python benchmarks/bench_report.py --scale 100000 [--keep DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._machine import peak_rss_mib, write_result
from matcher.analytics import Month, monthly_report, write_report
from matcher.config import Settings
from matcher.datasets import generate
from matcher.engine.orchestrator import Matcher
from matcher.ingest.files import ingest_folder
from matcher.store import Store

MONTH = Month(2022, 8)
AS_OF = date(2022, 9, 5)  # reports are due by the 5th of the next month


def prepare(folder: Path, scale: int, seed: int) -> Settings:
    """Generate, load and index the data set once (reused when ``folder`` already holds it)."""
    settings = Settings.from_env(data_dir=folder / "var", database_url="")
    marker = folder / f"ready-{scale}-{seed}"
    if marker.exists():
        return settings
    started = time.perf_counter()
    generate(folder / "data", scale=scale, seed=seed, graduates=scale, as_of=AS_OF)
    store = Store.open(settings)
    ingest_folder(store, folder / "data")
    Matcher.open(settings, store=store)
    store.close()
    marker.touch()
    print(f"prepared {scale:,} postings and graduates in {time.perf_counter() - started:.0f} s")
    return settings


def run_once(settings: Settings, out: Path) -> dict[str, float]:
    steps: dict[str, float] = {}
    started = time.perf_counter()
    store = Store.open(settings)
    engine = Matcher.open(settings, store=store)
    steps["open_engine"] = time.perf_counter() - started
    mark = time.perf_counter()
    report = monthly_report(
        store,
        MONTH,
        matcher=engine,
        threshold=settings.fit_threshold,
        sample=settings.report_sample,
    )
    steps["figures"] = time.perf_counter() - mark
    mark = time.perf_counter()
    write_report(report, out, settings.home_province)
    steps["write"] = time.perf_counter() - mark
    store.close()
    steps["total"] = time.perf_counter() - started
    return {k: round(v, 2) for k, v in steps.items()} | {
        f"figures.{k}": v for k, v in report["seconds"].items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=100_000, help="postings (and graduates)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", help="folder to keep (and reuse) the generated store in")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        settings = prepare(folder, args.scale, args.seed)
        runs = [run_once(settings, folder / "reports") for _ in range(args.runs)]

    median = {k: round(statistics.median(r[k] for r in runs), 2) for k in runs[0]}
    result = {
        "parameters": {
            "scale": args.scale,
            "graduates": args.scale,
            "seed": args.seed,
            "month": str(MONTH),
            "sample": settings.report_sample,
            "threshold": settings.fit_threshold,
            "encoder": settings.encoder,
        },
        "runs": runs,
        "median_seconds": median,
        "peak_rss_mib": round(peak_rss_mib(), 1),
    }
    path = write_result(f"report_{args.scale}", result)
    for name, seconds in median.items():
        print(f"{name:28s} {seconds:>7.2f} s")
    print(f"peak RSS {result['peak_rss_mib']} MiB → {path}")


if __name__ == "__main__":
    main()
