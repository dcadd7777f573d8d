"""axe-core (from the npm registry, run in Chromium) finds no WCAG 2.2 AA violation on
any page, in the light or the dark palette, with every chart drawn (see walk.py)."""

from __future__ import annotations

import pytest

from tests.browser.walk import SCHEMES, Walk, require_axe

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
