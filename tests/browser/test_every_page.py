"""Every page of the real site loads in Chromium cleanly and privately."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.request import Request, urlopen

import pytest
from playwright.sync_api import Browser

from tests.browser.server import WITHOUT_SEARCH_DOCUMENTS, serve
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


def test_server_empties_the_search_index_only_when_asked(tmp_path: Path) -> None:
    """The walk's pages get the built index without documents; every other request, and a
    broken index, gets the file as it is."""
    (tmp_path / "search").mkdir()
    index = tmp_path / "search" / "search_index.json"
    index.write_text('{"config": {"lang": ["en"]}, "docs": [{"location": "", "text": "t"}]}', encoding="utf-8")
    server = serve(tmp_path)
    url = next(server).url("search/search_index.json")

    def get(headers: dict[str, str]) -> bytes:
        with urlopen(Request(url, headers=headers)) as response:  # noqa: S310 - our own server
            return response.read()

    assert json.loads(get(WITHOUT_SEARCH_DOCUMENTS)) == {"config": {"lang": ["en"]}, "docs": []}
    assert json.loads(get({}))["docs"] != []
    index.write_text("not json", encoding="utf-8")
    assert get(WITHOUT_SEARCH_DOCUMENTS) == b"not json"
    server.close()
