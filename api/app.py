"""The app factory: ``create_app(settings)`` wires settings, store, routers and errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

import matcher
from api import errors
from api.routes import employers, graduates, positions, system
from matcher.config import Settings
from matcher.store import Store


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own = store is None
        app.state.store = store or Store.open(settings)
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
    errors.install(app)
    for module in (system, positions, graduates, employers):
        app.include_router(module.router)
    return app
