"""What every idempotent create does after the domain call: say whether the answer is a replay
and wake the background worker (campaigns, plan jobs, delivery)."""

from __future__ import annotations

from fastapi import Request, Response


def wake_worker(request: Request) -> None:
    worker = getattr(request.app.state, "worker", None)
    if worker is not None:
        worker.wake()


def answered(request: Request, response: Response, created: bool) -> None:
    """A retried request (same Idempotency-Key and body) is answered 200 with
    ``Idempotent-Replayed: true`` instead of 201/202; either way the worker is woken."""
    if not created:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"
    wake_worker(request)
