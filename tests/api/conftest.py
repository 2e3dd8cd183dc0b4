"""API test helpers: API keys for each role."""

from __future__ import annotations

from typing import Any

from matcher.records.prepare import prepare
from matcher.store import Store
from matcher.store.keys import ApiKeys
from tests.conftest import position

#: Two employers, each with one open posting (p-a, p-b) in the role-matrix tests.
A, B = "重庆甲科技有限公司", "重庆乙软件有限公司"


def two_employers_postings(store: Store) -> None:
    store.upsert(
        "positions",
        [
            prepare("positions", position("p-a", employer={"name": A}, expires_at="2099-12-31")),
            prepare("positions", position("p-b", employer={"name": B}, expires_at="2099-12-31")),
        ],
    )


def key_headers(store: Store, role: str, **scope: Any) -> dict[str, str]:
    """Authorization headers of a fresh key with this role and scope."""
    _, key = ApiKeys(store).issue(role, scope, f"test {role}")
    return {"Authorization": f"Bearer {key}"}
