"""API test helpers: API keys for each role."""

from __future__ import annotations

from typing import Any

from matcher.store import Store
from matcher.store.keys import ApiKeys


def key_headers(store: Store, role: str, **scope: Any) -> dict[str, str]:
    """Authorization headers of a fresh key with this role and scope."""
    _, key = ApiKeys(store).issue(role, scope, f"test {role}")
    return {"Authorization": f"Bearer {key}"}
