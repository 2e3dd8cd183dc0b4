"""API test helpers: API keys for each role."""

from __future__ import annotations

from typing import Any

from matcher.access import Role, new_key
from matcher.store import Store
from matcher.store.keys import ApiKeys


def key_headers(store: Store, role: str, **scope: Any) -> dict[str, str]:
    """Authorization headers of a fresh key with this role and scope."""
    key_id, key, hashed = new_key()
    ApiKeys(store).add(key_id, hashed, Role(role).value, scope, f"test {role}")
    return {"Authorization": f"Bearer {key}"}
