"""axe-core (from the npm registry, run in Chromium) finds no WCAG 2.2 AA violation on
any page, in the light or the dark palette, with every chart drawn (see walk.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext

from tests.browser.walk import SCHEMES, Walk, load_axe, require_axe, run_axe

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_axe_finds_no_violations(site_walk: Walk, scheme: str) -> None:
    require_axe()
    found = []
    for visit in site_walk.visits:
        if visit.schemes.get(scheme) != SCHEMES[scheme]:
            found.append(f"{visit.path} [{scheme}]: shown in {visit.schemes.get(scheme)!r}; {visit.errors}")
        elif scheme not in visit.axe:
            found.append(f"{visit.path} [{scheme}]: axe did not run; {visit.errors}")
        else:
            found += visit.axe[scheme]
    assert found == [], "\n".join(found)


def test_axe_step_reports_each_violation_and_where_it_is(context: BrowserContext) -> None:
    """The walk's axe step can fail: a page with an unlabelled image and an unnamed link is
    reported, naming the rule and the element."""
    require_axe()
    page = context.new_page()
    page.set_content('<!doctype html><html lang="en"><head><title>t</title></head><body><main>'
                     '<h1>t</h1><img src="data:,"><a href="/x"></a></main></body></html>')
    load_axe(page)
    found = run_axe(page, "fixture/", "light")
    assert any(f.startswith("fixture/ [light]: image-alt: ") and "at ['img']" in f for f in found), found
    assert any(": link-name: " in f and "at ['a']" in f for f in found), found
