"""``matcher report ...``: reports for the bureau. ``matcher report monthly --month 2022-08``
writes the monthly supply-and-demand report as HTML, Markdown and JSON."""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path
from typing import Any

from matcher.config import Settings


def register(sub: Any) -> None:
    """Add ``report`` with its own sub-commands to the ``matcher`` parser's subparsers."""
    report = sub.add_parser("report", help="reports for the bureau")
    kinds = report.add_subparsers(dest="report", required=True)
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


def cmd_monthly(args: argparse.Namespace) -> int:
    from matcher.analytics import Month, monthly_report, write_report
    from matcher.store import Store

    settings = Settings.from_env(
        data_dir=Path(args.data_dir) if args.data_dir else None, database_url=args.database_url
    )
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
            from matcher.engine import Matcher

            matcher = Matcher.open(settings, store=store)
            print(f"engine ready in {time.perf_counter() - started:.1f} s")
        report = monthly_report(
            store, month, matcher=matcher, threshold=threshold, sample=sample, seed=args.seed
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
