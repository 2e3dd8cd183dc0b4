"""A corpus of bad input (issue 21, acceptance): every field of the exchange formats
(PositionIn, GraduateIn, EmployerIn) and of the API's own bodies and query parameters gets
wrong types, non-finite numbers written as raw JSON (``Infinity``, ``NaN``), huge numbers, NUL
characters, lone surrogates, huge texts and lists, deep nesting, invalid UTF-8 and SQL-like or
path-like ids, on SQLite and on PostgreSQL.

Every case must be answered 4xx problem+json naming the field (or saying the body cannot be
read), with a Chinese text, and leave every table of the store exactly as it was. A bulk
request with one bad record reports that record and stores the good one beside it."""

from __future__ import annotations

import json
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any
from urllib.parse import quote

import pydantic
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from api.app import create_app
from matcher.config import Settings
from matcher.records.prepare import prepare
from matcher.records.schema import EmployerIn, GraduateIn, PositionIn
from matcher.store import Store, tables
from matcher.store.keys import ApiKeys
from matcher.text.encoders import FakeEncoder
from tests.conftest import _postgres_store, graduate, position

EMPLOYER = "重庆甲科技有限公司"
NUL = "a\x00b"
HUGE_TEXT = "长" * 30_000
BAD_IDS = [
    "../../etc/passwd",
    "1; DROP TABLE graduates",
    "' OR '1'='1",
    "a/b",
    "a%2Fb",
    "..",
    "-1",
    "<script>",
    " ",
]


def _employer(eid: str, **changes: Any) -> dict[str, Any]:
    return {"id": eid, "name": f"单位{eid}", "district": "渝北区", **changes}


def _record(entity: str, rid: str, **changes: Any) -> dict[str, Any]:
    if entity == "positions":
        return position(rid, employer={"name": EMPLOYER}, expires_at="2099-12-31", **changes)
    if entity == "graduates":
        return graduate(rid, **changes)
    return _employer(rid, **changes)


MODELS: dict[str, type[pydantic.BaseModel]] = {
    "positions": PositionIn,
    "graduates": GraduateIn,
    "employers": EmployerIn,
}
#: fields inside objects, with the kind of value they take
NESTED = {
    "positions": {
        "employer.name": "text",
        "location.city": "text",
        "location.district": "text",
        "salary.min": "number",
        "salary.max": "number",
        "salary.unit": "enum",
        "salary.negotiable": "bool",
    },
    "graduates": {
        "desired.cities": "list",
        "desired.kinds": "list",
        "desired.salary_min": "number",
        "consent.push": "bool",
        "consent.how": "text",
        "contact.phone": "text",
        "contact.email": "text",
    },
    "employers": {},
}
NUMBERS = {
    "positions": ["headcount", "experience_min_years", "salary.min", "salary.max"],
    "graduates": ["graduation_year", "desired.salary_min"],
    "employers": [],
}
WRONG = {
    "text": 12345,
    "enum": 7,
    "int": "many",
    "number": "lots",
    "bool": "yes",
    "day": 20220801,
    "list": {"a": 1},
    "object": "text",
}


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str
    body: Any = None  # a JSON value, written as JSON text (Infinity and NaN as such)
    raw: bytes | None = None  # or exactly these bytes
    names: str = "body"  # the field the answer names (or, with value=True, a text it quotes)
    value: bool = False
    status: int | None = None
    media: str = "application/json"
    bulk_good: str | None = None  # a bulk case: this id must be stored, the other refused

    def send(self, client: TestClient, headers: dict[str, str]) -> Any:
        content = self.raw
        if content is None and self.body is not None:
            content = json.dumps(self.body, ensure_ascii=False).encode("utf-8")
        if content is not None:
            headers = {**headers, "Content-Type": self.media}
        return client.request(self.method, self.path, content=content, headers=headers)


def _kind(annotation: Any) -> str:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) is typing.Annotated:
        return _kind(args[0])
    if typing.get_origin(annotation) in (typing.Union, type(int | None)) and args:
        return _kind(args[0])
    if typing.get_origin(annotation) is list:
        return "list"
    if isinstance(annotation, type):
        if issubclass(annotation, pydantic.BaseModel):
            return "object"
        if issubclass(annotation, Enum):
            return "enum"
        if issubclass(annotation, bool):
            return "bool"
        if issubclass(annotation, date):
            return "day"
        for kind, cls in (("int", int), ("number", float), ("text", str)):
            if issubclass(annotation, cls):
                return kind
    raise AssertionError(f"no kind for {annotation!r}")


