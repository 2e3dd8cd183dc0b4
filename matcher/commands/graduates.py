"""``matcher graduates link ID``: a one-time sign-in link to a graduate's own pages, to send
by SMS or WeChat (it works once and expires; see ``/me`` in the README); ``matcher graduates
revoke-links ID`` revokes the links not used yet."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from matcher.config import Settings

SettingsOf = Callable[[argparse.Namespace], Settings]
DEFAULT_BASE = "http://127.0.0.1:8000"


def cmd_link(args: argparse.Namespace, settings: Settings) -> int:
    from matcher.store import Store
    from matcher.store.links import SignInLinks

    base = (args.base_url or os.environ.get("MATCHER_PUBLIC_URL") or DEFAULT_BASE).rstrip("/")
    links = SignInLinks(Store.open(settings))
    token, expires = links.issue(args.graduate_id, "cli", timedelta(hours=args.hours))
    print(f"{base}/me/signin/{token}")
    print(f"（一次性登录链接，{expires.astimezone().strftime('%Y-%m-%d %H:%M')} 前有效）")
    return 0


def cmd_revoke(args: argparse.Namespace, settings: Settings) -> int:
    from matcher.store import Store
    from matcher.store.links import SignInLinks

    done = SignInLinks(Store.open(settings)).revoke(args.graduate_id, "cli")
    print(
        f"revoked {done} unused sign-in link(s) of {args.graduate_id}"
        f"（已撤销 {done} 个未使用的登录链接）"
    )
    return 0


def register(sub: Any, settings_of: SettingsOf) -> None:
    graduates = sub.add_parser("graduates", help="graduates' sign-in links to their own pages")
    actions = graduates.add_subparsers(dest="action", required=True)
    link = actions.add_parser("link", help="print a one-time sign-in link for one graduate")
    link.add_argument("graduate_id")
    link.add_argument("--hours", type=int, default=24, help="how long it works (1-168)")
    link.add_argument(
        "--base-url",
        help=f"the pages' address as graduates reach it (MATCHER_PUBLIC_URL; {DEFAULT_BASE})",
    )
    link.set_defaults(func=lambda args: cmd_link(args, settings_of(args)))
    revoke = actions.add_parser("revoke-links", help="revoke a graduate's unused sign-in links")
    revoke.add_argument("graduate_id")
    revoke.set_defaults(func=lambda args: cmd_revoke(args, settings_of(args)))
