"""``matcher keys``, ``matcher worker``, ``matcher campaigns`` and ``matcher outbox``: API keys,
the background worker (campaigns and offer delivery), running one campaign now (on Ray with
``--ray``) and the dead letters of delivery."""

from __future__ import annotations

import argparse
import json
import signal
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from matcher.access import Role
from matcher.commands.cluster import on_ray, ray_options, where
from matcher.config import Settings

if TYPE_CHECKING:
    from matcher.store import Store

SettingsOf = Callable[[argparse.Namespace], Settings]


def _scope(pairs: list[str]) -> dict[str, Any]:
    scope: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not value:
            raise ValueError(f"--scope {pair!r}: expected NAME=VALUE, e.g. districts=500112")
        scope[name] = [v.strip() for v in value.split(",")] if name == "districts" else value
    return scope


def cmd_keys(args: argparse.Namespace, settings: Settings) -> int:
    from matcher.store import Store
    from matcher.store.keys import ApiKeys

    keys = ApiKeys(Store.open(settings))
    if args.action == "create":
        if not args.role:
            raise ValueError("matcher keys create needs --role")
        key_id, key = keys.issue(args.role, _scope(args.scope), args.name)
        print(f"created {args.role} key {key_id} (shown once, keep it safe):\n{key}")
    elif args.action == "list":
        for k in keys.all():
            state = f"revoked {k['revoked_at']}" if k["revoked_at"] else "active"
            shown = json.dumps(k["scope"], ensure_ascii=False)
            print(f"{k['id']}  {k['role']:9s} {state:8s} {shown} {k['name']}")
    else:
        if not args.id:
            raise ValueError("matcher keys revoke needs the key id")
        keys.revoke(args.id)
        print(f"revoked key {args.id}")
    return 0


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    from matcher.engine.orchestrator import Matcher
    from matcher.store import Store
    from matcher.worker import Worker

    settings = on_ray(args, settings)
    store = Store.open(settings)
    engine: list[Matcher] = []

    def matcher() -> Matcher:
        if not engine:  # loaded only when a campaign is due
            engine.append(Matcher.open(settings, store=store))
        return engine[0]

    worker = Worker(store, settings, matcher=matcher)
    if args.once:
        print(f"worker: {worker.run_once()} campaigns and messages handled")
        return 0
    signal.signal(signal.SIGTERM, lambda *_: worker.stop())
    print(f"worker: delivering to {len(settings.webhooks)} webhook(s); Ctrl-C stops")
    try:
        worker.run(log=print)
    except KeyboardInterrupt:
        worker.stop()
    return 0


def cmd_campaigns(args: argparse.Namespace, settings: Settings) -> int:
    from matcher.engine.orchestrator import Matcher
    from matcher.offers.campaigns import run_campaign
    from matcher.store import Store
    from matcher.store.campaigns import Campaigns

    store = Store.open(settings)
    campaigns = Campaigns(store)
    if args.action == "create":
        return _create_campaign(args, store)
    if args.action == "list":
        after: str | None = None
        while True:
            page, after = campaigns.page(after, limit=500)
            for c in page:
                counts = c["counts"] or {}
                print(
                    f"{c['id']}  {c['status']:9s} {c['name']}  processed "
                    f"{counts.get('processed', 0)} of {counts.get('segment', '?')}, "
                    f"offered {counts.get('offered', 0)}"
                )
            if after is None:
                return 0
    if not args.id:
        raise ValueError("matcher campaigns run needs the campaign id (see matcher campaigns list)")
    campaigns.get(args.id)  # an unknown id is named before anything loads
    settings = on_ray(args, settings)
    print(f"campaign {args.id}: ranking {where(settings)}")
    counts = run_campaign(Matcher.open(settings, store=store), args.id)
    record = campaigns.get(args.id)
    print(f"campaign {args.id}: {record['status']}, {json.dumps(counts, ensure_ascii=False)}")
    return 0 if record["status"] == "done" else 1


