"""The nightly campaign: top-10 postings for every graduate of the pool with capacity-aware
assignment, offered under the offer rules (consent, seeking, weekly cap, capacity).

Generates P postings and N graduates (default 100,000 each; --scale 1000000 for the million),
loads and indexes them, then runs one campaign (k=10, every graduate, no webhook) on a copy of
the prepared store and reports graduates/s, offers made and total time. The next chunk of
graduates is ranked while the runner assigns, explains and writes one, so the run ends with the
same campaign again, every chunk's ranking replayed from the first run: the runner's own time.

With --ray, the same campaign also runs on a local Ray cluster with 1 and with 2 workers
(--ray-workers), each on its own copy, and the result adds a projection of a million graduates
on 16 workers from the measured per-worker ranking rate and the runner's own time per graduate.
Usage: python benchmarks/bench_campaign.py --graduates 100000 --postings 100000 [--ray]"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import matcher.offers.campaigns as campaigns_module
from benchmarks._machine import peak_rss_mib, write_result
from matcher.config import Settings
from matcher.datasets import generate
from matcher.engine.orchestrator import Matcher
from matcher.ingest.files import ingest_folder
from matcher.offers.campaigns import Segment, create_campaign, run_campaign
from matcher.scale.ranking import ranking_for
from matcher.store import Store

timed = {"s": 0.0, "start": 0.0}
recorded: dict[tuple[str, ...], Any] = {}  # each chunk's ranking, kept for the replay


@contextmanager
def _timed_ranking(matcher: Matcher) -> Iterator[Any]:
    """The campaign's ranking, with the wall time spent ranking added up (chunks are ranked
    one after the other, beside the runner's writes) and every chunk's result recorded."""
    started = time.perf_counter()
    with ranking_for(matcher) as ranking:
        timed["start"] = time.perf_counter() - started  # Ray: workers load the snapshot

        def counted(ids: Sequence[str], pool: int, kinds: Sequence[str]) -> Any:
            started = time.perf_counter()
            try:
                found = recorded[tuple(ids)] = ranking(ids, pool, kinds)
                return found
            finally:
                timed["s"] += time.perf_counter() - started

        yield counted


@contextmanager
def _replayed_ranking(matcher: Matcher) -> Iterator[Any]:
    """The rankings recorded in an earlier run, at no cost: the runner's own time alone."""
    yield lambda ids, pool, kinds: recorded[tuple(ids)]


def _prepare(folder: Path, settings: Settings, graduates: int, postings: int, seed: int) -> float:
    started = time.perf_counter()
    store = Store.open(settings)
    if store.count("graduates") < graduates:
        today = date.today()
        generate(folder / "data", scale=postings, graduates=graduates, seed=seed, as_of=today)
        ingest_folder(
            store,
            folder / "data",
            ("employers", "positions", "graduates"),
            batch_size=5000,
            workers=2,
        )
    Matcher.open(settings, store=store)  # builds and saves the index
    store.close()
    return time.perf_counter() - started


def _run(settings: Settings, k: int, first: int = 0) -> dict[str, Any]:
    store = Store.open(settings)
    matcher = Matcher.open(settings, store=store)
    segment = Segment()
    if first:  # the first graduates (by id) only: a campaign's rate over a large store
        segment = Segment(graduate_ids=segment.graduates(store)[:first])
    made = create_campaign(store, name="bench", segment=segment, k=k, kinds=[])
    timed["s"] = timed["start"] = 0.0
    started = time.perf_counter()
    counts = run_campaign(matcher, str(made.record["id"]))
    total = time.perf_counter() - started
    store.close()
    processed = counts["processed"]
    return {
        "campaign_seconds": round(total, 1),
        "ranking_seconds": round(timed["s"], 1),  # ranking the chunks, beside the runner
        "start_seconds": round(timed["start"], 1),  # Ray workers loading the snapshot
        "graduates_per_s": round(processed / total, 1),
        "ranked_per_s": round(processed / max(timed["s"], 1e-9), 1),
        "counts": counts,
    }


