"""Figures of the workbench dashboard: how much of a cohort has an agreed plan and each of the
four items done, its employment rate, and supply (places in open postings) versus demand
(graduates seeking work) by district and by major class."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from matcher.plans.vocab import DONE, JOBS_PER_PLAN, KINDS
from matcher.store import Store
from matcher.store import caseload as q
from matcher.taxonomy.majors import load_majors
from matcher.taxonomy.regions import load_regions

TOP = 12
_cache: dict[tuple[int, int], dict[str, list[dict[str, Any]]]] = {}
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


@lru_cache(maxsize=4096)
def _class_name(text: str) -> str:
    found = load_majors().major_class(text)
    return found.name if found else ""


def _district_name(code: str) -> str:
    region = load_regions().try_resolve(code)
    return region.name if region else code


def supply_demand(store: Store) -> dict[str, list[dict[str, Any]]]:
    """The ``TOP`` districts and major classes by supply plus demand; cached until the store
    changes (its watermark moves)."""
    key = (id(store.engine), store.watermark())
    with _lock:
        if key in _cache:
            return _cache[key]
    supply = Counter[str]()
    for code, places in q.supply_by_region(store).items():
        if len(code) >= 6:
            supply[code[:6]] += places
    demand = Counter[str]()
    for codes, home in q.seeker_places(store):
        wished = {c[:6] for c in codes.strip(",").split(",") if len(c) >= 6}
        if not wished and home and len(home) >= 6:
            wished = {home[:6]}
        demand.update(wished)
    major_supply = Counter[str]()
    for majors, places in q.open_posting_majors(store):
        for name in {_class_name(m) for m in majors} - {""}:
            major_supply[name] += places
    major_demand = Counter[str]()
    for code, n in q.seekers_by_major_class(store).items():
        name = _class_name(code)
        if name:
            major_demand[name] += n
    result = {
        "districts": _top(supply, demand, _district_name),
        "majors": _top(major_supply, major_demand, str),
    }
    with _lock:
        _cache.clear()
        _cache[key] = result
    return result


def _top(supply: Counter[str], demand: Counter[str], name: Any) -> list[dict[str, Any]]:
    keys = sorted(set(supply) | set(demand), key=lambda k: (-(supply[k] + demand[k]), k))[:TOP]
    return [{"key": k, "name": name(k), "supply": supply[k], "demand": demand[k]} for k in keys]


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
