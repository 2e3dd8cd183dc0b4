"""Offer delivery to a real webhook receiver: retries with backoff, signatures, dead letters,
and a worker killed mid-delivery (issue 5)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from matcher.offers.delivery import MESSAGE_ID_HEADER, SIGNATURE_HEADER, Deliverer, sign, verify
from matcher.offers.single import create_offer
from matcher.records.prepare import prepare
from matcher.store import Store
from matcher.store.outbox import Outbox
from matcher.text.encoders import FakeEncoder
from tests.api.conftest import key_headers
from tests.api.receiver import HANG, receiver
from tests.conftest import graduate, position

SECRET = "test-webhook-secret"
ROOT = Path(__file__).resolve().parents[2]


def _fill(store: Store, graduates: int = 1) -> None:
    store.upsert(
        "positions",
        [prepare("positions", position(f"p-{i}", expires_at="2099-12-31")) for i in range(3)],
    )
    store.upsert("graduates", [prepare("graduates", graduate(f"g-{i}")) for i in range(graduates)])


def _settings(settings, url: str, **changes):
    values = {
        "webhook_urls": url,
        "webhook_secret": SECRET,
        "quiet_hours": "off",
        "worker_poll": 0.05,
        "delivery_backoff": 0.3,
    }
    return settings.replace(**(values | changes))


def _wait(check, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition not reached in time")


def test_signature_round_trip():
    body = b'{"id": "m-1"}'
    header = sign(SECRET, 1_700_000_000, body)
    assert verify(SECRET, header, body, now=1_700_000_100)
    assert not verify(SECRET, header, body + b" ", now=1_700_000_100)
    assert not verify("other", header, body, now=1_700_000_100)
    assert not verify(SECRET, header, body, now=1_700_009_999)  # too old: a replay
    assert not verify(SECRET, "garbage", body)


def test_two_failures_then_success_delivers_exactly_once(settings, store):
    _fill(store)
    with receiver(lambda n: 500 if n < 2 else 200) as hook:
        s = _settings(settings, hook.url)
        with TestClient(create_app(s, store, encoder=FakeEncoder(32))) as client:
            client.headers.update(key_headers(store, "bureau"))
            made = client.post(
                "/offers",
                json={"graduate_id": "g-0", "position_id": "p-1", "message": "欢迎投递"},
                headers={"Idempotency-Key": "one"},
            )
            assert made.status_code == 201, made.text
            assert made.json()["status"] == "queued"
            offer_id = made.json()["id"]
            _wait(lambda: client.get(f"/offers/{offer_id}").json()["status"] == "sent")
            delivered = client.get("/outbox", params={"status": "delivered"}).json()["items"]
    assert len(hook.requests) == 3
    ids = {r.headers[MESSAGE_ID_HEADER] for r in hook.requests}
    assert ids == {delivered[0]["id"]} and len(delivered) == 1
    for r in hook.requests:
        assert verify(SECRET, r.headers[SIGNATURE_HEADER], r.body)
        payload = json.loads(r.body)
        assert payload["id"] == delivered[0]["id"] and payload["offer_id"] == offer_id
        assert payload["message"] == "欢迎投递" and payload["position"]["id"] == "p-1"
    gaps = [b.at - a.at for a, b in zip(hook.requests, hook.requests[1:], strict=False)]
    assert gaps[0] >= 0.3 and gaps[1] >= 0.6  # 0.3 s, then doubled (plus jitter)
    assert delivered[0]["attempts"] == 3


def test_a_receiver_that_always_fails_ends_in_dead_letters(settings, store):
    _fill(store)
    with receiver(lambda n: 503) as hook:
        s = _settings(settings, hook.url, delivery_attempts=3, delivery_backoff=0.05)
        create_offer(store, s, graduate_id="g-0", position_id="p-2")
        deliverer = Deliverer(store, s)
        _wait(lambda: deliverer.run_once() == 0 and Outbox(store).counts().get("dead") == 1)
        assert len(hook.requests) == 3
        with TestClient(create_app(s.replace(api_worker=False), store, FakeEncoder(32))) as client:
            client.headers.update(key_headers(store, "bureau"))
            dead = client.get("/outbox", params={"status": "dead"}).json()["items"]
            assert len(dead) == 1 and "HTTP 503" in dead[0]["last_error"]
            offer = client.get(f"/offers/{dead[0]['offer_id']}").json()
            assert offer["status"] == "undeliverable"
            assert client.post("/outbox/retry", json={}).json() == {"requeued": 1}
            assert client.get(f"/offers/{dead[0]['offer_id']}").json()["status"] == "queued"
        assert Outbox(store).counts() == {"pending": 1}


def test_killing_the_worker_mid_delivery_loses_no_offer(settings, store):
    _fill(store, graduates=3)
    with receiver(lambda n: HANG if n == 0 else 200) as hook:
        s = _settings(settings, hook.url)
        for i in range(3):
            create_offer(store, s, graduate_id=f"g-{i}", position_id=f"p-{i}")
        messages = {m["id"] for m in Outbox(store).page()[0]}
        env = {
            **os.environ,
            "MATCHER_DATA_DIR": str(s.data_dir),
            "MATCHER_WEBHOOK_URLS": hook.url,
            "MATCHER_WEBHOOK_SECRET": SECRET,
            "MATCHER_QUIET_HOURS": "off",
            "MATCHER_WORKER_POLL": "0.05",
            "MATCHER_DELIVERY_LEASE": "1",
        }
        command = [sys.executable, "-m", "matcher.cli", "worker"]
        first = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        try:
            hook.wait_for(1)  # the worker is inside its first delivery, which hangs
            first.send_signal(signal.SIGKILL)
            first.wait(10)
        finally:
            first.kill()
        hook.release.set()
        assert Outbox(store).counts().get("delivered", 0) == 0
        second = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        try:
            _wait(lambda: Outbox(store).counts() == {"delivered": 3})
        finally:
            second.terminate()
            second.wait(10)
    received = [r.headers[MESSAGE_ID_HEADER] for r in hook.requests]
    assert set(received) == messages  # at least once: the interrupted one came again
    assert len(received) >= 4


def _around_now(timezone: str) -> str:
    """Quiet hours from two hours ago to two hours ahead, local time (across midnight too)."""
    local = datetime.now(ZoneInfo(timezone))
    return f"{local - timedelta(hours=2):%H:%M}-{local + timedelta(hours=2):%H:%M}"


@pytest.mark.parametrize("quiet", [False, True])
def test_quiet_hours_hold_messages_back(settings, store, quiet):
    _fill(store)
    hours = _around_now(settings.timezone) if quiet else "off"
    s = settings.replace(webhook_urls="http://127.0.0.1:9/hook", quiet_hours=hours)
    create_offer(store, s, graduate_id="g-0", position_id="p-0")
    claimed = Outbox(store).claim(lease=5)
    assert len(claimed) == (0 if quiet else 1)
