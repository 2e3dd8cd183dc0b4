"""Draw the latest bench_recommend figures: latency against size and against filter
selectivity, the engine beside the brute-force baseline. Writes PNGs to benchmarks/plots/.
Usage: python benchmarks/plot.py"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

HERE = Path(__file__).parent


def main() -> None:
    source = HERE / "results" / "bench_recommend.json"
    if not source.is_file():
        raise SystemExit(f"{source} is missing; run bench_recommend.py first")
    data = json.loads(source.read_text(encoding="utf-8"))
    sizes = data["sizes"]
    out = HERE / "plots"
    out.mkdir(exist_ok=True)
    targets = [k for k in next(iter(sizes.values())) if k.endswith("%")]
    xs = sorted(int(s) for s in sizes)
    share = {t: sizes[str(xs[0])][t]["filter"]["share"] for t in targets}

    fig, ax = plt.subplots(figsize=(6, 4))
    for target in targets:
        ax.plot(
            xs,
            [sizes[str(x)][target]["recommend_ms"]["p50"] for x in xs],
            "o-",
            label=f"engine p50, filter leaves ≈{share[target]:.2%}",
        )
    ax.plot(
        xs,
        [sizes[str(x)][targets[0]]["bruteforce_ms"]["p50"] for x in xs],
        "k--",
        label=f"brute force p50, filter leaves ≈{share[targets[0]]:.2%}",
    )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("postings")
    ax.set_ylabel("ms per query")
    ax.axhline(5, color="grey", lw=0.8)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out / "latency_by_size.png", dpi=110)

    fig, ax = plt.subplots(figsize=(6, 4))
    for size in xs:
        rows = [sizes[str(size)][t] for t in targets]
        shares = [r["filter"]["share"] * 100 for r in rows]
        ax.plot(shares, [r["recommend_ms"]["p50"] for r in rows], "o-", label=f"{size:,} p50")
        ax.plot(shares, [r["recommend_ms"]["p99"] for r in rows], "x:", label=f"{size:,} p99")
    ax.set_xscale("log")
    ax.set_xlabel("postings left by the filter (%)")
    ax.set_ylabel("ms per query")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out / "latency_by_selectivity.png", dpi=110)
    print(f"written to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
