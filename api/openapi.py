"""The OpenAPI document, complete enough for generated clients and fuzzers (issue 21): every
request body with its real schema, every answer, and every problem+json a route can give.

- Routers are made with ``route_class=Documented``: a route that needs an API key documents
  401 (the others are marked public), one that takes parameters or a body 400 and 422, one
  that takes a body 413. What only some routes give (403, 404, 409...) each route names with
  :func:`responses`, which also names the schema of its answer.
- Bodies that a route reads as raw JSON (it validates them itself, so that an error names the
  record and the field in Chinese) declare their schema with :func:`body`, :func:`bodies`,
  :func:`merge_patch` or :func:`draft`; FastAPI still only checks that they are JSON objects
  or arrays.
- :func:`document` builds ``/openapi.json``: FastAPI's document, the components those schemas
  name and the API-key security schemes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from fastapi import FastAPI
from fastapi.datastructures import DefaultPlaceholder
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel, WithJsonSchema
from pydantic.json_schema import models_json_schema

from api.deps import get_principal
from api.errors import PROBLEM, Problem

REF = "#/components/schemas/"
Mode = Literal["validation", "serialization"]
#: what each problem status means on this API
MEANING = {
    400: "The request cannot be read (text that is not UTF-8, a body nested too deep)",
    401: "No API key, or an unknown or revoked one",
    403: "The key's role or scope does not allow this",
    404: "No record with this id",
    409: "Conflicts with the stored state (order of events, a reused idempotency key, a "
    "record changed meanwhile)",
    413: "The body is too large; send smaller batches",
    422: "Invalid parameters or body (each field named), or a record or request the rules refuse",
}
#: components named by the schemas below: name → (model, whether read or written)
_MODELS: dict[str, tuple[type[BaseModel], Mode]] = {}
#: components made here (merge patches, drafts): name → schema
_SCHEMAS: dict[str, dict[str, Any]] = {}


def ref(model: type[BaseModel], mode: Mode = "serialization") -> dict[str, str]:
    """A reference to ``model``'s schema among the components (read as a request body in
    ``validation`` mode, written as an answer in ``serialization`` mode)."""
    known = _MODELS.setdefault(model.__name__, (model, mode))
    if known != (model, mode):
        raise ValueError(f"{model.__name__} is already a component as {known}")
    return {"$ref": REF + model.__name__}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entries of problem+json answers (see :mod:`api.errors`)."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        out[status] = {
            "description": MEANING[status],
            "content": {PROBLEM: {"schema": ref(Problem)}},
        }
        if status == 401:
            out[status]["headers"] = {
                "WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer"}
            }
    return out


def responses(
    answer: type[BaseModel] | dict[str, Any] | None,
    *statuses: int,
    status: int | tuple[int, ...] = 200,
) -> dict[int | str, dict[str, Any]]:
    """``responses=`` of a route: the schema of its answer (a model, a schema such as
    :func:`list_of`, or None when the route's ``response_model`` says it) under each success
    ``status``, and the problems only some routes give (:class:`Documented` adds the rest).
    A route whose answer is documented here is not checked against its return annotation."""
    out = problems(*statuses)
    if answer is not None:
        schema = ref(answer) if isinstance(answer, type) else answer
        for code in status if isinstance(status, tuple) else (status,):
            out[code] = {"content": {"application/json": {"schema": schema}}}
    return out


def list_of(model: type[BaseModel]) -> dict[str, Any]:
    return {"type": "array", "items": ref(model)}


def body(model: type[BaseModel]) -> WithJsonSchema:
    """The documented schema of a raw JSON body holding one ``model`` (validation unchanged)."""
    return WithJsonSchema(ref(model, "validation"))


def bodies(model: type[BaseModel], most: int) -> WithJsonSchema:
    """The documented schema of a raw JSON array of at most ``most`` records."""
    return WithJsonSchema({"type": "array", "items": ref(model, "validation"), "maxItems": most})


def merge_patch(model: type[BaseModel]) -> WithJsonSchema:
    """The documented schema of a JSON merge patch (RFC 7396) of a ``model`` record: any of
    its fields, none required, null removing one."""
    return WithJsonSchema(_partial(model, "Patch", "Fields to change; null removes a field."))


def draft(model: type[BaseModel]) -> WithJsonSchema:
    """The documented schema of a draft ``model`` record: its fields, none required."""
    return WithJsonSchema(_partial(model, "Draft", "A draft: any of the fields, none required."))


def _partial(model: type[BaseModel], kind: str, description: str) -> dict[str, str]:
    name = model.__name__.removesuffix("In") + kind
    if name not in _SCHEMAS:
        ref(model, "validation")  # its nested models become components too
        full = model.model_json_schema(ref_template=REF + "{model}", mode="validation")
        fields = {}
        for field, schema in full["properties"].items():
            schema = {k: v for k, v in schema.items() if k != "default"}
            if kind == "Patch" and {"type": "null"} not in schema.get("anyOf", [schema]):
                schema = {"anyOf": [schema, {"type": "null"}]}
            fields[field] = schema
        _SCHEMAS[name] = {
            "title": name,
            "type": "object",
            "description": f"{description} See {model.__name__}.",
            "properties": fields,
        }
    return {"$ref": REF + name}


def _needs_key(dependant: Dependant) -> bool:
    return any(d.call is get_principal or _needs_key(d) for d in dependant.dependencies)


class Documented(APIRoute):
    """A route documenting the problems every route of its kind can give: 401 (and the API
    key) when it needs a key, 400 and 422 when it takes parameters or a body (unreadable or
    invalid; see :mod:`api.guards`), 413 when it takes a body. A route without a key is marked
    public (``security: []``). When :func:`responses` documents its answer, that schema is
    the answer's (no ``response_model`` inferred from the return annotation)."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        documented = (kwargs.get("responses") or {}).get(kwargs.get("status_code") or 200, {})
        if "content" in documented and isinstance(kwargs.get("response_model"), DefaultPlaceholder):
            kwargs["response_model"] = None  # the stored dicts are answered as they are
        super().__init__(path, endpoint, **kwargs)
        d = self.dependant
        has_body = self.body_field is not None
        statuses = [401] if _needs_key(d) else []
        if has_body or _has_parameters(d):
            statuses += [400, 422]
        if has_body:
            statuses.append(413)
        self.responses = {**problems(*statuses), **self.responses}
        if 401 not in statuses:
            self.openapi_extra = {"security": [], **(self.openapi_extra or {})}


def _has_parameters(dependant: Dependant) -> bool:
    own = (
        dependant.path_params,
        dependant.query_params,
        dependant.header_params,
        dependant.cookie_params,
    )
    return any(own) or any(_has_parameters(d) for d in dependant.dependencies)


def document(app: FastAPI) -> dict[str, Any]:
    """``/openapi.json``: FastAPI's document with the components named by the routes and the
    two ways to send an API key."""
    if app.openapi_schema is None:
        spec = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        components = spec.setdefault("components", {})
        schemas = components.setdefault("schemas", {})
        _, generated = models_json_schema(
            [(model, mode) for model, mode in _MODELS.values()], ref_template=REF + "{model}"
        )
        for name, schema in {**generated.get("$defs", {}), **_SCHEMAS}.items():
            if schemas.setdefault(name, schema) != schema:
                raise RuntimeError(f"two different schemas are named {name}: rename one model")
        components["securitySchemes"] = {
            "bearer": {
                "type": "http",
                "scheme": "bearer",
                "description": "an API key, mk_<id>_<secret> (matcher keys create)",
            },
            "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
        }
        spec["security"] = [{"bearer": []}, {"apiKey": []}]
        for operations in spec["paths"].values():
            for operation in operations.values():
                operation["responses"] = dict(sorted(operation["responses"].items()))
        app.openapi_schema = spec
    return app.openapi_schema
