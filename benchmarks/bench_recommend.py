"""In-process `Matcher.recommend` latency against a brute-force numpy baseline, by size and
filter selectivity.

For each size (stores built by `bench_build.py --keep DIR`, or built here) and for filters that
leave about 50%, 5%, 0.5% and 0.05% of the postings (a kind and place chosen per target from the
actual filter columns), it times single top-10 queries (p50/p95/p99) and batch throughput, the
same queries answered by brute force (numpy: mask, one matrix-vector product over every
eligible row, top-k; no ranking), and the top-10 overlap of the default path with the engine
forced to exact search. With --compare-rankers it also times, query by query in turn, the
default configuration (learned ranker, dense and BM25 candidates) beside the hand weights with
the same candidates and beside the hand weights on dense candidates alone (the engine before the
learned ranker and the BM25 channel), written to results/bench_recommend_rankers.json. Usage:
  python benchmarks/bench_recommend.py --dir /tmp/bb --sizes 10000,100000 --queries 200"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._machine import peak_rss_mib, write_result
from matcher.config import Settings
from matcher.engine.filters import Eligibility
from matcher.engine.orchestrator import Matcher
from matcher.taxonomy.regions import load_regions
from matcher.taxonomy.vocab import PositionKind

TARGETS = (0.5, 0.05, 0.005, 0.0005)


def pick_filters(
    matcher: Matcher, graduates: list[dict[str, Any]], today: date
) -> dict[float, tuple[tuple[str, ...], tuple[str, ...], float]]:
    """For each target share, the (kinds, places) whose mean mask share over the graduates
    (their education and experience still apply) is nearest to it."""
    regions = load_regions()
    places = [(r.code,) for r in regions.chongqing_districts()] + [("50",)]
    every = tuple(k.value for k in PositionKind)
    kinds = [(k.value,) for k in PositionKind] + [every, ("full_time", "traineeship")]
    shares = {}
    for kind, place in itertools.product(kinds, places):
        share = [
            Eligibility.for_graduate(g, today=today, kinds=kind, places=place)
            .mask(matcher.columns)
            .mean()
            for g in graduates
        ]
        shares[(kind, place)] = float(np.mean(share))
    chosen = {}
    for target in TARGETS:
        best = min(shares, key=lambda f: abs(np.log((shares[f] + 1e-9) / target)))
        chosen[target] = (best[0], best[1], shares[best])
    return chosen


def percentiles(ms: list[float]) -> dict[str, float]:
    a = np.array(ms)
    return {f"p{q}": round(float(np.percentile(a, q)), 2) for q in (50, 95, 99)}


def brute(vectors: np.ndarray, query: np.ndarray, mask: np.ndarray, k: int) -> list[int]:
    """The baseline: every eligible row's float32 vector times the query, then the top k."""
    rows = np.flatnonzero(mask)
    scores = vectors[rows] @ query
    top = np.argpartition(-scores, min(k, len(scores) - 1))[:k] if len(scores) > k else None
    chosen = rows[top] if top is not None else rows
    return chosen.tolist()


#: configurations timed by --compare-rankers: name → settings changes
CONFIGS: dict[str, dict[str, Any]] = {
    "learned+bm25": {"ranker": "learned", "lexical": True},
    "weights+bm25": {"ranker": "weights", "lexical": True},
    "learned-dense": {"ranker": "learned", "lexical": False},
    "weights-dense": {"ranker": "weights", "lexical": False},
}


def compare_rankers(
    matcher: Matcher, sample: list[str], kinds: tuple[str, ...], places: tuple[str, ...]
) -> dict[str, Any]:
    """p50/p95/p99 of single top-10 queries under each of :data:`CONFIGS`, the configurations
    taking turns on each graduate so that the machine's load falls on all alike."""
    default = matcher.settings
    times: dict[str, list[float]] = {name: [] for name in CONFIGS}
    for changes in CONFIGS.values():  # warm each (the learned model, the BM25 index)
        matcher.settings = default.replace(**changes)
        matcher.recommend(sample[:3], 10, kinds=kinds, places=places)
    for gid in sample:
        for name, changes in CONFIGS.items():
            matcher.settings = default.replace(**changes)
            started = time.perf_counter()
            matcher.recommend([gid], 10, kinds=kinds, places=places)
            times[name].append((time.perf_counter() - started) * 1000)
    matcher.settings = default
    out: dict[str, Any] = {name: percentiles(ms) for name, ms in times.items()}
    base = out["weights-dense"]["p50"]
    out["ratio_p50_vs_weights_dense"] = {n: round(out[n]["p50"] / base, 2) for n in CONFIGS}
    return out


