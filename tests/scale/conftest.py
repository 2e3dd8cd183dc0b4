"""A local Ray cluster of two CPUs for the tests of this folder, started once."""

from __future__ import annotations

import os
from typing import Any

import pytest


@pytest.fixture(scope="session")
def cluster() -> Any:
    from matcher.scale import cluster

    try:
        cluster.connect("local", cpus=2)
    except cluster.RayUnavailableError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI installs Ray (make dev), yet it cannot start: {exc}")
        pytest.skip(f"Ray cannot start here: {exc}")
    yield cluster
    cluster.shutdown()
