"""The adviser console in a real browser (issue 8): Playwright drives Debian's Chromium headless
against the app served by uvicorn on the loopback address, over generated Chongqing data and
the default encoder. An adviser signs in, opens a graduate without a plan, generates it, swaps
a recommended posting, marks guidance done, pushes the traineeship as an offer and records an
outcome; the dashboard follows. A graduate of another caseload gets a clear 403 page.

Screenshots go to ``tmp_path`` (and to ``$MATCHER_SCREENSHOTS_DIR`` when set, which is how
``docs/screenshots/`` is made)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from matcher.access import Role
from matcher.store.keys import ApiKeys
from matcher.text.encoders import load_encoder
from tests.web.browser import chromium, fits, generated, served, shoot

playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Generated data (about 3% of graduates in support groups, given district advisers),
    served on 127.0.0.1 with the worker thread."""
    settings, store, support = generated(tmp_path_factory.mktemp("console"))
    target = support[0]
    adviser = target["adviser"]
    other = next(g for g in support if g.get("adviser") != adviser)
    _, key = ApiKeys(store).issue(Role.ADVISER.value, {"adviser": adviser}, "browser")
    app = create_app(settings, store, encoder=load_encoder("default"))
    with served(app) as url:
        yield {
            "url": url,
            "key": key,
            "graduate": target["id"],
            "other": other["id"],
            "store": store,
        }
    store.close()


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
            executable_path=chromium(), args=["--no-sandbox"], headless=True
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto(f"{url}/console")
        assert page.url.endswith("/console/login")
        shoot(page, "login", tmp_path)
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
        shoot(page, "caseload", tmp_path)
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
        shoot(page, "graduate", tmp_path)

        page.select_option("[data-testid=outcome]", "employed")
        page.click("[data-testid=close]")
        assert page.inner_text("[data-testid=plan-status]") == "已结案"
        assert page.inner_text("[data-testid=plan-outcome]") == "已就业"
        assert "已就业" in page.inner_text("[data-testid=graduate-status]")
        history = page.inner_text("[data-testid=history]")
        for action in ("生成计划", "更换", "事项状态", "推送", "计划状态"):
            assert action in history
        after = _figures(page, url)
        shoot(page, "dashboard", tmp_path)
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
            fits(phone, 390)
            shoot(phone, name, tmp_path)
        browser.close()
    offers = site["store"]
    from matcher.store.offers import Offers

    made = Offers(offers).page(graduate_ids=[gid])[0]
    assert len(made) == 1 and made[0]["created_by"].startswith("adviser:")
