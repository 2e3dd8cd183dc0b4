"""The adviser console in a real browser (issue 8): Playwright drives Debian's Chromium headless
against the app served by uvicorn on the loopback address, over generated Chongqing data and
the default encoder. An adviser signs in, opens a graduate without a plan, generates it, swaps
a recommended posting, marks guidance done, pushes the traineeship as an offer and records an
outcome; the dashboard follows. A graduate of another caseload gets a clear 403 page.

Screenshots go to ``tmp_path`` (and to ``$MATCHER_SCREENSHOTS_DIR`` when set, which is how
``docs/screenshots/`` is made)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from api.app import create_app
from matcher.access import Role
from matcher.datasets import generate
from matcher.ingest.files import ingest_folder
from matcher.plans.advisers import assign_advisers
from matcher.plans.build import consents
from matcher.store import Store
from matcher.store.campaigns import segment_ids
from matcher.store.keys import ApiKeys
from matcher.text.encoders import load_encoder

CHROMIUM = "/usr/bin/chromium"
playwright = pytest.importorskip("playwright.sync_api")


def _chromium() -> str:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI must install Debian's chromium (see .ci/run)")
        pytest.skip("Debian's chromium is not installed: apt-get install chromium")
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Generated data (about 3% of graduates in support groups, given district advisers),
    served on 127.0.0.1 with the worker thread."""
    from matcher.config import Settings

    folder = tmp_path_factory.mktemp("console")
    generate(folder / "data", scale=600, graduates=1200, seed=11, as_of=date.today())
    settings = Settings.from_env(env={}, data_dir=folder / "var", quiet_hours="off")
    store = Store.open(settings)
    ingest_folder(store, folder / "data")
    assign_advisers(store)
    support = store.get_many("graduates", segment_ids(store, needs_support=True))
    ready = [g for g in support.values() if g.get("status") == "seeking" and consents(g)]
    target = ready[0]
    adviser = target["adviser"]
    other = next(g for g in support.values() if g.get("adviser") != adviser)
    _, key = ApiKeys(store).issue(Role.ADVISER.value, {"adviser": adviser}, "browser")
    app = create_app(settings, store, encoder=load_encoder("default"))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(600):  # the app builds its index at start-up
        if server.started:
            break
        time.sleep(0.1)
    assert server.started, "the test server did not start"
    yield {
        "url": f"http://127.0.0.1:{port}",
        "key": key,
        "graduate": target["id"],
        "other": other["id"],
        "store": store,
    }
    server.should_exit = True
    thread.join(timeout=30)
    store.close()


def _shoot(page: Any, name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    target = os.environ.get("MATCHER_SCREENSHOTS_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / path.name)


def _figures(page: Any, url: str) -> dict[str, str]:
    page.goto(f"{url}/console/dashboard")
    names = ("agreed", "done-guidance", "done-traineeship", "employment")
    return {n: page.inner_text(f"[data-testid={n}]") for n in names}


def _item(page: Any, kind: str, n: int = 0) -> Any:
    return page.locator(f"li.item[data-kind={kind}]").nth(n)


def test_an_adviser_runs_a_plan_from_the_console(site: dict[str, Any], tmp_path: Path) -> None:
    url, gid = site["url"], site["graduate"]
    sync = playwright.sync_playwright
    with sync() as p:
        browser = p.chromium.launch(
            executable_path=_chromium(), args=["--no-sandbox"], headless=True
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto(f"{url}/console")
        assert page.url.endswith("/console/login")
        _shoot(page, "login", tmp_path)
        page.fill("[data-testid=key]", "mk_wrong_key")
        page.click("[data-testid=sign-in]")
        assert "登录失败" in page.inner_text("main")
        page.fill("[data-testid=key]", site["key"])
        page.click("[data-testid=sign-in]")
        assert site["key"] not in page.url
        cookie = next(c for c in page.context.cookies() if c["name"] == "matcher_console")
        assert cookie["httpOnly"] and site["key"] not in cookie["value"]
        row = page.locator(f"tr[data-graduate={gid}]")
        assert "尚无帮扶计划" in row.inner_text()
        _shoot(page, "caseload", tmp_path)
        before = _figures(page, url)

        page.goto(f"{url}/console")
        row.locator("a").first.click()
        page.click("[data-testid=generate]")
        assert page.inner_text("[data-testid=plan-status]") == "草拟"
        kinds = page.locator("li.item").evaluate_all("els => els.map(e => e.dataset.kind)")
        assert kinds == ["guidance", "posting", "posting", "posting", "training", "traineeship"]
        page.click("[data-testid=to-agreed]")
        assert page.inner_text("[data-testid=plan-status]") == "已确认"

        first = _item(page, "posting")
        old = first.get_attribute("data-ref")
        first.locator("[data-testid=swap]").click()
        choices = page.locator("[data-testid=alternatives] input[name=ref_id]")
        assert choices.count() >= 2
        chosen = choices.nth(1).get_attribute("value")
        choices.nth(1).check()
        page.click("[data-testid=swap-confirm]")
        assert _item(page, "posting").get_attribute("data-ref") == chosen != old

        guidance = _item(page, "guidance")
        guidance.locator("[data-testid=item-status-select]").select_option("done")
        guidance.locator("[data-testid=save-status]").click()
        assert _item(page, "guidance").locator("[data-testid=item-status]").inner_text() == "已完成"
        assert page.inner_text("[data-testid=plan-status]") == "实施中"

        _item(page, "traineeship").locator("[data-testid=push]").click()
        flash = page.inner_text("[data-testid=flash]")  # no webhook here: the truth is told
        assert "已生成推送" in flash and "尚未发送" in flash
        trainee = _item(page, "traineeship")
        assert trainee.locator("[data-testid=item-status]").inner_text() == "已推送"
        assert "已记录（未发送）" in trainee.locator("[data-testid=offer-status]").inner_text()
        _shoot(page, "graduate", tmp_path)

        page.select_option("[data-testid=outcome]", "employed")
        page.click("[data-testid=close]")
        assert page.inner_text("[data-testid=plan-status]") == "已结案"
        assert page.inner_text("[data-testid=plan-outcome]") == "已就业"
        assert "已就业" in page.inner_text("[data-testid=graduate-status]")
        history = page.inner_text("[data-testid=history]")
        for action in ("生成计划", "更换", "事项状态", "推送", "计划状态"):
            assert action in history
        after = _figures(page, url)
        _shoot(page, "dashboard", tmp_path)
        for name in ("agreed", "done-guidance", "employment"):
            assert float(after[name].rstrip("%")) > float(before[name].rstrip("%")), name

        denied = page.goto(f"{url}/console/graduates/{site['other']}")
        assert denied is not None and denied.status == 403
        assert "无权查看" in page.inner_text("[data-testid=denied]")

        phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
        phone.context.add_cookies(page.context.cookies())
        for name, path in (
            ("phone-caseload", "/console"),
            ("phone-graduate", f"/console/graduates/{gid}"),
        ):
            phone.goto(f"{url}{path}")
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390 + 1, f"{path} overflows a phone screen ({width}px)"
            _shoot(phone, name, tmp_path)
        browser.close()
    offers = site["store"]
    from matcher.store.offers import Offers

    made = Offers(offers).page(graduate_ids=[gid])[0]
    assert len(made) == 1 and made[0]["created_by"].startswith("adviser:")
