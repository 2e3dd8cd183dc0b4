"""Schema fuzzing of the HTTP API (issue 21): a real ``matcher serve`` over a fresh store with a
small generated data set, and schemathesis generating requests for every operation of
``/openapi.json``, valid and invalid, with path ids both generated and taken from the data.
Every answer must be no 5xx, a documented status, a documented content type and a body that
matches its documented schema.

The budget is fixed and the generation derandomised, so a run always sends the same requests:
``FUZZ_EXAMPLES`` examples per operation and way of generating. ``make fuzz`` raises it and
adds schemathesis' boundary values (``FUZZ_BOUNDARIES=1``). The PostgreSQL run uses a
database of its own next to the one in ``MATCHER_TEST_POSTGRES_URL``. The findings so far are
kept as regression tests in ``test_fuzz_findings.py``."""

from __future__ import annotations

import json
import os
import subprocess
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from matcher.config import Settings
from matcher.datasets import generate
from matcher.ingest.files import ingest_folder
from matcher.store import Store
from matcher.store.keys import ApiKeys
from tests.processes import BIN, Process, environment, fresh_postgres

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
#: ``make fuzz`` also sends schemathesis' boundary values (its coverage phase, through its CLI)
BOUNDARIES = os.environ.get("FUZZ_BOUNDARIES") == "1"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)


@dataclass
class Served:
    url: str
    headers: dict[str, str]
    log: Path
    ids: dict[str, str] = field(default_factory=dict)
    #: operation → status → how many answers
    seen: defaultdict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """One request made to set the data up; the JSON answer, or None when refused."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={**self.headers, "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                return json.loads(answer.read())
        except urllib.error.HTTPError:
            return None


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{(tmp_path / 'fuzz.db').as_posix()}"
    else:
        with fresh_postgres() as url:
            yield url


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> Iterator[Served]:
    """``matcher serve`` on a free port over 120 generated postings and 80 graduates."""
    generate(tmp_path / "data", scale=120, graduates=80, seed=21, as_of=date.today())
    settings = Settings.from_env(env={}, data_dir=tmp_path / "var", database_url=database_url)
    store = Store.open(settings)
    try:
        ingest_folder(store, tmp_path / "data")
        _, admin = ApiKeys(store).issue("admin", {}, "fuzz")
        spare, _ = ApiKeys(store).issue("service", {}, "fuzz: may be revoked")
    finally:
        store.close()
    env = environment(tmp_path / "var", database_url)
    server = Process.serve(env, tmp_path / "server.log")
    try:
        served = Served(server.url, {"Authorization": f"Bearer {admin}"}, server.log)
        served.ids = _known_ids(served, spare)
        yield served
    finally:
        server.stop()


def _known_ids(served: Served, spare_key: str) -> dict[str, str]:
    """Ids of stored things, for the path parameters of the second way of generating: a plan
    with a posting among its items and the offer pushed from it, a graduate other than the
    plan's (erasing it leaves the plan alone), a campaign and a plan job."""
    ids = {"key_id": spare_key}
    for entities, name in (
        (("compliance/flagged", "positions"), "position_id"),  # flagged: it can be cleared
        (("employers",), "employer_id"),
        (("trainings",), "training_id"),
    ):
        found = [r for e in entities for r in served.call("GET", f"/{e}?limit=1")["items"]]
        ids[name] = found[0]["id"]
    support = served.call("GET", "/graduates?needs_support=true&status=seeking&limit=20")
    plan: dict[str, Any] = {}
    for graduate in support["items"]:
        served.call("POST", f"/graduates/{graduate['id']}/consent", {"how": "written"})
        plan = served.call("POST", "/plans", {"graduate_id": graduate["id"]}) or {}
        postings = [i for i in plan.get("items", []) if i["kind"] == "posting" and i["ref_id"]]
        if postings:
            ids["plan_id"], ids["item_id"] = plan["id"], postings[0]["id"]
            pushed = served.call("POST", f"/plans/{plan['id']}/items/{ids['item_id']}/offer", {})
            if pushed:
                ids["offer_id"] = pushed["offer"]["id"]
            break
    seeking = served.call("GET", "/graduates?status=seeking&limit=50")["items"]
    ids["graduate_id"] = next(g["id"] for g in seeking if g["id"] != plan.get("graduate_id"))
    campaign = served.call("POST", "/campaigns", {"name": "fuzz", "segment": {}, "k": 1})
    ids["campaign_id"] = campaign["id"]
    job = served.call("POST", "/plans/jobs", {"segment": {"graduate_ids": [ids["graduate_id"]]}})
    ids["job_id"] = job["id"]
    return ids


