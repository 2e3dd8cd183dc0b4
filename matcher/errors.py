"""Domain errors. Only ``api/errors.py`` maps them to HTTP responses."""

from __future__ import annotations


class MatcherError(Exception):
    """Base class for every failure the engine reports on purpose."""


class NotFoundError(MatcherError):
    """A record asked for by id does not exist in the store."""

    def __init__(self, entity: str, record_id: str) -> None:
        super().__init__(f"{entity} {record_id!r} not found")
        self.entity = entity
        self.record_id = record_id


class ValidationError(MatcherError):
    """A record breaks the exchange format; ``field`` names the (first) offending field and
    ``errors`` lists every (field, message) of the record."""

    def __init__(
        self,
        message: str,
        *,
        record_id: str | None = None,
        field: str | None = None,
        errors: list[tuple[str, str]] | None = None,
    ):
        super().__init__(message)
        self.record_id = record_id
        self.field = field
        self.errors = errors if errors is not None else [(field or "record", message)]


class ConflictError(MatcherError):
    """The request conflicts with stored state (e.g. an idempotency key reused differently)."""


class StoreError(MatcherError):
    """The database cannot be reached or its schema is not what this version expects."""


class TaxonomyError(MatcherError):
    """A name or code cannot be resolved against a catalog (regions, industries, majors)."""
