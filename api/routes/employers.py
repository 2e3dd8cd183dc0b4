"""Employers and training courses: listings and single records."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter

from api.deps import StoreDep
from api.routes._listing import Cursor, Limit, WithTotal, page, region_prefix
from api.schemas import Page
from matcher.store.tables import employers, trainings

router = APIRouter(tags=["employers", "trainings"])


@router.get("/employers", response_model=Page)
def list_employers(
    store: StoreDep,
    blacklisted: bool | None = None,
    name: str | None = None,
    cursor: Cursor = None,
    limit: Limit = 50,
    count: WithTotal = False,
) -> Page:
    where: list[sa.ColumnElement[bool]] = []
    if blacklisted is not None:
        where.append(employers.c.blacklisted.is_(blacklisted))
    if name:
        where.append(employers.c.name.contains(name))
    return page(store, "employers", where, cursor, limit, count)


@router.get("/employers/{employer_id}")
def get_employer(employer_id: str, store: StoreDep) -> dict[str, Any]:
    return store.get("employers", employer_id)


@router.get("/trainings", response_model=Page)
def list_trainings(
    store: StoreDep,
    district: str | None = None,
    cursor: Cursor = None,
    limit: Limit = 50,
    count: WithTotal = False,
) -> Page:
    where = [region_prefix(trainings.c.region_code, district)] if district else []
    return page(store, "trainings", where, cursor, limit, count)


@router.get("/trainings/{training_id}")
def get_training(training_id: str, store: StoreDep) -> dict[str, Any]:
    return store.get("trainings", training_id)
