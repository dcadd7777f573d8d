"""Every page of the real site loads in Chromium cleanly and privately."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.server import serve
from tests.browser.walk import Walk, walk_pages

pytestmark = pytest.mark.browser


def test_every_page_loads_without_errors(site_walk: Walk) -> None:
    assert len(site_walk.visits) > 10
    problems = []
    for visit in site_walk.visits:
        if visit.path == "404.html":
            continue  # served with 200 by a static host only when a page is missing
        if visit.status != 200:
            problems.append(f"{visit.path}: HTTP {visit.status or 'no response'}")
        problems += [f"{visit.path}: console error: {e}" for e in visit.log.console_errors]
        problems += [f"{visit.path}: failed request: {f}" for f in visit.log.failed]
        problems += visit.errors
    assert problems == []


def test_no_foreign_requests(site_walk: Walk) -> None:
    assert site_walk.foreign_requests() == []


def test_no_cookies_are_set(site_walk: Walk) -> None:
    assert site_walk.cookies == []
    assert [v.path for v in site_walk.visits if v.document_cookie] == []


def test_walk_fails_a_page_whose_search_index_is_missing(browser: Browser, tmp_path: Path) -> None:
    """The walk empties the search index it gives each page, but a page that asks for an
    index that is not there still fails."""
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><head><title>t</title></head><body><main><h1>t</h1>'
        '<script>fetch("search/search_index.json")</script></main></body></html>', encoding="utf-8")
    server = serve(tmp_path)
    walk = walk_pages(browser, next(server), [""])
    server.close()
    assert [f for f in walk.visits[0].log.failed if "/search/search_index.json (HTTP 404)" in f] != []
