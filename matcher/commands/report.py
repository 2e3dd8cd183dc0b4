"""``matcher report KIND``: reports over the current pool. Each kind is a sub-parser of the
``report`` parser; :func:`register` returns their sub-parsers object so more kinds can be
added beside ``fairness``."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from matcher.commands import settings_of


def cmd_fairness(args: argparse.Namespace) -> int:
    from matcher.engine import Matcher
    from matcher.fairness import fairness_report, render_fairness

    today = date.fromisoformat(args.as_of) if args.as_of else None
    matcher = Matcher.open(settings_of(args))
    found = fairness_report(matcher, sample=args.sample, seed=args.seed, k=args.k, today=today)
    print(json.dumps(found, ensure_ascii=False) if args.json else render_fairness(found))
    return 0


def register(sub: Any) -> Any:
    """Add ``report`` to the ``matcher`` sub-parsers; returns the report kinds' sub-parsers."""
    parser = sub.add_parser("report", help="reports over the current pool")
    kinds = parser.add_subparsers(dest="report", required=True, metavar="KIND")
    fairness = kinds.add_parser(
        "fairness", help="exposure in top-k recommendations by support group, size, district"
    )
    fairness.add_argument("--sample", type=int, default=500, help="graduates sampled")
    fairness.add_argument("--seed", type=int, default=0, help="sampling seed")
    fairness.add_argument("-k", type=int, default=10, help="recommendations per graduate")
    fairness.add_argument("--as-of", help="reference date YYYY-MM-DD (default: today)")
    fairness.add_argument("--json", action="store_true", help="print one JSON object")
    fairness.set_defaults(func=cmd_fairness)
    return kinds
