"""A graduate's own pages on a phone (issue 16): Playwright drives Debian's Chromium at 390×844
against the app served by uvicorn, over generated Chongqing data and the default encoder. An
adviser drafts the graduate's plan, pushes one posting and issues a sign-in link through the
API; the graduate opens the link, uploads a Word and a PDF résumé (written for the test),
corrects a parsed field and saves, sees recommendations with reasons, dismisses one (gone after
reload), applies to the offer, reads the plan, downloads their data and erases the profile.

Screenshots of each page go to ``tmp_path`` (and ``$MATCHER_SCREENSHOTS_DIR``)."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.app import create_app
from benchmarks.resumes import render
from benchmarks.resumes.compose import Resume, compose
from benchmarks.resumes.profiles import FIELDS
from matcher.access import Role
from matcher.store.keys import ApiKeys
from matcher.text.encoders import load_encoder
from tests.web.browser import chromium, fits, generated, served, shoot

playwright = pytest.importorskip("playwright.sync_api")
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    settings, store, support = generated(tmp_path_factory.mktemp("graduate"))
    target = support[0]
    _, key = ApiKeys(store).issue(Role.ADVISER.value, {"adviser": target["adviser"]}, "browser")
    app = create_app(settings, store, encoder=load_encoder("default"))
    with served(app) as url:
        api = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=60)
        plan = api.post("/plans", json={"graduate_id": target["id"]})
        assert plan.status_code == 201, plan.text
        posting = next(i for i in plan.json()["items"] if i["kind"] == "posting")
        pushed = api.post(f"/plans/{plan.json()['id']}/items/{posting['id']}/offer", json={})
        assert pushed.status_code == 201, pushed.text
        links = [api.post(f"/graduates/{target['id']}/links") for _ in range(2)]
        assert all(link.status_code == 201 for link in links), links[0].text
        yield {
            "url": url,
            "links": [link.json()["url"] for link in links],
            "graduate": target["id"],
            "offer": pushed.json()["offer"]["id"],
            "store": store,
        }
        api.close()
    store.close()


def _resume(major: str, seed: int) -> Resume:
    return compose(next(f for f in FIELDS if f.key == major), random.Random(seed))


def _parse(page: Any, path: Path) -> None:
    page.goto(page.url.split("/me", 1)[0] + "/me/resume")
    page.set_input_files("[data-testid=file]", str(path))
    page.click("[data-testid=parse]")
    assert page.locator("[data-testid=save-resume]").count() == 1, page.inner_text("main")


def _matches(page: Any) -> list[str]:
    ids = page.locator("[data-testid=match]").evaluate_all("els => els.map(e => e.dataset.id)")
    return list(ids)


def test_a_graduate_uses_their_pages_on_a_phone(site: dict[str, Any], tmp_path: Path) -> None:
    url = site["url"]
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        page = browser.new_page(viewport=PHONE, locale="zh-CN", accept_downloads=True)

        first, second = site["links"]
        page.goto(first)
        assert page.url == f"{url}/me"
        assert first.rsplit("/", 1)[1] not in str(page.context.cookies())
        matches = _matches(page)
        assert len(matches) >= 3
        reasons = page.locator("[data-testid=match] .reasons li")
        assert reasons.count() >= len(matches) and reasons.first.inner_text().strip()
        fits(page, PHONE["width"])
        shoot(page, "me-recommendations", tmp_path)

        # a used link does not open again, even in another browser
        stranger = browser.new_page(viewport=PHONE, locale="zh-CN")
        used = stranger.goto(first)
        assert used is not None and used.status == 410
        assert "链接" in stranger.inner_text("[data-testid=message]")
        stranger.close()

        # a Word résumé (a table template): the major and degree are read; the school corrected
        word = _resume("accounting", 7)
        docx = tmp_path / "简历.docx"
        render.docx_table(word, docx)
        _parse(page, docx)
        assert page.input_value("[data-testid=f-major]") == word.truth["major"]
        assert page.input_value("[data-testid=f-degree]") == word.truth["degree"]
        fits(page, PHONE["width"])
        shoot(page, "me-resume-draft", tmp_path)
        page.fill("[data-testid=f-school]", "重庆工商大学")
        page.click("[data-testid=save-resume]")
        assert "保存" in page.inner_text("[data-testid=flash]")
        page.goto(f"{url}/me/data")
        assert page.inner_text("[data-testid=school]") == "重庆工商大学"
        assert page.inner_text("[data-testid=major]") == word.truth["major"]

        # a PDF résumé of another major, saved as read
        pdf_resume = _resume("nursing", 3)
        pdf = tmp_path / "resume.pdf"
        render.pdf_one_column(pdf_resume, pdf)
        _parse(page, pdf)
        assert page.input_value("[data-testid=f-major]") == pdf_resume.truth["major"]
        assert page.input_value("[data-testid=f-year]") == str(pdf_resume.truth["graduation_year"])
        page.click("[data-testid=save-resume]")
        page.goto(f"{url}/me/data")
        assert page.inner_text("[data-testid=major]") == pdf_resume.truth["major"]
        page.check("[data-testid=w-kind-traineeship]")  # the wishes the résumé gave, plus 见习
        page.click("[data-testid=w-save]")
        assert page.inner_text("[data-testid=flash]") == "求职意向已保存"
        assert page.is_checked("[data-testid=w-kind-traineeship]")
        fits(page, PHONE["width"])
        shoot(page, "me-data", tmp_path)

        # dismiss one recommendation, with a reason: gone after a reload
        page.goto(f"{url}/me")
        shown = _matches(page)
        card = page.locator("[data-testid=match]").first
        card.locator("[data-testid=dismiss-open]").click()
        card.locator("[data-testid=reason]").fill("离家太远")
        card.locator("[data-testid=dismiss]").click()
        assert "不感兴趣" in page.inner_text("[data-testid=flash]")
        page.reload()
        assert shown[0] not in _matches(page)
        page.goto(f"{url}/me/positions/{_matches(page)[0]}")
        assert page.inner_text("[data-testid=title]").strip()
        fits(page, PHONE["width"])
        shoot(page, "me-position", tmp_path)

        # the offer pushed by the adviser: open the inbox and apply
        page.goto(f"{url}/me/offers")
        offer = page.locator(f"[data-testid=offer][data-id={site['offer']}]")
        assert offer.count() == 1
        offer.locator("[data-testid=offer-apply]").click()
        offer = page.locator(f"[data-testid=offer][data-id={site['offer']}]")
        assert offer.locator("[data-testid=offer-status]").inner_text() == "已投递"
        fits(page, PHONE["width"])
        shoot(page, "me-offers", tmp_path)

        page.goto(f"{url}/me/plan")
        kinds = page.locator("[data-testid=plan-item]").evaluate_all(
            "els => els.map(e => e.dataset.kind)"
        )
        assert kinds == ["guidance", "posting", "posting", "posting", "training", "traineeship"]
        assert "就业服务窗口" in page.inner_text("[data-testid=contact]")
        assert page.get_attribute("[data-testid=contact-phone]", "href") == "tel:12333"
        fits(page, PHONE["width"])
        shoot(page, "me-plan", tmp_path)

        # large system fonts: the pages still fit a 360 px screen with text at 200%
        narrow = browser.new_page(viewport={"width": 360, "height": 780}, locale="zh-CN")
        narrow.context.add_cookies(page.context.cookies())
        for path in ("/me", "/me/offers", "/me/plan", "/me/data", "/me/resume"):
            narrow.goto(f"{url}{path}")
            narrow.add_style_tag(content="html { font-size: 200%; }")
            fits(narrow, 360)
        narrow.close()

        page.goto(f"{url}/me/data")
        with page.expect_download() as download:
            page.click("[data-testid=download]")
        held = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
        assert held["profile"]["id"] == site["graduate"]
        assert held["profile"]["major"] == pdf_resume.truth["major"]
        assert any(o["id"] == site["offer"] for o in held["offers"])

        page.fill("[data-testid=erase-confirm]", "删除")
        page.click("[data-testid=erase]")
        assert "删除" in page.inner_text("[data-testid=message]")
        assert page.inner_text("[data-testid=kept]").strip()
        fits(page, PHONE["width"])
        shoot(page, "me-erased", tmp_path)
        gone = page.goto(f"{url}/me")
        assert gone is not None and gone.status == 401

        # the second link was revoked by the erasure
        after = browser.new_page(viewport=PHONE, locale="zh-CN")
        revoked = after.goto(second)
        assert revoked is not None and revoked.status == 410
        browser.close()
    left = site["store"].get("graduates", site["graduate"])
    assert left.get("erased_at") and not left.get("major") and not left.get("skills")
