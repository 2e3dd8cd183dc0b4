"""The nightly campaign: top-10 postings for every graduate of the pool with capacity-aware
assignment, offered under the offer rules (consent, seeking, weekly cap, capacity).

Generates P postings and N graduates (default 100,000 each; --scale 1000000 for the million),
loads and indexes them, then runs one campaign (k=10, every graduate, no webhook) and reports
graduates/s, offers made and total time, split into ranking and the rest.
Usage: python benchmarks/bench_campaign.py --graduates 100000 --postings 100000"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._machine import peak_rss_mib, write_result
from matcher.config import Settings
from matcher.datasets import generate
from matcher.engine.orchestrator import Matcher
from matcher.ingest.files import ingest_folder
from matcher.offers.campaigns import Segment, create_campaign, run_campaign
from matcher.store import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--graduates", type=int, default=100_000)
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--scale", type=int, default=0, help="graduates and postings (1M)")
    parser.add_argument("-k", type=int, default=10)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--dir", help="keep the data and store here (default: temporary)")
    args = parser.parse_args()
    graduates = args.scale or args.graduates
    postings = args.scale or args.postings

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.dir or tmp)
        settings = Settings.from_env(
            env={},
            data_dir=folder / "var",
            quiet_hours="off",
            offers_per_week=args.k,
        )
        store = Store.open(settings)
        started = time.perf_counter()
        if store.count("graduates") < graduates:
            generate(
                folder / "data",
                scale=postings,
                graduates=graduates,
                seed=args.seed,
                as_of=date.today(),
            )
            ingest_folder(
                store,
                folder / "data",
                ("employers", "positions", "graduates"),
                batch_size=5000,
                workers=2,
            )
        matcher = Matcher.open(settings, store=store)
        prepare_s = time.perf_counter() - started

        timed = {"s": 0.0}
        recommend = matcher.recommend

        def counted(*a, **kw):  # type: ignore[no-untyped-def]
            t = time.perf_counter()
            out = recommend(*a, **kw)
            timed["s"] += time.perf_counter() - t
            return out

        matcher.recommend = counted  # type: ignore[method-assign]
        made = create_campaign(store, name="bench", segment=Segment(), k=args.k, kinds=[])
        started = time.perf_counter()
        counts = run_campaign(matcher, str(made.record["id"]))
        total = time.perf_counter() - started

    result = {
        "parameters": {
            "graduates": graduates,
            "postings": postings,
            "k": args.k,
            "seed": args.seed,
            "campaign_pool": settings.campaign_pool,
        },
        "prepare_seconds": round(prepare_s, 1),
        "campaign_seconds": round(total, 1),
        "ranking_seconds": round(timed["s"], 1),
        "graduates_per_s": round(counts["processed"] / total, 1),
        "counts": counts,
        "peak_rss_mib": round(peak_rss_mib(), 1),
    }
    print(result)
    print(f"written to {write_result('bench_campaign', result)}")


if __name__ == "__main__":
    main()
