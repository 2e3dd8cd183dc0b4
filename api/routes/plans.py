"""One-person-one-plan for advisers: the caseload, plans and their items, swaps, pins,
exclusions, notes, offers from plan items, cohort generation jobs and the dashboard. Advisers
see the graduates of their caseload (or districts) only; reads are audited like profile reads."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from api import plan_answers as answers
from api.deps import MatcherDep, SettingsDep, StoreDep, allow
from api.openapi import Documented, list_of, problems, responses
from api.plan_schemas import (
    ExcludeIn,
    ItemPatch,
    NoteIn,
    PlanIn,
    PlanJobIn,
    PlanPatch,
    PushIn,
    SwapIn,
)
from api.routes._created import answered, wake_worker
from api.routes._listing import Cursor, Limit
from api.routes.graduates import read_graduate, scope_filter
from api.schemas import Page
from matcher.access import AccessDenied, Principal, Role
from matcher.engine.orchestrator import Matcher
from matcher.errors import NotFoundError
from matcher.offers.campaigns import Segment
from matcher.plans import edit, replace
from matcher.plans.build import generate, not_planned
from matcher.plans.dashboard import coverage, supply_demand
from matcher.plans.jobs import create_job
from matcher.plans.view import actor_of, enrich
from matcher.store import Store, plan_lists
from matcher.store import caseload as cl
from matcher.store.filters import combined, graduate_filters
from matcher.store.plan_jobs import PlanJobs
from matcher.store.plans import Plans
from matcher.taxonomy.vocab import GraduateStatus, SupportFlag

router = APIRouter(tags=["plans"], route_class=Documented, responses=problems(403))  # advisers
Adviser = Annotated[Principal, Depends(allow(Role.BUREAU, Role.ADVISER))]
DRAFTED = responses(answers.Plan, 404, 409, status=(201, 200))  # 200: the plan already there
PUSHED = responses(answers.PlanOffer, 404, 409, status=(201, 200))  # 200: pushed already


def plan_for(store: Store, principal: Principal, plan_id: str) -> dict[str, Any]:
    """A plan whose graduate the caller may see (403 otherwise; adviser reads are audited)."""
    plan = Plans(store).get(plan_id)
    read_graduate(store, principal, plan["graduate_id"])
    return plan


def full(store: Store, plan: dict[str, Any]) -> dict[str, Any]:
    plans = Plans(store)
    return {**enrich(store, plan), "exclusions": plans.exclusions(plan["id"])}


def plan_for_graduate(
    matcher: Matcher, principal: Principal, graduate_id: str
) -> tuple[dict[str, Any], bool]:
    """Draft a plan for one graduate now; (plan, created). An existing plan is returned."""
    store = matcher.store
    graduate = read_graduate(store, principal, graduate_id)
    existing = Plans(store).of_graduates([graduate_id])
    if graduate_id in existing:
        return Plans(store).get(existing[graduate_id]), False
    adviser = principal.scope.get("adviser") if principal.role is Role.ADVISER else None
    report = generate(
        matcher, [graduate_id], actor=actor_of(principal), adviser=adviser, source="adviser"
    )
    if report.plan_ids:
        return Plans(store).get(report.plan_ids[0]), True
    why = next(iter(report.skipped), "")
    if why == "has_plan":
        again = Plans(store).of_graduates([graduate_id])
        return Plans(store).get(again[graduate_id]), False
    raise not_planned(graduate, why)


@router.get("/caseload", response_model=Page, responses=responses(answers.CaseloadPage))
def get_caseload(
    store: StoreDep,
    principal: Adviser,
    support: SupportFlag | None = None,
    status: GraduateStatus | None = None,
    plan_status: Annotated[
        str | None, Query(pattern="^(none|draft|agreed|in_progress|closed)$")
    ] = None,
    months_unemployed: Annotated[int | None, Query(ge=0, le=600)] = None,
    alert: Annotated[str | None, Query(pattern="^(no_plan|stalled|traineeship_ending)$")] = None,
    needs_support: bool | None = True,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page:
    """The caller's caseload with plan status and alerts (no plan yet, stalled 30 days,
    traineeship ending). ``months_unemployed``: at least that many months since graduation."""
    latest = (
        cl.latest_graduation_year(months_unemployed, date.today())
        if months_unemployed is not None
        else None
    )
    query = cl.CaseloadQuery(
        where=scope_filter(principal),
        support=support.value if support else None,
        status=status.value if status else None,
        plan_status=plan_status,
        latest_graduation_year=latest,
        alert=alert,
        needs_support=needs_support,
    )
    items, after, total = cl.caseload(store, query, cursor, limit)
    return Page(items=items, next_cursor=after, total=total)


@router.post("/plans/jobs", status_code=202, responses=responses(answers.PlanJob, status=202))
def post_plan_job(
    body: PlanJobIn, request: Request, store: StoreDep, principal: Adviser
) -> dict[str, Any]:
    """Draft plans for a cohort in the background; poll ``GET /plans/jobs/{id}``. An
    adviser's job covers only their caseload."""
    scope = {} if principal.is_staff() else dict(principal.scope)
    segment = Segment(**body.segment.model_dump(mode="json"))
    job = create_job(store, segment, scope=scope, actor=actor_of(principal))
    wake_worker(request)
    return job


