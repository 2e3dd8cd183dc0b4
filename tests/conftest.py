"""Shared fixtures: settings in a temporary folder, a store on SQLite and (where configured)
PostgreSQL, the real data folder (skipped when absent) and small record builders."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from matcher.config import Settings
from matcher.store import Store

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
POSTGRES_URL = os.environ.get("MATCHER_TEST_POSTGRES_URL", "")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env(env={}, data_dir=tmp_path / "var")


def _postgres_store() -> Store:
    if not POSTGRES_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must set MATCHER_TEST_POSTGRES_URL (see .ci/run)")
        pytest.skip("PostgreSQL not configured: set MATCHER_TEST_POSTGRES_URL to run these")
    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return Store.open(Settings.from_env(env={}, database_url=POSTGRES_URL))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_store(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Store]:
    """The same test against the embedded SQLite store and a real PostgreSQL server."""
    store = Store.open(settings) if request.param == "sqlite" else _postgres_store()
    yield store
    store.close()


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    store = Store.open(settings)
    yield store
    store.close()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent (only in the project's workplace)")
    return SHARED_DATA


def position(pid: str = "p-1", **changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": pid,
        "title": "Java开发工程师",
        "description": "负责后端接口开发，熟悉Spring Boot。",
        "kind": "full_time",
        "employer": {"name": "重庆某科技有限公司"},
        "location": {"city": "重庆", "district": "渝北区"},
        "education_min": "本科",
        "experience_min_years": 0,
        "salary": {"min": 6000, "max": 9000, "unit": "month"},
        "majors": ["计算机类"],
        "skills": ["Java", "MySQL"],
        "industry": "软件和信息技术服务业",
        "headcount": 3,
        "posted_at": "2022-08-01",
        "expires_at": "2022-10-31",
        "source": "employer",
    }
    record.update(changes)
    return record


def graduate(gid: str = "g-1", **changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": gid,
        "name": "李明",
        "school": "重庆大学",
        "major": "软件工程",
        "degree": "本科",
        "graduation_year": 2022,
        "skills": ["Java"],
        "bio": "做过校园二手平台的后端。",
        "desired": {
            "cities": ["重庆"],
            "districts": ["渝北区"],
            "kinds": ["full_time"],
            "salary_min": 5000,
        },
        "status": "seeking",
        "support": [],
        "consent": {"push": True},
    }
    record.update(changes)
    return record


def write_jsonl(path: Path, lines: list[Any]) -> Path:
    path.write_text(
        "".join(
            (x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n" for x in lines
        ),
        encoding="utf-8",
    )
    return path


def generated_matcher(folder: Path, *, scale: int, graduates: int, seed: int, as_of: Any) -> Any:
    """A generated set of ``scale`` postings loaded into a fresh SQLite store under ``folder``,
    served by an engine on the fake encoder (close ``matcher.store`` when done)."""
    from matcher.datasets import generate
    from matcher.engine.orchestrator import Matcher
    from matcher.ingest.files import ingest_folder
    from matcher.text.encoders import FakeEncoder

    generate(folder / "data", scale=scale, graduates=graduates, seed=seed, as_of=as_of)
    settings = Settings.from_env(env={}, data_dir=folder / "var")
    store = Store.open(settings)
    ingest_folder(store, folder / "data", ("employers", "positions", "graduates"))
    return Matcher.open(settings, store=store, encoder=FakeEncoder(32))


#: Registry entries of partners (issue 17): a university by its school code, an agency by its
#: unified social credit code.
UNIVERSITY = {"kind": "university", "name": "重庆大学", "code": "10611", "districts": ["500106"]}
AGENCY = {
    "kind": "agency",
    "name": "重庆英才人力资源服务有限公司",
    "code": "91500112724467001H",
    "districts": ["500112"],
}
#: Two training institutions (issue 17), by their credit codes.
TRAINING = {
    "kind": "training",
    "name": "重庆渝中职业技能培训学校",
    "code": "91500103MAL2GB1F3K",
    "districts": ["500103"],
}
TRAINING_B = {
    "kind": "training",
    "name": "重庆沙坪坝数字技能培训中心",
    "code": "91500108MA22DR365J",
    "districts": ["500106"],
}


def course(tid: str = "t-1", **changes: Any) -> dict[str, Any]:
    """A training course in the exchange format."""
    record: dict[str, Any] = {
        "id": tid,
        "title": "Python 数据分析实训",
        "provider": "重庆渝中职业技能培训学校",
        "skills": ["Python", "数据分析"],
        "start_date": "2026-12-15",
        "end_date": "2027-01-31",
        "capacity": 30,
        "fee": 0,
        "subsidised": True,
    }
    return record | changes
