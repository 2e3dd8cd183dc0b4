"""Database errors are described for logs and stored run errors without the values of the
failing row (PostgreSQL repeats the whole row in its DETAIL)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from matcher.store import tables
from matcher.store.db import describe, utcnow


def test_a_failing_row_is_named_by_its_error_not_its_values(any_store):
    personal = "张三 13900001111"
    with pytest.raises(sa.exc.IntegrityError) as caught, any_store.engine.begin() as conn:
        conn.execute(
            sa.insert(tables.api_keys).values(
                id="k-1",
                secret_hash=None,
                role="bureau",
                scope={},
                name=personal,
                created_at=utcnow(),
            )
        )
    if any_store.engine.dialect.name == "postgresql":
        assert "13900001111" in str(caught.value)  # what a plain log line would carry
    text = describe(caught.value, frames=True)
    assert "13900001111" not in text and "张三" not in text
    assert text.startswith("database error ") and "(code " in text
    assert "test_describe.py" in text  # where it happened
