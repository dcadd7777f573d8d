"""Browser-test fixtures: one Chromium per worker, and one walk of every page for the whole
run, which pytest-xdist workers share out (walk.py). The real site is built and served once
a run (site_server, in tests/conftest.py and tests/real_site.py).

Playwright drives /usr/bin/chromium (never a downloaded browser). Outside CI a missing
Chromium skips these tests with a clear reason; in CI (CI=true) it fails them. The
harness lives in server.py and the walk of every page in walk.py; the names other test
modules import from here (SiteServer, serve, watch) are re-exported.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext

from tests.browser.server import PageLog, SiteServer, launch, quiet_context, serve, watch
from tests.browser.walk import SHARDS, Walk, walk_site

__all__ = ["PageLog", "SiteServer", "quiet_context", "serve", "watch"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole run."""
    yield from launch()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser context (no storage, cookies or history), closed after the test, whose
    pages get the search index without its documents (quiet_context). A test that searches
    uses search_context."""
    context = quiet_context(browser)
    yield context
    context.close()


@pytest.fixture
def search_context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser context whose pages get the real search index, closed after the test."""
    context = browser.new_context()
    yield context
    context.close()


@pytest.fixture(scope="session")
def site_walk(browser: Browser, site_server: SiteServer, tmp_path_factory: pytest.TempPathFactory,
              worker_id: str) -> Walk:
    """Every page of the real site, each visited once in both palettes (see walk.py); under
    pytest-xdist the workers share the walk through this run's temporary folder."""
    if worker_id == "master":
        return walk_site(browser, site_server, None)
    shared = tmp_path_factory.getbasetemp().parent  # this run's folder, above each worker's
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    return walk_site(browser, site_server, shared, first=int(worker_id.removeprefix("gw")) * SHARDS // workers)
