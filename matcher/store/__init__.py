"""Persistence: SQLAlchemy tables, Alembic migrations and the repository (SQLite or PostgreSQL)."""

from matcher.store.repository import Store, UpsertCounts

__all__ = ["Store", "UpsertCounts"]
