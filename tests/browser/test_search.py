"""The real search box finds the right page for the words residents actually use."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.browser.conftest import SiteServer

pytestmark = pytest.mark.browser

QUERIES = yaml.safe_load((Path(__file__).parent / "search_queries.yml").read_text(encoding="utf-8"))


def _top_three(page, query: str) -> list[str]:
    box = page.locator("input[data-md-component='search-query']")
    box.fill("")
    box.press_sequentially(query, delay=10)  # material searches on key events
    page.wait_for_function(
        "() => document.querySelector('.md-search-result__meta').textContent.match(/match|No matching/)")
    links = page.locator(".md-search-result__item > .md-search-result__link")
    return [links.nth(i).get_attribute("href") for i in range(min(3, links.count()))]


def test_search_finds_the_right_page(site_server: SiteServer, context) -> None:
    assert len(QUERIES) >= 25
    page = context.new_page()
    page.goto(site_server.url(""), wait_until="networkidle")
    page.locator("input[data-md-component='search-query']").click()
    misses = []
    for item in QUERIES:
        top = _top_three(page, item["query"])
        paths = [href.split("#")[0].removeprefix(site_server.origin + "/").removeprefix("./")
                 for href in top]
        if not set(paths) & set(item["expect"]):
            misses.append(f"{item['query']!r}: got {paths}")
        assert item["query"].split()[0].lower() not in page.url.lower()
    hit_rate = 1 - len(misses) / len(QUERIES)
    assert hit_rate >= 0.9, "\n".join(misses)
    assert misses == [], "\n".join(misses)
