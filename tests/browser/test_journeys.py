"""Residents' journeys on a phone (360 x 740): from the home page to a number they can tap.

Each journey is a need, said in the words a resident would look for on the screen (not a
page's address, so it holds however the help pages are arranged). It succeeds when a
``tel:`` or ``sms:`` link for that need is reached

* in at most two taps from the home page: a phone or text link for the need on the home
  page itself (one tap), or a link naming the need that leads to a page with one (two), or
* with one search: the need typed in the resident's own words, and the first result a page
  for the need with a phone or text link on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import SiteServer

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
CONTACT = "a[href^='tel:'], a[href^='sms:']"


@dataclass(frozen=True)
class Journey:
    who: str
    words: str  # a pattern for the need, as link text or a page's heading says it
    query: str  # what the resident types into the search


JOURNEYS = [
    Journey("a man experiencing domestic abuse", r"\bmen\b|\bmale\b|\bman\b|men's advice", "my wife hurts me"),
    Journey("someone being stalked", r"stalk", "someone keeps following me and sending messages, stalker"),
    Journey("someone whose drink was spiked", r"spik", "my drink was spiked"),
    Journey("a parent worried about grooming", r"groom|nspcc|childline|child (is )?at risk|children",
            "worried someone is grooming my child"),
    Journey("a deaf person who needs the police", r"deaf|relay|emergencysms|\bbsl\b|sign language|speech",
            "deaf need police"),
    Journey("someone who was scammed", r"scam|fraud", "I was scammed"),
]


def _needs(text: str, words: str) -> bool:
    return re.search(words, text, re.IGNORECASE) is not None


#: The sentence that leads up to a link, within its block: "Men can call the Men's Advice
#: Line on 0808 ..." (and not the sentence before it, about another line).
_LEAD_UP = r"""link => {
  const block = link.closest('li, p, dd, tr, div') || link.parentElement;
  const range = document.createRange();
  range.setStart(block, 0);
  range.setEndAfter(link);
  const text = range.toString();
  const before = text.slice(0, text.length - link.textContent.length);
  const end = Math.max(before.lastIndexOf('. '), before.lastIndexOf('.\n'));
  return text.slice(end + 1);
}"""


def _contact_for(page: Page, words: str) -> str | None:
    """A visible phone or text link on this page for the need: in a sentence that names it,
    or anywhere in the text of a page whose heading names it."""
    heading = page.locator("article h1").first
    whole_page = heading.count() > 0 and _needs(heading.inner_text(), words)
    for link in page.locator(f"article {CONTACT}").all():
        if link.is_visible() and (whole_page or _needs(link.evaluate(_LEAD_UP), words)):
            return link.get_attribute("href")
    return None


def _by_taps(page: Page, site_server: SiteServer, journey: Journey) -> str | None:
    """The route in at most two taps from the home page, or None."""
    home = site_server.url("")
    page.goto(home, wait_until="networkidle")
    found = _contact_for(page, journey.words)
    if found:
        return f"1 tap: {found} on the home page"
    targets = []
    for link in page.locator("article a[href], .md-banner a[href]").all():
        href = link.get_attribute("href") or ""
        if link.is_visible() and not href.startswith(("tel:", "sms:", "#", "http")) \
                and _needs(link.inner_text(), journey.words):
            targets.append((link.inner_text().strip(), href))
    for text, href in dict.fromkeys(targets):
        page.goto(home, wait_until="networkidle")
        page.locator(f"article a[href='{href}'], .md-banner a[href='{href}']").first.click()
        page.wait_for_load_state("networkidle")
        found = _contact_for(page, journey.words)
        if found:
            return f"2 taps: {text!r}, then {found}"
    return None


def _by_search(page: Page, site_server: SiteServer, journey: Journey) -> str | None:
    """The route through one search: the first result has the need's phone or text link."""
    page.goto(site_server.url(""), wait_until="networkidle")
    page.locator("label.md-header__button[for='__search']").click()
    box = page.locator("input[data-md-component='search-query']")
    page.wait_for_function("() => document.querySelector('.md-search-result__meta')"
                           ".textContent.startsWith('Type to start')")
    box.fill(journey.query)
    box.press("End")
    first = page.locator(".md-search-result__item > .md-search-result__link").first
    try:
        first.wait_for(state="visible", timeout=5000)
    except Exception:  # noqa: BLE001 - no result at all
        return None
    first.click()
    page.wait_for_load_state("networkidle")
    found = _contact_for(page, journey.words)
    return f"search {journey.query!r}, first result {page.url}, then {found}" if found else None


@pytest.mark.parametrize("journey", JOURNEYS, ids=lambda j: j.who)
def test_help_is_two_taps_or_one_search_away(site_server: SiteServer, browser, journey: Journey) -> None:
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        route = _by_taps(page, site_server, journey) or _by_search(page, site_server, journey)
        assert route, (f"{journey.who}: no phone or text link for the need within two taps of the "
                       "home page, nor on the first result of a search")
        print(f"\n{journey.who}: {route}")
    finally:
        context.close()
