"""Domain errors → RFC 9457 problem+json responses. The only place that knows HTTP codes."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from matcher.errors import (
    ConflictError,
    MatcherError,
    NotFoundError,
    StoreError,
    TaxonomyError,
    ValidationError,
)

PROBLEM = "application/problem+json"
_STATUS: list[tuple[type[MatcherError], int, str]] = [
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
                extra = {}
                if isinstance(exc, ValidationError):
                    extra = {"record_id": exc.record_id, "field": exc.field}
                return problem(status, title, str(exc), request.url.path, **extra)
        raise exc  # pragma: no cover - _STATUS ends with the base class

    @app.exception_handler(RequestValidationError)
    async def _request(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()
        ]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return problem(422, "Invalid request", detail, request.url.path, errors=errors)