def _fuzz(
    served: Served,
    operation: schemathesis.APIOperation,
    mode: schemathesis.GenerationMode,
    path: dict[str, str],
) -> None:
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path or None)

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    def run(case: schemathesis.Case) -> None:
        response = case.call(base_url=served.url, headers=served.headers)
        served.seen[operation.label][response.status_code] += 1
        case.validate_response(response, checks=CHECKS)

    run()


def test_every_operation_survives_schema_fuzzing(served: Served) -> None:
    """No 5xx, no undocumented status or content type, no answer off its schema."""
    schema = schemathesis.openapi.from_url(f"{served.url}/openapi.json")
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        names = [p.name for p in operation.path_parameters]
        known = {n: served.ids[n] for n in names if n in served.ids}
        for mode, path in [(m, p) for m in MODES for p in ([{}, known] if known else [{}])]:
            try:
                _fuzz(served, operation, mode, path)
            except Unsatisfiable:
                if mode is MODES[0]:  # valid requests the schema cannot describe
                    failures.append(f"{operation.label}: no valid request can be generated")
                # otherwise nothing to make invalid: no parameters and no body
            except (Exception, BaseExceptionGroup) as exc:  # all are fuzzed; failures listed
                failures.append(f"{operation.label} ({mode.value}, ids {path}):\n{exc}"[:1500])
    for label, statuses in sorted(served.seen.items()):
        print(f"{label}: {dict(sorted(statuses.items()))}")  # shown with -s, and on failure
    log = served.log.read_text(errors="replace")
    errors = [line for line in log.splitlines() if "Traceback" in line or "Error" in line]
    assert not failures, "\n\n".join(failures) + "\n\nserver log:\n" + "\n".join(errors[-40:])
    assert operations >= 60
    # a run that reached almost nothing (every answer 401, say) would pass without testing
    reached = [label for label, seen in served.seen.items() if any(200 <= s < 300 for s in seen)]
    assert len(reached) >= 0.8 * operations, sorted(set(served.seen) - set(reached))


@pytest.mark.skipif(not BOUNDARIES, reason="boundary values run in make fuzz (FUZZ_BOUNDARIES=1)")
def test_every_operation_survives_boundary_values(served: Served) -> None:
    """Each operation with values at and just past every documented bound (longest texts,
    largest numbers, each enum value...), checked as above. ``/keys/{key_id}`` is left out:
    this phase takes ids from earlier answers and would revoke the run's own key."""
    done = subprocess.run(
        [
            str(BIN / "schemathesis"),
            "run",
            f"{served.url}/openapi.json",
            "--phases=coverage",
            "--checks=" + ",".join(check.__name__ for check in CHECKS),
            f"--header=Authorization: {served.headers['Authorization']}",
            "--exclude-path-regex=^/keys/",
            "--workers=1",
            "--seed=21",
        ],
        capture_output=True,
        text=True,
        timeout=1800,
        cwd=served.log.parent,  # its cache of earlier failures stays with this run
    )
    log = served.log.read_text(errors="replace")
    errors = [line for line in log.splitlines() if "failed:" in line]
    assert done.returncode == 0, done.stdout[-12_000:] + "\n".join(errors[-40:])
