"""``matcher keys``, ``matcher worker`` and ``matcher outbox``: API keys, the background worker
(campaigns and offer delivery) and the dead letters of delivery."""

from __future__ import annotations

import argparse
import json
import signal
from collections.abc import Callable
from typing import Any

from matcher.access import Role
from matcher.config import Settings

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
    bind(worker, cmd_worker)

    outbox = sub.add_parser("outbox", help="delivery messages and dead letters")
    outbox.add_argument("action", choices=["list", "retry"])
    outbox.add_argument("ids", nargs="*", help="message ids to retry (default: all dead)")
    outbox.add_argument("--status", choices=["pending", "delivered", "dead"])
    outbox.add_argument("--limit", type=int, default=50)
    bind(outbox, cmd_outbox)
