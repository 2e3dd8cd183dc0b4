"""The graduates' own pages' plumbing: a one-time link opens a session scoped to one graduate.

The session is the console's kind (a random token in the signed cookie, its hash in the store,
ended at sign-out or after :data:`SESSION`), held for a graduate key issued at sign-in whose
secret is thrown away: the graduate never sees or types a key, and every page reads and writes
through the same role and scope checks as the API's graduate role (their own record only)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, Response

from api.console import check_csrf, session_principal, templates
from matcher.access import Principal, Role
from matcher.store.keys import ApiKeys, ConsoleSessions
from matcher.store.links import SignInLinks

SESSION = timedelta(hours=2)
KEY_NAME = "graduate pages"


class SignedOut(Exception):
    """The page needs a signed-in graduate: they are told to ask for a new link."""


def sign_in(request: Request, token: str) -> str:
    """Use a sign-in link and open a session for its graduate; returns the graduate's id.
    Raises ``AccessDenied`` (Chinese reason) for a used, expired, revoked or unknown link."""
    store = request.app.state.store
    graduate_id = SignInLinks(store).redeem(token)
    sign_out(request)
    key_id, _secret = ApiKeys(store).issue(Role.GRADUATE.value, {"graduate": graduate_id}, KEY_NAME)
    request.session.update(
        me=ConsoleSessions(store).open(key_id, SESSION), csrf=secrets.token_urlsafe(16)
    )
    return graduate_id


def sign_out(request: Request) -> None:
    """End the graduate's session and retire its key."""
    store = request.app.state.store
    token = request.session.pop("me", None)
    if isinstance(token, str) and token:
        sessions = ConsoleSessions(store)
        key_id = sessions.key_of(token)
        sessions.end(token)
        if key_id:
            ApiKeys(store).revoke(key_id)


def graduate_of(request: Request) -> Principal:
    """The signed-in graduate of a live session."""
    principal = session_principal(request, "me")
    if principal is None:
        request.session.pop("me", None)
        raise SignedOut()
    return principal


def checked(request: Request, csrf: Annotated[str, Form()] = "") -> Principal:
    """The signed-in graduate of a form post whose CSRF token matches the session's."""
    principal = graduate_of(request)
    check_csrf(request, csrf)
    return principal


Me = Annotated[Principal, Depends(graduate_of)]
MePost = Annotated[Principal, Depends(checked)]


def flash(request: Request, text: str, kind: str = "ok") -> None:
    request.session["me_flash"] = [kind, text]


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        name,
        {
            "csrf": request.session.get("csrf", ""),
            "flash": request.session.pop("me_flash", None),
            **context,
        },
        status_code=status,
    )


def install(app: FastAPI) -> None:
    """A page that says how to sign in again, for any page opened without a live session."""

    @app.exception_handler(SignedOut)
    async def _signed_out(request: Request, exc: SignedOut) -> Response:
        return page(request, "me/message.html", status=401, heading="请重新登录", text=SIGNED_OUT)


SIGNED_OUT = (
    "您尚未登录或登录已过期。请使用就业服务机构、学校或指导员通过短信、微信发给您的登录链接"
    "重新打开本页；每个链接只能使用一次。"
)
