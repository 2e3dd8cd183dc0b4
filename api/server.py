"""Run the API with uvicorn (``matcher serve``)."""

from __future__ import annotations

import os

import uvicorn

from matcher.config import Settings


def serve(settings: Settings, *, host: str, port: int, workers: int = 1) -> None:
    # Worker processes rebuild the settings from the environment: pass ours down.
    os.environ["MATCHER_DATA_DIR"] = str(settings.data_dir)
    os.environ["MATCHER_API_WORKER"] = "true" if settings.api_worker else "false"
    if settings.database_url:
        os.environ["MATCHER_DATABASE_URL"] = settings.database_url
    print(
        f"serving the API on http://{host}:{port}  (docs: http://{host}:{port}/docs; Ctrl-C stops)",
        flush=True,
    )
    uvicorn.run(
        "api.app:create_app", factory=True, host=host, port=port, workers=workers, log_level="info"
    )
