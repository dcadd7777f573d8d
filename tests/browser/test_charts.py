"""Charts draw in Chromium: on first load, after instant navigation, and on a small phone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SiteServer, watch
from tests.browser.walk import PHONE, SCHEMES, Walk, chart_facts, chart_pages, draw_charts, follow, follow_to_chart_page

pytestmark = pytest.mark.browser


def test_every_chart_draws_an_labelled_svg(site_walk: Walk, site_server: SiteServer) -> None:
    with_charts = set(chart_pages(site_server))
    assert len(with_charts) >= 20
    drawn = [v for v in site_walk.visits if v.has_charts]
    assert {v.path for v in drawn} == with_charts & {v.path for v in site_walk.visits}
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
    follow_to_chart_page(page, site_server)
    draw_charts(page)
    assert chart_facts(page)[0]["width"] > 0
    # and on to another chart page, still without a reload
    follow(page.locator("nav.md-nav--primary a", has_text="Data").first, site_server.url("data/"))
    follow(page.locator("article a", has_text="Fall in crime in Oxford").first,
           site_server.url("data/crime-reductions-1998-2010/"))
    assert page.evaluate("window.__sameDocument") is True
    draw_charts(page)
    assert chart_facts(page)[0]["width"] > 0
    assert log.console_errors == []


def test_no_sideways_scroll_at_360px(site_walk: Walk) -> None:
    """Each chart page narrowed to 360 px, in dark and switched back to light, is no wider than the screen."""
    phone = [v for v in site_walk.visits if v.has_charts]
    problems = [f"{v.path}: measured in {sorted(v.phone_widths)} only; {v.errors}"
                for v in phone if sorted(v.phone_widths) != sorted(SCHEMES)]
    problems += [f"{v.path} [{scheme}]: {width}px" for v in phone for scheme, width in v.phone_widths.items()
                 if width > PHONE["width"]]
    assert len(phone) >= 20
    assert problems == []
