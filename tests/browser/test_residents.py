"""A resident on a phone: the Get help page's first screen, and old links to its services."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SiteServer
from tests.browser.server import quiet_context
from tests.browser.walk import follow
from tests.sitebuild import REPO

pytestmark = pytest.mark.browser

SERVICE_IDS = sorted(p.stem for p in (REPO / "content" / "services").glob("*.yml"))


def _on_first_screen(box: dict | None, width: int, height: int) -> bool:
    return (box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height
            and box["x"] >= 0 and box["x"] + box["width"] <= width)


def test_first_screen_on_a_small_phone_shows_999_101_and_exit(site_server: SiteServer, browser) -> None:
    context = quiet_context(browser, viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(site_server.url("get-help/"), wait_until="networkidle")
    assert page.evaluate("window.scrollY") == 0
    for selector in ("article a[href='tel:999']", "article a[href='tel:101']", "#oscp-exit"):
        target = page.locator(selector).first
        assert target.is_visible(), selector
        assert _on_first_screen(target.bounding_box(), 360, 640), selector
    context.close()


def test_every_old_anchor_leads_to_its_service_page(site_server: SiteServer, context) -> None:
    page = context.new_page()
    for sid in SERVICE_IDS:
        page.goto(site_server.url(f"get-help/#{sid}"), wait_until="domcontentloaded")
        holder = page.locator(f"[id='{sid}']")
        assert holder.count() == 1, sid
        box = holder.locator("xpath=ancestor-or-self::div[1]")
        follow(box.locator(f"a[href$='{sid}/']").first, site_server.url(f"get-help/{sid}/"))
        assert page.locator("h1").count() == 1, sid
