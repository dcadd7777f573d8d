"""Every page of the real site loads in Chromium cleanly and privately."""

from __future__ import annotations

import pytest

from tests.browser.walk import Walk

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
