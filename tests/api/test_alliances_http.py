"""The four alliances end to end through a real ``matcher serve`` process (issue 17's
acceptance), on SQLite and PostgreSQL: a university uploads a roster of 500 generated graduates
with 5 broken lines (each named), reports where they stood last month and updates 50 of them
this month, and reads its employment rate by month and the status flows; an agency posts for
the employer that authorised it (201) and not for another (403); a training institution
reports a completion and the graduate's plan item turns done."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import nullcontext
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from matcher.config import Settings
from matcher.datasets.generate import generate
from matcher.records.prepare import employer_id, prepare
from matcher.store import Store
from matcher.store.authorisations import Authorisations, today
from matcher.store.keys import ApiKeys
from matcher.store.partners import Partners
from matcher.store.plans import NewItem, NewPlan, Plans
from matcher.types import REPORT_TZ
from tests.conftest import AGENCY, TRAINING, UNIVERSITY, course
from tests.processes import Process, environment, fresh_postgres

BROKEN = {7: "degree", 77: "graduation_year", 177: "id", 277: "status", 377: "record"}


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def world(request, tmp_path_factory) -> Iterator[dict[str, Any]]:
    work = tmp_path_factory.mktemp(f"alliances-{request.param}")
    generate(work / "data", scale=0, graduates=500, seed=3)
    with fresh_postgres() if request.param == "postgres" else nullcontext("") as url:
        url = url or f"sqlite:///{work / 'pool.db'}"
        store = Store.open(Settings.from_env(env={}, data_dir=work / "setup", database_url=url))
        partners = Partners(store)
        for given, pid in ((UNIVERSITY, "pt-u"), (AGENCY, "pt-ag"), (TRAINING, "pt-tr")):
            partners.add(given, "test", partner_id=pid)
        employers = [json.loads(x) for x in (work / "data" / "employers.jsonl").open()][:2]
        store.upsert("employers", [prepare("employers", e) for e in employers])
        first = employer_id(employers[0]["name"], employers[0].get("credit_code"))
        Authorisations(store).grant("pt-ag", first, today() + timedelta(days=60), "test")
        store.upsert("trainings", [prepare("trainings", course("t-1", partner="pt-tr"))])
        keys = {
            who: ApiKeys(store).issue("partner", {"partner": pid}, who)[1]
            for who, pid in (("university", "pt-u"), ("agency", "pt-ag"), ("training", "pt-tr"))
        }
        keys["bureau"] = ApiKeys(store).issue("bureau", {}, "bureau")[1]
        server = Process.serve(environment(work / "server", url), work / "server.log")
        try:
            yield {
                "server": server,
                "store": store,
                "keys": keys,
                "data": work / "data",
                "employers": employers,
            }
        finally:
            server.stop()
            store.close()


def _roster(data: Path) -> list[Any]:
    lines: list[Any] = [json.loads(x) for x in (data / "graduates.jsonl").open()]
    for i, g in enumerate(lines):  # at graduation: the first hundred have a job, the rest seek
        g["status"] = "employed" if i < 100 else "seeking"
    lines[7]["degree"] = "本硕连读"
    lines[77]["graduation_year"] = 1850
    del lines[177]["id"]
    lines[277]["status"] = "retired"
    lines[377] = ",".join(str(lines[377].get(k)) for k in ("id", "name", "school"))
    return lines


def _months() -> tuple[str, str]:
    now = datetime.now(REPORT_TZ)
    last = now.replace(day=1) - timedelta(days=1)
    return last.strftime("%Y-%m"), now.strftime("%Y-%m")


def test_a_university_uploads_reports_and_reads_its_rate_by_month(world) -> None:
    server, keys = world["server"], world["keys"]
    roster = _roster(world["data"])
    status, sent = server.call("POST", "/graduates/bulk", keys["university"], roster)
    assert status == 200, sent
    assert sent["inserted"] == 495
    assert {e["index"]: e["field"] for e in sent["errors"]} == BROKEN
    assert all(e["message_zh"] for e in sent["errors"])
    kept = [g for i, g in enumerate(roster) if i not in BROKEN]
    last, this = _months()
    whole = [{"id": g["id"], "status": g["status"]} for g in kept]
    status, told = server.call(
        "POST",
        "/partners/pt-u/destinations",
        keys["university"],
        {"month": last, "destinations": whole},
    )
    assert status == 200 and told["recorded"] == 495 and told["errors"] == [], told
    found_jobs = [g["id"] for g in kept if g["status"] == "seeking"][:50]
    status, told = server.call(
        "POST",
        "/partners/pt-u/destinations",
        keys["university"],
        {"month": this, "destinations": [{"id": i, "status": "employed"} for i in found_jobs]},
    )
    assert status == 200 and told["recorded"] == 50 and told["errors"] == [], told
    status, figures = server.call("GET", "/partners/pt-u/figures", keys["university"])
    assert status == 200, figures
    rates = {m["month"]: m for m in figures["employment_by_month"]}
    employed_before = sum(g["status"] == "employed" for g in kept)
    assert rates[last]["graduates"] == 495
    assert rates[last]["by_status"]["employed"] == employed_before
    assert rates[this]["by_status"]["employed"] == employed_before + 50
    assert rates[this]["employment_rate"] == round((employed_before + 50) / 495, 4)
    status, report = server.call("GET", f"/reports/monthly?month={this}", keys["bureau"])
    assert status == 200, report
    flows = {(t["from"], t["to"]): t["graduates"] for t in report["flows"]["transitions"]}
    assert flows[("seeking", "employed")] == 50 and report["flows"]["became_employed"] == 50


def test_an_agency_posts_only_for_the_employer_that_authorised_it(world) -> None:
    server, keys = world["server"], world["keys"]
    authorised, other = world["employers"]

    def posting(pid: str, employer: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": pid,
            "title": "仓库管理员",
            "description": "负责入库、出库和盘点，熟悉Excel。",
            "kind": "full_time",
            "employer": {"name": employer["name"], "credit_code": employer.get("credit_code")},
            "location": {"city": "重庆", "district": "渝北区"},
        }

    status, made = server.call("POST", "/positions", keys["agency"], posting("ag-1", authorised))
    assert status == 201, made
    status, refused = server.call("POST", "/positions", keys["agency"], posting("ag-2", other))
    assert status == 403 and "授权" in refused["detail_zh"]


def test_a_training_institution_reports_a_completion_and_the_plan_item_turns_done(world) -> None:
    server, keys, store = world["server"], world["keys"], world["store"]
    roster = [json.loads(x) for x in (world["data"] / "graduates.jsonl").open()][:100]
    gid = next(g["id"] for g in roster if g["consent"]["push"])  # plans need consent
    plans = Plans(store)
    plans.create(
        NewPlan("pl-e2e", gid, "a-1", [NewItem("i-1", "training", "t-1", "proposed", 0, [])], "t")
    )
    plans.update("pl-e2e", {"status": "agreed"}, "adviser:a-1/k", "status", {"to": "agreed"})
    status, sent = server.call("GET", "/trainings/t-1/enrolments", keys["training"])
    assert status == 200 and [r["graduate_id"] for r in sent] == [gid], sent
    body = {"enrolments": [{"graduate_id": gid, "status": "done"}]}
    status, told = server.call("POST", "/trainings/t-1/enrolments", keys["training"], body)
    assert status == 200 and told["changed"] == 1, told
    status, plan = server.call("GET", "/plans/pl-e2e", keys["bureau"])
    assert status == 200 and [i["status"] for i in plan["items"]] == ["done"], plan
