"""Reports for the bureau. Meant for the bureau and admin roles (access control is applied
where the API's authentication is configured, not here)."""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError

from api.answers import MonthlyReport
from api.deps import MatcherDep, SettingsDep, Staff
from api.openapi import Documented, responses
from matcher.analytics import Month, monthly_report
from matcher.store.outcomes import fingerprint

router = APIRouter(tags=["reports"], route_class=Documented)
#: Reports kept per process, keyed by month, parameters, the store's watermark and the state of
#: offers, feedback and plans: the same request is answered from memory until any changes.
CACHED = 16
_lock = threading.Lock()


@router.get("/reports/monthly", responses=responses(MonthlyReport, 403))
def monthly(
    request: Request,
    matcher: MatcherDep,
    settings: SettingsDep,
    principal: Staff,
    month: Annotated[
        str,
        Query(
            description="reporting month, YYYY-MM, from 1900-01 to 2100-12",
            examples=["2022-08"],
            json_schema_extra={"pattern": r"^(19\d\d|20\d\d|2100)-(0[1-9]|1[0-2])$"},
        ),
    ],
    sample: Annotated[
        int | None,
        Query(
            ge=0,
            le=5000,
            description="postings and graduates judged by the engine for the hard-to-fill and "
            "hard-to-place figures (default MATCHER_REPORT_SAMPLE; 0 leaves them out)",
        ),
    ] = None,
) -> dict[str, Any]:
    """The monthly supply-and-demand figures as JSON: postings, seekers, ratios, hard-to-fill
    postings, hard-to-place graduates, the offer funnel and plan coverage — the same figures
    as ``matcher report monthly``. For the bureau and admin roles."""
    try:
        period = Month.parse(month)
    except ValueError as exc:
        raise RequestValidationError(
            [{"loc": ("query", "month"), "msg": str(exc), "type": "value_error"}]
        ) from None
    size = settings.report_sample if sample is None else sample
    key = (
        str(period),
        size,
        settings.fit_threshold,
        matcher.store.watermark(),
        fingerprint(matcher.store),
    )
    cache: dict[tuple[Any, ...], dict[str, Any]] = request.app.state.report_cache
    with _lock:
        if key in cache:
            return cache[key]
    report = monthly_report(
        matcher.store, period, matcher=matcher, threshold=settings.fit_threshold, sample=size
    )
    with _lock:
        while len(cache) >= CACHED:
            cache.pop(next(iter(cache)))
        cache[key] = report
    return report
