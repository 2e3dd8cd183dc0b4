"""``matcher review``: the bureau's review queue at scale (issue #19, item 5) — the flagged
postings most certain first (``list``), many decided at once (``clear``, ``reject``), the
classifier's opinion folded into the queue's confidence (``score``) and the confirmed
decisions exported as labelled data (``export``) that ``matcher screen --eval`` and
``matcher screen --train-classifier`` read as they are."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from matcher.commands import settings_of
from matcher.compliance.screen import CATEGORIES

SHOWN = 50


def postings_path(labels: Path) -> Path:
    """Where the postings of a labels file go: ``x.labels.jsonl`` → ``x.jsonl`` (the naming
    of ``datasets/compliance/``), any other name → ``<stem>.postings.jsonl``."""
    if labels.name.endswith(".labels.jsonl"):
        return labels.with_name(labels.name.removesuffix(".labels.jsonl") + ".jsonl")
    return labels.with_name(labels.stem + ".postings.jsonl")


def cmd_review(args: argparse.Namespace) -> int:
    from matcher.store import Store

    store = Store.open(settings_of(args))
    try:
        if args.action == "list":
            return _list(store, args)
        if args.action in ("clear", "reject"):
            return _decide(store, args)
        if args.action == "export":
            return _export(store, args)
        return _score(store, args)
    finally:
        store.close()


def _list(store: Any, args: argparse.Namespace) -> int:
    from matcher.store import review_queue, reviews

    status = None if args.status == "all" else args.status
    where = reviews.flagged_filters(status, args.category, args.employer)
    if args.sort == "confidence":
        items, _ = review_queue.queue_page(store, where, None, args.limit)
    else:
        items, _ = store.list("positions", where=where, limit=args.limit)
    for item in items:
        review = item.get("compliance") or {}
        figure = review.get("confidence")
        shown = "  -  " if figure is None else f"{figure:.3f}"
        employer = (item.get("employer") or {}).get("name", "")
        print(
            f"{shown}  {item['id']}  {review.get('status')}  {item.get('title', '')} — {employer}"
        )
        for f in review.get("flags") or ():
            print(f"    [{f['category']}] {f['match']!r} — {f['rewrite']}")
    total = store.count("positions", where)
    print(f"{len(items)} of {total} postings shown (review status: {args.status}, by {args.sort})")
    return 0


def _decide(store: Any, args: argparse.Namespace) -> int:
    from matcher.store import review_queue

    done = review_queue.review_many(store, args.ids, args.action, args.reason, args.actor)
    outcome = "cleared" if args.action == "clear" else "rejected"
    for position_id in done["done"]:
        print(f"{position_id}: {outcome}")
    for failure in done["failed"]:
        print(f"{failure['id']}: not changed ({failure['code']}) — {failure['detail_zh']}")
    print(f"{len(done['done'])} {outcome}, {len(done['failed'])} left as they were")
    return 1 if done["failed"] else 0


def _export(store: Any, args: argparse.Namespace) -> int:
    from matcher.store import review_queue

    labels_out = Path(args.out)
    postings_out = Path(args.postings) if args.postings else postings_path(labels_out)
    if postings_out.resolve() == labels_out.resolve():
        raise ValueError("--postings must name another file than --out")
    since = datetime.combine(date.fromisoformat(args.since), time(), UTC) if args.since else None
    labels_out.parent.mkdir(parents=True, exist_ok=True)
    counts = {"rejected": 0, "cleared": 0}
    with (
        labels_out.open("w", encoding="utf-8") as labels,
        postings_out.open("w", encoding="utf-8") as postings,
    ):
        for label, posting in review_queue.decisions(store, since):
            labels.write(json.dumps(label, ensure_ascii=False) + "\n")
            postings.write(json.dumps(posting, ensure_ascii=False, default=str) + "\n")
            counts["rejected" if label["flags"] else "cleared"] += 1
    print(
        f"{counts['rejected']} rejected and {counts['cleared']} cleared postings: labels in "
        f"{labels_out}, postings in {postings_out}"
    )
    print(
        f"measure the rules on them: matcher screen --eval {labels_out} --positions {postings_out}"
    )
    return 0


def _score(store: Any, args: argparse.Namespace) -> int:
    from matcher.compliance.classifier import Suggester, posting_text
    from matcher.store import review_queue

    suggester = Suggester.load(Path(args.model) if args.model else None)

    def scorer(records: Any) -> list[dict[str, float]]:
        rows = suggester.scores([posting_text(r) for r in records])
        return [dict(zip(CATEGORIES, map(float, row), strict=True)) for row in rows]

    status = None if args.status == "all" else args.status
    changed = review_queue.rescore(store, scorer, status)
    print(f"confidence of {changed} flagged postings changed by the classifier's opinion")
    return 0


def register(sub: Any) -> None:
    """Add ``review`` to the ``matcher`` sub-parsers."""
    review = sub.add_parser("review", help="the bureau's review queue: sorted, bulk, exported")
    actions = review.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="flagged postings, most certain violations first")
    listing.add_argument(
        "--status", default="pending", choices=["pending", "cleared", "rejected", "all"]
    )
    listing.add_argument("--category", choices=CATEGORIES)
    listing.add_argument("--employer", help="only this employer's postings")
    listing.add_argument("--sort", default="confidence", choices=["confidence", "id"])
    listing.add_argument("--limit", type=int, default=SHOWN)
    for name, helptext in (
        ("clear", "clear postings waiting for review: they may be recommended"),
        ("reject", "confirm the violations: the postings stay out"),
    ):
        p = actions.add_parser(name, help=helptext + " (each id answered on its own)")
        p.add_argument("ids", nargs="+", metavar="ID", help="posting ids (at most 500)")
        p.add_argument("--reason", required=True)
        p.add_argument("--actor", default="bureau", help="who decides (audit log)")
    export = actions.add_parser("export", help="confirmed decisions as labelled data")
    export.add_argument("--out", required=True, help="labels file (JSONL) to write")
    export.add_argument(
        "--postings",
        help="postings file to write (default: beside --out, x.labels.jsonl → x.jsonl)",
    )
    export.add_argument("--since", help="only decisions made on or after this day (YYYY-MM-DD)")
    score = actions.add_parser("score", help="fold the classifier's opinion into the confidence")
    score.add_argument("--model", help="classifier file (default models/compliance/)")
    score.add_argument("--status", default="pending", choices=["pending", "all"])
    for parser in actions.choices.values():
        parser.set_defaults(func=cmd_review)
