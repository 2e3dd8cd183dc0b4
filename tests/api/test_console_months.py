"""The adviser console shows a graduate's monthly record and a university report that
disagrees with it, and lists such graduates under the caseload's alert filter (issue 17)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient

from api.app import create_app
from matcher.records.prepare import prepare
from matcher.store import destinations
from matcher.store.keys import ApiKeys
from matcher.store.partners import Partners
from matcher.text.encoders import FakeEncoder
from matcher.types import REPORT_TZ
from tests.conftest import UNIVERSITY, graduate


def test_the_console_shows_months_and_a_disagreeing_report(settings, store) -> None:
    Partners(store).add(UNIVERSITY, "test", partner_id="pt-a")
    record = graduate("g-1", name="周敏", adviser="a-1", support=["disabled"], partner="pt-a")
    store.upsert("graduates", [prepare("graduates", record)], source="import")
    store.revise("graduates", "g-1", {"status": "further_study"}, source="graduate:k1")
    month = datetime.now(UTC).astimezone(REPORT_TZ).strftime("%Y-%m")
    done = destinations.report(
        store, "pt-a", month, [{"id": "g-1", "status": "seeking"}], "partner:pt-a"
    )
    assert done.disagreements == 1
    _, key = ApiKeys(store).issue("adviser", {"adviser": "a-1"}, "test adviser")
    s = settings.replace(api_worker=False)
    with TestClient(create_app(s, store, encoder=FakeEncoder(32))) as client:
        assert client.post("/console/login", data={"key": key}).status_code in (200, 303)
        page = client.get("/console/graduates/g-1").text
        assert 'data-testid="months"' in page and month in page
        warning = page.split('data-testid="disagreement">', 1)[1].split("</p>", 1)[0]
        assert "高校报告为“求职中”" in warning and "本人记录的“升学”" in warning
        listed = client.get("/console?alert=disagreement").text
        assert "周敏" in listed and "高校报告的去向与记录不一致" in listed
        assert "周敏" not in client.get("/console?alert=fell_back").text
