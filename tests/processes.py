"""Real server and worker processes for the tests that need more than one process (offer rules
under concurrency, crash recovery): free ports, a fresh PostgreSQL database per test, starting
``matcher serve`` or ``matcher worker`` and waiting for it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import POSTGRES_URL

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def fresh_postgres() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped afterwards (other tests keep
    theirs)."""
    if not POSTGRES_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must set MATCHER_TEST_POSTGRES_URL (see .ci/run)")
        pytest.skip("PostgreSQL not configured: set MATCHER_TEST_POSTGRES_URL to run these")
    name = f"matcher_proc_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield (
            sa.engine.make_url(POSTGRES_URL)
            .set(database=name)
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class Process:
    """``matcher serve`` (with a port) or ``matcher worker`` in its own process."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self.port = int(args[args.index("--port") + 1]) if "--port" in args else 0
        with log.open("ab") as out:
            self.proc = subprocess.Popen(
                [str(BIN / "matcher"), *args], env=env, stdout=out, stderr=subprocess.STDOUT
            )

    @classmethod
    def serve(cls, env: dict[str, str], log: Path, *extra: str) -> Process:
        server = cls(["serve", "--port", str(free_port()), *extra], env, log)
        server.wait_ready()
        return server

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2):
                    return
            except OSError:
                assert self.proc.poll() is None, f"the server stopped: {self.log.read_text()}"
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def call(self, method: str, path: str, key: str, body: Any = None) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                return answer.status, json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs."""
        self.proc.kill()
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def environment(data_dir: Path, database_url: str = "", **settings: Any) -> dict[str, str]:
    """The environment of a server or worker: its folder, database and settings."""
    env = {
        **os.environ,
        "MATCHER_DATA_DIR": str(data_dir),
        "MATCHER_ENCODER": "fake:32",
        "MATCHER_QUIET_HOURS": "off",
        "HF_HUB_OFFLINE": "1",
    }
    if database_url:
        env["MATCHER_DATABASE_URL"] = database_url
    env.update({f"MATCHER_{k.upper()}": str(v) for k, v in settings.items()})
    return env
