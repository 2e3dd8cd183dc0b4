"""``matcher screen`` (screen a file, or measure the screener on labelled postings) and
``matcher compliance`` (the bureau's review: list, clear, reject, blacklist proposals,
blacklist and unblacklist, rescreen). ``register`` also adds ``matcher report``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from matcher.commands import settings_of
from matcher.compliance.screen import CATEGORIES, Flag, RuleSet, default_rules
from matcher.errors import ValidationError

SHOWN = 50


def _rules(args: argparse.Namespace) -> RuleSet:
    return RuleSet.load(Path(args.rules)) if args.rules else default_rules()


def cmd_screen(args: argparse.Namespace) -> int:
    if args.eval:
        return _evaluate(args)
    if not args.file:
        raise ValueError("give a posting FILE to screen, or --eval LABELS.jsonl --positions F")
    from matcher.ingest.readers import read_records
    from matcher.records.prepare import prepare

    path = Path(args.file)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    rules = _rules(args)
    screened, flagged, rejected = 0, 0, 0
    by_category: dict[str, int] = {}
    for number, parsed, _raw in read_records(path):
        try:
            if isinstance(parsed, ValidationError):
                raise parsed
            record = prepare("positions", parsed).record
        except ValidationError as exc:
            rejected += 1
            print(f"line {number}: id {exc.record_id or '?'}: {exc}", file=sys.stderr)
            continue
        screened += 1
        flags = rules.screen(record)
        if not flags:
            continue
        flagged += 1
        for category in {f.category for f in flags}:
            by_category[category] = by_category.get(category, 0) + 1
        if args.json:
            out = {"id": record["id"], "line": number, "flags": [f.to_dict() for f in flags]}
            print(json.dumps(out, ensure_ascii=False))
        else:
            _print_flags(f"line {number}: {record['id']} {record.get('title', '')}", flags)
    counts = ", ".join(f"{c} {by_category[c]}" for c in CATEGORIES if c in by_category)
    summary = f"screened {screened} postings: {flagged} flagged"
    summary += (f" ({counts})" if counts else "") + (f", {rejected} invalid" if rejected else "")
    print(summary, file=sys.stderr if args.json else sys.stdout)
    return 1 if rejected else 0


def _print_flags(header: str, flags: list[Flag]) -> None:
    print(header)
    for f in flags:
        print(f"  [{f.category}] {f.match!r} ({f.field} {f.start}-{f.end}, rule {f.rule})")
        print(f"    依据：{f.basis}")
        print(f"    建议：{f.rewrite}")


def _evaluate(args: argparse.Namespace) -> int:
    from matcher.compliance.evaluate import evaluate_files, render_scores

    if not args.positions:
        raise ValueError("--eval needs the posting files the labels refer to: --positions F[,F...]")
    paths = [Path(p) for p in args.positions.split(",") if p]
    scores, missing = evaluate_files(Path(args.eval), paths, _rules(args))
    if missing:
        print(
            f"{len(missing)} labelled postings are not in the posting files and were left out "
            f"(first: {', '.join(missing[:5])})",
            file=sys.stderr,
        )
    print(json.dumps(scores, ensure_ascii=False) if args.json else render_scores(scores))
    return 0


def cmd_compliance(args: argparse.Namespace) -> int:
    from matcher.store import Store, reviews

    store = Store.open(settings_of(args))
    try:
        if args.action == "list":
            return _list(store, args)
        if args.action in ("clear", "reject"):
            posting = reviews.review(store, args.id, args.action, args.reason, args.actor)
            review = posting.get("compliance") or {}
            print(
                f"{args.id}: {review.get('status')} by {review.get('reviewed_by')} — "
                f"{review.get('reason')}"
            )
            return 0
        if args.action == "proposals":
            proposals = reviews.blacklist_proposals(store, args.min)
            for p in proposals:
                cats = ", ".join(f"{c} {n}" for c, n in p.categories.items())
                print(f"{p.employer_id}  {p.name}  {p.violations} rejected postings ({cats})")
                print(f"    postings: {', '.join(p.position_ids[:10])}")
            print(f"{len(proposals)} employers proposed for the blacklist (≥ {args.min} rejected)")
            return 0
        if args.action in ("blacklist", "unblacklist"):
            on = args.action == "blacklist"
            employer = reviews.set_blacklisted(store, args.employer, on, args.reason, args.actor)
            state = "blacklisted" if employer["blacklisted"] else "not blacklisted"
            print(f"{args.employer} {employer.get('name', '')}: {state}")
            return 0
        done = reviews.rescreen(store, _rules(args))
        print(
            f"rescreened {done.screened} postings: {done.newly_flagged} newly flagged, "
            f"{done.unflagged} no longer flagged, {done.unchanged} unchanged"
        )
        return 0
    finally:
        store.close()


def _list(store: Any, args: argparse.Namespace) -> int:
    from matcher.store import reviews

    status = None if args.status == "all" else args.status
    where = reviews.flagged_filters(status, args.category, args.employer)
    items, _ = store.list("positions", where=where, limit=args.limit)
    for item in items:
        review = item.get("compliance") or {}
        employer = (item.get("employer") or {}).get("name", "")
        print(f"{item['id']}  {review.get('status')}  {item.get('title', '')} — {employer}")
        for f in review.get("flags") or ():
            print(f"    [{f['category']}] {f['match']!r} — {f['rewrite']}")
        if review.get("reason"):
            print(f"    {review['status']} by {review.get('reviewed_by')}: {review['reason']}")
    total = store.count("positions", where)
    print(f"{len(items)} of {total} postings shown (review status: {args.status})")
    return 0


def register(sub: Any) -> None:
    """Add ``screen``, ``compliance`` and ``report`` to the ``matcher`` sub-parsers."""
    screen = sub.add_parser("screen", help="screen postings for discrimination and fees")
    screen.add_argument("file", nargs="?", help="posting file (JSONL or CSV); nothing is stored")
    screen.add_argument("--eval", metavar="LABELS", help="score the screener on labelled postings")
    screen.add_argument("--positions", help="with --eval: posting files, comma-separated")
    screen.add_argument("--json", action="store_true", help="JSON output")
    screen.add_argument("--rules", help="a rules file instead of the shipped one (TOML)")
    screen.set_defaults(func=cmd_screen)

    comp = sub.add_parser("compliance", help="review flagged postings and blacklist employers")
    actions = comp.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="flagged postings")
    listing.add_argument(
        "--status", default="pending", choices=["pending", "cleared", "rejected", "all"]
    )
    listing.add_argument("--category", choices=CATEGORIES)
    listing.add_argument("--employer", help="only this employer's postings")
    listing.add_argument("--limit", type=int, default=SHOWN)
    for name, helptext in (
        ("clear", "clear a flagged posting: it may be recommended again"),
        ("reject", "confirm the violation: the posting stays out"),
    ):
        p = actions.add_parser(name, help=helptext)
        p.add_argument("id", help="posting id")
        p.add_argument("--reason", required=True)
        p.add_argument("--actor", default="bureau", help="who decides (audit log)")
    proposals = actions.add_parser("proposals", help="employers proposed for the blacklist")
    proposals.add_argument("--min", type=int, default=2, help="rejected postings needed")
    for name, helptext in (
        ("blacklist", "blacklist an employer: all its postings leave the pool"),
        ("unblacklist", "clear an employer's blacklisting: its postings return"),
    ):
        p = actions.add_parser(name, help=helptext)
        p.add_argument("employer", help="employer id")
        p.add_argument("--reason", required=True)
        p.add_argument("--actor", default="bureau", help="who decides (audit log)")
    again = actions.add_parser("rescreen", help="screen every stored posting again")
    again.add_argument("--rules", help="a rules file instead of the shipped one (TOML)")
    for parser in actions.choices.values():
        parser.set_defaults(func=cmd_compliance)
