"""Health and counts."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from api.deps import SettingsDep, StaffOrService, StoreDep
from api.schemas import ComponentHealth, Health, Stats
from matcher import __version__
from matcher.index.files import IndexUnusableError, read_manifest
from matcher.records.prepare import ENTITIES
from matcher.store import migrate
from matcher.store.filters import employer_filters, graduate_filters

router = APIRouter(tags=["system"])


@router.get("/healthz", response_model=Health)
def healthz(request: Request, store: StoreDep, settings: SettingsDep, response: Response) -> Health:
    """Liveness and readiness of the store, the vector index and the encoder."""
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
        store_health = ComponentHealth(status="error", detail={"error": str(exc)})
    index_dir = settings.resolved_index_dir / "positions"
    try:
        manifest = read_manifest(index_dir)
        index = ComponentHealth(
            status="ok",
            detail={
                "path": str(index_dir),
                "encoder": manifest.encoder_id,
                "kind": manifest.kind,
                "count": manifest.count,
                "watermark": manifest.watermark,
            },
        )
    except IndexUnusableError as exc:
        index = ComponentHealth(
            status="absent", detail={"path": str(index_dir), "reason": str(exc)}
        )
    engine = request.app.state.matcher
    encoder = ComponentHealth(
        status="ok",
        detail={
            "setting": settings.encoder,
            "model_id": engine.encoder.model_id,
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


@router.get("/stats", response_model=Stats)
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
