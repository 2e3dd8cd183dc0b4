"""The ``matcher`` command: database, ingestion, demo data, statistics and the API server."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from matcher.commands import compliance as compliance_commands
from matcher.commands import graduates as graduate_commands
from matcher.commands import index as index_commands
from matcher.commands import offers as offer_commands
from matcher.commands import partners as partner_commands
from matcher.commands import plans as plan_commands
from matcher.commands import quality as quality_commands
from matcher.commands import report as report_commands
from matcher.commands import resumes as resume_commands
from matcher.commands import review as review_commands
from matcher.commands.progress import Progress, count_lines
from matcher.config import Settings
from matcher.errors import MatcherError
from matcher.records.prepare import ENTITIES

MAX_SHOWN_REJECTS = 50


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(
        data_dir=Path(args.data_dir) if args.data_dir else None,
        database_url=args.database_url,
    )


def cmd_db(args: argparse.Namespace) -> int:
    from matcher.store import migrate
    from matcher.store.db import create_engine

    engine = create_engine(_settings(args).resolved_database_url)
    if args.action == "upgrade":
        print(f"schema upgraded to revision {migrate.upgrade(engine)}")
    else:
        current = migrate.current_revision(engine)
        head = migrate.head_revision()
        print(f"current revision: {current or 'none'} (latest: {head})")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from matcher.ingest.files import ingest_file
    from matcher.store import Store

    settings = _settings(args)
    store = Store.open(settings)
    path = Path(args.file)
    shown = Progress(f"{args.entity} {path.name}", count_lines(path) if path.is_file() else None)
    try:
        report = ingest_file(
            store,
            args.entity,
            path,
            batch_size=args.batch_size or settings.batch_size,
            rejects_dir=settings.data_dir / "rejects",
            workers=args.workers,
            progress=shown.update,
        )
    finally:
        shown.close()
    for reject in report.rejected[:MAX_SHOWN_REJECTS]:
        print(
            f"line {reject.line}: id {reject.record_id or '?'}: {reject.message}\n  {reject.zh}",
            file=sys.stderr,
        )
    if len(report.rejected) > MAX_SHOWN_REJECTS:
        print(
            f"... and {len(report.rejected) - MAX_SHOWN_REJECTS} more rejected records",
            file=sys.stderr,
        )
    print(report.summary())
    changed = report.counts.inserted + report.counts.updated
    if args.index and changed and args.entity in ("positions", "graduates", "employers"):
        from matcher.engine.orchestrator import Matcher

        building = Progress("index", store.count("positions"))
        try:
            sync = Matcher.open(settings, store=store, progress=building.update).last_sync
        finally:
            building.close()
        print(
            f"index: {sync.positions_encoded} postings and {sync.graduates_encoded} profiles "
            f"encoded, watermark {sync.watermark}"
        )
    return 1 if report.rejected else 0


def cmd_generate(args: argparse.Namespace) -> int:
    from matcher.datasets import generate

    as_of = date.fromisoformat(args.as_of) if args.as_of else None
    extra = {"as_of": as_of} if as_of else {}
    counts = generate(
        Path(args.out), scale=args.scale, seed=args.seed, graduates=args.graduates, **extra
    )
    for stem, n in counts.items():
        print(f"{stem}: {n:,} records → {Path(args.out) / (stem + '.jsonl')}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from matcher.store import Store

    store = Store.open(_settings(args))
    for entity in ENTITIES:
        print(f"{entity:10s} {store.count(entity):>10,}")
    for kind, n in sorted(store.grouped_counts("positions", "kind").items()):
        print(f"  positions.{kind:20s} {n:>10,}")
    print(f"watermark  {store.watermark():>10,}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from api.server import serve

    settings = _settings(args)
    if args.no_worker:
        settings = settings.replace(api_worker=False)
    serve(settings, host=args.host, port=args.port, workers=args.workers)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from matcher.ingest.demo import is_loaded, load_demo, port_in_use
    from matcher.store import Store

    settings = _settings(args)
    if not args.no_serve and port_in_use(args.host, args.port):
        print(
            f"error: port {args.port} is already in use — is the demo already being served? "
            f"Open http://127.0.0.1:{args.port}/docs, or choose another port with --port N "
            f"（端口 {args.port} 已被占用：演示服务可能已在运行）",
            file=sys.stderr,
        )
        return 1
    store = Store.open(settings)
    if is_loaded(store):
        print(
            f"the store at {settings.resolved_database_url} already holds "
            f"{store.count('positions'):,} postings and {store.count('graduates'):,} graduates: "
            "serving it as it is, nothing is loaded again（数据已加载，直接启动服务）"
        )
    else:
        print(
            f"loading the Chongqing demo data set ({args.scale:,} postings) into "
            f"{settings.resolved_database_url}"
        )
        for report in load_demo(settings, args.scale):
            print("  " + report.summary())
        plan_commands.assign_demo_advisers(store, settings)
        _print_demo_recommendations(settings)
    plan_commands.print_demo_keys(store, settings)
    store.close()
    if args.no_serve:
        return 0
    return cmd_serve(args)


def _print_demo_recommendations(settings: Settings, graduates: int = 3, k: int = 5) -> None:
    from matcher.engine.orchestrator import Matcher

    matcher = Matcher.open(settings)
    ids = sorted(matcher.store.reachable_graduates())[: 20 * graduates]
    records = matcher.store.get_many("graduates", ids)
    seeking = [records[g] for g in ids if g in records and not records[g].get("support")]
    seeking = seeking[:graduates]
    print(f"\ntop-{k} recommendations for {len(seeking)} demo graduates:")
    for graduate, matches in zip(
        seeking, matcher.recommend([g["id"] for g in seeking], k), strict=True
    ):
        print(
            f"\n{graduate['id']} {graduate.get('name', '')} — {graduate.get('major', '')} "
            f"({graduate.get('degree', '')}, {graduate.get('school', '')})"
        )
        _print_matches(matches)
    print()


def _print_matches(matches: list[Any]) -> None:
    for rank, m in enumerate(matches, start=1):
        print(f"  {rank}. {m.title} — {m.subtitle} ({m.place}) score {m.score:.3f}")
        print(f"     {'；'.join(m.reasons + m.missing)}")


def cmd_matches(args: argparse.Namespace) -> int:
    """``recommend`` (postings for graduates) and ``candidates`` (graduates for postings)."""
    from matcher.engine.orchestrator import Matcher

    matcher = Matcher.open(_settings(args))
    find = matcher.recommend if args.command == "recommend" else matcher.candidates
    for record_id, matches in zip(args.ids, find(args.ids, args.k), strict=True):
        print(f"{record_id}:")
        _print_matches(matches)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="matcher", description=__doc__)
    parser.add_argument(
        "--data-dir", help="folder for the SQLite store and index (MATCHER_DATA_DIR)"
    )
    parser.add_argument("--database-url", help="SQLAlchemy URL (MATCHER_DATABASE_URL)")
    sub = parser.add_subparsers(dest="command", required=True)

    db = sub.add_parser("db", help="database schema")
    db.add_argument("action", choices=["upgrade", "current"])
    db.set_defaults(func=cmd_db)

    ingest = sub.add_parser("ingest", help="load a JSONL or CSV file into the store")
    ingest.add_argument("entity", choices=ENTITIES)
    ingest.add_argument("file")
    ingest.add_argument("--batch-size", type=int, default=0, help="records per commit")
    ingest.add_argument(
        "--workers",
        type=int,
        default=min(os.cpu_count() or 1, 4),
        help="processes that parse, validate and screen while this one writes (0: none)",
    )
    ingest.add_argument(
        "--no-index",
        dest="index",
        action="store_false",
        help="do not bring the vector index up to date after loading",
    )
    ingest.set_defaults(func=cmd_ingest)

    gen = sub.add_parser("generate", help="write a realistic Chongqing data set")
    gen.add_argument("out", help="output folder")
    gen.add_argument("--scale", type=int, default=2000, help="number of postings")
    gen.add_argument("--seed", type=int, default=0)
    gen.add_argument("--graduates", type=int, default=None, help="default: same as --scale")
    gen.add_argument("--as-of", default=None, help="reference date YYYY-MM-DD")
    gen.set_defaults(func=cmd_generate)

    quality_commands.register(sub, _settings)  # train-encoder, eval

    for name, helptext in (
        ("recommend", "top postings for graduates"),
        ("candidates", "top graduates for postings"),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("ids", nargs="+")
        p.add_argument("-k", type=int, default=5)
        p.set_defaults(func=cmd_matches)

    offer_commands.register(sub, _settings)
    index_commands.register(sub, _settings)  # index build
    compliance_commands.register(sub)  # screen, compliance
    review_commands.register(sub)  # review list, clear, reject, export, score
    report_commands.register(sub)  # report monthly, report fairness
    plan_commands.register(sub, _settings)
    resume_commands.register(sub)  # parse-resume
    graduate_commands.register(sub, _settings)  # graduates link, revoke-links
    partner_commands.register(sub, _settings)  # partners add, list, suspend, resume

    sub.add_parser("stats", help="counts of stored records").set_defaults(func=cmd_stats)

    for name, helptext in (("serve", "run the HTTP API"), ("demo", "load demo data and serve")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, default=8000)
        p.add_argument("--workers", type=int, default=1)
        p.add_argument(
            "--no-worker",
            action="store_true",
            help="do not run campaigns and delivery here (run `matcher worker` instead)",
        )
        p.set_defaults(func=cmd_serve if name == "serve" else cmd_demo)
        if name == "demo":
            p.add_argument("--scale", type=int, default=3000, help="demo postings")
            p.add_argument("--no-serve", action="store_true", help="load only, do not serve")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except MatcherError as exc:
        print(f"error: {exc}（{exc.zh}）", file=sys.stderr)
        return 2
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
