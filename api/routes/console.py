"""The adviser console (Chinese, server-rendered): sign in with an adviser key, the caseload
with alerts, a graduate's page with the plan editor, and the dashboard. Forms post back here
and redirect (post/redirect/get); the rules are those of the plan endpoints."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.console import Poster, Viewer, chinese, delivery_note, flash, page
from api.deps import get_matcher
from api.routes.graduates import read_graduate, scope_filter
from api.routes.plans import full, plan_for, plan_for_graduate
from matcher.access import AccessDenied, Principal
from matcher.engine.orchestrator import Matcher
from matcher.engine.served import serve
from matcher.errors import MatcherError, NotFoundError
from matcher.plans import edit, replace
from matcher.plans.consent import HOW, record_consent
from matcher.plans.dashboard import coverage, supply_demand
from matcher.plans.view import actor_of
from matcher.records.sharing import SHORT, choices
from matcher.store import caseload as cl
from matcher.store.filters import combined, graduate_filters
from matcher.store.history import graduate_history
from matcher.store.plans import Plans

router = APIRouter(prefix="/console", include_in_schema=False)
Engine = Annotated[Matcher, Depends(get_matcher)]


def _back(gid: str) -> RedirectResponse:
    return RedirectResponse(f"/console/graduates/{gid}", status_code=303)


@router.get("", response_class=HTMLResponse)
def caseload_page(
    request: Request,
    principal: Viewer,
    support: str = "",
    status: str = "",
    plan_status: str = "",
    alert: str = "",
    months: Annotated[str, Query(pattern=r"^[0-9]{0,3}$", description="months out of school")] = "",
    cursor: str = "",
) -> HTMLResponse:
    store = request.app.state.store
    today = date.today()
    query = cl.CaseloadQuery(
        where=scope_filter(principal),
        support=support or None,
        status=status or None,
        plan_status=plan_status or None,
        latest_graduation_year=cl.latest_graduation_year(int(months), today)
        if months.isdigit()
        else None,
        alert=alert if alert in cl.ALERTS else None,
    )
    rows, after, total = cl.caseload(store, query, cursor or None, 100)
    filters = {
        "support": support,
        "status": status,
        "plan_status": plan_status,
        "alert": alert,
        "months": months,
    }
    return page(
        request, "caseload.html", principal, rows=rows, total=total, after=after, filters=filters
    )


@router.get("/graduates/{graduate_id}", response_class=HTMLResponse)
def graduate_page(
    request: Request,
    graduate_id: str,
    principal: Viewer,
    matcher: Engine,
    background: BackgroundTasks,
    swap: str = "",
) -> HTMLResponse:
    store = matcher.store
    try:
        graduate = read_graduate(store, principal, graduate_id)
    except AccessDenied:
        return page(request, "denied.html", principal, status=403, graduate_id=graduate_id)
    except NotFoundError:
        return page(request, "missing.html", principal, status=404, graduate_id=graduate_id)
    found = Plans(store).of_graduates([graduate_id])
    plan = history = None
    alternatives: list[Any] = []
    if graduate_id in found:
        plan = full(store, Plans(store).get(found[graduate_id]))
        history = Plans(store).history(plan["id"])
        if swap and any(i["id"] == swap for i in plan["items"]):
            try:
                alternatives = replace.alternatives(matcher, plan["id"], swap, 5)
            except MatcherError as exc:
                flash(request, "error", chinese(exc))
    recommendations = (  # logged as a console impression (matcher.engine.served)
        serve(matcher, [graduate_id], 5, surface="console", defer=background.add_task)[0]
        if graduate.get("status") == "seeking"
        else []
    )
    return page(
        request,
        "graduate.html",
        principal,
        g=graduate,
        months=cl.months_unemployed(graduate, date.today()),
        plan=plan,
        history=history,
        recommendations=recommendations,
        swap=swap,
        alternatives=alternatives,
        offers_per_week=request.app.state.settings.offers_per_week,
        months_record=graduate_history(store.engine, graduate_id),
        sharing=choices(graduate),
        SHARE_SHORT=SHORT,
    )


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request, principal: Viewer) -> HTMLResponse:
    store = request.app.state.store
    where = combined(scope_filter(principal), graduate_filters(needs_support=True))
    figures = supply_demand(store)
    return page(
        request,
        "dashboard.html",
        principal,
        cov=coverage(store, where),
        districts=figures["districts"],
        majors=figures["majors"],
    )


# ---- forms ---------------------------------------------------------------------------------
def _act(request: Request, principal: Principal, plan_id: str, run: Any) -> Response:
    """Run a change on a plan the adviser may see; report success or the reason in Chinese."""
    store = request.app.state.store
    try:
        plan = plan_for(store, principal, plan_id)
    except MatcherError as exc:
        flash(request, "error", chinese(exc))
        return RedirectResponse("/console", status_code=303)
    try:
        message = run(plan)
        flash(request, "ok", message)
    except MatcherError as exc:
        flash(request, "error", chinese(exc))
    return _back(plan["graduate_id"])


@router.post("/graduates/{graduate_id}/consent")
def consent(
    request: Request, graduate_id: str, principal: Poster, how: Annotated[str, Form()] = ""
) -> Response:
    """Record that the graduate agreed to the plan service and to offers, and how."""
    store = request.app.state.store
    try:
        read_graduate(store, principal, graduate_id)
        record_consent(store, graduate_id, how=how, actor=actor_of(principal))
        flash(request, "ok", f"已记录本人同意（{HOW[how]}），现在可以生成帮扶计划和推送")
    except MatcherError as exc:
        flash(request, "error", chinese(exc))
    return _back(graduate_id)


@router.post("/graduates/{graduate_id}/plan")
def generate_plan(
    request: Request, graduate_id: str, principal: Poster, matcher: Engine
) -> Response:
    try:
        _, created = plan_for_graduate(matcher, principal, graduate_id)
        flash(request, "ok", "已生成帮扶计划（草拟）" if created else "该毕业生已有帮扶计划")
    except MatcherError as exc:
        flash(request, "error", chinese(exc))
    return _back(graduate_id)


@router.post("/plans/{plan_id}/status")
def plan_status(
    request: Request,
    plan_id: str,
    principal: Poster,
    status: Annotated[str, Form()],
    outcome: Annotated[str, Form()] = "",
) -> Response:
    settings = request.app.state.settings

    def run(plan: dict[str, Any]) -> str:
        edit.set_status(
            request.app.state.store,
            settings,
            plan_id,
            status,
            actor=actor_of(principal),
            outcome=(outcome or None) if status == "closed" else None,
        )
        return "计划状态已更新"

    return _act(request, principal, plan_id, run)


@router.post("/plans/{plan_id}/notes")
def plan_note(
    request: Request, plan_id: str, principal: Poster, text: Annotated[str, Form()] = ""
) -> Response:
    def run(plan: dict[str, Any]) -> str:
        edit.add_note(request.app.state.store, plan_id, text, actor=actor_of(principal))
        return "备注已保存"

    return _act(request, principal, plan_id, run)


@router.post("/plans/{plan_id}/items/{item_id}")
def plan_item(
    request: Request,
    plan_id: str,
    item_id: str,
    principal: Poster,
    status: Annotated[str, Form()] = "",
    pinned: Annotated[str, Form()] = "",
) -> Response:
    def run(plan: dict[str, Any]) -> str:
        edit.set_item(
            request.app.state.store,
            request.app.state.settings,
            plan_id,
            item_id,
            actor=actor_of(principal),
            status=status or None,
            pinned={"yes": True, "no": False}.get(pinned),
        )
        return "事项已更新"

    return _act(request, principal, plan_id, run)


@router.post("/plans/{plan_id}/items/{item_id}/swap")
def plan_swap(
    request: Request,
    plan_id: str,
    item_id: str,
    principal: Poster,
    matcher: Engine,
    ref_id: Annotated[str, Form()] = "",
) -> Response:
    def run(plan: dict[str, Any]) -> str:
        replace.swap(matcher, plan_id, item_id, actor=actor_of(principal), ref_id=ref_id or None)
        return "已更换"

    return _act(request, principal, plan_id, run)


@router.post("/plans/{plan_id}/exclusions")
def plan_exclude(
    request: Request,
    plan_id: str,
    principal: Poster,
    matcher: Engine,
    ref_id: Annotated[str, Form()],
) -> Response:
    def run(plan: dict[str, Any]) -> str:
        replace.exclude(matcher, plan_id, ref_id, actor=actor_of(principal))
        return f"已排除 {ref_id}，并换上下一个候选"

    return _act(request, principal, plan_id, run)


@router.post("/plans/{plan_id}/items/{item_id}/offer")
def plan_offer(
    request: Request,
    plan_id: str,
    item_id: str,
    principal: Poster,
    message: Annotated[str, Form()] = "",
) -> Response:
    app = request.app

    def run(plan: dict[str, Any]) -> str:
        result, _ = edit.push_offer(
            app.state.store,
            app.state.settings,
            plan_id,
            item_id,
            actor=actor_of(principal),
            message=message,
        )
        worker = getattr(app.state, "worker", None)
        if worker is not None:
            worker.wake()
        return delivery_note(result.record, created=result.created)

    return _act(request, principal, plan_id, run)
