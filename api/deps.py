"""Typed dependencies: settings and the store, created once by the app factory."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from matcher.config import Settings
from matcher.engine import Matcher
from matcher.store import Store


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_matcher(request: Request) -> Matcher:
    """The engine, brought up to date with the store before it answers."""
    matcher: Matcher = request.app.state.matcher
    with request.app.state.sync_lock:
        if matcher.store.watermark() != matcher.watermark:
            matcher.sync()
    return matcher


SettingsDep = Annotated[Settings, Depends(get_settings)]
MatcherDep = Annotated[Matcher, Depends(get_matcher)]
StoreDep = Annotated[Store, Depends(get_store)]
