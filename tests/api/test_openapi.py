"""The OpenAPI document is complete (issue 21, point 9): every request body with its real
schema, every answer, problem+json for every error a route gives, every reference resolved.
``test_fuzz.py`` checks real answers against it; this checks the document itself."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from matcher.text.encoders import FakeEncoder
from tests.api.conftest import key_headers
from tests.conftest import position

PROBLEM = "application/problem+json"


@pytest.fixture
def client(settings, store) -> Iterator[TestClient]:
    with TestClient(create_app(settings, store, encoder=FakeEncoder(32))) as client:
        client.headers.update(key_headers(store, "admin"))
        yield client


@pytest.fixture
def spec(client) -> dict[str, Any]:
    return dict(client.get("/openapi.json").json())


def _operations(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_every_reference_names_a_component(spec):
    names = set(spec["components"]["schemas"])
    refs = set(_refs(spec))
    assert {"#/components/schemas/PositionIn", "#/components/schemas/Problem"} <= refs
    assert {r.removeprefix("#/components/schemas/") for r in refs} <= names


def test_record_bodies_name_their_exchange_format(spec):
    def schema(operation: str, media: str = "application/json") -> Any:
        method, path = operation.split(" ", 1)
        body = spec["paths"][path][method.lower()]["requestBody"]
        return body["content"][media]["schema"]

    ref = "#/components/schemas/"
    for entity, model in (
        ("positions", "PositionIn"),
        ("graduates", "GraduateIn"),
        ("employers", "EmployerIn"),
        ("trainings", "TrainingIn"),
    ):
        assert schema(f"POST /{entity}") == {"$ref": ref + model}
        assert schema(f"POST /{entity}/bulk")["items"] == {"$ref": ref + model}
        assert schema(f"POST /{entity}/bulk")["maxItems"] == 5000
    patch = "application/merge-patch+json"
    assert schema("PATCH /positions/{position_id}", patch) == {"$ref": ref + "PositionPatch"}
    assert schema("POST /compliance/screen") == {"$ref": ref + "PositionDraft"}
    patched = spec["components"]["schemas"]["GraduatePatch"]
    assert (
        "required" not in patched and {"type": "null"} in patched["properties"]["skills"]["anyOf"]
    )
    position_in = spec["components"]["schemas"]["PositionIn"]
    assert {"id", "title"} <= set(position_in["required"])


def test_every_body_has_a_schema_and_every_answer_a_documented_body(spec):
    bare = {"type": "object", "additionalProperties": True}
    for name, operation in _operations(spec):
        for media in operation.get("requestBody", {}).get("content", {}).values():
            shown = {k: v for k, v in media["schema"].items() if k != "title"}
            assert shown not in ({}, bare), f"{name} declares a bare body"
        for status, answer in operation["responses"].items():
            for media in answer.get("content", {}).values():
                assert media["schema"] not in ({}, bare), f"{name} {status} has no schema"


def test_errors_are_problem_json_and_each_route_names_its_own(spec):
    statuses = {}
    for name, operation in _operations(spec):
        answers = operation["responses"]
        for status, answer in answers.items():
            if status.startswith("4"):
                assert list(answer["content"]) == [PROBLEM], f"{name} {status}"
        assert "HTTPValidationError" not in str(answers)
        statuses[name] = set(answers)
    assert statuses["GET /healthz"] == {"200", "503"}
    assert statuses["GET /keys"] == {"200", "401", "403"}  # no parameters: no 400/422
    assert {"401", "403", "404", "409", "413", "422"} <= statuses["PATCH /positions/{position_id}"]
    assert "404" not in statuses["GET /positions"] and "413" not in statuses["GET /positions"]
    assert {"200", "201", "409"} <= statuses["POST /offers"]  # 200: an idempotent replay


def test_the_key_is_a_security_scheme_and_health_is_public(spec):
    assert set(spec["components"]["securitySchemes"]) == {"bearer", "apiKey"}
    assert spec["security"] == [{"bearer": []}, {"apiKey": []}]
    assert spec["paths"]["/healthz"]["get"]["security"] == []
    assert "security" not in spec["paths"]["/positions"]["get"]


def test_a_raw_record_body_is_still_validated_by_the_route_in_chinese(client):
    """Declaring the schema changed nothing in how the route reads the record."""
    bad = position("p-x", salary={"min": "六千"})
    answer = client.post("/positions", json=bad, headers={"Accept-Language": "zh-CN"})
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith(PROBLEM)
    problem = answer.json()
    assert problem["code"] == "invalid_record"
    assert problem["record_id"] == "p-x" and problem["field"] == "salary.min"
    assert "记录 p-x" in problem["detail"]
    not_a_list = client.post("/positions/bulk", json={"id": "p-1"})
    assert not_a_list.status_code == 422 and not_a_list.json()["code"] == "invalid_request"


def test_framework_errors_are_problem_json_with_chinese(client):
    missing = client.get("/no-such-thing", headers={"Accept-Language": "zh"})
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith(PROBLEM)
    assert missing.json()["title"] == "未找到" and missing.json()["detail_en"] == "Not Found"
    wrong = client.put("/positions")
    assert wrong.status_code == 405 and wrong.json()["code"] == "method_not_allowed"
    assert "不支持该请求方法" in wrong.json()["detail_zh"]
    assert "GET" in wrong.headers["allow"]
