"""Figures of the workbench dashboard: how much of a cohort has an agreed plan and each of the
four items done, its employment rate, and supply (places in open postings) versus demand
(graduates seeking work) by district and by major category, from the monthly report."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from matcher.plans.vocab import DONE, JOBS_PER_PLAN, KINDS
from matcher.store import Store
from matcher.store import caseload as q

TOP = 12
_cache: dict[tuple[int, int, str], dict[str, list[dict[str, Any]]]] = {}
_lock = threading.Lock()


def _share(n: int, of: int) -> float:
    return round(n / of, 4) if of else 0.0


def coverage(store: Store, where: Sequence[Any]) -> dict[str, Any]:
    """Coverage of the cohort selected by ``where`` (SQL conditions on graduates)."""
    people, items = q.cohort_items(store, where)
    cohort = len(people)
    done: dict[str, set[str]] = {kind: set() for kind in KINDS}
    jobs: Counter[str] = Counter()
    for gid, kind, status in items:
        if status not in DONE.get(kind, ()):
            continue
        if kind == "posting":
            jobs[gid] += 1
        else:
            done[kind].add(gid)
    done["posting"] = {g for g, n in jobs.items() if n >= JOBS_PER_PLAN}
    with_plan = sum(1 for p in people.values() if p["plan"])
    agreed = sum(1 for p in people.values() if p["agreed"])
    employed = sum(1 for p in people.values() if p["status"] == "employed")
    return {
        "cohort": cohort,
        "with_plan": with_plan,
        "agreed": agreed,
        "agreed_share": _share(agreed, cohort),
        "done": {kind: len(done[kind]) for kind in KINDS},
        "done_share": {kind: _share(len(done[kind]), cohort) for kind in KINDS},
        "employed": employed,
        "employment_rate": _share(employed, cohort),
    }


def supply_demand(store: Store, today: date | None = None) -> dict[str, list[dict[str, Any]]]:
    """The ``TOP`` districts and major categories by supply (places in open postings) plus
    demand (graduates seeking work), read from this month's supply-and-demand report
    (:func:`matcher.analytics.monthly_report`, its SQL figures only); cached until the store
    changes."""
    from matcher.analytics import Month, monthly_report

    month = Month.containing(today or date.today())
    key = (id(store.engine), store.watermark(), str(month))
    with _lock:
        if key in _cache:
            return _cache[key]
    report = monthly_report(store, month, matcher=None, sample=0)
    places = {
        r["key"]: (r["label"], r["open_headcount"]) for r in report["postings"]["by_district"]
    }
    seekers = {
        r["key"]: (r["label"], r["seekers"])
        for r in report["seekers"]["by_district"]
        if r["key"] != "any"
    }
    category_places: Counter[str] = Counter()
    labels: dict[str, str] = {}
    for row in report["ratios"]["by_district_category"]:
        category_places[row["category"]] += row["headcount"]
        labels[row["category"]] = row["category_label"]
    category_seekers = {r["key"]: r["seekers"] for r in report["seekers"]["by_category"]}
    labels |= {r["key"]: r["label"] for r in report["seekers"]["by_category"]}
    result = {
        "districts": _top(
            {k: v[1] for k, v in places.items()},
            {k: v[1] for k, v in seekers.items()},
            {k: v[0] for k, v in (places | seekers).items()},
        ),
        "majors": _top(dict(category_places), category_seekers, labels),
    }
    with _lock:
        _cache.clear()
        _cache[key] = result
    return result


def _top(
    supply: dict[str, float], demand: dict[str, float], names: dict[str, str]
) -> list[dict[str, Any]]:
    keys = sorted(
        set(supply) | set(demand), key=lambda k: (-(supply.get(k, 0) + demand.get(k, 0)), k)
    )[:TOP]
    return [
        {
            "key": k,
            "name": names.get(k, k),
            "supply": round(supply.get(k, 0)),
            "demand": round(demand.get(k, 0)),
        }
        for k in keys
    ]


def oversubscribed_places(store: Store, posting_factor: int) -> dict[str, list[dict[str, Any]]]:
    """Checks the stored plans: postings, traineeships and courses held by more open plans
    than they have places (empty lists when none is)."""
    from matcher.plans.candidates import course_places
    from matcher.store.offers import Offers
    from matcher.store.plans import Plans

    plans = Plans(store)
    out: dict[str, list[dict[str, Any]]] = {}
    for kind, factor in (("posting", posting_factor), ("traineeship", 1), ("training", 1)):
        held = plans.held(kind)
        if kind == "training":
            records = store.get_many("trainings", held)
            places = {r: course_places(records[r]) for r in held if r in records}
        else:
            # a posting closed since it was planned has no places left
            open_places = Offers(store).places(list(held))
            places = {r: open_places[r][0] * factor if r in open_places else 0 for r in held}
        out[kind] = [
            {"ref_id": r, "held": n, "places": places.get(r, 0)}
            for r, n in sorted(held.items())
            if n > places.get(r, 0)
        ]
    return out
