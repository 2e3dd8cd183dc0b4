"""Encoder check: quality and speed of each available backend, in one run.

For each backend: Chinese STS-B test Spearman, LCQMC test ROC-AUC, nDCG@10 of dense-only
retrieval on the dev evaluation set (hard filters: desired city, education), texts/s in batches
of rendered postings, single-text latency, load time and RSS growth. BM25 over jieba words is
reported on the same retrieval task as the reference.

Usage: python benchmarks/bench_encoder.py --data ../shared/data [--backends default,use-m3]
The teacher (use-m3) encodes about 100 postings/s here: its retrieval figure takes ~8 minutes;
skip it with --no-teacher-retrieval.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._machine import write_result
from matcher.quality.evaluate import RetrievalTask, load_task, pair_similarity
from matcher.text.encoders import load_encoder
from matcher.text.render import graduate_text, position_text


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_backend(spec: str, data: Path, task: RetrievalTask, retrieval: bool) -> dict[str, object]:
    rss0, started = _rss_mib(), time.perf_counter()
    encoder = load_encoder(spec)
    encoder.encode_positions(["预热"])
    out: dict[str, object] = {
        "model_id": encoder.model_id,
        "dimension": encoder.dimension,
        "load_s": round(time.perf_counter() - started, 2),
    }
    sts = data / "sts"
    out["stsb_test"] = pair_similarity(
        encoder.encode_positions, sts / "Chinese-STS-B_sts-b-test.txt"
    )["spearman"]
    out["lcqmc_test_auc"] = pair_similarity(encoder.encode_positions, sts / "LCQMC_test.txt").get(
        "roc_auc"
    )
    texts = [position_text(p) for p in task.positions]
    sample = texts[:20_000] if encoder.model_id != "use-m3" else texts[:1_000]
    encoder.encode_positions(sample[:500])  # warm-up
    runs = []
    for _ in range(3 if encoder.model_id != "use-m3" else 1):
        started = time.perf_counter()
        encoder.encode_positions(sample)
        runs.append(len(sample) / (time.perf_counter() - started))
    out["postings_per_s"] = round(statistics.median(runs), 1)
    singles = []
    for text in texts[:200]:
        started = time.perf_counter()
        encoder.encode_graduates([text])
        singles.append((time.perf_counter() - started) * 1000)
    out["single_ms_p50"] = round(statistics.median(singles), 3)
    out["avg_chars"] = round(sum(map(len, sample)) / len(sample), 1)
    if retrieval:
        p = encoder.encode_positions(texts)
        g = encoder.encode_graduates([graduate_text(x) for x in task.graduates])
        out["dev_retrieval"] = task.evaluate(g @ p.T)
    out["rss_growth_mib"] = round(_rss_mib() - rss0, 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--backends", default="default,use-m3")
    parser.add_argument("--no-teacher-retrieval", action="store_true")
    args = parser.parse_args()
    postings = [
        args.data / "postings" / "it-4cities.jsonl",
        args.data / "postings" / "shanghai-mixed.jsonl",
    ]
    dev = args.data / "eval" / "dev"
    task = load_task(postings, dev / "graduates.jsonl", dev / "qrels.tsv")

    from matcher.index.lexical import Lexicon

    started = time.perf_counter()
    bm25 = Lexicon.over([position_text(p) for p in task.positions])
    scores = bm25.scores_many([graduate_text(g) for g in task.graduates])
    results: dict[str, object] = {
        "bm25": {
            "dev_retrieval": task.evaluate(scores),
            "seconds": round(time.perf_counter() - started, 1),
        }
    }
    for spec in args.backends.split(","):
        retrieval = not (spec == "use-m3" and args.no_teacher_retrieval)
        results[spec] = bench_backend(spec, args.data, task, retrieval)
        print(spec, results[spec], flush=True)
    path = write_result(
        "encoder", {"parameters": vars(args) | {"data": str(args.data)}, "results": results}
    )
    print(
        f"{'backend':10s} {'STS-B':>6s} {'LCQMC':>6s} {'nDCG@10':>8s} {'texts/s':>9s} "
        f"{'1 text ms':>9s} {'load s':>6s}"
    )
    for name, r in results.items():
        assert isinstance(r, dict)
        ndcg = r.get("dev_retrieval", {}).get("ndcg@10", "-")  # type: ignore[union-attr]
        print(
            f"{name:10s} {r.get('stsb_test', '-')!s:>6s} {r.get('lcqmc_test_auc', '-')!s:>6s} "
            f"{ndcg!s:>8s} {r.get('postings_per_s', '-')!s:>9s} "
            f"{r.get('single_ms_p50', '-')!s:>9s} {r.get('load_s', '-')!s:>6s}"
        )
    print(f"→ {path}")


if __name__ == "__main__":
    main()
