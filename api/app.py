"""The app factory: ``create_app(settings)`` wires settings, store, engine, the background
worker (campaigns and delivery), routers, errors and the request size limit."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

import matcher
from api import console as web
from api import docs, errors, guards, me, openapi
from api.routes import (
    campaigns,
    compliance,
    console,
    console_auth,
    employers,
    graduate_history,
    graduate_links,
    graduate_sharing,
    graduates,
    matching,
    me_data,
    me_pages,
    offers,
    operations,
    partner_authorisations,
    partners,
    plans,
    positions,
    prescreen,
    reports,
    resumes,
    review_queue,
    system,
    trainings,
)
from matcher.compliance.screen import default_rules
from matcher.config import Settings
from matcher.engine.orchestrator import Matcher
from matcher.offers.delivery import Post, http_post
from matcher.store import Store
from matcher.text.encoders import Encoder
from matcher.text.render import segmenter
from matcher.worker import Worker


def warm_up(settings: Settings) -> threading.Thread:
    """Load in the background what a server's first write or query would otherwise wait for:
    the compliance screen's rules (about 0.5 s of regular expressions to compile) and, with
    BM25 on, jieba's dictionary (about 0.9 s)."""

    def load() -> None:
        default_rules()
        if settings.lexical:
            segmenter()

    thread = threading.Thread(target=load, name="warm-up", daemon=True)
    thread.start()
    return thread


def create_app(
    settings: Settings | None = None,
    store: Store | None = None,
    encoder: Encoder | None = None,
    post: Post = http_post,
) -> FastAPI:
    """The app; ``store`` and ``encoder`` may be given (tests), otherwise they come from the
    settings. The engine loads (or rebuilds) the index at start-up; unless
    ``settings.api_worker`` is off, a worker thread runs campaigns and plan generation jobs and
    delivers offers. The adviser console is served under ``/console``."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own = store is None
        warm_up(settings)  # while the index loads
        app.state.store = store or Store.open(settings)
        app.state.matcher = Matcher.open(settings, store=app.state.store, encoder=encoder)
        # the encoder's first call in a process costs tens of milliseconds: not the first write's
        app.state.matcher.encoder.encode_positions(["重庆"])
        app.state.worker = None
        if settings.api_worker:
            app.state.worker = Worker(
                app.state.store, settings, matcher=lambda: app.state.matcher, post=post
            )
            thread = app.state.worker.start()
        try:
            yield
        finally:
            if app.state.worker is not None:
                app.state.worker.stop()
                thread.join(timeout=30)
            app.state.matcher.flush()
            if own:
                app.state.store.close()

    app = FastAPI(
        title="Graduate–job matching engine",
        version=matcher.__version__,
        description=(
            "Talent pool, recommendations and offers for a public employment service. "
            "Send an API key as `Authorization: Bearer mk_<id>_<secret>` "
            "(create one with `matcher keys create --role ...`)."
        ),
        lifespan=lifespan,
        docs_url=None,  # served from the package by api/docs.py (no CDN on an intranet)
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.report_cache = {}  # see api/routes/reports.py
    errors.install(app)
    app.add_middleware(guards.InputGuard)  # inside the size limit: reads bounded bodies only
    app.add_middleware(
        errors.BodyLimit,
        limit=settings.max_body_bytes,
        paths={"/resumes/parse": max(settings.max_body_bytes, resumes.BODY_LIMIT)},
    )
    app.add_middleware(guards.CrashGuard)
    for module in (
        system,
        matching,
        prescreen,
        positions,
        graduates,
        graduate_links,
        graduate_history,
        graduate_sharing,
        partners,
        partner_authorisations,
        employers,
        trainings,
        compliance,
        review_queue,
        offers,
        campaigns,
        operations,
        reports,
        plans,
        resumes,
        console_auth,
        console,
        me_pages,
        me_data,
    ):
        app.include_router(module.router)
    web.install(app, settings)
    me.install(app)
    docs.install(app)
    app.openapi = lambda: openapi.document(app)  # type: ignore[method-assign]
    return app
