"""Schema migrations (Alembic) run programmatically: ``matcher db upgrade``."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

_SCRIPTS = Path(__file__).parent / "migrations"


def _config(connection: sa.Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_SCRIPTS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: sa.Engine, revision: str = "head") -> str:
    """Bring the schema to ``revision``; returns the revision now current."""
    with engine.begin() as conn:
        command.upgrade(_config(conn), revision)
    return current_revision(engine) or ""


def downgrade(engine: sa.Engine, revision: str) -> str:
    """Take the schema back to ``revision``; returns the revision now current."""
    with engine.begin() as conn:
        command.downgrade(_config(conn), revision)
    return current_revision(engine) or ""


def revision(engine: sa.Engine, message: str) -> None:
    """Write a new migration by comparing the database with ``tables.py`` (for developers)."""
    with engine.begin() as conn:
        command.revision(_config(conn), message=message, autogenerate=True)
