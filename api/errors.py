"""Domain errors → RFC 9457 problem+json responses. The only place that knows HTTP codes."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from matcher.access import AccessDenied, Unauthenticated
from matcher.errors import (
    ConflictError,
    MatcherError,
    NotFoundError,
    StoreError,
    TaxonomyError,
    ValidationError,
)
from matcher.offers.single import OfferRefused

PROBLEM = "application/problem+json"
_STATUS: list[tuple[type[MatcherError], int, str]] = [
    (Unauthenticated, 401, "Unauthorized"),
    (AccessDenied, 403, "Forbidden"),
    (OfferRefused, 422, "Offer refused"),
    (NotFoundError, 404, "Not Found"),
    (ValidationError, 422, "Invalid record"),
    (TaxonomyError, 422, "Unknown name or code"),
    (ConflictError, 409, "Conflict"),
    (StoreError, 503, "Store unavailable"),
    (MatcherError, 400, "Bad request"),
]


def problem(status: int, title: str, detail: str, instance: str, **extra: object) -> JSONResponse:
    body = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def install(app: FastAPI) -> None:
    @app.exception_handler(MatcherError)
    async def _domain(request: Request, exc: MatcherError) -> JSONResponse:
        for cls, status, title in _STATUS:
            if isinstance(exc, cls):
                extra: dict[str, object] = {}
                if isinstance(exc, ValidationError):
                    extra = {"record_id": exc.record_id, "field": exc.field}
                if isinstance(exc, OfferRefused):
                    extra = {"rule": exc.rule}
                response = problem(status, title, str(exc), request.url.path, **extra)
                if status == 401:
                    response.headers["WWW-Authenticate"] = 'Bearer realm="matcher"'
                return response
        raise exc  # pragma: no cover - _STATUS ends with the base class

    @app.exception_handler(RequestValidationError)
    async def _request(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()
        ]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return problem(422, "Invalid request", detail, request.url.path, errors=errors)


class BodyLimit:
    """Refuses request bodies over ``limit`` bytes with 413 problem+json, whether announced by
    Content-Length or streamed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        too_big = problem(
            413,
            "Request body too large",
            f"the body exceeds {self.limit:,} bytes; split it into smaller batches",
            scope.get("path", ""),
        )
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await too_big(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await too_big(scope, receive, send)


class _TooLarge(Exception):
    pass
