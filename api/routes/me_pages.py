"""Graduates' own pages, part one: signing in with a one-time link, the recommendations with
their reasons, a posting's detail, and the answers 收藏 / 申请 / 不感兴趣 (recorded as feedback
events; a posting applied for or dismissed is never recommended again), the offers inbox and
the graduate's plan. Server-rendered, Chinese, built for a phone."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import MatcherDep, StoreDep
from api.me import Me, MePost, flash, page, sign_in, sign_out
from matcher.access import AccessDenied
from matcher.engine.served import serve
from matcher.errors import ConflictError, MatcherError, NotFoundError
from matcher.offers.feedback import record_feedback
from matcher.offers.view import posting_summary, readable
from matcher.plans.view import enrich
from matcher.store import Store
from matcher.store.adviser_contacts import AdviserContacts
from matcher.store.db import utcnow
from matcher.store.feedback import events_of, insert_observed
from matcher.store.keys import audit
from matcher.store.offers import Offers
from matcher.store.plans import Plans
from matcher.taxonomy.vocab import KIND_LABELS, PositionKind

router = APIRouter(prefix="/me", include_in_schema=False)
SOURCE = "graduate_page"
ANSWERS = {
    "saved": "已收藏",
    "applied": "已记录申请",
    "not_interested": "已标记为不感兴趣，不会再向您推荐",
}
KINDS = {k.value: KIND_LABELS[k] for k in PositionKind}


def graduate_id(principal: Any) -> str:
    return str(principal.scope["graduate"])


@router.get("/signin/{token}")
def open_link(request: Request, token: str) -> Response:
    """Open a sign-in link: a session for its graduate, then their recommendations."""
    try:
        sign_in(request, token)
    except MatcherError as exc:
        return page(request, "me/message.html", status=410, heading="链接不可用", text=exc.zh)
    return RedirectResponse("/me", status_code=303)


@router.post("/logout")
def logout(request: Request, principal: MePost) -> Response:
    sign_out(request)
    return page(request, "me/message.html", heading="已退出", text="您已安全退出。")


@router.get("", response_class=HTMLResponse)
def home(
    request: Request,
    matcher: MatcherDep,
    principal: Me,
    background: BackgroundTasks,
    kind: Annotated[str, Query()] = "",
    district: Annotated[str, Query(max_length=40)] = "",
) -> HTMLResponse:
    gid = graduate_id(principal)
    graduate = matcher.store.get("graduates", gid)
    kinds = [kind] if kind in KINDS else []
    try:
        found = serve(
            matcher,
            [gid],
            10,
            surface="page",
            kinds=kinds,
            places=[district] if district.strip() else (),
            defer=background.add_task,
        )[0]
        problem = ""
    except MatcherError as exc:  # e.g. a district name the engine does not know
        found, problem = [], exc.zh
    saved = {e["position_id"] for e in events_of(matcher.store, gid) if e["event"] == "saved"}
    return page(
        request,
        "me/home.html",
        graduate=graduate,
        matches=[asdict(m) for m in found],
        saved=saved,
        kinds=KINDS,
        kind=kind,
        district=district,
        problem=problem,
        tab="home",
    )


def _posting(store: Store, position_id: str) -> dict[str, Any]:
    posting = store.get("positions", position_id)
    if posting.get("flagged") or posting.get("status", "open") != "open":
        raise NotFoundError("positions", position_id)
    return posting


@router.get("/positions/{position_id}", response_class=HTMLResponse)
def posting_detail(request: Request, position_id: str, store: StoreDep, principal: Me) -> Response:
    try:
        posting = _posting(store, position_id)
    except NotFoundError:
        return page(request, "me/message.html", status=404, heading="岗位不存在", text=GONE)
    return page(
        request,
        "me/position.html",
        posting=posting,
        summary=posting_summary(posting),
        tab="home",
    )


GONE = "该岗位已下线或不存在。"


@router.post("/positions/{position_id}/answer")
def answer(
    request: Request,
    position_id: str,
    store: StoreDep,
    principal: MePost,
    event: Annotated[str, Form()],
    reason: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """收藏, 申请 or 不感兴趣 on a recommended posting (the reason is kept in the audit log)."""
    gid = graduate_id(principal)
    if event not in ANSWERS:
        raise AccessDenied(f"unknown answer {event!r}", zh="无法识别的操作")
    try:
        _posting(store, position_id)
    except NotFoundError:
        return page(request, "me/message.html", status=404, heading="岗位不存在", text=GONE)
    insert_observed(
        store,
        [
            {
                "graduate_id": gid,
                "position_id": position_id,
                "event": event,
                "source": SOURCE,
                "at": utcnow(),
            }
        ],
    )
    detail = {"position_id": position_id} | ({"reason": reason.strip()} if reason.strip() else {})
    audit(store, f"graduate:{gid}", event, "graduates", [gid], detail)
    flash(request, ANSWERS[event])
    return RedirectResponse(request.headers.get("referer") or "/me", status_code=303)


@router.get("/offers", response_class=HTMLResponse)
def offers(request: Request, store: StoreDep, principal: Me) -> HTMLResponse:
    items, _ = Offers(store).page(graduate_ids=[graduate_id(principal)], limit=100)
    shown = sorted(
        readable(store, items, staff=False), key=lambda o: str(o["created_at"]), reverse=True
    )
    return page(request, "me/offers.html", offers=shown, tab="offers")


@router.post("/offers/{offer_id}/answer")
def answer_offer(
    request: Request,
    offer_id: str,
    store: StoreDep,
    principal: MePost,
    event: Annotated[str, Form()],
) -> Response:
    """申请 or 不感兴趣 on an offer pushed to the graduate (their own offers only)."""
    if event not in ("applied", "not_interested", "viewed"):
        raise AccessDenied(f"unknown answer {event!r}", zh="无法识别的操作")
    try:
        offer = Offers(store).get(offer_id)
        if offer["graduate_id"] != graduate_id(principal):
            raise NotFoundError("offers", offer_id)  # another graduate's offer: not theirs to see
        record_feedback(store, offer_id, event, SOURCE)
    except NotFoundError:
        return page(
            request, "me/message.html", status=404, heading="推送不存在", text="未找到该推送。"
        )
    except ConflictError as exc:
        flash(request, getattr(exc, "zh", "操作未完成"), "error")
        return RedirectResponse("/me/offers", status_code=303)
    flash(
        request,
        {"applied": "已记录您的申请", "not_interested": "已记录：不感兴趣"}.get(event, "已查看"),
    )
    return RedirectResponse("/me/offers", status_code=303)


@router.get("/plan", response_class=HTMLResponse)
def plan(request: Request, store: StoreDep, principal: Me) -> HTMLResponse:
    gid = graduate_id(principal)
    plans = Plans(store)
    found = plans.of_graduates([gid])
    shown = enrich(store, plans.get(found[gid])) if gid in found else None
    adviser = (shown or {}).get("adviser_id") or store.get("graduates", gid).get("adviser")
    contact = AdviserContacts(store).of([adviser]).get(adviser) if adviser else None
    return page(request, "me/plan.html", plan=shown, contact=contact, tab="plan")
