"""Persistence, the only place that builds SQL: tables and migrations, the record repository
with its change feed, one repository per aggregate (offers, campaigns, plans, keys, reviews,
outbox), listing filters, and the report queries (SQLite or PostgreSQL)."""

from matcher.store.repository import Store, UpsertCounts

__all__ = ["Store", "UpsertCounts"]
