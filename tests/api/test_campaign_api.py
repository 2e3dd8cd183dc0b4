"""Campaigns through the HTTP API on generated data: every offer obeys the rules, and a retried
request creates nothing new (issue 5)."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from api.app import create_app
from matcher.datasets import generate
from matcher.ingest.files import ingest_folder
from matcher.offers.single import create_offer
from matcher.store import Store
from matcher.store import tables as t
from matcher.store.offers import Offers
from matcher.text.encoders import FakeEncoder
from tests.api.conftest import key_headers

GRADUATES = 2000


@pytest.fixture(scope="module")
def pool(tmp_path_factory):
    """1,000 generated postings and 2,000 graduates, some already reached this week, one
    blacklisted employer and one flagged posting."""
    folder = tmp_path_factory.mktemp("campaign")
    generate(folder / "data", scale=1000, graduates=GRADUATES, seed=3, as_of=date.today())
    settings_dir = folder / "var"
    from matcher.config import Settings

    settings = Settings.from_env(
        env={}, data_dir=settings_dir, quiet_hours="", capacity_factor=1, api_worker=True
    )
    store = Store.open(settings)
    ingest_folder(store, folder / "data", ("employers", "positions", "graduates"))
    with store.engine.begin() as conn:
        employer = conn.execute(sa.select(t.employers.c.id).limit(1)).scalar_one()
        conn.execute(
            sa.update(t.employers).where(t.employers.c.id == employer).values(blacklisted=True)
        )
        flagged = conn.execute(
            sa.select(t.positions.c.id).where(t.positions.c.employer_id != employer).limit(1)
        ).scalar_one()
        conn.execute(sa.update(t.positions).where(t.positions.c.id == flagged).values(flagged=True))
        seq = conn.execute(
            sa.update(t.counters).values(value=t.counters.c.value + 1).returning(t.counters.c.value)
        ).scalar_one()
        conn.execute(sa.update(t.employers).where(t.employers.c.id == employer).values(seq=seq))
        conn.execute(sa.update(t.positions).where(t.positions.c.id == flagged).values(seq=seq))
    seeking = store.reachable_graduates()
    open_ids = sorted(Offers(store).places())
    # Two graduates already had offers this week: one reached the weekly cap of 3.
    for i, pid in enumerate(open_ids[:3]):
        create_offer(store, settings, graduate_id=seeking[0], position_id=pid)
        if i == 0:
            create_offer(store, settings, graduate_id=seeking[1], position_id=pid)
    store.close()
    return settings, employer, flagged, seeking


def test_campaign_offers_obey_every_rule_and_retries_create_nothing(pool):
    settings, blacklisted, flagged, seeking = pool
    store = Store.open(settings)
    app = create_app(settings, store, encoder=FakeEncoder(32))
    body = {"name": "2025–2026届秋季推送", "segment": {}, "k": 3, "kinds": []}
    with TestClient(app) as client:
        client.headers.update(key_headers(store, "service"))
        first = client.post("/campaigns", json=body, headers={"Idempotency-Key": "autumn-1"})
        assert first.status_code == 202, first.text
        campaign = first.json()
        for _ in range(600):
            state = client.get(f"/campaigns/{campaign['id']}").json()
            if state["status"] in ("done", "failed"):
                break
            time.sleep(0.2)
        assert state["status"] == "done", state
        again = client.post("/campaigns", json=body, headers={"Idempotency-Key": "autumn-1"})
        assert again.status_code == 200 and again.json()["id"] == campaign["id"]
        assert again.headers["Idempotent-Replayed"] == "true"
        changed = client.post(
            "/campaigns", json={**body, "k": 2}, headers={"Idempotency-Key": "autumn-1"}
        )
        assert changed.status_code == 409
        assert "different request" in changed.json()["detail"]

    counts = state["counts"]
    with store.engine.connect() as conn:
        offers = conn.execute(
            sa.select(
                t.offers.c.graduate_id,
                t.offers.c.position_id,
                t.offers.c.campaign_id,
                t.offers.c.created_at,
            )
        ).all()
        graduates = {
            r.id: r
            for r in conn.execute(
                sa.select(t.graduates.c.id, t.graduates.c.status, t.graduates.c.consent_push)
            )
        }
        postings = {
            r.id: r
            for r in conn.execute(
                sa.select(
                    t.positions.c.id,
                    t.positions.c.status,
                    t.positions.c.flagged,
                    t.positions.c.headcount,
                    t.positions.c.employer_id,
                )
            )
        }
    mine = [o for o in offers if o.campaign_id == campaign["id"]]
    assert counts["offered"] == len(mine) > GRADUATES // 2
    assert counts["segment"] == sum(1 for g in graduates.values() if g.status == "seeking")
    skipped = counts["skipped"]
    assert skipped["no_consent"] > 0 and skipped["weekly_cap"] == 1
    # never the same posting twice to a graduate
    assert len({(o.graduate_id, o.position_id) for o in offers}) == len(offers)
    # only consenting graduates seeking work
    assert all(graduates[o.graduate_id].status == "seeking" for o in mine)
    assert all(graduates[o.graduate_id].consent_push for o in mine)
    # weekly cap of 3, k of 3
    per_graduate = Counter(o.graduate_id for o in offers)
    assert max(per_graduate.values()) <= settings.offers_per_week
    assert per_graduate[seeking[0]] == 3 and per_graduate[seeking[1]] == 3
    # open, unflagged postings of employers in good standing
    assert all(postings[o.position_id].status == "open" for o in mine)
    assert flagged not in {o.position_id for o in mine}
    assert blacklisted not in {postings[o.position_id].employer_id for o in mine}
    # capacity: headcount × factor (1 here) across this campaign and earlier offers
    held = Counter(o.position_id for o in offers)
    assert all(n <= max(postings[p].headcount or 1, 1) for p, n in held.items())
    # capacity was binding (the spreading itself is checked in tests/offers/test_offers.py)
    full = [p for p, n in held.items() if n == max(postings[p].headcount or 1, 1)]
    assert len(full) > 10
    assert counts["matched"] == counts["graduates_offered"] + skipped.get("capacity_full", 0)
    assert counts["graduates_offered"] < counts["offered"] <= 3 * counts["graduates_offered"]
    week_ago = datetime.now(UTC) - timedelta(days=7)
    assert all(o.created_at.replace(tzinfo=UTC) > week_ago for o in mine)
    store.close()
