"""The migrations build exactly the schema ``matcher/store/tables.py`` describes (tables,
columns, indexes, keys), so a database created by ``matcher db upgrade`` and the code that
reads it never drift apart; and the newest migration goes down and up again."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from matcher.store import migrate
from matcher.store.tables import metadata


def _differences(engine: sa.Engine) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        return list(compare_metadata(context, metadata))


def test_migrations_build_the_schema_tables_py_describes(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'schema.db'}")
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert _differences(engine) == []


def test_the_newest_migration_goes_down_and_up_again(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'schema.db'}")
    migrate.upgrade(engine)
    head = migrate.head_revision()
    previous = f"{int(head) - 1:04d}"
    assert migrate.downgrade(engine, previous) == previous
    assert _differences(engine) != []  # its change is undone
    assert migrate.upgrade(engine) == head
    assert _differences(engine) == []
