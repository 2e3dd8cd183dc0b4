"""``matcher index build``: bring the vector index up to date with the store, or build it
afresh (``--fresh``), in this process or with its encoding and list assignment spread over a
Ray cluster (``--ray``). The index is published atomically: servers keep answering from the
one they hold and load the new one when they restart (or catch up by the store's watermark)."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from matcher.commands.cluster import on_ray, ray_options, where
from matcher.commands.progress import Progress
from matcher.config import Settings

SettingsOf = Callable[[argparse.Namespace], Settings]


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    from matcher.engine.orchestrator import Matcher
    from matcher.scale.building import building_on
    from matcher.store import Store

    settings = on_ray(args, settings)
    store = Store.open(settings)
    print(f"index: {'building afresh' if args.fresh else 'catching up'} {where(settings)}")
    shown = Progress("index", store.count("positions"))
    started = time.monotonic()
    try:
        with building_on(settings) as remote:
            matcher = Matcher.open(
                settings,
                store=store,
                encoder=remote,
                progress=shown.update,
                fresh=args.fresh,
                assign=remote.assign if remote else None,
                segment=remote.segment if remote else None,
            )
    finally:
        shown.close()
    sync = matcher.last_sync
    kind = "inverted file" if matcher.positions.approximate else "flat"
    print(
        f"index: {sync.positions_encoded} postings and {sync.graduates_encoded} profiles encoded"
        f"{f' (rebuilt: {sync.reason})' if sync.rebuilt else ''}; {len(matcher.positions)} "
        f"postings indexed ({kind}), watermark {sync.watermark}, "
        f"{time.monotonic() - started:.1f} s"
    )
    return 0


def register(sub: Any, settings_of: SettingsOf) -> None:
    index = sub.add_parser("index", help="build the vector index (here or on Ray)")
    actions = index.add_subparsers(dest="action", required=True)
    build = actions.add_parser(
        "build", help="catch the index up with the store, or build it afresh with --fresh"
    )
    build.add_argument(
        "--fresh", action="store_true", help="ignore the saved index and encode everything again"
    )
    ray_options(build, "encode and assign lists")
    build.set_defaults(func=lambda args: cmd_index(args, settings_of(args)))
