"""Draft plans for one graduate or a cohort: 1 guidance session with the responsible adviser,
3 postings, 1 training course and 1 traineeship. Postings, traineeships and course places are
assigned across the whole cohort by a min-cost flow under capacity (see :mod:`.assign`); the
greedy baseline is computed beside it and reported."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from matcher.engine.served import in_model_order, write
from matcher.errors import ConflictError, ValidationError
from matcher.plans import candidates as cand
from matcher.plans.assign import Summary, greedy, min_cost, oversubscribed
from matcher.plans.vocab import JOB_KINDS, JOBS_PER_PLAN
from matcher.records.sharing import consents_to_plan
from matcher.store.offers import Offers
from matcher.store.plan_lists import trainings
from matcher.store.plans import NewItem, NewPlan, Plans
from matcher.taxonomy.vocab import SUPPORT_LABELS

if TYPE_CHECKING:
    from matcher.engine.orchestrator import Matcher
    from matcher.store.impressions import Impression

CHUNK = 200
Progress = Callable[[dict[str, Any]], None]


@dataclass
class CohortReport:
    """What a generation run did, and how the min-cost assignment compares with greedy."""

    segment: int = 0
    eligible: int = 0
    made: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    assignment: dict[str, dict[str, dict[str, float | int]]] = field(default_factory=dict)
    oversubscribed: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    plan_ids: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "segment": self.segment,
            "eligible": self.eligible,
            "made": self.made,
            "skipped": dict(self.skipped),
            "assignment": self.assignment,
            "oversubscribed": {k: len(v) for k, v in self.oversubscribed.items()},
        }


consents = consents_to_plan


def generate(
    matcher: Matcher,
    graduate_ids: Sequence[str],
    *,
    actor: str,
    adviser: str | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    source: str = "cohort",
) -> CohortReport:
    """Make a draft plan for every graduate of ``graduate_ids`` who is seeking work, consents
    and has no plan yet. ``adviser`` is used for graduates without their own adviser."""
    store = matcher.store
    today = today or date.today()
    plans = Plans(store)
    report = CohortReport(segment=len(graduate_ids))
    records = store.get_many("graduates", graduate_ids)
    existing = plans.of_graduates(graduate_ids)
    eligible: list[str] = []
    for gid in graduate_ids:
        g = records.get(gid)
        if g is None:
            report.skipped["not_found"] += 1
        elif gid in existing:
            report.skipped["has_plan"] += 1
        elif g.get("status", "seeking") != "seeking":
            report.skipped["not_seeking"] += 1
        elif not consents(g):
            report.skipped["no_consent"] += 1
        else:
            eligible.append(gid)
    report.eligible = len(eligible)
    pool = matcher.settings.plan_pool
    jobs: dict[str, list[cand.Candidate]] = {}
    trainee: dict[str, list[cand.Candidate]] = {}
    for start in range(0, len(eligible), CHUNK):
        chunk = eligible[start : start + CHUNK]
        jobs.update(cand.postings(matcher, chunk, JOB_KINDS, pool, {}, today))
        trainee.update(cand.postings(matcher, chunk, ("traineeship",), pool, {}, today))
        if progress:
            progress({**report.as_dict(), "ranked": start + len(chunk)})
    courses = _courses(store, records, eligible, jobs, trainee, today, pool)
    capacity = _capacity(matcher, plans, jobs, trainee, courses)
    chosen: dict[str, dict[str, list[tuple[str, float]]]] = {}
    wants = {"posting": JOBS_PER_PLAN, "traineeship": 1, "training": 1}
    for kind, found in (("posting", jobs), ("traineeship", trainee), ("training", courses)):
        pairs = {g: [(c.ref_id, c.score) for c in found.get(g, [])] for g in eligible}
        wanted = dict.fromkeys(eligible, wants[kind])
        best = min_cost(pairs, wanted, capacity[kind])
        report.assignment[kind] = {
            "min_cost": Summary.of(best).as_dict(),
            "greedy": Summary.of(greedy(pairs, wanted, capacity[kind])).as_dict(),
        }
        report.oversubscribed[kind] = oversubscribed(best, capacity[kind])
        chosen[kind] = best
    found_by_kind = {"posting": jobs, "traineeship": trainee, "training": courses}
    booked: dict[str, set[datetime]] = {}
    now = datetime.now(UTC)
    shown: list[Impression] = []  # the postings each plan proposes, logged in one write
    for gid in eligible:
        g = records[gid]
        responsible = g.get("adviser") or adviser
        slot = None
        if responsible:
            taken = booked.setdefault(responsible, plans.booked(responsible))
            slot = cand.next_slot(taken, now, matcher.settings.timezone)
            taken.add(slot)
        items = [_guidance(g, responsible, slot)]
        for kind in ("posting", "training", "traineeship"):
            by_ref = {c.ref_id: c for c in found_by_kind[kind].get(gid, [])}
            picks = [by_ref[ref] for ref, _ in chosen[kind].get(gid, [])]
            items.extend(_items(kind, picks, wants[kind], len(items)))
        plan = NewPlan(
            "pl-" + uuid.uuid4().hex[:12],
            gid,
            responsible,
            items,
            actor,
            {"source": source, "items": len(items)},
        )
        try:
            plans.create(plan)
        except ConflictError:  # made meanwhile by another adviser or job
            report.skipped["has_plan"] += 1
            continue
        report.made += 1
        report.plan_ids.append(plan.id)
        if matcher.settings.log_impressions:
            shown.extend(_shown(matcher, gid, plan.id, chosen, found_by_kind))
    write(matcher, shown)
    if progress:
        progress({**report.as_dict(), "ranked": len(eligible)})
    return report


def _shown(
    matcher: Matcher,
    gid: str,
    plan_id: str,
    chosen: Mapping[str, Mapping[str, list[tuple[str, float]]]],
    found: Mapping[str, Mapping[str, list[cand.Candidate]]],
) -> list[Impression]:
    """The impression of a plan's postings and traineeship, in the plan's order (never
    explored), each with the rank the engine gave it among the graduate's candidates."""
    picks = []
    for kind in ("posting", "traineeship"):
        ranks = {c.ref_id: n for n, c in enumerate(found[kind].get(gid, []), 1)}
        picks += [(ref, score, ranks[ref]) for ref, score in chosen[kind].get(gid, [])]
    return [in_model_order(matcher.settings, gid, "plan", picks, plan_id)] if picks else []


