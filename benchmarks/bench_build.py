"""Build and restart at each size: generated postings JSONL → store → vectors → index, then a
fresh process that loads the index from disk and answers its first recommendation.

For each size (default 10k and 100k; --scale 1000000 adds the million) it reports seconds per
stage, texts/s, peak RSS of the build process, index size on disk and the restart time.
Each size runs in its own process so peak RSS is per size.
Usage: python benchmarks/bench_build.py --sizes 10000,100000 [--scale 1000000] [--keep DIR]"""

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
        result = build(size, folder, int(seed)) if mode == "build" else restart(folder)
        print(json.dumps(result))
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated posting counts")
    parser.add_argument("--scale", type=int, default=0, help="also this size (e.g. 1000000)")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--keep", help="build under this folder and keep it (for bench_recommend)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s] + ([args.scale] if args.scale else [])
    rows = {}
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(args.keep) / str(size) if args.keep else Path(tmp)
            folder.mkdir(parents=True, exist_ok=True)
            figures = run_child("build", size, folder, args.seed)
            figures |= run_child("restart", size, folder, args.seed)
        rows[str(size)] = {k: round(v, 2) for k, v in figures.items()}
        print(f"{size:>9,} postings: " + ", ".join(f"{k} {v:.1f}" for k, v in figures.items()))
    result = {"parameters": {"sizes": sizes, "seed": args.seed, "graduates": GRADUATES}}
    result["sizes"] = rows
    print(f"written to {write_result('bench_build', result)}")


if __name__ == "__main__":
    main()
