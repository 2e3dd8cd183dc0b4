"""``matcher plans``: give support-group graduates an adviser, generate draft plans for a
cohort (min-cost assignment under capacity, compared with greedy), list and show plans, and
keep advisers' contact details for their graduates."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from matcher.commands.progress import Progress
from matcher.config import Settings
from matcher.store import Store

SettingsOf = Callable[[argparse.Namespace], Settings]


def cmd_advisers(args: argparse.Namespace, settings: Settings) -> int:
    from matcher.plans.advisers import assign_advisers
    from matcher.store import Store

    given = assign_advisers(Store.open(settings), settings.home_province)
    print(f"advisers given to {sum(given.values())} graduates in support groups:")
    for adviser, n in given.most_common():
        print(f"  {adviser:12s} {n:>6,}")
    return 0


def cmd_generate(args: argparse.Namespace, settings: Settings) -> int:
    from matcher.engine.orchestrator import Matcher
    from matcher.offers.campaigns import Segment
    from matcher.plans.advisers import assign_advisers
    from matcher.plans.build import generate
    from matcher.plans.dashboard import oversubscribed_places
    from matcher.plans.jobs import cohort

    matcher = Matcher.open(settings)
    if args.assign_advisers:
        given = assign_advisers(matcher.store, settings.home_province)
        print(f"advisers given to {sum(given.values())} graduates")
        matcher.refresh()
    segment = Segment(
        districts=args.district,
        support=args.support,
        needs_support=True,
        statuses=[],
        graduate_ids=args.graduate,
    )
    scope = {"adviser": args.adviser} if args.adviser else {}
    ids = cohort(matcher.store, segment, scope)
    shown = Progress("plans: graduates ranked", len(ids))
    done = 0

    def ranked(state: dict[str, Any]) -> None:
        nonlocal done
        shown.update(int(state["ranked"]) - done)
        done = int(state["ranked"])

    try:
        report = generate(
            matcher, ids, actor="cli", adviser=args.adviser, source="cli", progress=ranked
        )
    finally:
        shown.close()
    check = oversubscribed_places(matcher.store, settings.plan_posting_factor)
    if args.json:
        print(json.dumps({**report.as_dict(), "oversubscribed_places": check}, ensure_ascii=False))
        return 0
    skipped = ", ".join(f"{k} {n}" for k, n in sorted(report.skipped.items())) or "none"
    print(
        f"cohort {report.segment} graduates in support groups: {report.eligible} seeking work "
        f"and consenting, {report.made} plans made (skipped: {skipped})"
    )
    print(f"{'item':12s} {'assigned':>9s} {'covered':>8s} {'min-cost score':>15s} {'greedy':>22s}")
    for kind, both in report.assignment.items():
        best, base = both["min_cost"], both["greedy"]
        print(
            f"{kind:12s} {best['assigned']:>9} {best['covered']:>8} {best['score']:>15.3f}"
            f"   {base['assigned']:>3} / {base['covered']:>3} / {base['score']:>9.3f}"
        )
    over = sum(len(v) for v in check.values())
    print(
        "oversubscribed places in stored plans: "
        + ("none" if not over else ", ".join(f"{k} {len(v)}" for k, v in check.items() if v))
    )
    return 1 if over else 0


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    from matcher.store import Store
    from matcher.store.plans import Plans

    plans = Plans(Store.open(settings))
    plan = plans.get(args.plan_id)
    print(
        f"{plan['id']} graduate {plan['graduate_id']} adviser {plan['adviser_id'] or '-'} "
        f"{plan['status']} {plan['outcome'] or ''}"
    )
    for item in plan["items"]:
        pin = " pinned" if item["pinned"] else ""
        when = f" {item['scheduled_at']}" if item["scheduled_at"] else ""
        print(f"  {item['kind']:12s} {item['ref_id'] or '-':12s} {item['status']:10s}{pin}{when}")
        print(f"      {'；'.join(item['reasons'])}")
    print("history:")
    for event in plans.history(args.plan_id):
        shown = json.dumps(event["detail"], ensure_ascii=False)
        print(f"  {event['at']}  {event['actor']:24s} {event['action']:12s} {shown}")
    return 0


def assign_demo_advisers(store: Store, settings: Settings) -> None:
    """Give support-group graduates of a freshly loaded demo their district's adviser, and
    each such adviser without contact details the district's public service desk."""
    from matcher.plans.advisers import assign_advisers, service_desk
    from matcher.store.adviser_contacts import AdviserContacts

    given = assign_advisers(store, settings.home_province)
    contacts = AdviserContacts(store)
    known = contacts.of(given)
    for adviser in sorted(set(given) - set(known)):
        contacts.set(adviser, service_desk(adviser), "demo")


