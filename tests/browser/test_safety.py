"""Residents' safety: Exit this page, privacy, and the site without JavaScript."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SiteServer, quiet_context, watch
from tests.browser.walk import Walk

pytestmark = pytest.mark.browser

EXIT_URL = "https://www.bbc.co.uk/weather"
#: True once the page has scrolled and stopped (two animation frames at the same place).
SCROLLED_TO_REST = """() => new Promise(done => {
  const y = window.scrollY;
  requestAnimationFrame(() => requestAnimationFrame(() => done(y > 0 && window.scrollY === y)));
})"""


@pytest.fixture
def exit_context(browser):
    """A browser context in which the neutral exit site is answered locally, offline."""
    context = quiet_context(browser)
    context.route("https://www.bbc.co.uk/**",
                  lambda route: route.fulfill(body="<title>BBC Weather</title>", content_type="text/html"))
    yield context
    context.close()


def _storage_left(page, server: SiteServer) -> list[str]:
    """What our origin has stored, read from a plain file so that no page script runs first."""
    page.goto(server.url("sitemap.xml"))
    return page.evaluate("Object.keys(localStorage).concat(Object.keys(sessionStorage))")


def test_exit_button_is_on_every_page_and_links_to_a_neutral_site(site_walk: Walk) -> None:
    problems = []
    for visit in site_walk.visits:
        exit_link = visit.exit
        if exit_link["href"] != EXIT_URL:
            problems.append(f"{visit.path}: Exit this page links to {exit_link['href']!r}")
        # material's instant navigation makes hrefs absolute
        if len(exit_link["skips"]) != 1 or not exit_link["skips"][0].endswith("#oscp-exit"):
            problems.append(f"{visit.path}: skip links to Exit this page: {exit_link['skips']}")
        if not ("Call 999" in (exit_link["banner"] or "") and "press 55" in (exit_link["banner"] or "")):
            problems.append(f"{visit.path}: emergency line reads {exit_link['banner']!r}")
    assert problems == []


def test_exit_button_stays_on_screen_on_a_small_phone(site_server: SiteServer, browser) -> None:
    context = quiet_context(browser, viewport={"width": 360, "height": 640})
    page = context.new_page()
    page.goto(site_server.url("programmes/anti-social-behaviour/"))
    page.mouse.wheel(0, 3000)
    page.wait_for_function(SCROLLED_TO_REST)
    box = page.locator("#oscp-exit").bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 640
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    context.close()


def test_clicking_exit_clears_storage_and_replaces_history(site_server: SiteServer, exit_context) -> None:
    page = exit_context.new_page()
    page.goto(site_server.url(""))
    page.goto(site_server.url("programmes/domestic-abuse/"))
    page.evaluate("localStorage.setItem('x', '1'); sessionStorage.setItem('y', '2')")
    page.locator("#oscp-exit").click()
    page.wait_for_url(EXIT_URL)
    assert _storage_left(page, site_server) == []
    page.go_back()  # back from the storage check to the neutral site
    page.go_back()
    page.wait_for_load_state()
    # the domestic abuse page was replaced in history: Back leads to the page before it
    assert page.url == site_server.url("")


def test_shift_three_times_exits_with_announcements(site_server: SiteServer, exit_context) -> None:
    page = exit_context.new_page()
    page.goto(site_server.url("get-help/"))
    page.evaluate("localStorage.setItem('x', '1'); sessionStorage.setItem('y', '2')")
    status = page.locator("[data-oscp-exit-status]")
    assert status.get_attribute("aria-live") == "polite"
    page.keyboard.press("Shift")
    assert status.inner_text() == "Shift, press 2 more times to exit."
    page.keyboard.press("Shift")
    assert status.inner_text() == "Shift, press 1 more time to exit."
    page.keyboard.press("Shift")
    page.wait_for_url(EXIT_URL)
    assert _storage_left(page, site_server) == []


def test_shift_presses_expire_after_five_seconds(site_server: SiteServer, exit_context) -> None:
    page = exit_context.new_page()
    page.clock.install()
    page.goto(site_server.url(""))
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.clock.run_for(5100)
    assert page.locator("[data-oscp-exit-status]").inner_text() == "Exit this page expired."
    page.keyboard.press("Shift")
    assert page.url == site_server.url("")


def test_palette_choice_is_cleared_on_exit(site_server: SiteServer, exit_context) -> None:
    page = exit_context.new_page()
    page.goto(site_server.url(""))
    page.locator("label[for='__palette_1']").click()
    assert page.evaluate("Object.keys(localStorage)") != []
    page.locator("#oscp-exit").click()
    page.wait_for_url(EXIT_URL)
    assert _storage_left(page, site_server) == []


def test_no_cookies_and_no_foreign_requests_across_the_site(site_walk: Walk) -> None:
    assert site_walk.cookies == []
    assert site_walk.foreign_requests() == []
    assert [v.path for v in site_walk.visits if v.document_cookie] == []


def test_searching_sets_no_cookie_and_stays_on_this_site(site_server: SiteServer, search_context) -> None:
    context = search_context
    page = context.new_page()
    log = watch(page)
    page.goto(site_server.url(""), wait_until="networkidle")
    box = page.locator("input[data-md-component='search-query']")
    box.click()
    box.press_sequentially("domestic abuse", delay=10)
    # the results of this query (material writes the count when the worker answers it)
    page.wait_for_function("""() => document.querySelector('.md-search-result__meta').textContent
                              .includes('matching')""")
    assert page.locator(".md-search-result__item").count() > 0
    assert "domestic" not in page.url
    assert context.cookies() == []
    assert log.foreign(site_server.origin) == []
    assert page.evaluate("document.cookie") == ""


def test_site_works_without_javascript(site_server: SiteServer, browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_server.url(""))
    assert page.locator("#oscp-exit").get_attribute("href") == EXIT_URL
    # navigation: follow links from home to a programme
    page.locator("article a[href='find-help/']").first.click()
    page.wait_for_url(site_server.url("find-help/"))
    page.locator("article a", has_text="NightSafe").first.click()
    page.wait_for_url(site_server.url("programmes/nightsafe/"))
    assert "NightSafe" in page.locator("h1").inner_text()
    page.goto(site_server.url("programmes/anti-social-behaviour/"))
    assert page.locator("article table").first.is_visible()
    # the sidebar navigation is present and usable
    page.locator("nav.md-nav--primary a", has_text="Get help").first.click()
    page.wait_for_url(site_server.url("get-help/"))
    assert page.locator("h2#emergency-999").is_visible()
    # a data table is visible
    page.goto(site_server.url("data/asbit-cases-by-month-2022/"))
    assert page.locator("article table tr").count() == 13
    # the exit link is an ordinary link to the neutral site
    context.route("https://www.bbc.co.uk/**",
                  lambda route: route.fulfill(body="<title>BBC Weather</title>", content_type="text/html"))
    page.locator("#oscp-exit").click()
    page.wait_for_url(EXIT_URL)
    context.close()


def test_keyboard_only_walk(site_server: SiteServer, exit_context) -> None:
    """Home, then find help, then a programme, then exit, with the keyboard alone."""
    page = exit_context.new_page()
    page.goto(site_server.url(""))

    def tab_to(text: str, limit: int = 80) -> None:
        seen = []
        for _ in range(limit):
            page.keyboard.press("Tab")
            focused = page.evaluate("document.activeElement.textContent.trim()")
            seen.append(focused[:40])
            if focused == text:
                return
        raise AssertionError(f"could not reach {text!r} with Tab; {seen}")

    def arrived(path: str, title: str) -> None:
        page.wait_for_url(site_server.url(path))
        # page-change.js has reset focus to the top and announced the new page
        page.wait_for_function("title => document.querySelector('[data-oscp-page-status]').textContent"
                               ".startsWith(title)", arg=title)

    tab_to("find help by situation")
    page.keyboard.press("Enter")
    arrived("find-help/", "Find help")
    tab_to("NightSafe")
    page.keyboard.press("Enter")
    arrived("programmes/nightsafe/", "NightSafe")
    tab_to("Skip to Exit this page button", limit=5)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "oscp-exit" or \
        page.evaluate("location.hash") == "#oscp-exit"
    page.locator("#oscp-exit").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(EXIT_URL)
