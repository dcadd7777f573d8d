"""Charts draw in Chromium: on first load, after instant navigation, and on a small phone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SiteServer, watch
from tests.browser.walk import Walk, chart_facts, chart_pages, draw_charts, open_light, switch_to_dark, walk_context

pytestmark = pytest.mark.browser


def test_every_chart_draws_an_labelled_svg(site_walk: Walk) -> None:
    drawn = [v for v in site_walk.visits if v.has_charts]
    assert len(drawn) >= 20
    problems = []
    for visit in drawn:
        problems += visit.errors  # a chart that never drew, in either palette
        for chart in visit.charts:
            if not (chart["width"] > 0 and chart["height"] > 0):
                problems.append(f"{visit.path}: empty chart {chart}")
            if not (chart["role"] == "img" and chart["label"]):
                problems.append(f"{visit.path}: chart without role and label {chart}")
            if chart["modebar"] != 0:
                problems.append(f"{visit.path}: chart with a toolbar {chart}")
        problems += [f"{visit.path}: console error: {e}" for e in visit.log.console_errors]
        problems += [f"{visit.path}: failed request: {f}" for f in visit.log.failed]
    assert problems == []


def test_no_plotly_request_on_pages_without_charts(site_walk: Walk) -> None:
    without = [v for v in site_walk.visits if not v.has_charts]
    assert len(without) > 10
    assert [f"{v.path}: {u}" for v in without for u in v.log.requests if "plotly" in u] == []


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
    draw_charts(page)
    assert chart_facts(page)[0]["width"] > 0
    # and on to another chart page, still without a reload
    page.locator("nav.md-nav--primary a", has_text="Data").first.click()
    page.wait_for_url(site_server.url("data/"))
    page.locator("article a", has_text="Fall in crime in Oxford").first.click()
    page.wait_for_url(site_server.url("data/crime-reductions-1998-2010/"))
    assert page.evaluate("window.__sameDocument") is True
    draw_charts(page)
    assert chart_facts(page)[0]["width"] > 0
    assert log.console_errors == []


def test_no_sideways_scroll_at_360px(site_server: SiteServer, browser) -> None:
    """Each chart page at 360 px wide, light then switched to dark, is no wider than the screen."""
    context = walk_context(browser, viewport={"width": 360, "height": 740})
    page = context.new_page()
    pages = chart_pages(site_server)
    assert len(pages) >= 20
    wide = []
    for path in pages:
        open_light(page, site_server.url(path))
        for scheme in ("light", "dark"):
            if scheme == "dark":
                switch_to_dark(page)
            draw_charts(page)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 360:
                wide.append(f"{path} [{scheme}]: {width}px")
    context.close()
    assert wide == []