def _courses(
    store: Any,
    records: Mapping[str, Mapping[str, Any]],
    eligible: Sequence[str],
    jobs: Mapping[str, list[cand.Candidate]],
    trainee: Mapping[str, list[cand.Candidate]],
    today: date,
    k: int,
) -> dict[str, list[cand.Candidate]]:
    """Course candidates from each graduate's skill gaps for their 5 best postings and 2 best
    traineeships."""
    catalogue = trainings(store)
    best = {g: jobs.get(g, [])[:5] + trainee.get(g, [])[:2] for g in eligible}
    postings = store.get_many("positions", {c.ref_id for v in best.values() for c in v})
    out = {}
    for gid in eligible:
        pairs = [(postings[c.ref_id], c.score) for c in best[gid] if c.ref_id in postings]
        gaps = cand.skill_gaps(records[gid], pairs)
        out[gid] = cand.courses(records[gid], gaps, catalogue, today, k)
    return out


def _capacity(
    matcher: Matcher,
    plans: Plans,
    jobs: Mapping[str, list[cand.Candidate]],
    trainee: Mapping[str, list[cand.Candidate]],
    courses: Mapping[str, list[cand.Candidate]],
) -> dict[str, dict[str, int]]:
    """Places left: a posting takes headcount × ``plan_posting_factor`` plans, a traineeship
    its headcount, a course its capacity; places held by other open plans are taken off."""
    factor = matcher.settings.plan_posting_factor
    job_ids = sorted({c.ref_id for v in jobs.values() for c in v})
    trainee_ids = sorted({c.ref_id for v in trainee.values() for c in v})
    places = Offers(matcher.store).places(job_ids + trainee_ids)
    held_jobs = plans.held("posting", job_ids)
    held_trainee = plans.held("traineeship", trainee_ids)
    course_ids = sorted({c.ref_id for v in courses.values() for c in v})
    held_courses = plans.held("training", course_ids)
    records = matcher.store.get_many("trainings", course_ids)
    return {
        "posting": {p: places[p][0] * factor - held_jobs.get(p, 0) for p in job_ids if p in places},
        "traineeship": {
            p: places[p][0] - held_trainee.get(p, 0) for p in trainee_ids if p in places
        },
        "training": {
            c: cand.course_places(records[c]) - held_courses.get(c, 0)
            for c in course_ids
            if c in records
        },
    }


def _guidance(graduate: Mapping[str, Any], adviser: str | None, slot: datetime | None) -> NewItem:
    labels = {flag.value: label for flag, label in SUPPORT_LABELS.items()}
    groups = "、".join(labels[s] for s in graduate.get("support") or () if s in labels)
    reasons = [
        f"与指导员 {adviser} 一对一职业指导（约45分钟）" if adviser else "待分配指导员后预约",
        "内容：梳理求职意向、简历与面试指导" + (f"，讲解{groups}毕业生帮扶政策" if groups else ""),
    ]
    return NewItem(_item_id(), "guidance", adviser, "scheduled", 0, reasons, None, slot)


def _items(kind: str, picks: Sequence[cand.Candidate], wanted: int, rank: int) -> list[NewItem]:
    out = [
        NewItem(_item_id(), kind, c.ref_id, "proposed", rank + n, c.reasons, c.score)
        for n, c in enumerate(picks)
    ]
    empty = {
        "posting": "暂无合适且有名额的岗位，请在编辑中补充",
        "training": "暂无合适的在招培训课程，请在编辑中补充",
        "traineeship": "暂无合适且有名额的见习岗位，请在编辑中补充",
    }[kind]
    for n in range(len(out), wanted):
        out.append(NewItem(_item_id(), kind, None, "proposed", rank + n, [empty]))
    return out


def _item_id() -> str:
    return "pi-" + uuid.uuid4().hex[:16]


def not_planned(graduate: Mapping[str, Any], why: str) -> ValidationError:
    """Why one graduate got no plan (a reason :func:`generate` skipped them), to raise."""
    field, text, zh = {
        "not_seeking": (
            "status",
            f"is not seeking work (status {graduate.get('status')})",
            "该毕业生当前不在求职状态，无需帮扶计划",
        ),
        "no_consent": (
            "consent",
            "has not consented (consent.plan or consent.push)",
            "尚未记录本人同意：请先与本人确认并在“推送授权”处记录其同意，再生成帮扶计划",
        ),
    }.get(why, ("id", "cannot get a plan", "无法为该毕业生生成帮扶计划"))
    return ValidationError(
        f"graduate {graduate.get('id')!r} {text}; update the profile first",
        record_id=str(graduate.get("id")),
        field=field,
        zh=zh,
    )
