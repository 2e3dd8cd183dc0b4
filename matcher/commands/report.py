"""``matcher report KIND``: reports for the bureau over the current pool —
``matcher report monthly --month 2022-08`` writes the monthly supply-and-demand report (HTML,
Markdown, JSON); ``matcher report fairness`` measures exposure and help by group."""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from matcher.commands import settings_of


def cmd_fairness(args: argparse.Namespace) -> int:
    from matcher.engine.orchestrator import Matcher
    from matcher.quality.fairness import fairness_by_ranker, fairness_report, render_fairness

    today = date.fromisoformat(args.as_of) if args.as_of else None
    matcher = Matcher.open(settings_of(args))
    asked = {"sample": args.sample, "seed": args.seed, "k": args.k, "today": today}
    if args.compare_rankers:
        both = fairness_by_ranker(matcher, **asked)
        if args.json:
            print(json.dumps(both, ensure_ascii=False))
        for choice, found in [] if args.json else both.items():
            print(f"## 排序方式：{choice}（{found['ranker']}）\n\n{render_fairness(found)}")
        return 0
    found = fairness_report(matcher, **asked)
    print(json.dumps(found, ensure_ascii=False) if args.json else render_fairness(found))
    return 0


def cmd_monthly(args: argparse.Namespace) -> int:
    from matcher.analytics import Month, monthly_report, write_report
    from matcher.store import Store

    settings = settings_of(args)
    month = Month.parse(args.month) if args.month else Month.containing(date.today()).previous()
    sample = settings.report_sample if args.sample is None else args.sample
    threshold = settings.fit_threshold if args.threshold is None else args.threshold
    if sample < 0 or not 0.0 <= threshold <= 1.0:
        raise ValueError("--sample must be 0 or more and --threshold between 0 and 1")
    started = time.perf_counter()
    store = Store.open(settings)
    try:
        matcher = None
        if sample > 0:
            from matcher.engine.orchestrator import Matcher

            matcher = Matcher.open(settings, store=store)
            print(f"engine ready in {time.perf_counter() - started:.1f} s")
        report = monthly_report(
            store,
            month,
            matcher=matcher,
            threshold=threshold,
            sample=sample,
            seed=args.seed,
            log=lambda line: print(f"  {line}", file=sys.stderr, flush=True),  # each stage done
        )
        out = Path(args.out) if args.out else settings.data_dir / "reports"
        written = write_report(report, out, settings.home_province)
    finally:
        store.close()
    print("  ".join(f"{name} {t:.1f} s" for name, t in report["seconds"].items()))
    print(f"monthly report {month}: {written.html}")
    print(f"  Markdown {written.markdown} (charts in {written.markdown.with_suffix('')}_files/)")
    print(f"  figures  {written.figures}")
    print(f"done in {time.perf_counter() - started:.1f} s")
    return 0


def register(sub: Any) -> Any:
    """Add ``report`` to the ``matcher`` sub-parsers; returns the report kinds' sub-parsers."""
    parser = sub.add_parser("report", help="reports for the bureau")
    kinds = parser.add_subparsers(dest="report", required=True)
    monthly = kinds.add_parser(
        "monthly", help="monthly supply and demand report (HTML with charts, Markdown, JSON)"
    )
    monthly.add_argument(
        "--month", help="reporting month YYYY-MM (default: the previous calendar month)"
    )
    monthly.add_argument("--out", help="output folder (default: DATA_DIR/reports)")
    monthly.add_argument(
        "--sample",
        type=int,
        default=None,
        help="postings and graduates judged by the engine for the hard-to-fill and "
        "hard-to-place sections (MATCHER_REPORT_SAMPLE; 0 skips them)",
    )
    monthly.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="fit threshold of a best match (MATCHER_FIT_THRESHOLD)",
    )
    monthly.add_argument("--seed", type=int, default=0, help="seed of the sample")
    monthly.set_defaults(func=cmd_monthly)
    fairness = kinds.add_parser(
        "fairness", help="exposure in top-k recommendations by support group, size, district"
    )
    fairness.add_argument("--sample", type=int, default=500, help="graduates sampled")
    fairness.add_argument("--seed", type=int, default=0, help="sampling seed")
    fairness.add_argument("-k", type=int, default=10, help="recommendations per graduate")
    fairness.add_argument("--as-of", help="reference date YYYY-MM-DD (default: today)")
    fairness.add_argument("--json", action="store_true", help="print one JSON object")
    fairness.add_argument(
        "--compare-rankers",
        action="store_true",
        help="the report under the learned ranker and the hand weights, on the same sample",
    )
    fairness.set_defaults(func=cmd_fairness)
    return kinds
