"""Browser-test fixtures: one Chromium, one served real site and one walk of it per worker.

Playwright drives /usr/bin/chromium (never a downloaded browser). Outside CI a missing
Chromium skips these tests with a clear reason; in CI (CI=true) it fails them. The
harness lives in server.py and the walk of every page in walk.py; the names other test
modules import from here (SiteServer, serve, watch) are re-exported.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext

from tests.browser.server import PageLog, SiteServer, launch, serve, watch
from tests.browser.walk import Walk, walk_site

__all__ = ["PageLog", "SiteServer", "serve", "watch"]


@pytest.fixture(scope="session")
def site_server(real_site: Path, site_port: int) -> Iterator[SiteServer]:
    """The real site, served on the port it was built for."""
    yield from serve(real_site, site_port)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole run."""
    yield from launch()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser context (no storage, cookies or history), closed after the test."""
    context = browser.new_context()
    yield context
    context.close()


@pytest.fixture(scope="session")
def site_walk(browser: Browser, site_server: SiteServer) -> Walk:
    """Every page of the real site visited once, in both palettes (see walk.py)."""
    return walk_site(browser, site_server)
