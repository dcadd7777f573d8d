"""Old programme addresses redirect to the programme's current page, in a real browser."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import SiteServer, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def fixture_server(minimal_site: Path) -> Iterator[SiteServer]:
    yield from serve(minimal_site)


def test_former_slug_redirects(fixture_server: SiteServer, context) -> None:
    page = context.new_page()
    page.goto(fixture_server.url("programmes/old-test-programme/"))
    page.wait_for_url(fixture_server.url("programmes/test-programme/"))
    assert page.locator("h1").inner_text().startswith("Test Programme")


def test_redirect_works_without_javascript(fixture_server: SiteServer, browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(fixture_server.url("programmes/old-test-programme/"))
    page.wait_for_url(fixture_server.url("programmes/test-programme/"))
    context.close()
