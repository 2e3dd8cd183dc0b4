"""Domain errors → RFC 9457 problem+json responses. The only place that knows HTTP codes.

Every problem has a machine ``code`` (English) and its ``title`` and ``detail`` in the language
the request prefers (``Accept-Language``; English when it names none), with the other language
beside it (``detail_zh`` or ``detail_en``), so a Chinese text is always there to show."""

from __future__ import annotations

from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from matcher.access import AccessDenied, Unauthenticated
from matcher.errors import (
    ConflictError,
    MatcherError,
    NotFoundError,
    StoreError,
    TaxonomyError,
    UnreadableFileError,
    ValidationError,
)
from matcher.offers.single import OfferRefused
from matcher.records.messages import zh_message

PROBLEM = "application/problem+json"


class FieldProblem(BaseModel):
    field: str = Field(description="where: path, query, header or body, then the field")
    message: str
    message_zh: str


class Problem(BaseModel):
    """An error answer (RFC 9457), as ``application/problem+json``."""

    type: str = Field(description="always about:blank")
    title: str
    status: int = Field(ge=400, le=599)
    code: str = Field(description="machine reason: invalid_request, not_found, conflict...")
    detail: str = Field(description="in the language of Accept-Language")
    detail_zh: str | None = Field(None, description="the Chinese text, when detail is English")
    detail_en: str | None = Field(None, description="the English text, when detail is Chinese")
    instance: str = Field(description="the path asked for")
    errors: list[FieldProblem] | None = Field(None, description="422 invalid_request: each")
    record_id: str | None = Field(None, description="422 invalid_record: the record")
    field: str | None = Field(None, description="422 invalid_record: its first bad field")
    rule: str | None = Field(None, description="422 offer_refused: the offer rule")


#: status of an HTTP error raised by the framework (no such path, method) → Chinese title
_HTTP_ZH = {404: "未找到", 405: "不支持该请求方法", 406: "无法提供所要求的格式"}
#: error class → (status, code, English title, Chinese title)
_STATUS: list[tuple[type[MatcherError], int, str, str, str]] = [
    (Unauthenticated, 401, "unauthenticated", "Unauthorized", "未认证"),
    (AccessDenied, 403, "forbidden", "Forbidden", "无权访问"),
    (OfferRefused, 422, "offer_refused", "Offer refused", "推送被拒绝"),
    (NotFoundError, 404, "not_found", "Not Found", "未找到"),
    (ValidationError, 422, "invalid_record", "Invalid record", "记录有误"),
    (TaxonomyError, 422, "unknown_name", "Unknown name or code", "无法识别的名称或代码"),
    (UnreadableFileError, 422, "unreadable_file", "Unreadable file", "文件无法读取"),
    (ConflictError, 409, "conflict", "Conflict", "与现有记录冲突"),
    (StoreError, 503, "store_unavailable", "Store unavailable", "数据库不可用"),
    (MatcherError, 400, "bad_request", "Bad request", "请求有误"),
]


def prefers_chinese(accept_language: str | None) -> bool:
    """Whether the most preferred language of an ``Accept-Language`` header is Chinese."""
    best, best_q = "", -1.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if tag and q > best_q:
            best, best_q = tag.lower(), q
    return best.startswith("zh")


def problem(
    status: int,
    title: tuple[str, str],
    detail: tuple[str, str],
    instance: str,
    *,
    code: str,
    chinese: bool = False,
    **extra: object,
) -> JSONResponse:
    """A problem+json answer; ``title`` and ``detail`` are (English, Chinese)."""
    first = 1 if chinese else 0
    body = {
        "type": "about:blank",
        "title": title[first],
        "status": status,
        "code": code,
        "detail": detail[first],
        "detail_en" if chinese else "detail_zh": detail[1 - first],
        "instance": instance,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def install(app: FastAPI) -> None:
    @app.exception_handler(MatcherError)
    async def _domain(request: Request, exc: MatcherError) -> JSONResponse:
        for cls, status, code, title, title_zh in _STATUS:
            if isinstance(exc, cls):
                extra: dict[str, object] = {}
                if isinstance(exc, ValidationError):
                    extra = {"record_id": exc.record_id, "field": exc.field}
                if isinstance(exc, AccessDenied) and exc.field:
                    extra = {"field": exc.field}
                if isinstance(exc, OfferRefused):
                    extra = {"rule": exc.rule}
                if isinstance(exc, UnreadableFileError):  # the reason is the machine code
                    code = exc.reason
                    status = 413 if exc.reason == "file_too_large" else status
                response = problem(
                    status,
                    (title, title_zh),
                    (str(exc), exc.zh),
                    request.url.path,
                    code=code,
                    chinese=prefers_chinese(request.headers.get("accept-language")),
                    **extra,
                )
                if status == 401:
                    response.headers["WWW-Authenticate"] = 'Bearer realm="matcher"'
                return response
        raise exc  # pragma: no cover - _STATUS ends with the base class

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        try:
            title = HTTPStatus(exc.status_code).phrase
        except ValueError:  # a status of no standard
            title = "Error"
        title_zh = _HTTP_ZH.get(exc.status_code, "请求有误")
        response = problem(
            exc.status_code,
            (title, title_zh),
            (str(exc.detail), f"{title_zh}：{request.method} {request.url.path}"),
            request.url.path,
            code=title.lower().replace(" ", "_"),
            chinese=prefers_chinese(request.headers.get("accept-language")),
        )
        response.headers.update(exc.headers or {})
        return response

    @app.exception_handler(RequestValidationError)
    async def _request(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "field": ".".join(str(p) for p in e["loc"]),
                "message": e["msg"],
                "message_zh": zh_message(dict(e)),
            }
            for e in exc.errors()
        ]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        detail_zh = "；".join(f"{e['field']}：{e['message_zh']}" for e in errors)
        return problem(
            422,
            ("Invalid request", "请求参数有误"),
            (detail, detail_zh),
            request.url.path,
            code="invalid_request",
            chinese=prefers_chinese(request.headers.get("accept-language")),
            errors=errors,
        )


class BodyLimit:
    """Refuses request bodies over ``limit`` bytes (over ``paths[path]`` for the paths that take
    files) with 413 problem+json, whether announced by Content-Length or streamed."""

    def __init__(self, app: ASGIApp, limit: int, paths: dict[str, int] | None = None) -> None:
        self.app = app
        self.limit = limit
        self.paths = paths or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        limit = self.paths.get(scope.get("path", ""), self.limit)
        advice = ("split it into smaller batches", "请分批提交")
        if scope.get("path", "") in self.paths:
            advice = ("send a smaller file", "请上传更小的文件")
        too_big = problem(
            413,
            ("Request body too large", "请求体过大"),
            (
                f"the body exceeds {limit:,} bytes; {advice[0]}",
                f"请求体超过 {limit:,} 字节，{advice[1]}",
            ),
            scope.get("path", ""),
            code="body_too_large",
        )
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await too_big(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await too_big(scope, receive, send)


class _TooLarge(Exception):
    pass
