"""axe-core (from the npm registry, run in Chromium) finds no WCAG 2.2 AA violation on
any page, in the light or the dark palette."""

from __future__ import annotations

import os

import pytest

from tests.browser.conftest import SiteServer
from tests.sitebuild import REPO

pytestmark = pytest.mark.browser

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        message = f"{AXE} missing: run `npm ci` (make test does this when npm is installed)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(site_server: SiteServer, browser, axe_source: str, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    found = []
    for path in site_server.page_paths():
        page.goto(site_server.url(path), wait_until="networkidle")
        expected = "slate" if scheme == "dark" else "default"
        assert page.evaluate("document.body.dataset.mdColorScheme") == expected
        for chart in page.locator(".oscp-chart").all():  # draw charts too, so axe checks them
            chart.scroll_into_view_if_needed()
            chart.locator("svg.main-svg").first.wait_for()
        page.add_script_tag(content=axe_source)
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
        for violation in result["violations"]:
            targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
            found.append(f"{path} [{scheme}]: {violation['id']}: {violation['help']} at {targets}")
    context.close()
    assert found == [], "\n".join(found)