def _create_campaign(args: argparse.Namespace, store: Store) -> int:
    from datetime import datetime

    from matcher.offers.campaigns import Segment, create_campaign

    if not args.name:
        raise ValueError("matcher campaigns create needs --name, e.g. --name 九月见习推送")
    segment = Segment(graduation_years=args.year, majors=args.major, districts=args.district)
    try:
        at = datetime.fromisoformat(args.at) if args.at else None
    except ValueError:
        raise ValueError(
            f"--at {args.at!r} is not a date and time; use e.g. 2026-12-01T09:00:00+08:00"
        ) from None
    made = create_campaign(
        store, name=args.name, segment=segment, k=args.k, kinds=args.kind, scheduled_at=at
    )
    print(f"created campaign {made.record['id']} ({made.record['status']})")
    return 0


def cmd_outbox(args: argparse.Namespace, settings: Settings) -> int:
    from matcher.store import Store
    from matcher.store.outbox import Outbox

    outbox = Outbox(Store.open(settings))
    if args.action == "retry":
        print(f"requeued {outbox.retry(args.ids or None)} dead letters")
        return 0
    counts = outbox.counts()
    print("outbox: " + ", ".join(f"{s} {n}" for s, n in sorted(counts.items())) or "empty")
    items, _ = outbox.page(args.status, None, args.limit)
    for m in items:
        print(
            f"{m['id']}  offer {m['offer_id']}  {m['status']:9s} attempts {m['attempts']}  "
            f"{m['endpoint']}  {m['last_error'] or ''}"
        )
    return 0


def register(sub: Any, settings_of: SettingsOf) -> None:
    def bind(
        parser: argparse.ArgumentParser, run: Callable[[argparse.Namespace, Settings], int]
    ) -> None:
        parser.set_defaults(func=lambda args: run(args, settings_of(args)))

    keys = sub.add_parser("keys", help="API keys: create, list, revoke")
    keys.add_argument("action", choices=["create", "list", "revoke"])
    keys.add_argument("id", nargs="?", help="key id (revoke)")
    keys.add_argument("--role", choices=[r.value for r in Role])
    keys.add_argument(
        "--scope",
        action="append",
        default=[],
        help="adviser=ID, districts=CODE[,CODE], employer=CREDIT_CODE or graduate=ID",
    )
    keys.add_argument("--name", default="", help="who or what the key is for")
    bind(keys, cmd_keys)

    worker = sub.add_parser("worker", help="run campaigns and deliver offers (webhooks)")
    worker.add_argument("--once", action="store_true", help="one pass, then exit")
    ray_options(worker, "rank campaigns")
    bind(worker, cmd_worker)

    campaigns = sub.add_parser("campaigns", help="create or list campaigns, or run one now")
    campaigns.add_argument("action", choices=["create", "list", "run"])
    campaigns.add_argument("id", nargs="?", help="campaign id (run)")
    campaigns.add_argument("--name", help="create: the campaign's name")
    campaigns.add_argument("-k", type=int, default=10, help="create: postings per graduate")
    campaigns.add_argument("--kind", action="append", default=[], help="create: posting kinds")
    campaigns.add_argument("--major", action="append", default=[], help="create: 专业类 or major")
    campaigns.add_argument("--district", action="append", default=[], help="create: district")
    campaigns.add_argument("--year", action="append", type=int, default=[], help="create: year")
    campaigns.add_argument("--at", help="create: run at, e.g. 2026-12-01T09:00:00+08:00")
    ray_options(campaigns, "rank campaigns")
    bind(campaigns, cmd_campaigns)

    outbox = sub.add_parser("outbox", help="delivery messages and dead letters")
    outbox.add_argument("action", choices=["list", "retry"])
    outbox.add_argument("ids", nargs="*", help="message ids to retry (default: all dead)")
    outbox.add_argument("--status", choices=["pending", "delivered", "dead"])
    outbox.add_argument("--limit", type=int, default=50)
    bind(outbox, cmd_outbox)
