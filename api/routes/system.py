"""Health and counts."""

from __future__ import annotations

import logging
from pathlib import PurePath

from fastapi import APIRouter, Request, Response

from api.deps import SettingsDep, StaffOrService, StoreDep
from api.openapi import Documented, responses
from api.schemas import ComponentHealth, Health, Stats
from matcher import __version__
from matcher.index.files import IndexUnusableError, read_manifest
from matcher.records.prepare import ENTITIES
from matcher.store import migrate
from matcher.store.filters import employer_filters, graduate_filters

router = APIRouter(tags=["system"], route_class=Documented)
log = logging.getLogger("matcher.api")


@router.get(
    "/healthz",
    response_model=Health,
    responses={503: {"model": Health, "description": "The store cannot be reached"}},
)
def healthz(request: Request, store: StoreDep, settings: SettingsDep, response: Response) -> Health:
    """Liveness and readiness of the store, the vector index and the encoder. Public, so it
    names no file, folder or database address and repeats no error text (those go to the
    operator's logs and ``matcher`` commands)."""
    try:
        revision = migrate.current_revision(store.engine)
        store_health = ComponentHealth(
            status="ok",
            detail={
                "backend": store.engine.dialect.name,
                "revision": revision,
                "watermark": store.watermark(),
            },
        )
    except Exception as exc:
        log.warning("health check: the store does not answer (%s)", type(exc).__name__)
        store_health = ComponentHealth(status="error", detail={"error": type(exc).__name__})
    index_dir = settings.resolved_index_dir / "positions"
    try:
        manifest = read_manifest(index_dir)
        index = ComponentHealth(
            status="ok",
            detail={
                "encoder": manifest.encoder_id,
                "kind": manifest.kind,
                "count": manifest.count,
                "watermark": manifest.watermark,
            },
        )
    except IndexUnusableError:
        index = ComponentHealth(
            status="absent", detail={"reason": "no usable index yet: it is built at start-up"}
        )
    engine = request.app.state.matcher
    encoder = ComponentHealth(
        status="ok",
        detail={
            "setting": _named(settings.encoder),
            "model_id": _named(engine.encoder.model_id),
            "dimension": engine.encoder.dimension,
            "index_watermark": engine.watermark,
        },
    )
    ok = store_health.status == "ok"
    response.status_code = 200 if ok else 503
    return Health(
        status="ok" if ok else "degraded",
        version=__version__,
        store=store_health,
        index=index,
        encoder=encoder,
    )


def _named(spec: str) -> str:
    """An encoder as the public may see it: a local folder by its name only."""
    local = spec.startswith((".", "~", "/")) or PurePath(spec).is_absolute()
    return PurePath(spec).name if local else spec


@router.get("/stats", response_model=Stats, responses=responses(None, 403))
def stats(store: StoreDep, principal: StaffOrService) -> Stats:
    """Counts of the talent pool. Roles: bureau, service."""
    return Stats(
        counts={e: store.count(e) for e in ENTITIES},
        positions_by_kind=store.grouped_counts("positions", "kind"),
        positions_by_status=store.grouped_counts("positions", "status"),
        graduates_by_status=store.grouped_counts("graduates", "status"),
        graduates_needing_support=store.count("graduates", graduate_filters(needs_support=True)),
        blacklisted_employers=store.count("employers", employer_filters(blacklisted=True)),
        watermark=store.watermark(),
    )
