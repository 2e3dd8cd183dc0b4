"""``matcher screen`` (screen a file, or measure the screener on labelled postings; with
``--suggest`` the classifier's second opinion too, and ``--train-classifier`` trains it) and
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
from matcher.errors import MatcherError, ValidationError

SHOWN = 50
BATCH = 256  # postings scored together by the classifier


def _rules(args: argparse.Namespace) -> RuleSet:
    return RuleSet.load(Path(args.rules)) if args.rules else default_rules()


def _paths(value: str | None) -> list[Path]:
    return [Path(p) for p in (value or "").split(",") if p]


def _suggester(args: argparse.Namespace) -> Any:
    from matcher.compliance.classifier import Suggester

    return Suggester.load(Path(args.model) if args.model else None)


def cmd_screen(args: argparse.Namespace) -> int:
    if args.train_classifier:
        return _train(args)
    if args.eval:
        return _evaluate(args)
    if not args.file:
        raise MatcherError(
            "give a posting FILE to screen, or --eval LABELS.jsonl --positions F",
            zh="请给出要筛查的岗位文件，或用 --eval 标注文件 --positions 岗位文件 评测",
        )
    from matcher.ingest.readers import read_records
    from matcher.records.prepare import prepare

    path = Path(args.file)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    rules = _rules(args)
    suggester = _suggester(args) if args.suggest else None
    screened, rejected = 0, 0
    counts: dict[str, dict[str, int]] = {"flagged": {}, "suggested": {}}
    batch: list[tuple[int, dict[str, Any], list[Flag]]] = []
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
        batch.append((number, record, rules.screen(record)))
        if len(batch) >= BATCH:
            _emit(batch, suggester, args.json, counts)
            batch = []
    _emit(batch, suggester, args.json, counts)
    summary = f"screened {screened} postings: {_counted(counts['flagged'], 'flagged')}"
    if suggester is not None:
        summary += f"; {_counted(counts['suggested'], 'more suggested for review')}"
    summary += f", {rejected} invalid" if rejected else ""
    print(summary, file=sys.stderr if args.json else sys.stdout)
    return 1 if rejected else 0


def _counted(by_category: dict[str, int], what: str) -> str:
    listed = ", ".join(f"{c} {by_category[c]}" for c in CATEGORIES if c in by_category)
    return f"{by_category.get('', 0)} {what}" + (f" ({listed})" if listed else "")


def _emit(
    batch: list[tuple[int, dict[str, Any], list[Flag]]],
    suggester: Any,
    as_json: bool,
    counts: dict[str, dict[str, int]],
) -> None:
    """Print the flagged postings of a batch (and, with a suggester, the unflagged categories
    it suggests a reviewer looks at); count both per category (key "": postings)."""
    flagged = [{f.category for f in flags} for _, _, flags in batch]
    suggested = suggester.suggest([r for _, r, _ in batch], flagged) if suggester else []
    for k, (number, record, flags) in enumerate(batch):
        extra = suggested[k] if suggester else []
        for kind, cats in (("flagged", flagged[k]), ("suggested", {s.category for s in extra})):
            for category in [""] * bool(cats) + sorted(cats):
                counts[kind][category] = counts[kind].get(category, 0) + 1
        if not flags and not extra:
            continue
        if as_json:
            out = {"id": record["id"], "line": number, "flags": [f.to_dict() for f in flags]}
            if suggester is not None:
                out["suggestions"] = [s.to_dict() for s in extra]
            print(json.dumps(out, ensure_ascii=False))
            continue
        _print_flags(f"line {number}: {record['id']} {record.get('title', '')}", flags)
        for s in extra:
            print(f"  [review? {s.category} {s.score:.2f}] 建议人工复核（模型意见，不作拦截依据）")


def _print_flags(header: str, flags: list[Flag]) -> None:
    print(header)
    for f in flags:
        print(f"  [{f.category}] {f.match!r} ({f.field} {f.start}-{f.end}, rule {f.rule})")
        print(f"    依据：{f.basis}")
        print(f"    建议：{f.rewrite}")


def _train(args: argparse.Namespace) -> int:
    from matcher.compliance.classifier import MODEL_FILE
    from matcher.compliance.second_opinion import render_training, train

    if not args.positions:
        raise MatcherError(
            "--train-classifier needs the real postings: --positions F[,F...] (and --labels)",
            zh="训练分类模型需要岗位文件：--positions 文件[,文件...]（以及 --labels 标注文件）",
        )
    out = Path(args.model) if args.model else MODEL_FILE
    suggester, report = train(
        _paths(args.positions),
        _paths(args.labels),
        _rules(args),
        folds=args.folds,
        max_clean=args.max_clean,
        say=lambda message: print(message, file=sys.stderr),
    )
    suggester.save(out)
    (out.parent / "training.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(json.dumps(report, ensure_ascii=False) if args.json else render_training(report))
    print(f"model written to {out}", file=sys.stderr)
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from matcher.compliance.evaluate import evaluate_files, render_scores

    if not args.positions:
        raise MatcherError(
            "--eval needs the posting files the labels refer to: --positions F[,F...]",
            zh="评测需要标注所指的岗位文件：--positions 文件[,文件...]",
        )
    paths = _paths(args.positions)
    rules = _rules(args)
    suggester = _suggester(args) if args.suggest else None
    scores, missing = evaluate_files(Path(args.eval), paths, rules)
    if missing:
        print(
            f"{len(missing)} labelled postings are not in the posting files and were left out "
            f"(first: {', '.join(missing[:5])})",
            file=sys.stderr,
        )
    if suggester is not None:
        from matcher.compliance.second_opinion import evaluate_suggestions, render_added

        scores["second_opinion"] = evaluate_suggestions(Path(args.eval), paths, rules, suggester)
    print(json.dumps(scores, ensure_ascii=False) if args.json else render_scores(scores))
    if suggester is not None and not args.json:
        print(render_added(scores["second_opinion"]))
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
    screen.add_argument(
        "--suggest",
        action="store_true",
        help="also show what the classifier suggests for review where no rule flagged "
        "(slower; a suggestion never holds a posting back)",
    )
    screen.add_argument("--model", help="classifier file (default models/compliance/)")
    screen.add_argument(
        "--train-classifier",
        action="store_true",
        help="train the classifier on --positions (labelled by the rules) and --labels "
        "(labelled by hand); writes --model and training.json beside it",
    )
    screen.add_argument("--labels", help="with --train-classifier: label files, comma-separated")
    screen.add_argument("--folds", type=int, default=5, help="cross-validation folds")
    screen.add_argument(
        "--max-clean", type=int, default=15000, help="clean postings sampled for training"
    )
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
