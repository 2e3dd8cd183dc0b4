"""Guards at the edge of the HTTP API, in front of every route.

- :class:`InputGuard` reads what a route would read before it does: a path, query parameter
  or form field holding a NUL character or bytes that are not UTF-8, and a JSON body that is
  not UTF-8, nests deeper than :data:`MAX_DEPTH` levels, or writes ``NaN``/``Infinity`` or a
  lone surrogate, are answered 400/422 problem+json naming the parameter or field, before a
  database sees them (PostgreSQL refuses NUL in text; a stored ``Infinity`` would break every
  page that lists the record).
- :class:`CrashGuard` answers an unexpected error with 500 problem+json and logs it by its
  type, the request's method and path (ids, no query) and the lines it passed through, never
  by its message: a database error repeats the failing row (names, phone numbers)."""

from __future__ import annotations

import json
import logging
import re
import traceback
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import prefers_chinese, problem

log = logging.getLogger("matcher.api")
#: Deepest nesting of objects and lists a JSON body may have (records need four).
MAX_DEPTH = 32
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]")
_SUSPECT = re.compile(r"NaN|Infinity|\\u[dD][89a-fA-F]")


class _Constant(str):
    """``NaN``, ``Infinity`` or ``-Infinity`` as written (no number of JSON's)."""


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers") or []}


class _Refusal(Exception):
    def __init__(self, status: int, field: str, english: str, chinese: str) -> None:
        super().__init__(english)
        self.status, self.field, self.english, self.chinese = status, field, english, chinese


def _pairs(raw: bytes, where: str) -> None:
    """Check ``name=value&...`` (a query string or a form): UTF-8, no NUL."""
    for pair in raw.split(b"&"):
        name, _, value = pair.partition(b"=")
        shown = unquote_to_bytes(name.replace(b"+", b" ")).decode("utf-8", "replace")[:100]
        field = f"{where}.{shown}"
        for part in (name, value):
            try:
                text = unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                raise _Refusal(400, field, "is not UTF-8 text", "不是有效的 UTF-8 文本") from None
            if "\x00" in text:
                raise _Refusal(422, field, "contains a NUL character", "不能包含空字符（\\u0000）")


def _depth(text: str) -> int:
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    deepest = level = 0
    for char in brackets:
        level += 1 if char in "[{" else -1
        deepest = max(deepest, level)
    return deepest


def _odd_values(value: Any, path: str) -> Iterator[tuple[str, str, str]]:
    """(field, English, Chinese) of each constant or lone surrogate inside a parsed body."""
    if isinstance(value, _Constant):
        yield path, f"{value} is not a JSON number", f"{value} 不是有效的数字"
    elif isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            yield path, "holds a lone surrogate", "含有无效的 Unicode 字符（孤立代理项）"
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _odd_values(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key.encode('utf-8', 'replace').decode()}"
            yield from _odd_values(key, inner)
            yield from _odd_values(item, inner)


def _json(body: bytes) -> None:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Refusal(
            400,
            "body",
            f"the body is not UTF-8 text (byte {exc.start}); send JSON encoded as UTF-8",
            f"请求体不是有效的 UTF-8 文本（第 {exc.start} 字节），请以 UTF-8 编码发送 JSON",
        ) from None
    if _depth(text) > MAX_DEPTH:
        raise _Refusal(
            400,
            "body",
            f"the body nests objects and lists deeper than {MAX_DEPTH} levels",
            f"请求体的对象和列表嵌套超过 {MAX_DEPTH} 层，无法读取",
        )
    if not _SUSPECT.search(text):
        return
    try:
        parsed = json.loads(text, parse_constant=_Constant)
    except ValueError:
        return  # not JSON at all: the route's own reading says where
    for field, english, chinese in _odd_values(parsed, "body"):
        raise _Refusal(422, field, english, chinese)


def _check(scope: Scope, body: bytes | None, kind: str) -> None:
    if "\x00" in scope.get("path", ""):
        raise _Refusal(422, "path", "contains a NUL character", "不能包含空字符（\\u0000）")
    _pairs(scope.get("query_string") or b"", "query")
    if body and kind == "form":
        _pairs(body, "form")
    elif body and kind == "json":
        _json(body)


def _kind(scope: Scope) -> str:
    if scope.get("method") not in ("POST", "PUT", "PATCH", "DELETE"):
        return ""
    media = _headers(scope).get("content-type", "").split(";")[0].strip().lower()
    if media == "application/x-www-form-urlencoded":
        return "form"
    if media.startswith("application/") and (media.endswith("/json") or media.endswith("+json")):
        return "json"
    return ""


class InputGuard:
    """Refuses unreadable or unstorable input (see the module) before the routes see it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        kind = _kind(scope)
        body: bytes | None = None
        if kind:
            body, receive = await _buffered(receive)
        try:
            _check(scope, body, kind)
        except _Refusal as refusal:
            await _refuse(scope, refusal)(scope, receive, send)
            return
        await self.app(scope, receive, send)


async def _buffered(receive: Receive) -> tuple[bytes, Receive]:
    """The whole body, and a ``receive`` that hands it to the app once more."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    body = b"".join(chunks)
    pending = True

    async def replay() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay


def _refuse(scope: Scope, refusal: _Refusal) -> Any:
    unreadable = refusal.status == 400
    return problem(
        refusal.status,
        ("Unreadable request", "请求无法读取")
        if unreadable
        else ("Invalid request", "请求参数有误"),
        (f"{refusal.field}: {refusal.english}", f"{refusal.field}：{refusal.chinese}"),
        scope.get("path", "").replace("\x00", "\\u0000"),
        code="unreadable_request" if unreadable else "invalid_request",
        chinese=prefers_chinese(_headers(scope).get("accept-language")),
        field=refusal.field,
    )


class CrashGuard:
    """An error no handler expected: 500 problem+json, logged without its message."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as exc:
            log.error(
                "%s %s failed: %s; at %s",
                scope.get("method"),
                scope.get("path", "").replace("\x00", "\\u0000"),
                described(exc),
                " < ".join(where(exc)),
            )
            if started:
                return
            await problem(
                500,
                ("Internal error", "服务器内部错误"),
                (
                    "the request failed on the server; it is logged (without its data) for "
                    "the operators",
                    "服务器处理请求时出错，已记录（不含请求数据），请稍后再试或联系管理员",
                ),
                scope.get("path", "").replace("\x00", "\\u0000"),
                code="internal_error",
                chinese=prefers_chinese(_headers(scope).get("accept-language")),
            )(scope, receive, send)


def described(exc: BaseException) -> str:
    """The error's class and those of its causes, with a database's SQLSTATE: no message."""
    names: list[str] = []
    seen: BaseException | None = exc
    while seen is not None and len(names) < 5:
        state = getattr(seen, "sqlstate", None)
        names.append(type(seen).__name__ + (f" (SQLSTATE {state})" if state else ""))
        seen = seen.__cause__ or seen.__context__
    return " caused by ".join(names)


def where(exc: BaseException) -> list[str]:
    """The project's lines the error passed through, innermost first (file, line, function)."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [
        f
        for f in frames
        if ("/matcher/" in f.filename or "/api/" in f.filename)
        and not f.filename.endswith(("api/guards.py", "api/errors.py"))
    ]
    return [f"{_short(f.filename)}:{f.lineno} {f.name}" for f in reversed(ours or frames[-1:])]


def _short(path: str) -> str:
    for root in ("/matcher/", "/api/"):
        if root in path:
            return root.strip("/") + "/" + path.rsplit(root, 1)[1]
    return path.rsplit("/", 1)[-1]
