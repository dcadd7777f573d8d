"""The security policy in the browser: nothing the site itself does is blocked, an injected
inline script is, and leaving through Exit this page tells the next site nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Route

from tests.browser.conftest import SiteServer
from tests.browser.walk import RECORD_VIOLATIONS, Walk, draw_charts, follow_to_chart_page, violations

pytestmark = pytest.mark.browser

EXIT_URL = "https://www.bbc.co.uk/weather"


def test_no_page_breaks_the_policy(site_walk: Walk) -> None:
    """Every page, in both palettes with its charts drawn (the walk): no violation."""
    assert [v for visit in site_walk.visits for v in visit.violations] == []


def test_search_and_instant_navigation_break_no_policy(site_server: SiteServer,
                                                      search_context: BrowserContext) -> None:
    search_context.add_init_script(RECORD_VIOLATIONS)
    page = search_context.new_page()
    follow_to_chart_page(page, site_server)
    draw_charts(page)
    box = page.locator("input[data-md-component='search-query']")
    box.click()
    page.wait_for_function("() => document.querySelector('.md-search-result__meta')"
                           ".textContent.startsWith('Type to start')")  # the search worker is ready
    box.fill("domestic abuse")
    box.press("End")  # material reads the box on keyup
    page.wait_for_selector(".md-search-result__item")
    assert violations(page) == []


def test_an_injected_inline_script_is_blocked(site_server: SiteServer, context: BrowserContext) -> None:
    def inject(route: Route) -> None:
        response = route.fetch()
        body = response.text().replace("</body>", "<script>window.__injected = true;</script></body>")
        route.fulfill(response=response, body=body)

    context.add_init_script(RECORD_VIOLATIONS)
    context.route(site_server.url("about/"), inject)
    page = context.new_page()
    page.goto(site_server.url("about/"))
    page.wait_for_load_state("load")
    assert page.evaluate("window.__injected === true") is False
    assert any(v.startswith("script-src") for v in violations(page)), violations(page)


def test_exit_this_page_sends_no_referrer(site_server: SiteServer, context: BrowserContext) -> None:
    sent: list[dict[str, str]] = []

    def neutral_site(route: Route) -> None:
        sent.append(route.request.all_headers())
        route.fulfill(body="<title>BBC Weather</title>", content_type="text/html")

    context.route("https://www.bbc.co.uk/**", neutral_site)
    page = context.new_page()
    page.goto(site_server.url("get-help/"))
    page.locator("[data-oscp-exit]").first.click()
    page.wait_for_url(EXIT_URL)
    assert sent, "Exit this page made no request"
    assert all("referer" not in {k.lower() for k in headers} for headers in sent), sent
