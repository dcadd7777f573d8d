"""The security policy in the browser: nothing the site itself does is blocked, an injected
inline script is, and leaving through Exit this page tells the next site nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, Route

from tests.browser.conftest import SiteServer

pytestmark = pytest.mark.browser

#: records every policy violation in the page, from before any of its scripts runs
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI + " " + location.pathname);
});
"""
EXIT_URL = "https://www.bbc.co.uk/weather"


def _violations(page: Page) -> list[str]:
    return page.evaluate("window.__violations || []")


def _draw_charts(page: Page) -> None:
    charts = page.locator(".oscp-chart")
    for i in range(charts.count()):
        charts.nth(i).scroll_into_view_if_needed()
        page.wait_for_selector(f".oscp-chart >> nth={i}", state="attached")
        page.wait_for_function("el => el.dataset.drawn === 'true'", arg=charts.nth(i).element_handle())


def test_no_page_breaks_the_policy(site_server: SiteServer, context: BrowserContext) -> None:
    """Every page, with its charts drawn, then search and instant navigation: no violation."""
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    found: list[str] = []
    for path in site_server.page_paths():
        page.goto(site_server.url(path))
        page.wait_for_load_state("load")
        if page.locator(".oscp-chart").count():
            _draw_charts(page)
        found += _violations(page)
    page.goto(site_server.url(""))
    page.evaluate("window.__sameDocument = true")
    page.locator("article a", has_text="Data").first.click()
    page.wait_for_url(site_server.url("data/"))
    page.locator("article a", has_text="Trained domestic abuse Champions").first.click()
    page.wait_for_url(site_server.url("data/domestic-abuse-champions/"))
    assert page.evaluate("window.__sameDocument") is True, "expected instant navigation, got a reload"
    _draw_charts(page)
    box = page.locator("input[data-md-component='search-query']")
    box.click()
    page.wait_for_function("() => document.querySelector('.md-search-result__meta')"
                           ".textContent.startsWith('Type to start')")  # the search worker is ready
    box.fill("domestic abuse")
    box.press("End")  # material reads the box on keyup
    page.wait_for_selector(".md-search-result__item")
    found += _violations(page)
    assert found == []


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
    assert any(v.startswith("script-src") for v in _violations(page)), _violations(page)


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
