"""Charts draw in Chromium: on first load, after instant navigation, and on a small phone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SiteServer, watch

pytestmark = pytest.mark.browser


def _chart_pages(site_server: SiteServer) -> list[str]:
    return [path for path in site_server.page_paths() if not path.endswith(".html")
            if 'class="oscp-chart"' in (site_server.root / path / "index.html").read_text(encoding="utf-8")]


def _drawn(page) -> list[dict]:
    """Bring each chart into view (plotly loads when a chart nears the screen) and wait for it."""
    for chart in page.locator(".oscp-chart").all():
        chart.scroll_into_view_if_needed()
    page.wait_for_function("() => [...document.querySelectorAll('.oscp-chart')]"
                           ".every(e => e.dataset.drawn === 'true')", timeout=15000)
    return page.evaluate("""() => [...document.querySelectorAll('.oscp-chart')].map(e => {
        const svg = e.querySelector('svg.main-svg');
        const box = svg.getBoundingClientRect();
        return {id: e.id, width: box.width, height: box.height,
                label: svg.getAttribute('aria-label'), role: svg.getAttribute('role'),
                modebar: e.querySelectorAll('.modebar').length};
    })""")


def test_every_chart_draws_an_labelled_svg(site_server: SiteServer, context) -> None:
    pages = _chart_pages(site_server)
    assert len(pages) >= 20
    page = context.new_page()
    log = watch(page)
    for path in pages:
        page.goto(site_server.url(path))
        for chart in _drawn(page):
            assert chart["width"] > 0 and chart["height"] > 0, (path, chart)
            assert chart["role"] == "img" and chart["label"], (path, chart)
            assert chart["modebar"] == 0
    assert log.console_errors == []
    assert log.failed == []


def test_chart_redraws_after_instant_navigation(site_server: SiteServer, context) -> None:
    page = context.new_page()
    log = watch(page)
    page.goto(site_server.url(""))
    page.evaluate("window.__sameDocument = true")
    page.locator("article a", has_text="Data").first.click()
    page.wait_for_url(site_server.url("data/"))
    page.locator("article a", has_text="Trained domestic abuse Champions").first.click()
    page.wait_for_url(site_server.url("data/domestic-abuse-champions/"))
    assert page.evaluate("window.__sameDocument") is True, "expected instant navigation, got a reload"
    assert _drawn(page)[0]["width"] > 0
    # and on to another chart page, still without a reload
    page.locator("nav.md-nav--primary a", has_text="Data").first.click()
    page.wait_for_url(site_server.url("data/"))
    page.locator("article a", has_text="Fall in crime in Oxford").first.click()
    page.wait_for_url(site_server.url("data/crime-reductions-1998-2010/"))
    assert page.evaluate("window.__sameDocument") is True
    assert _drawn(page)[0]["width"] > 0
    assert log.console_errors == []


def test_no_plotly_request_on_pages_without_charts(site_server: SiteServer, context) -> None:
    page = context.new_page()
    log = watch(page)
    for path in ["", "get-help/", "programmes/nightsafe/", "priorities/"]:
        page.goto(site_server.url(path), wait_until="networkidle")
    assert not [u for u in log.requests if "plotly" in u]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_sideways_scroll_at_360px(site_server: SiteServer, browser, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, color_scheme=scheme)
    page = context.new_page()
    wide = []
    for path in _chart_pages(site_server):
        page.goto(site_server.url(path))
        _drawn(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            wide.append(f"{path}: {width}px")
    context.close()
    assert wide == []
