"""Build and restart at each size: generated postings JSONL → store → vectors → index, then a
fresh process that loads the index from disk and answers its first recommendation.

For each size (default 10k and 100k; --scale 1000000 adds the million) it reports seconds per
stage, texts/s, peak RSS of the build process, index size on disk and the restart time.
Each size runs in its own process so peak RSS is per size.

With --ray, each size's store is then indexed afresh three more times, each in its own
process: in that process alone, and with encoding, word segmentation and list assignment on
a local Ray cluster of 1 and of 2 workers (--ray-workers); the result adds a projection of a
million postings on 16 workers from the measured per-worker rates and the runner's own time
per posting.
Usage: python benchmarks/bench_build.py --sizes 10000,100000 [--scale 1000000] [--keep DIR]
       [--ray [--ray-workers 1,2]]"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._machine import peak_rss_mib, write_result

GRADUATES = 2000
ENTITIES = ("employers", "positions", "graduates")
WORKERS = min(os.cpu_count() or 1, 4)  # as `matcher ingest` by default


def build(size: int, folder: Path, seed: int) -> dict[str, float]:
    """One size in this process: generate, ingest, encode and index."""
    from matcher.config import Settings
    from matcher.datasets import generate
    from matcher.engine.orchestrator import Matcher
    from matcher.ingest.files import ingest_folder
    from matcher.store import Store
    from matcher.text.encoders import load_encoder

    out: dict[str, float] = {}
    started = time.perf_counter()
    generate(folder / "data", scale=size, graduates=GRADUATES, seed=seed, as_of=date.today())
    out["generate_s"] = time.perf_counter() - started
    settings = Settings.from_env(env={}, data_dir=folder / "var")
    store = Store.open(settings)
    started = time.perf_counter()
    ingest_folder(store, folder / "data", ENTITIES, batch_size=5000, workers=WORKERS)
    out["ingest_s"] = time.perf_counter() - started
    encoder = load_encoder(settings.encoder)
    timed = {"s": 0.0, "n": 0}
    encode = encoder.encode_positions

    def counted(texts):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        vectors = encode(texts)
        timed["s"] += time.perf_counter() - t
        timed["n"] += len(texts)
        return vectors

    encoder.encode_positions = counted  # type: ignore[method-assign]
    started = time.perf_counter()
    Matcher.open(settings, store=store, encoder=encoder)
    total = time.perf_counter() - started
    out["encode_s"] = timed["s"]
    out["texts_per_s"] = timed["n"] / timed["s"] if timed["s"] else 0.0
    out["index_and_columns_s"] = total - timed["s"]
    out["build_total_s"] = out["ingest_s"] + total
    out["peak_rss_mib"] = peak_rss_mib()
    index = settings.resolved_index_dir
    out["index_mib"] = sum(p.stat().st_size for p in index.rglob("*") if p.is_file()) / 2**20
    return out


def restart(folder: Path) -> dict[str, float]:
    """In this (fresh) process: open the engine on the saved index, answer one query."""
    started = time.perf_counter()
    from matcher.config import Settings
    from matcher.engine.orchestrator import Matcher

    settings = Settings.from_env(env={}, data_dir=folder / "var")
    matcher = Matcher.open(settings)
    graduate = matcher.store.reachable_graduates()[0]
    opened = time.perf_counter() - started
    matcher.recommend([graduate], 10)
    return {
        "restart_s": time.perf_counter() - started,
        "open_s": opened,
        "rebuilt": float(matcher.last_sync.rebuilt),
        "restart_rss_mib": peak_rss_mib(),
    }


def rebuild(folder: Path, workers: int) -> dict[str, float]:
    """In this (fresh) process: index the stored postings afresh, here (``workers`` 0) or
    with encoding and list assignment on a local Ray cluster of ``workers`` actors."""
    from matcher.config import Settings
    from matcher.engine.orchestrator import Matcher
    from matcher.scale.building import building_on
    from matcher.scale.cluster import connect, shutdown
    from matcher.text.encoders import load_encoder

    settings = Settings.from_env(env={}, data_dir=folder / "var")
    started = time.perf_counter()
    if workers:
        settings = settings.replace(ray_address="local", ray_workers=workers)
        connect("local")
    timed = {"encode_s": 0.0, "assign_s": 0.0, "segment_s": 0.0, "texts": 0.0}
    with building_on(settings) as remote:
        out = {"start_s": time.perf_counter() - started}  # Ray: the actors hold the encoder
        encoder = remote or load_encoder(settings.encoder)
        for name in ("encode_positions", "encode_graduates"):
            setattr(encoder, name, _counted(getattr(encoder, name), timed, "encode_s", "texts"))
        assign = _counted(remote.assign, timed, "assign_s") if remote else None
        segment = _counted(remote.segment, timed, "segment_s") if remote else None
        started = time.perf_counter()
        matcher = Matcher.open(
            settings, encoder=encoder, fresh=True, assign=assign, segment=segment
        )
        total = time.perf_counter() - started
    if workers:
        shutdown()
    assert matcher.last_sync.rebuilt and matcher.positions.approximate == (
        matcher.positions.rows >= 50_000
    )
    out |= {k: v for k, v in timed.items()} | {"total_s": total}
    out["runner_s"] = total - timed["encode_s"] - timed["assign_s"] - timed["segment_s"]
    out["texts_per_s"] = timed["texts"] / timed["encode_s"] if timed["encode_s"] else 0.0
    out["postings"] = float(matcher.positions.rows)
    return out


def _counted(call, timed: dict[str, float], seconds: str, items: str = ""):  # type: ignore[no-untyped-def]
    """``call`` with its wall time (and the length of its first argument) added up."""

    def counted(*args):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return call(*args)
        finally:
            timed[seconds] += time.perf_counter() - started
            if items:
                timed[items] += len(args[0])

    return counted


def _projection(runs: dict[str, dict[str, float]], workers: int = 16) -> dict[str, float | str]:
    """A million postings on ``workers`` Ray workers: the runner waits for each batch's
    vectors, each batch's words and then for the lists, so time ≈ the workers' start + runner's
    own + (encode + segment + assign) / workers, each per posting at the rates one worker
    measured (here, a build's segmenting is part of the runner's own time)."""
    one = runs["ray_1"]
    per_posting = 1_000_000 / one["postings"]
    runner = min(r["runner_s"] for r in runs.values()) * per_posting
    spread = (one["encode_s"] + one["segment_s"] + one["assign_s"]) * per_posting / workers
    return {
        "workers": workers,
        "per_worker_texts_per_s": round(one["texts_per_s"], 1),
        "runner_s_per_million": round(runner, 1),
        "million_minutes": round((one["start_s"] + runner + spread) / 60, 1),
        "bound_by": "runner" if runner > spread else "workers",
    }


def run_child(mode: str, size: int, folder: Path, seed: int) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", mode, str(size), str(folder), str(seed)]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode:
        raise SystemExit(f"{mode} at {size} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        mode, size, folder, seed = sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]), sys.argv[5]
        if mode.startswith("rebuild"):
            child = rebuild(folder, int(mode.removeprefix("rebuild")))
        else:
            child = build(size, folder, int(seed)) if mode == "build" else restart(folder)
        print(json.dumps(child))
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated posting counts")
    parser.add_argument("--scale", type=int, default=0, help="also this size (e.g. 1000000)")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--keep", help="build under this folder and keep it (for bench_recommend)")
    parser.add_argument("--ray", action="store_true", help="also rebuild on Ray (1 and 2 workers)")
    parser.add_argument("--ray-workers", default="1,2", help="worker counts compared (--ray)")
    args = parser.parse_args()
    ray_runs: dict[str, dict[str, dict[str, float]]] = {}
    sizes = [int(s) for s in args.sizes.split(",") if s] + ([args.scale] if args.scale else [])
    rows = {}
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(args.keep) / str(size) if args.keep else Path(tmp)
            folder.mkdir(parents=True, exist_ok=True)
            figures = run_child("build", size, folder, args.seed)
            figures |= run_child("restart", size, folder, args.seed)
            if args.ray:
                counts = [0] + [int(w) for w in args.ray_workers.split(",") if w]
                runs = {
                    ("here" if w == 0 else f"ray_{w}"): run_child(f"rebuild{w}", size, folder, 0)
                    for w in counts
                }
                ray_runs[str(size)] = {
                    k: {n: round(v, 2) for n, v in r.items()} for k, r in runs.items()
                }
                for name, run in runs.items():
                    print(f"  rebuild {name}: " + ", ".join(f"{k} {v:.1f}" for k, v in run.items()))
        rows[str(size)] = {k: round(v, 2) for k, v in figures.items()}
        print(f"{size:>9,} postings: " + ", ".join(f"{k} {v:.1f}" for k, v in figures.items()))
    result: dict[str, Any] = {
        "parameters": {"sizes": sizes, "seed": args.seed, "graduates": GRADUATES}
    }
    result["sizes"] = rows
    if ray_runs:
        result["ray"] = ray_runs
        largest = ray_runs[str(max(sizes))]
        if "ray_1" in largest:
            result["projection"] = _projection(largest)
            print(f"projection: {result['projection']}")
    print(f"written to {write_result('bench_build', result)}")


if __name__ == "__main__":
    main()