@router.get("/plans/jobs/{job_id}", responses=responses(answers.PlanJob, 404))
def get_plan_job(job_id: str, store: StoreDep, principal: Adviser) -> dict[str, Any]:
    """Status (queued, running, done, failed) and counts: segment, eligible, made, skipped,
    and the min-cost versus greedy assignment figures."""
    job = PlanJobs(store).job(job_id)
    if not principal.is_staff() and job["created_by"] != actor_of(principal):
        raise AccessDenied(
            f"plan job {job_id!r} was started by another adviser", zh="该计划任务由其他指导员发起"
        )
    return job


@router.get("/plans/dashboard", responses=responses(answers.Dashboard))
def get_dashboard(store: StoreDep, principal: Adviser) -> dict[str, Any]:
    """Coverage of the caller's cohort (support-group graduates in scope) and supply versus
    demand by district and major class."""
    where = combined(scope_filter(principal), graduate_filters(needs_support=True))
    return {"coverage": coverage(store, where), **supply_demand(store)}


@router.get("/plans", response_model=Page, responses=responses(answers.PlanPage))
def list_plans(
    store: StoreDep,
    principal: Adviser,
    status: Annotated[str | None, Query(pattern="^(draft|agreed|in_progress|closed)$")] = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page:
    items, after = plan_lists.page(store, scope_filter(principal), status, cursor, limit)
    return Page(items=items, next_cursor=after)


@router.post("/plans", status_code=201, responses=DRAFTED)
def post_plan(
    body: PlanIn, response: Response, matcher: MatcherDep, principal: Adviser
) -> dict[str, Any]:
    """Draft a plan for one graduate now (200 with the existing plan if there is one)."""
    plan, created = plan_for_graduate(matcher, principal, body.graduate_id)
    if not created:
        response.status_code = 200
    response.headers["Location"] = f"/plans/{plan['id']}"
    return full(matcher.store, plan)


@router.get("/graduates/{graduate_id}/plan", responses=responses(answers.Plan, 404))
def get_graduate_plan(graduate_id: str, store: StoreDep, principal: Adviser) -> dict[str, Any]:
    read_graduate(store, principal, graduate_id)
    found = Plans(store).of_graduates([graduate_id])
    if graduate_id not in found:
        raise NotFoundError("plan of graduate", graduate_id)
    return full(store, Plans(store).get(found[graduate_id]))


@router.get("/plans/{plan_id}", responses=responses(answers.Plan, 404))
def get_plan(plan_id: str, store: StoreDep, principal: Adviser) -> dict[str, Any]:
    return full(store, plan_for(store, principal, plan_id))


@router.patch("/plans/{plan_id}", responses=responses(answers.Plan, 404, 409))
def patch_plan(
    plan_id: str, body: PlanPatch, store: StoreDep, settings: SettingsDep, principal: Adviser
) -> dict[str, Any]:
    """Move the plan: draft → agreed → in_progress → closed (with an outcome); closed →
    in_progress reopens it."""
    plan_for(store, principal, plan_id)
    plan = edit.set_status(
        store, settings, plan_id, body.status, actor=actor_of(principal), outcome=body.outcome
    )
    return full(store, plan)


@router.post("/plans/{plan_id}/notes", responses=responses(answers.Plan, 404))
def post_note(plan_id: str, body: NoteIn, store: StoreDep, principal: Adviser) -> dict[str, Any]:
    plan_for(store, principal, plan_id)
    return full(store, edit.add_note(store, plan_id, body.text, actor=actor_of(principal)))


@router.patch("/plans/{plan_id}/items/{item_id}", responses=responses(answers.Plan, 404, 409))
def patch_item(
    plan_id: str,
    item_id: str,
    body: ItemPatch,
    store: StoreDep,
    settings: SettingsDep,
    principal: Adviser,
) -> dict[str, Any]:
    """An item's status (per kind), pin, guidance time or traineeship end."""
    plan_for(store, principal, plan_id)
    plan = edit.set_item(
        store,
        settings,
        plan_id,
        item_id,
        actor=actor_of(principal),
        status=body.status,
        pinned=body.pinned,
        scheduled_at=body.scheduled_at,
        ends_on=body.ends_on,
    )
    return full(store, plan)


@router.get(
    "/plans/{plan_id}/items/{item_id}/alternatives",
    responses=responses(list_of(answers.Alternative), 404),
)
def get_alternatives(
    plan_id: str,
    item_id: str,
    matcher: MatcherDep,
    principal: Adviser,
    k: Annotated[int, Query(ge=1, le=20)] = 5,
) -> list[dict[str, Any]]:
    """The next best candidates for the item, with places left, each with its reasons."""
    plan_for(matcher.store, principal, plan_id)
    return [vars(c) for c in replace.alternatives(matcher, plan_id, item_id, k)]


@router.post("/plans/{plan_id}/items/{item_id}/swap", responses=responses(answers.Plan, 404, 409))
def post_swap(
    plan_id: str, item_id: str, body: SwapIn, matcher: MatcherDep, principal: Adviser
) -> dict[str, Any]:
    plan_for(matcher.store, principal, plan_id)
    plan = replace.swap(matcher, plan_id, item_id, actor=actor_of(principal), ref_id=body.ref_id)
    return full(matcher.store, plan)


@router.post("/plans/{plan_id}/exclusions", responses=responses(answers.Plan, 404, 409))
def post_exclusion(
    plan_id: str, body: ExcludeIn, matcher: MatcherDep, principal: Adviser
) -> dict[str, Any]:
    """Rule a posting or course out of this plan; an item holding it gets the next best."""
    plan_for(matcher.store, principal, plan_id)
    plan = replace.exclude(matcher, plan_id, body.ref_id, actor=actor_of(principal))
    return full(matcher.store, plan)


@router.post("/plans/{plan_id}/items/{item_id}/offer", status_code=201, responses=PUSHED)
def post_item_offer(
    plan_id: str,
    item_id: str,
    body: PushIn,
    request: Request,
    response: Response,
    store: StoreDep,
    settings: SettingsDep,
    principal: Adviser,
) -> dict[str, Any]:
    """Push the item's posting or traineeship to the graduate as an offer, under every offer
    rule; pushing the same item again returns the same offer (200)."""
    plan_for(store, principal, plan_id)
    result, plan = edit.push_offer(
        store, settings, plan_id, item_id, actor=actor_of(principal), message=body.message
    )
    answered(request, response, result.created)
    return {"offer": result.record, "plan": full(store, plan)}


@router.get("/plans/{plan_id}/history", responses=responses(list_of(answers.PlanEvent), 404))
def get_history(plan_id: str, store: StoreDep, principal: Adviser) -> list[dict[str, Any]]:
    """Every change to the plan: when, who (the adviser's id and key), what."""
    plan_for(store, principal, plan_id)
    return Plans(store).history(plan_id)
