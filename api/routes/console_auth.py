"""Signing in to the adviser console with an API key, and signing out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.console import Poster, page, sign_in, sign_out
from matcher.errors import MatcherError

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    return page(request, "login.html", None)


@router.post("/login")
def login(request: Request, key: Annotated[str, Form()] = "") -> Response:
    try:
        sign_in(request, key)
    except MatcherError as exc:
        return page(request, "login.html", None, status=401, error=exc.zh)
    return RedirectResponse("/console", status_code=303)


@router.post("/logout")
def logout(request: Request, principal: Poster) -> Response:
    """Sign out: the session ends in the store, so the cookie is worthless even if copied."""
    sign_out(request)
    return RedirectResponse("/console/login", status_code=303)
