"""``matcher partners add|list|figures|destinations|authorise|unauthorise|authorisations|
suspend|resume``: the bureau's partner registry
(universities, employers, agencies, training institutions). A partner's key is then made with
``matcher keys create --role partner --scope partner=ID``; suspending the partner shuts its
keys out at once."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from matcher.config import Settings

SettingsOf = Callable[[argparse.Namespace], Settings]


def _partners(settings: Settings) -> Any:
    from matcher.store import Store
    from matcher.store.partners import Partners

    return Partners(Store.open(settings))


def _line(p: dict[str, Any]) -> str:
    from matcher.store.partners import KINDS, STATUSES

    districts = ",".join(p["districts"])
    why = f"（{p['status_reason']}）" if p["status_reason"] else ""
    return (
        f"{p['id']}  {p['kind']:10s} {KINDS[p['kind']]}  {p['name']}  {p['code']}  "
        f"{districts}  {STATUSES[p['status']]}{why}"
    )


def cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    given = {
        "kind": args.kind,
        "name": args.name,
        "code": args.code,
        "districts": [d for part in args.district for d in part.split(",")],
        "contact": args.contact,
    }
    added = _partners(settings).add(given, "cli")
    print(f"partner registered（合作机构已登记）: {added['id']}")
    print(f"  its key: matcher keys create --role partner --scope partner={added['id']}")
    return 0


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    rows = _partners(settings).page(args.kind, args.status)
    print(f"{len(rows)} partners（合作机构 {len(rows)} 家）")
    for row in rows:
        print("  " + _line(row))
    return 0


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    status = "suspended" if args.action == "suspend" else "active"
    done = _partners(settings).set_status(args.partner_id, status, args.reason, "cli")
    print(_line(done))
    return 0


def cmd_figures(args: argparse.Namespace, settings: Settings) -> int:
    from matcher.store import Store
    from matcher.store.partner_figures import figures

    shown = figures(Store.open(settings), args.partner_id)
    if shown["kind"] == "university":
        rate = shown["employment_rate"]
        print(
            f"{shown['graduates']} graduates（毕业生 {shown['graduates']} 人）, employed "
            f"{'-' if rate is None else f'{rate:.1%}'}; by status: {shown['by_status']}"
        )
        for row in shown["employment_by_month"]:
            rate = row["employment_rate"]
            print(
                f"  {row['month']} employment rate（就业率）"
                f"{'-' if rate is None else f'{rate:.1%}'} of {row['graduates']}"
            )
    elif shown["kind"] == "training":
        print(f"{shown['courses']} courses（培训课程 {shown['courses']} 门）")
    else:
        print(
            f"{shown['postings']} postings, {shown['open_postings']} open"
            f"（岗位 {shown['postings']} 个，在招 {shown['open_postings']} 个）"
        )
    measures = shown["measures"]
    print("month    " + " ".join(f"{m:>11s}" for m in measures))
    print("（" + "，".join(f"{m} = {shown['labels'][m]}" for m in measures) + "；月份为北京时间）")
    for row in shown["months"]:
        print(f"{row['month']}  " + " ".join(f"{row[m]:>11d}" for m in measures))
    return 0


def _destination_lines(path: str) -> list[Any]:
    """Entries of a destinations file: CSV with ``id,status`` columns, or JSON lines."""
    import csv
    import json
    from pathlib import Path

    text = Path(path).read_text(encoding="utf-8-sig")
    if path.lower().endswith(".csv"):
        return list(csv.DictReader(text.splitlines()))
    entries: list[Any] = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError:
                entries.append({"line": number})  # named as a missing id below
    return entries


def cmd_destinations(args: argparse.Namespace, settings: Settings) -> int:
    from matcher.store import Store, destinations

    done = destinations.report(
        Store.open(settings),
        args.partner_id,
        args.month,
        _destination_lines(args.file),
        "cli",
    )
    print(
        f"{done.month}: {done.recorded} recorded, {done.applied} applied, "
        f"{done.disagreements} kept as disagreements, {len(done.errors)} refused"
        f"（已记录 {done.recorded} 条，计入月度状态 {done.applied} 条，"
        f"与更高优先级来源不一致而另行保留 {done.disagreements} 条，拒收 {len(done.errors)} 条）"
    )
    for e in done.errors:
        print(f"  entry {e.index + 1} ({e.id or '-'}) {e.field}: {e.message}（{e.message_zh}）")
    return 1 if done.errors else 0


def _authorisations(settings: Settings) -> Any:
    from matcher.store import Store
    from matcher.store.authorisations import Authorisations

    return Authorisations(Store.open(settings))


def _grant_line(a: dict[str, Any]) -> str:
    state = "有效" if a["active"] else ("已撤销" if a["revoked_at"] else "已到期")
    return f"{a['agency_id']} → {a['employer_id']}  until {a['valid_until']}  {state}"


def cmd_authorise(args: argparse.Namespace, settings: Settings) -> int:
    done = _authorisations(settings).grant(args.agency_id, args.employer_id, args.until, "cli")
    print(f"authorised（已授权代理招聘）: {_grant_line(done)}")
    return 0


def cmd_unauthorise(args: argparse.Namespace, settings: Settings) -> int:
    done = _authorisations(settings).revoke(args.agency_id, args.employer_id, "cli")
    print(f"revoked（已撤销授权）: {_grant_line(done)}")
    return 0


def cmd_authorisations(args: argparse.Namespace, settings: Settings) -> int:
    rows = _authorisations(settings).page(args.agency_id)
    print(f"{len(rows)} authorisations（授权 {len(rows)} 条）")
    for row in rows:
        print("  " + _grant_line(row))
    return 0


def register(sub: Any, settings_of: SettingsOf) -> None:
    from matcher.store.partners import KINDS

    partners = sub.add_parser("partners", help="the partner registry (universities, agencies...)")
    actions = partners.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="register a partner")
    add.add_argument("--kind", required=True, choices=list(KINDS))
    add.add_argument("--name", required=True)
    add.add_argument(
        "--code", required=True, help="5-digit school code, else unified social credit code"
    )
    add.add_argument(
        "--district", action="append", required=True, help="division code(s) served (500112)"
    )
    add.add_argument("--contact", default="", help="who to call, and how")
    add.set_defaults(func=lambda args: cmd_add(args, settings_of(args)))
    listing = actions.add_parser("list", help="the registered partners")
    listing.add_argument("--kind", choices=list(KINDS))
    listing.add_argument("--status", choices=["active", "suspended"])
    listing.set_defaults(func=lambda args: cmd_list(args, settings_of(args)))
    figures = actions.add_parser("figures", help="a university's own figures by month")
    figures.add_argument("partner_id")
    figures.set_defaults(func=lambda args: cmd_figures(args, settings_of(args)))
    where = actions.add_parser(
        "destinations", help="a university's destinations of its graduates for one month"
    )
    where.add_argument("partner_id")
    where.add_argument("file", help="CSV with id,status columns, or JSON lines")
    where.add_argument("--month", required=True, help="YYYY-MM (China time)")
    where.set_defaults(func=lambda args: cmd_destinations(args, settings_of(args)))
    grant = actions.add_parser("authorise", help="let an agency post for an employer")
    grant.add_argument("agency_id")
    grant.add_argument("employer_id")
    grant.add_argument("--until", required=True, help="the last day it holds, YYYY-MM-DD")
    grant.set_defaults(func=lambda args: cmd_authorise(args, settings_of(args)))
    drop = actions.add_parser("unauthorise", help="revoke an agency's authorisation")
    drop.add_argument("agency_id")
    drop.add_argument("employer_id")
    drop.set_defaults(func=lambda args: cmd_unauthorise(args, settings_of(args)))
    listed = actions.add_parser("authorisations", help="the employers an agency may post for")
    listed.add_argument("agency_id")
    listed.set_defaults(func=lambda args: cmd_authorisations(args, settings_of(args)))
    for name, text in (
        ("suspend", "suspend a partner: its keys stop working"),
        ("resume", "make a suspended partner active again"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("partner_id")
        action.add_argument("--reason", default="", required=name == "suspend")
        action.set_defaults(func=lambda args: cmd_status(args, settings_of(args)))
