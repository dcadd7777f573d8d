"""A resident on a phone: the Get help page's first screen, old links to its services, and at
360 x 740 the header (the site's name whole, Exit never covered by the search) and phone and
text links big enough to tap (44 x 44 CSS px, WCAG 2.5.5)."""

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


PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
TAP = 44  # CSS px, WCAG 2.5.5 (Target Size, enhanced)


def _help_pages() -> list[str]:
    """The pages a resident in need lands on: home, the help hubs, every service and programme."""
    services = [f"get-help/{p.stem}/" for p in sorted((REPO / "content" / "services").glob("*.yml"))]
    programmes = [f"programmes/{p.stem}/" for p in sorted((REPO / "content" / "programmes").glob("*.yml"))]
    return ["", "find-help/", "get-help/", *services, *programmes]


def test_every_phone_and_text_link_is_big_enough_to_tap(site_server: SiteServer, browser) -> None:
    context = quiet_context(browser, **PHONE)
    page = context.new_page()
    small = []
    for path in _help_pages():
        page.goto(site_server.url(path), wait_until="domcontentloaded")
        for link in page.locator("a[href^='tel:'], a[href^='sms:']").all():
            box = link.bounding_box()
            if box is not None and (box["width"] < TAP or box["height"] < TAP):
                small.append(f"{path or 'home'}: {link.get_attribute('href')} is "
                             f"{box['width']:.0f} x {box['height']:.0f}")
    context.close()
    assert not small, "\n".join(small)


_COVERS = """() => {
  const exit = document.querySelector('#oscp-exit').getBoundingClientRect();
  const points = [[0.5, 0.5], [0.1, 0.2], [0.9, 0.8]].map(([x, y]) =>
    document.elementFromPoint(exit.x + exit.width * x, exit.y + exit.height * y));
  return {box: [exit.x, exit.y, exit.width, exit.height],
          hidden: points.filter(e => !(e && e.closest('#oscp-exit'))).map(e => e ? e.className : null)};
}"""


@pytest.mark.parametrize("width, height", [(360, 740), (800, 1000), (1280, 800)])
def test_opening_the_search_never_covers_exit(site_server: SiteServer, browser, width: int, height: int) -> None:
    context = quiet_context(browser, viewport={"width": width, "height": height}, is_mobile=width < 600,
                            has_touch=width < 600)
    page = context.new_page()
    for path in ("", "get-help/"):
        page.goto(site_server.url(path), wait_until="networkidle")
        page.locator("input[data-md-component='search-query']").focus() if width >= 960 else \
            page.locator("label.md-header__button[for='__search']").click()
        page.wait_for_timeout(400)  # material's opening transition
        page.keyboard.type("help")
        page.wait_for_timeout(300)
        found = page.evaluate(_COVERS)
        x, y, w, h = found["box"]
        assert 0 <= x and x + w <= width and 0 <= y and y + h <= height, f"{path}: Exit is off screen: {found}"
        assert not found["hidden"], f"{path or 'home'} at {width}px: the open search covers Exit: {found}"
        page.locator("#oscp-exit").click(trial=True)  # it can still be tapped
    context.close()


def test_the_site_name_is_not_cut_off_on_a_phone(site_server: SiteServer, browser) -> None:
    context = quiet_context(browser, **PHONE)
    page = context.new_page()
    page.goto(site_server.url(""), wait_until="networkidle")
    name = page.locator(".md-header__topic").first.locator(".md-ellipsis")
    assert " ".join(name.inner_text().split()) == "Safer Oxford"
    fits = name.evaluate("e => e.scrollWidth <= e.clientWidth + 1 && e.scrollHeight <= e.clientHeight + 1")
    box = name.bounding_box()
    assert fits and box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360, box
    context.close()