def run_size(folder: Path, queries: int, seed: int, rankers: bool = False) -> dict[str, Any]:
    settings = Settings.from_env(env={}, data_dir=folder / "var")
    matcher = Matcher.open(settings)
    today = date.today()
    rng = random.Random(seed)
    ids = matcher.store.reachable_graduates()
    sample = [ids[rng.randrange(len(ids))] for _ in range(queries)]
    graduates = matcher.store.get_many("graduates", sample)
    filters = pick_filters(matcher, [graduates[g] for g in sample[:20]], today)
    exact = settings.replace(exact_search_below=10**12)
    out: dict[str, Any] = {
        "postings": len(matcher.positions),
        "index": "ivf" if matcher.positions.approximate else "flat",
    }
    # the baseline's own float32 copy of every vector (the engine keeps half-precision rows)
    vectors = matcher.positions.rows_at(np.arange(matcher.positions.rows))
    for target, (kinds, places, share) in filters.items():
        matcher.recommend(sample[:5], 10, kinds=kinds, places=places)  # warm
        ms, base_ms, overlaps = [], [], []
        for gid in sample:
            started = time.perf_counter()
            found = matcher.recommend([gid], 10, kinds=kinds, places=places)[0]
            ms.append((time.perf_counter() - started) * 1000)
            g = graduates[gid]
            started = time.perf_counter()
            rule = Eligibility.for_graduate(g, today=today, kinds=kinds, places=places)
            mask = rule.mask(matcher.columns)
            query = matcher.graduates.vectors([gid])[0]
            brute(vectors, query, mask, 10)
            base_ms.append((time.perf_counter() - started) * 1000)
            if matcher.positions.approximate:
                default_settings = matcher.settings
                matcher.settings = exact
                truth = matcher.recommend([gid], 10, kinds=kinds, places=places)[0]
                matcher.settings = default_settings
                want = {m.id for m in truth}
                overlaps.append(len(want & {m.id for m in found}) / max(len(want), 1))
            else:
                overlaps.append(1.0)
        started = time.perf_counter()
        matcher.recommend(sample, 10, kinds=kinds, places=places)
        batch_s = time.perf_counter() - started
        single, baseline = percentiles(ms), percentiles(base_ms)
        out[f"{target:.2%}"] = {
            "filter": {"kinds": list(kinds), "places": list(places), "share": round(share, 5)},
            "recommend_ms": single,
            "bruteforce_ms": baseline,
            "ratio_p50": round(baseline["p50"] / single["p50"], 2),
            "batch_per_s": round(len(sample) / batch_s, 1),
            "overlap_at_10": round(float(np.mean(overlaps)), 4),
        }
        if rankers:
            out[f"{target:.2%}"]["rankers"] = compare_rankers(matcher, sample, kinds, places)
    out["peak_rss_mib"] = round(peak_rss_mib(), 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", required=True, help="folder with one built store per size")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument(
        "--compare-rankers",
        action="store_true",
        help="also time the learned ranker beside the hand weights (with and without BM25)",
    )
    args = parser.parse_args()
    results: dict[str, Any] = {}
    for size in args.sizes.split(","):
        folder = Path(args.dir) / size
        if not (folder / "var").is_dir():
            raise SystemExit(f"no store in {folder}; run bench_build.py --keep {args.dir} first")
        results[size] = run_size(folder, args.queries, args.seed, args.compare_rankers)
        for name, row in results[size].items():
            if isinstance(row, dict):
                print(
                    f"{size:>8} {name:>7} share {row['filter']['share']:.4%}  recommend "
                    f"p50 {row['recommend_ms']['p50']} ms p99 {row['recommend_ms']['p99']} ms  "
                    f"brute p50 {row['bruteforce_ms']['p50']} ms  ratio {row['ratio_p50']}  "
                    f"overlap {row['overlap_at_10']}"
                )
                if "rankers" in row:
                    r = row["rankers"]
                    print(
                        "         p50 "
                        + "  ".join(f"{n} {r[n]['p50']} ms" for n in CONFIGS)
                        + f"  ratios {r['ratio_p50_vs_weights_dense']}"
                    )
    result: dict[str, Any] = {
        "parameters": {
            "sizes": args.sizes,
            "queries": args.queries,
            "seed": args.seed,
            "compare_rankers": args.compare_rankers,
        }
    }
    result["sizes"] = results
    name = "bench_recommend_rankers" if args.compare_rankers else "bench_recommend"
    print(f"written to {write_result(name, result)}")


if __name__ == "__main__":
    main()