def _runner_alone(base: Settings, folder: Path, k: int, first: int = 0) -> dict[str, Any]:
    """The same campaign on a fresh copy, every chunk's ranking replayed from the first run:
    what the runner costs by itself (rules, assignment, reasons of what is offered, writes)."""
    copy = folder / "run-runner"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(folder / "var", copy)
    campaigns_module.ranking_for = _replayed_ranking  # type: ignore[assignment]
    try:
        run = _run(base.replace(data_dir=copy), k, first)
    finally:
        campaigns_module.ranking_for = _timed_ranking  # type: ignore[assignment]
        shutil.rmtree(copy, ignore_errors=True)
    return {
        "campaign_seconds": run["campaign_seconds"],
        "ms_per_graduate": round(1000 * run["campaign_seconds"] / run["counts"]["processed"], 3),
        "counts": run["counts"],
    }


def _projection(
    runs: dict[str, dict[str, Any]], runner: dict[str, Any], workers: int = 16
) -> dict[str, Any]:
    """A million graduates on ``workers`` Ray workers: the runner ranks nothing itself and the
    next chunk is ranked while it writes one, so time per graduate ≈ the larger of the
    runner's own and 1/(workers × one worker's rate)."""
    one = runs["ray_1"]
    per_worker = one["counts"]["processed"] / one["ranking_seconds"]  # graduates/s, one worker
    own = runner["ms_per_graduate"] / 1000  # s per graduate
    seconds = 1_000_000 * max(own, 1 / (workers * per_worker))
    return {
        "workers": workers,
        "per_worker_ranked_per_s": round(per_worker, 1),
        "runner_ms_per_graduate": runner["ms_per_graduate"],
        "million_minutes": round(seconds / 60, 1),
        "bound_by": "runner" if own > 1 / (workers * per_worker) else "workers",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--graduates", type=int, default=100_000)
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--scale", type=int, default=0, help="graduates and postings (1M)")
    parser.add_argument("-k", type=int, default=10)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--dir", help="keep the data and store here (default: temporary)")
    parser.add_argument(
        "--segment", type=int, default=0, help="campaign over the first N graduates only"
    )
    parser.add_argument("--ray", action="store_true", help="also on Ray with 1 and 2 workers")
    parser.add_argument("--ray-workers", default="1,2", help="worker counts compared (--ray)")
    args = parser.parse_args()
    graduates = args.scale or args.graduates
    postings = args.scale or args.postings
    campaigns_module.ranking_for = _timed_ranking  # type: ignore[assignment]

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.dir or tmp)
        base = Settings.from_env(
            env={}, data_dir=folder / "var", quiet_hours="off", offers_per_week=args.k
        )
        prepare_s = _prepare(folder, base, graduates, postings, args.seed)
        if not args.ray:
            copy = folder / "run-here"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(folder / "var", copy)
            runs = {"here": _run(base.replace(data_dir=copy), args.k, args.segment)}
            shutil.rmtree(copy, ignore_errors=True)
        else:
            from matcher.scale import cluster

            cluster.connect("local")
            modes = {"here": base}
            for n in (int(w) for w in args.ray_workers.split(",")):
                modes[f"ray_{n}"] = base.replace(ray_address="local", ray_workers=n)
            runs = {}
            for name, settings in modes.items():  # each on a fresh copy of the prepared store
                copy = folder / f"run-{name}"
                shutil.rmtree(copy, ignore_errors=True)
                shutil.copytree(folder / "var", copy)
                runs[name] = _run(settings.replace(data_dir=copy), args.k, args.segment)
                shutil.rmtree(copy, ignore_errors=True)
                print(name, runs[name], flush=True)
            cluster.shutdown()
        runner = _runner_alone(base, folder, args.k, args.segment)

    result: dict[str, Any] = {
        "parameters": {
            "graduates": graduates,
            "postings": postings,
            "k": args.k,
            "seed": args.seed,
            "campaign_pool": base.campaign_pool,
            "segment": args.segment or None,
            "ray_worker_cpus": base.ray_worker_cpus if args.ray else None,
        },
        "prepare_seconds": round(prepare_s, 1),
        **runs["here"],
        "runner_alone": runner,
        "peak_rss_mib": round(peak_rss_mib(), 1),
    }
    if args.ray:
        result["runs"] = runs
        result["same_counts"] = all(r["counts"] == runs["here"]["counts"] for r in runs.values())
        result["projection"] = _projection(runs, runner)
    print(result)
    name = "bench_campaign_ray" if args.ray else "bench_campaign"
    print(f"written to {write_result(name, result)}")


if __name__ == "__main__":
    main()
