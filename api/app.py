"""The app factory: ``create_app(settings)`` wires settings, store, routers and errors."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

import matcher
from api import errors
from api.routes import employers, graduates, matching, positions, reports, system
from matcher.config import Settings
from matcher.encoding import Encoder
from matcher.engine import Matcher
from matcher.store import Store


def create_app(
    settings: Settings | None = None, store: Store | None = None, encoder: Encoder | None = None
) -> FastAPI:
    """The app; ``store`` and ``encoder`` may be given (tests), otherwise they come from the
    settings. The engine loads (or rebuilds) the index at start-up."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own = store is None
        app.state.store = store or Store.open(settings)
        app.state.matcher = Matcher.open(settings, store=app.state.store, encoder=encoder)
        app.state.sync_lock = threading.Lock()
        try:
            yield
        finally:
            if own:
                app.state.store.close()

    app = FastAPI(
        title="Graduate–job matching engine",
        version=matcher.__version__,
        description="Talent pool, recommendations and offers for a public employment service.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.report_cache = {}  # see api/routes/reports.py
    errors.install(app)
    for module in (system, matching, positions, graduates, employers, reports):
        app.include_router(module.router)
    return app
