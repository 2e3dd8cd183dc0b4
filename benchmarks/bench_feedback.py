"""How much feedback the learned ranker needs before it beats the hand weights, on a simulated
bureau (:mod:`matcher.quality.simulate`): generated postings and graduates with hidden tastes,
weekly lists ordered by the hand weights with exploration, stored as impressions, answered
with a position-biased response model and stored as feedback events.

Graduates arrive week by week. The last quarter to arrive is the test cohort: never served
before the cut, never trained on. The rankers are trained on the earlier lists only (a time
split), on the first N lists for growing N, and scored on the test cohort's whole candidate
pools against the hidden truth (nDCG@10): the hand weights, LambdaRank on the outcomes as they
are ("naive") and LambdaRank told the position each item was shown at ("position-corrected"),
beside what the engine would serve ("served": the corrected model only where train-ranker's
time split trusts it, the weights otherwise) and a ceiling (a model trained on the hidden truth
of every earlier graduate's whole pool).
Each budget is repeated over several simulation seeds; medians are reported.

Usage: python benchmarks/bench_feedback.py [--scale 4000] [--graduates 1600] [--seeds 3] [--out F]
Writes benchmarks/results/bench_feedback.json and prints one table."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._machine import peak_rss_mib, write_result
from matcher.config import Settings
from matcher.datasets.generate import generate
from matcher.engine.scoring import weight_array
from matcher.quality import feedback_training as ft
from matcher.quality import simulate
from matcher.quality.workspace import engine_on

AS_OF = date(2026, 9, 1)
BUDGETS = (25, 50, 100, 200, 400, 800, 1600, 3200)


def one_run(
    matcher: Any, graduates: dict[str, Any], industries: list[str], seed: int, rate: float
) -> dict[str, Any]:
    """Simulate, train at every budget, score on the test cohort; returns the figures."""
    import numpy as np

    settings = matcher.settings
    tastes = simulate.tastes(graduates, industries, seed)
    pools = simulate.pools(matcher, tastes, AS_OF)
    start = datetime(AS_OF.year, AS_OF.month, AS_OF.day, tzinfo=UTC)
    served = simulate.serve(matcher, pools, settings.weights, start, rate, seed)
    log = ft.feedback_queries(matcher, start, datetime(2100, 1, 1, tzinfo=UTC), print, AS_OF)
    gids = sorted(pools)
    test = set(gids[3 * len(gids) // 4 :])
    first_test = min(
        at for q, at in zip(log.queries, log.served, strict=True) if q.graduate_id in test
    )
    order = sorted(
        (i for i, at in enumerate(log.served) if at < first_test), key=lambda i: log.served[i]
    )
    truth = [pools[g].query(g) for g in sorted(test)]
    w = weight_array(settings.weights)
    weights_ndcg = float(np.mean([q.ndcg(q.matrix @ w) for q in truth]))
    # the ceiling: a model trained on the hidden truth of every earlier graduate's whole pool
    earlier = sorted({log.queries[i].graduate_id for i in order})
    oracle = ft.fit([pools[g].query(g) for g in earlier], None, {})
    oracle_ndcg = float(
        np.mean([q.ndcg(oracle.booster.predict(q.matrix, num_threads=1)) for q in truth])
    )
    rows = []
    for budget in [b for b in BUDGETS if b < len(order)] + [len(order)]:
        chosen = order[:budget]
        queries = [log.queries[i] for i in chosen]
        if not ft.informative(queries):
            continue
        events = sum(int(q.grades.astype(bool).sum()) for q in queries)
        row: dict[str, Any] = {"lists": budget, "positive_items": events}
        for name, positions in (("naive", None), ("corrected", [log.positions[i] for i in chosen])):
            model = ft.fit(queries, positions, {})
            row[name] = float(
                np.mean([q.ndcg(model.booster.predict(q.matrix, num_threads=1)) for q in truth])
            )
        # what the engine would serve: the corrected model only if it beat the weights on the
        # last fifth of these lists (train-ranker's time split), the weights otherwise
        part = log.subset(chosen)
        cut = part.served[int(0.8 * (len(chosen) - 1))]
        split = ft.time_split(part, cut, settings.weights)
        row["gate_passed"] = "learned" in split and split["learned"] >= split["weights"]
        row["served"] = row["corrected"] if row["gate_passed"] else weights_ndcg
        rows.append(row)
    return {
        "served": served,
        "weights": weights_ndcg,
        "oracle": oracle_ndcg,
        "budgets": rows,
        "test_graduates": len(truth),
        "train_lists": len(order),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=4000, help="generated postings")
    parser.add_argument("--graduates", type=int, default=1600)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--explore", type=float, default=0.1, help="exploration rate")
    parser.add_argument("--out", help="result file (default results/bench_feedback.json)")
    args = parser.parse_args()
    started = time.perf_counter()
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), scale=args.scale, seed=7, graduates=args.graduates, as_of=AS_OF)
        settings = Settings.from_env()
        for seed in range(args.seeds):  # a fresh store (and log) for each seed
            with engine_on(
                [Path(tmp) / "positions.jsonl"],
                Path(tmp) / "graduates.jsonl",
                settings,
                lambda m: print(m, file=sys.stderr),
            ) as matcher:
                graduates = matcher.store.get_many("graduates", matcher.graduates.keys())
                postings = matcher.store.get_many("positions", matcher.positions.keys())
                industries = sorted(
                    {str(p.get("industry")) for p in postings.values() if p.get("industry")}
                )
                runs.append(one_run(matcher, graduates, industries, seed, args.explore))
            print(f"seed {seed}: {runs[-1]['budgets'][-1]}", file=sys.stderr)
    table = []
    for i, row in enumerate(runs[0]["budgets"]):
        same = [r["budgets"][i] for r in runs if len(r["budgets"]) > i]
        table.append(
            {
                "lists": row["lists"],
                "positive_items": statistics.median(b["positive_items"] for b in same),
                "weights": round(statistics.median(r["weights"] for r in runs), 4),
                "naive": round(statistics.median(b["naive"] for b in same), 4),
                "corrected": round(statistics.median(b["corrected"] for b in same), 4),
                "served": round(statistics.median(b["served"] for b in same), 4),
                "gate_passed": sum(b["gate_passed"] for b in same),
            }
        )
    result = {
        "parameters": vars(args) | {"budgets": list(BUDGETS), "as_of": AS_OF.isoformat()},
        "runs": runs,
        "table": table,
        "seconds": round(time.perf_counter() - started, 1),
        "peak_rss_mib": peak_rss_mib(),
    }
    result["oracle"] = round(statistics.median(r["oracle"] for r in runs), 4)
    path = write_result("bench_feedback", result, Path(args.out) if args.out else None)
    head = f"{'lists':>6} {'positive':>9} {'weights':>8} {'naive':>8} {'corrected':>10}"
    print(f"{head} {'served':>8} {'gate':>5}")
    for row in table:
        print(
            f"{row['lists']:>6} {row['positive_items']:>9} {row['weights']:>8.4f} "
            f"{row['naive']:>8.4f} {row['corrected']:>10.4f} {row['served']:>8.4f} "
            f"{row['gate_passed']:>3}/{len(runs)}"
        )
    print(f"ceiling (trained on the hidden truth of the earlier graduates): {result['oracle']}")
    print(f"written {path}")


if __name__ == "__main__":
    main()
