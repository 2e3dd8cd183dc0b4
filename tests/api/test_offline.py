"""An offline intranet (issue 15, point 16): /docs loads Swagger UI from the installed package,
not a CDN; the monthly report refuses to draw Chinese labels as boxes; times people read are
China time."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from matcher.analytics import charts, render
from matcher.text.encoders import FakeEncoder


def test_the_api_docs_need_no_internet(settings, store):
    with TestClient(create_app(settings.replace(api_worker=False), store, FakeEncoder(8))) as c:
        page = c.get("/docs")
        assert page.status_code == 200
        assert "/docs-assets/swagger-ui-bundle.js" in page.text
        assert (
            "cdn." not in page.text and "http" not in page.text.split("<body>")[1].split("url:")[0]
        )
        script = c.get("/docs-assets/swagger-ui-bundle.js")
        assert script.status_code == 200 and len(script.content) > 100_000
        assert c.get("/docs-assets/swagger-ui.css").status_code == 200
        assert c.get("/openapi.json").status_code == 200


def test_a_report_without_a_chinese_font_fails_loudly_and_keeps_the_figures(tmp_path, monkeypatch):
    monkeypatch.setattr(charts, "cjk_font", lambda: None)
    report = {"month": "2026-11", "generated_at": "2026-12-01T01:00:00+00:00"}
    monkeypatch.setattr(render, "sections", lambda _: [render.Section("图", [_chart()])])
    with pytest.raises(charts.MissingFont) as info:
        render.write_report(report, tmp_path)
    assert "fonts-noto-cjk" in str(info.value) and "中文字体" in info.value.zh
    assert (tmp_path / "monthly-2026-11.json").is_file()
    assert not list(tmp_path.glob("*.html"))


def _chart() -> render.Chart:
    return render.Chart("c", "图", lambda: b"")


def test_report_times_are_china_time():
    assert render.local_time("2026-12-01T01:30:00+00:00") == "2026-12-01 09:30（北京时间）"
