"""Every page of the real site loads in Chromium cleanly and privately."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SiteServer, watch

pytestmark = pytest.mark.browser


def test_every_page_loads_without_errors(site_server: SiteServer, context) -> None:
    page = context.new_page()
    log = watch(page)
    paths = site_server.page_paths()
    assert len(paths) > 10
    problems = []
    for path in paths:
        if path == "404.html":
            continue
        log.console_errors.clear()
        log.failed.clear()
        response = page.goto(site_server.url(path), wait_until="networkidle")
        if response is None or response.status != 200:
            problems.append(f"{path}: HTTP {response.status if response else 'no response'}")
        problems += [f"{path}: console error: {e}" for e in log.console_errors]
        problems += [f"{path}: failed request: {f}" for f in log.failed]
    assert problems == []
    assert log.foreign(site_server.origin) == []


def test_no_cookies_are_set(site_server: SiteServer, context) -> None:
    page = context.new_page()
    for path in ["", "programmes/", "get-help/"]:
        page.goto(site_server.url(path), wait_until="networkidle")
    assert context.cookies() == []