def cmd_contact(args: argparse.Namespace, settings: Settings) -> int:
    from matcher.store.adviser_contacts import FIELDS, AdviserContacts

    contacts = AdviserContacts(Store.open(settings))
    if args.adviser_id:
        given = {f: getattr(args, f) for f in FIELDS}
        shown = contacts.set(args.adviser_id, given, "cli")
        print(f"contact of {args.adviser_id} saved（指导员联系方式已保存）")
        rows = [shown]
    else:
        rows = contacts.all()
        print(f"{len(rows)} advisers with contact details（已登记联系方式的指导员）")
    for row in rows:
        print("  " + "  ".join(str(row[k]) for k in ("adviser_id", *FIELDS) if row[k]))
    return 0


def print_demo_keys(store: Store, settings: Settings) -> None:
    """Print the demo's admin key and the key of the adviser with the largest caseload (for
    the console): the same keys on every run while they are not revoked."""
    from matcher.ingest.demo import demo_keys

    advisers = store.grouped_counts("graduates", "adviser_id")
    advisers.pop("None", None)
    adviser = max(sorted(advisers), key=lambda a: advisers[a]) if advisers else None
    keys = demo_keys(store, settings, adviser)
    print(
        "an admin API key for trying the API (more with `matcher keys create --role ...`):\n"
        f"  {keys['admin']}\n"
        f"  curl -H 'Authorization: Bearer {keys['admin']}' http://127.0.0.1:8000/stats\n"
    )
    if adviser:
        print(
            "the career adviser workbench: http://127.0.0.1:8000/console — sign in as adviser "
            f"{adviser} ({advisers[adviser]} graduates) with\n  {keys['adviser']}\n"
            "draft plans for the whole cohort with `matcher plans generate`\n"
        )


def register(sub: Any, settings_of: SettingsOf) -> None:
    def bind(
        parser: argparse.ArgumentParser, run: Callable[[argparse.Namespace, Settings], int]
    ) -> None:
        parser.set_defaults(func=lambda args: run(args, settings_of(args)))

    plans = sub.add_parser("plans", help="one-person-one-plan: advisers, generation, plans")
    actions = plans.add_subparsers(dest="action", required=True)
    advisers = actions.add_parser(
        "advisers", help="give support-group graduates without an adviser their district's"
    )
    bind(advisers, cmd_advisers)
    gen = actions.add_parser("generate", help="draft plans for a cohort of support graduates")
    gen.add_argument("--adviser", help="only this adviser's caseload (and adviser for others)")
    gen.add_argument("--district", action="append", default=[], help="name, zone or code")
    gen.add_argument("--support", action="append", default=[], help="support flag")
    gen.add_argument("--graduate", action="append", default=[], help="graduate id")
    gen.add_argument(
        "--assign-advisers", action="store_true", help="first run `matcher plans advisers`"
    )
    gen.add_argument("--json", action="store_true", help="print one JSON object")
    bind(gen, cmd_generate)
    contact = actions.add_parser(
        "contact", help="set an adviser's contact details shown to graduates (or list them)"
    )
    contact.add_argument("adviser_id", nargs="?", help="without it: list every adviser's")
    contact.add_argument("--name", default="", help="as graduates should address them")
    contact.add_argument("--phone", default="", help="e.g. 023-67891234")
    contact.add_argument("--office", default="", help="where to find them")
    contact.add_argument("--hours", default="", help="office hours")
    bind(contact, cmd_contact)
    show = actions.add_parser("show", help="one plan with its items and history")
    show.add_argument("plan_id")
    bind(show, cmd_show)
