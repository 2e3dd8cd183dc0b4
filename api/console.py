"""The adviser console's plumbing: the signed session cookie (it holds a session token whose
hash the store keeps, never the key: a logout ends the session server-side), the signed-in
adviser, CSRF tokens on every form, flash messages and the templates."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

from matcher.access import AccessDenied, Principal, Role, Unauthenticated
from matcher.config import Settings
from matcher.credentials import authenticate, parse_key, stored_principal
from matcher.errors import MatcherError
from matcher.plans import vocab
from matcher.plans.consent import HOW as CONSENT_HOW
from matcher.store.keys import ApiKeys, ConsoleSessions
from matcher.taxonomy.vocab import KIND_LABELS as POSITION_KINDS
from matcher.taxonomy.vocab import OFFER_STATUS_LABELS, SUPPORT_LABELS

WEB = Path(__file__).parent / "web"
COOKIE = "matcher_console"
CONSOLE_ROLES = (Role.ADMIN, Role.BUREAU, Role.ADVISER)
SESSION = timedelta(hours=8)
templates = Jinja2Templates(directory=str(WEB / "templates"))


class SignIn(Exception):
    """The page needs a signed-in adviser: the browser is sent to the sign-in page."""


def _local(value: Any, timezone: str = "Asia/Shanghai") -> str:
    if not value:
        return ""
    moment = datetime.fromisoformat(str(value)) if isinstance(value, str) else value
    if not isinstance(moment, datetime):
        return str(value)
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")


def describe(event: dict[str, Any]) -> str:
    """One history entry in Chinese."""
    d = event.get("detail") or {}
    kind = vocab.KIND_LABELS.get(str(d.get("kind")), "")
    plan, item = vocab.PLAN_LABELS, vocab.ITEM_LABELS
    was, now = str(d.get("from")), str(d.get("to"))
    match event.get("action"):
        case "created":
            return f"生成 {d.get('items', '')} 项"
        case "status":
            text = f"{plan.get(was, '')} → {plan.get(now, '')}"
            if d.get("outcome"):
                text += f"（{vocab.OUTCOME_LABELS.get(d['outcome'], d['outcome'])}）"
            return text + ("（自动）" if d.get("auto") else "")
        case "item_status":
            return f"{kind} {d.get('ref_id') or ''}：{item.get(was, '')} → {item.get(now, '')}"
        case "swap":
            return f"{kind}：{d.get('from') or '空'} → {d.get('to') or '空'} {d.get('title') or ''}"
        case "offer":
            return f"{kind} {d.get('ref_id')} 推送给本人（{d.get('offer_id')}）"
        case "excluded":
            return f"排除 {d.get('ref_id')}"
        case "note":
            return str(d.get("text", ""))
        case "reschedule":
            return f"改约至 {_local(d.get('to'))}"
        case "ends_on":
            return f"见习结束日 {d.get('ends_on')}"
        case _:
            return f"{kind} {d.get('ref_id') or ''}"


templates.env.filters["local"] = _local
templates.env.filters["describe"] = describe
templates.env.globals.update(
    CONSENT_HOW=CONSENT_HOW,
    local=_local,
    KIND_LABELS=vocab.KIND_LABELS,
    PLAN_LABELS=vocab.PLAN_LABELS,
    OUTCOME_LABELS=vocab.OUTCOME_LABELS,
    ITEM_LABELS=vocab.ITEM_LABELS,
    ITEM_STATUSES=vocab.ITEM_STATUSES,
    STATUS_LABELS=vocab.STATUS_LABELS,
    ALERT_LABELS=vocab.ALERT_LABELS,
    SUPPORT_LABELS={flag.value: label for flag, label in SUPPORT_LABELS.items()},
    POSITION_KINDS={kind.value: label for kind, label in POSITION_KINDS.items()},
    ACTION_LABELS={
        "created": "生成计划",
        "status": "计划状态",
        "item_status": "事项状态",
        "pin": "锁定",
        "unpin": "取消锁定",
        "swap": "更换",
        "excluded": "排除",
        "note": "备注",
        "offer": "推送",
        "reschedule": "改约",
        "ends_on": "见习结束日",
    },
)


def install(app: FastAPI, settings: Settings) -> None:
    """Session cookie (HttpOnly, SameSite=Lax, signed), static files, the sign-in redirect."""
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.console_secret or secrets.token_urlsafe(32),
        session_cookie=COOKIE,
        max_age=int(SESSION.total_seconds()),
        same_site="lax",
        https_only=settings.console_https_only,
    )
    app.mount("/console/static", StaticFiles(directory=str(WEB / "static")), name="console-static")

    @app.exception_handler(SignIn)
    async def _sign_in(request: Request, exc: SignIn) -> Response:
        return RedirectResponse("/console/login", status_code=303)


def sign_in(request: Request, key: str) -> Principal:
    """Check a key typed on the sign-in page and open a session for it."""
    store = request.app.state.store
    key_id, secret = parse_key(key)
    try:
        principal = authenticate(key_id, secret, ApiKeys(store).get(key_id))
    except Unauthenticated:
        raise AccessDenied("the key is unknown or revoked", zh="密钥无效或已停用") from None
    if principal.role not in CONSOLE_ROLES:
        raise AccessDenied(
            "the console is for advisers and bureau staff", zh="该密钥不是指导员或经办人员的密钥"
        )
    sign_out(request)
    token = ConsoleSessions(store).open(key_id, SESSION)
    request.session.update(sid=token, csrf=secrets.token_urlsafe(16))
    return principal


def sign_out(request: Request) -> None:
    """End the session server-side (a copy of the cookie no longer signs anyone in)."""
    token = request.session.get("sid")
    if isinstance(token, str) and token:
        ConsoleSessions(request.app.state.store).end(token)
    request.session.clear()


def session_principal(request: Request, name: str) -> Principal | None:
    """The principal of the live session whose token the cookie holds under ``name``; None
    when there is none, it ended, or its key was revoked."""
    store = request.app.state.store
    token = request.session.get(name)
    key_id = ConsoleSessions(store).key_of(token) if isinstance(token, str) and token else None
    stored = ApiKeys(store).get(key_id) if key_id else None
    if key_id is None or stored is None or stored["revoked_at"]:
        return None
    return stored_principal(key_id, stored)


def check_csrf(request: Request, csrf: str) -> None:
    """A form post's CSRF token must match the session's."""
    if not csrf or not secrets.compare_digest(csrf, str(request.session.get("csrf", ""))):
        raise AccessDenied("the form expired; reload the page", zh="表单已过期，请刷新页面后重试")


def principal_of(request: Request) -> Principal:
    """The signed-in adviser of a live session; a logout, the end of the session's 8 hours or
    a revoked key ends it."""
    principal = session_principal(request, "sid")
    if principal is None:
        sign_out(request)
        raise SignIn()
    return principal


def checked(request: Request, csrf: Annotated[str, Form()] = "") -> Principal:
    """The signed-in adviser of a form post whose CSRF token matches the session's."""
    principal = principal_of(request)
    check_csrf(request, csrf)
    return principal