def _set(record: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    head, _, rest = path.partition(".")
    if not rest:
        return {**record, head: value}
    return {**record, head: _set(dict(record.get(head) or {}), rest, value)}


def _fields(entity: str) -> Iterator[tuple[str, str]]:
    for name, info in MODELS[entity].model_fields.items():
        yield name, _kind(info.annotation)
    yield from NESTED[entity].items()


def _write(entity: str, path: str, value: Any, n: int, label: str) -> Case:
    rid = f"bad-{entity[0]}-{n}"
    record = _set(_record(entity, rid), path, value)
    return Case(f"POST /{entity} {path} {label}", "POST", f"/{entity}", record, names=path)


def _record_cases() -> Iterator[Case]:
    n = 0
    for entity in MODELS:
        for path, kind in _fields(entity):
            n += 1
            yield _write(entity, path, WRONG[kind], n, "wrong type")
            if kind == "text":
                yield _write(entity, path, NUL, n + 1000, "NUL")
                yield _write(entity, path, HUGE_TEXT, n + 2000, "huge text")
            if kind == "list":
                item = "full_time" if path == "desired.kinds" else "x"
                item = "disabled" if path == "support" else item
                yield _write(entity, path, [item] * 2000, n + 3000, "huge list")
                yield _write(entity, path, [NUL], n + 4000, "NUL entry")
        for path in NUMBERS[entity]:
            n += 1
            numbers = {"1e30": 1e30, "10**30": 10**30, "-1": -1, "10**400": 10**400}
            for i, (label, number) in enumerate(numbers.items()):
                yield _write(entity, path, number, n + 5000 + 100 * i, label)
            for constant in ("Infinity", "-Infinity", "NaN"):
                record = _set(_record(entity, f"bad-{entity[0]}-{n}"), path, "@@")
                text = json.dumps(record, ensure_ascii=False).replace('"@@"', constant)
                yield Case(
                    f"POST /{entity} {path} {constant}",
                    "POST",
                    f"/{entity}",
                    raw=text.encode(),
                    names=f"body.{path}",
                    status=422,
                )
        for rid in BAD_IDS:
            record = _record(entity, rid)
            yield Case(f"POST /{entity} id {rid!r}", "POST", f"/{entity}", record, names="id")
            if rid not in ("..", "a%2Fb"):  # the client rewrites these (dot segment, %25)
                where = f"/{entity}/{quote(rid, safe='')}"
                yield Case(f"GET {where}", "GET", where, names=rid, value=True)
        yield from _unreadable(entity, n)


def _nest(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


def _unreadable(entity: str, n: int) -> Iterator[Case]:
    deep = _record(entity, f"bad-{entity[0]}-deep", extra=_nest(40))
    yield Case(f"POST /{entity} nested 40", "POST", f"/{entity}", deep, status=400)
    nested = _record(entity, f"bad-{entity[0]}-nest", extra=_nest(12))
    yield Case(f"POST /{entity} nested 12", "POST", f"/{entity}", nested, names="extra")
    nul_key = {**_record(entity, f"bad-{entity[0]}-key"), "x\x00": 1}
    yield Case(
        f"POST /{entity} NUL in a field name", "POST", f"/{entity}", nul_key, names="x\\u0000"
    )
    many = {**_record(entity, f"bad-{entity[0]}-many"), "extra": list(range(5000))}
    yield Case(f"POST /{entity} 5000 entries", "POST", f"/{entity}", many, names="extra")
    for where in (f"/{entity}", f"/{entity}/bulk"):
        text = json.dumps(_record(entity, f"bad-{entity[0]}-utf8"), ensure_ascii=False)
        for label, junk in (("invalid UTF-8", b"\xc3\x28"), ("latin-1", "é".encode("latin-1"))):
            raw = text.encode().replace("单位".encode() if entity == "employers" else b"id", junk)
            body = b"[" + raw + b"]" if where.endswith("bulk") else raw
            yield Case(f"POST {where} {label}", "POST", where, raw=body, status=400)
    lone = json.dumps(_record(entity, f"bad-{entity[0]}-lone")).replace('"id"', '"\\ud800"', 1)
    yield Case(f"POST /{entity} lone surrogate", "POST", f"/{entity}", raw=lone.encode())
    patch_target = {"positions": "p-a", "graduates": "g-1", "employers": None}[entity]
    if patch_target:
        for path, value in (("title" if entity == "positions" else "name", NUL), ("skills", 5)):
            yield Case(
                f"PATCH /{entity}/{patch_target} {path}",
                "PATCH",
                f"/{entity}/{patch_target}",
                {path: value},
                names=path,
                media="application/merge-patch+json",
            )


def _bulk_cases() -> Iterator[Case]:
    bad = {
        "NUL": ("title", NUL),
        "wrong type": ("id", 5),
        "huge text": ("title", HUGE_TEXT),
        "bad id": ("id", "../../etc/passwd"),
        "huge number": ("headcount", 10**30),
        "deep": ("extra", _nest(12)),
    }
    for entity, field in (("positions", "title"), ("graduates", "name"), ("employers", "name")):
        for n, (label, (path, value)) in enumerate(bad.items()):
            path = field if path == "title" else path
            if path == "headcount" and entity != "positions":
                path = "graduation_year" if entity == "graduates" else "blacklisted"
            good = f"good-{entity[0]}-{n}"
            records = [_record(entity, good), _set(_record(entity, f"bad-b-{n}"), path, value)]
            where = f"/{entity}/bulk"
            yield Case(f"POST {where} {label}", "POST", where, records, names=path, bulk_good=good)
        text = json.dumps([_record(entity, f"good-{entity[0]}-nan"), {"id": "@@"}])
        yield Case(
            f"POST /{entity}/bulk NaN",
            "POST",
            f"/{entity}/bulk",
            raw=text.replace('"@@"', "NaN").encode(),
            names="body[1].id",
        )


def _api_cases() -> Iterator[Case]:
    keys = [
        ({"role": 5}, "role"),
        ({"role": "root"}, "role"),
        ({"role": "adviser", "scope": "x"}, "scope"),
        ({"role": "adviser", "scope": {"districts": "5001"}}, "scope.districts"),
        ({"role": "adviser", "scope": {"districts": [5001]}}, "scope.districts"),
        ({"role": "adviser", "scope": {"districts": ["../x"]}}, "scope.districts"),
        ({"role": "adviser", "scope": {"districts": []}}, "scope.districts"),
        ({"role": "adviser", "scope": {"adviser": ["a-1"]}}, "scope.adviser"),
        ({"role": "adviser", "scope": {"adviser": "../../etc/passwd"}}, "scope.adviser"),
        ({"role": "adviser", "scope": {}}, "scope"),
        ({"role": "employer", "scope": {"employer": 5}}, "scope.employer"),
        ({"role": "employer", "scope": {"employer": NUL}}, "scope.employer"),
        ({"role": "graduate", "scope": {"graduate": {"id": "g-1"}}}, "scope.graduate"),
        ({"role": "graduate", "scope": {"graduate": "g-1", "admin": True}}, "scope.admin"),
        ({"role": "bureau", "name": "x" * 300}, "name"),
        ({"role": "bureau", "name": NUL}, "name"),
    ]
    for body, field in keys:
        yield Case(f"POST /keys {field} {body}", "POST", "/keys", body, names=field)
    offer = {"graduate_id": "g-1", "position_id": "p-a"}
    segment = {"graduation_years": [2022]}
    campaign = {"name": "秋招", "segment": segment}
    bodies: list[tuple[str, str, dict[str, Any], str]] = [
        ("POST", "/offers", {**offer, "graduate_id": 5}, "graduate_id"),
        ("POST", "/offers", {**offer, "position_id": NUL}, "position_id"),
        ("POST", "/offers", {**offer, "message": "x" * 3000}, "message"),
        ("POST", "/offers", {**offer, "graduate_id": ""}, "graduate_id"),
        ("POST", "/offers", {**offer, "price": 1}, "price"),
        ("POST", "/offers/o-1/events", {"event": "bogus"}, "event"),
        ("POST", "/offers/o-1/events", {"event": "viewed", "source": NUL}, "source"),
        ("POST", "/campaigns", {**campaign, "name": ""}, "name"),
        ("POST", "/campaigns", {**campaign, "name": NUL}, "name"),
        ("POST", "/campaigns", {**campaign, "k": 1e20}, "k"),
        ("POST", "/campaigns", {**campaign, "k": -1}, "k"),
        ("POST", "/campaigns", {**campaign, "segment": {"graduation_years": [10**20]}}, "segment"),
        ("POST", "/campaigns", {**campaign, "segment": {"majors": ["x" * 200]}}, "segment"),
        ("POST", "/campaigns", {**campaign, "segment": {"graduate_ids": [NUL]}}, "segment"),
        ("POST", "/campaigns", {**campaign, "segment": {"degrees": ["博士后"]}}, "segment"),
        ("POST", "/campaigns", {**campaign, "segment": "all"}, "segment"),
        ("POST", "/campaigns", {**campaign, "scheduled_at": "9999-99-99"}, "scheduled_at"),
        ("POST", "/campaigns", {**campaign, "scheduled_at": "2026-01-01T09:00"}, "scheduled_at"),
        ("POST", "/campaigns", {**campaign, "kinds": ["gig"]}, "kinds"),
        ("POST", "/plans", {"graduate_id": 5}, "graduate_id"),
        ("POST", "/plans", {"graduate_id": NUL}, "graduate_id"),
        ("POST", "/plans", {}, "graduate_id"),
        ("POST", "/plans/jobs", {"segment": {"graduation_years": [10**20]}}, "segment"),
        ("PATCH", "/plans/x", {"status": "nope"}, "status"),
        ("PATCH", "/plans/x", {"status": "closed", "outcome": 5}, "outcome"),
        ("POST", "/plans/x/notes", {"text": NUL}, "text"),
        ("POST", "/plans/x/notes", {"text": "x" * 3000}, "text"),
        ("PATCH", "/plans/x/items/y", {"scheduled_at": "tomorrow"}, "scheduled_at"),
        ("PATCH", "/plans/x/items/y", {"ends_on": "2022-13-45"}, "ends_on"),
        ("PATCH", "/plans/x/items/y", {"ends_on": "9999-12-31"}, "ends_on"),
        (
            "PATCH",
            "/plans/x/items/y",
            {"scheduled_at": "0001-01-01T00:00:00+08:00"},
            "scheduled_at",
        ),
        (
            "POST",
            "/campaigns",
            {**campaign, "scheduled_at": "0001-01-01T00:00:00+08:00"},
            "scheduled_at",
        ),
        ("POST", "/plans/x/exclusions", {"ref_id": NUL}, "ref_id"),
        ("POST", "/outbox/retry", {"ids": [NUL]}, "ids"),
        ("POST", "/outbox/retry", {"ids": "all"}, "ids"),
        ("POST", "/compliance/positions/p-a/clear", {"reason": NUL}, "reason"),
        ("POST", "/compliance/positions/p-a/clear", {"reason": ""}, "reason"),
        ("POST", "/employers/e-1/blacklist", {"reason": 5}, "reason"),
        ("POST", "/graduates/g-1/consent", {"how": NUL}, "how"),
        ("POST", "/graduates/g-1/consent", {"how": 5}, "how"),
    ]
    for i, (method, path, body, field) in enumerate(bodies):
        yield Case(f"{method} {path} #{i} {field}", method, path, body, names=field)
    for path in ("/keys", "/offers", "/campaigns", "/plans", "/compliance/screen"):
        yield Case(f"POST {path} invalid UTF-8", "POST", path, raw=b'{"x": "\xff"}', status=400)
        yield Case(f"POST {path} nested 40", "POST", path, {"x": _nest(40)}, status=400)
    for constant in ("Infinity", "NaN"):
        raw = f'{{"name": "秋招", "segment": {{}}, "k": {constant}}}'.encode()
        yield Case(f"POST /campaigns k {constant}", "POST", "/campaigns", raw=raw, names="body.k")
    screen = b'{"id": "p-1", "title": "x", "salary": {"min": Infinity}}'
    yield Case("POST /compliance/screen Infinity", "POST", "/compliance/screen", raw=screen)


QUERIES = [
    ("/graduates?graduation_year=1e20", "graduation_year"),
    ("/graduates?graduation_year=99999999999999999999", "graduation_year"),
    ("/graduates?graduation_year=-1", "graduation_year"),
    ("/graduates?school=%00", "school"),
    ("/positions?limit=1e9", "limit"),
    ("/positions?limit=0", "limit"),
    ("/positions?limit=99999999999999999999", "limit"),
    ("/positions?cursor=a%00b", "cursor"),
    ("/positions?district=%FF", "district"),
    ("/positions?employer_id=%00", "employer_id"),
    ("/positions?kind=1e20", "kind"),
    ("/employers?name=%00", "name"),
    ("/offers?graduate_id=%00", "graduate_id"),
    ("/reports/monthly?month=9999-12", "month"),
    ("/reports/monthly?month=0000-01", "month"),
    ("/reports/monthly?month=2022-13", "month"),
    ("/reports/monthly?month=" + "9" * 1000, "month"),
    ("/reports/monthly?month=2022-08&sample=99999999999999999999", "sample"),
    ("/console?months=99999", "months"),
    ("/console?months=1e20", "months"),
    ("/caseload?months_unemployed=1e20", "months_unemployed"),
    ("/compliance/blacklist-proposals?min_violations=99999999999999999999", "min_violations"),
    ("/reports/fairness?seed=1e30", "seed"),
    ("/reports/fairness?seed=99999999999999999999", "seed"),
    ("/reports/fairness?k=0", "k"),
    ("/graduates/g-1/recommendations?k=1000000000", "k"),
    ("/positions/p-a/candidates?k=-5", "k"),
    ("/positions/a%00b", "path"),
    ("/graduates/a%00b", "path"),
]


def _query_cases() -> Iterator[Case]:
    for path, field in QUERIES:
        yield Case(f"GET {path[:60]}", "GET", path, names=field)
    for rid in ("..%2F..%2Fetc%2Fpasswd", "1;%20DROP%20TABLE%20graduates", "a%2Fb"):
        for method, base in (("GET", "/positions/"), ("PATCH", "/graduates/")):
            shown = rid.replace("%2F", "/").replace("%20", " ")
            body = {"name": "x"} if method == "PATCH" else None
            media = "application/merge-patch+json"
            yield Case(
                f"{method} {base}{rid} (raw)",
                method,
                base + rid,
                body,
                names=shown,
                value=True,
                media=media,
            )
    form = b"key=mk_ab%00_cd"
    yield Case(
        "POST /console/login NUL",
        "POST",
        "/console/login",
        raw=form,
        names="key",
        media="application/x-www-form-urlencoded",
    )


CASES = [*_record_cases(), *_bulk_cases(), *_api_cases(), *_query_cases()]


def test_the_corpus_is_large_and_covers_every_field():
    assert len(CASES) >= 100
    named = {c.names for c in CASES}
    for entity, model in MODELS.items():
        assert set(model.model_fields) <= named, entity
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    settings = Settings.from_env(env={}, data_dir=tmp_path_factory.mktemp("bad") / "var")
    store = Store.open(settings) if request.param == "sqlite" else _postgres_store()
    store.upsert("positions", [prepare("positions", _record("positions", "p-a"))])
    store.upsert("graduates", [prepare("graduates", graduate("g-1", adviser="a-1"))])
    store.upsert("employers", [prepare("employers", _employer("e-1"))])
    app = create_app(settings.replace(api_worker=False), store, encoder=FakeEncoder(16))
    with TestClient(app) as client:
        admin = {"Authorization": f"Bearer {ApiKeys(store).issue('admin', {})[1]}"}
        adviser = ApiKeys(store).issue("adviser", {"adviser": "a-1"})[1]
        signed_in = client.post("/console/login", data={"key": adviser}, follow_redirects=False)
        assert signed_in.status_code == 303
        yield client, admin, store
    store.close()


def fingerprint(store: Store) -> dict[str, int]:
    """Every row of every table, hashed: any write, partial or not, changes it."""
    with store.engine.connect() as conn:
        return {
            t.name: hash(tuple(sorted(repr(tuple(r)) for r in conn.execute(sa.select(t)))))
            for t in tables.metadata.sorted_tables
        }


def _cjk(text: Any) -> bool:
    return isinstance(text, str) and any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _fields_named(body: dict[str, Any]) -> list[str]:
    found = [str(body.get("field") or "")]
    found += [str(e.get("field")) for e in body.get("errors") or [] if isinstance(e, dict)]
    found += [part.split(":")[0].strip() for part in str(body.get("detail", "")).split(";")]
    return found


def _names(found: list[str], token: str) -> bool:
    pattern = re.compile(r"(^|[.\[])" + re.escape(token) + r"($|[.\[\]])")
    return any(pattern.search(f) for f in found)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_bad_input_is_refused_naming_the_field_and_stores_nothing(world, case: Case):
    client, admin, store = world
    before = fingerprint(store)
    answer = case.send(client, admin)
    if case.bulk_good:
        assert answer.status_code == 200, answer.text[:300]
        errors = answer.json()["errors"]
        assert [e["index"] for e in errors] == [1], errors
        assert _names([errors[0]["field"]], case.names), errors
        entity = case.path.split("/")[1]
        bad_id = case.body[1].get("id")
        assert case.bulk_good in store.get_many(entity, [case.bulk_good])  # type: ignore[arg-type]
        if isinstance(bad_id, str):
            assert not store.get_many(entity, [bad_id])  # type: ignore[arg-type]
        return
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.text[:300])
    if case.status:
        assert answer.status_code == case.status, answer.text[:300]
    assert answer.headers["content-type"].startswith("application/problem+json"), answer.text[:200]
    body = answer.json()
    assert _cjk(body.get("detail_zh")) or _cjk(body.get("detail")), body
    if case.value:
        assert case.names in body["detail"] + body.get("detail_zh", ""), body
    else:
        assert _names(_fields_named(body), case.names), body
    assert fingerprint(store) == before