Viewer = Annotated[Principal, Depends(principal_of)]
Poster = Annotated[Principal, Depends(checked)]


def flash(request: Request, kind: str, text: str) -> None:
    request.session["flash"] = [kind, text]


def page(
    request: Request, name: str, principal: Principal | None, status: int = 200, **context: Any
) -> HTMLResponse:
    shown = request.session.pop("flash", None)
    who = ""
    if principal is not None:
        who = principal.scope.get("adviser") or principal.role.value
    return templates.TemplateResponse(
        request,
        name,
        {
            "who": who,
            "csrf": request.session.get("csrf", ""),
            "flash": shown,
            **context,
        },
        status_code=status,
    )


def chinese(exc: MatcherError) -> str:
    """The Chinese text an adviser sees for a refused console action."""
    return exc.zh


def delivery_note(offer: dict[str, Any], *, created: bool) -> str:
    """What the adviser is told after pushing an item: what really happened to the message."""
    first = "已生成推送" if created else "该事项此前已推送"
    if offer.get("status") == "recorded":
        return (
            f"{first}（{offer['id']}），但尚未发送：未配置短信、微信等消息通道"
            "（MATCHER_WEBHOOK_URLS），配置后将自动发送"
        )
    if offer.get("status") == "queued":
        return f"{first}（{offer['id']}），正在发送（安静时段内的推送在其结束后发送）"
    label = OFFER_STATUS_LABELS.get(offer["status"], offer["status"])
    return f"{first}（{offer['id']}），当前状态：{label}"
