"""Page-weight budgets of the real site: what a resident's phone downloads for each page.

A page's weight is its own HTML plus every stylesheet and script it loads (and, on chart
pages, the plotly bundle named in the chart element's ``data-plotly``), each gzipped as a
static host would serve it. Files a page does not load itself, such as the search worker,
are not counted.
"""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

from bs4 import BeautifulSoup

from tests.sitebuild import html_pages

KB = 1024
HOME_BUDGET = 150 * KB
CHART_PAGE_BUDGET = 600 * KB
PAGE_BUDGET = 150 * KB
SEARCH_INDEX_BUDGET_PER_PAGE = 1.5 * KB
CHART_MARK = 'class="oscp-chart"'


@cache
def _gz_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def _is_local(address: str) -> bool:
    return not address.startswith(("http:", "https:", "//", "data:"))


def page_weight(site: Path, html: Path) -> tuple[int, dict[str, int]]:
    """The gzipped bytes page ``html`` of ``site`` costs, and each part of it (the page, then assets)."""
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    assets = [tag["href"] for tag in soup.find_all("link", rel="stylesheet", href=True)]
    assets += [tag["src"] for tag in soup.find_all("script", src=True)]
    assets += sorted({tag["data-plotly"] for tag in soup.select(".oscp-chart[data-plotly]")})
    parts = {html.name: _gz_size(html)}
    for address in assets:
        assert _is_local(address), f"{html}: loads {address} from another origin"
        path = address.split("#")[0].split("?")[0]
        file = (site / path.lstrip("/") if path.startswith("/") else html.parent / path).resolve()
        assert file.is_file(), f"{html}: loads {address}, which the site does not have"
        parts[Path(path).name] = _gz_size(file)
    return sum(parts.values()), parts


def _over(site: Path, pages: list[Path], budget: float) -> list[str]:
    over = []
    for html in pages:
        total, parts = page_weight(site, html)
        if total > budget:
            biggest = ", ".join(f"{name} {size / KB:.0f} KB"
                                for name, size in sorted(parts.items(), key=lambda p: -p[1])[:3])
            over.append(f"{html.relative_to(site)}: {total / KB:.0f} KB ({biggest})")
    return over


def _chart_pages(site: Path) -> list[Path]:
    return [p for p in html_pages(site) if CHART_MARK in p.read_text(encoding="utf-8")]


def test_home_page_within_budget(real_site: Path) -> None:
    assert _over(real_site, [real_site / "index.html"], HOME_BUDGET) == []


def test_every_chart_page_within_budget(real_site: Path) -> None:
    charts = _chart_pages(real_site)
    assert len(charts) >= len(list((real_site / "data").glob("*.csv")))  # one page per dataset at least
    assert _over(real_site, charts, CHART_PAGE_BUDGET) == []


def test_every_other_page_within_budget(real_site: Path) -> None:
    charts = set(_chart_pages(real_site))
    others = [p for p in html_pages(real_site) if p not in charts]
    assert len(others) > 10
    assert _over(real_site, others, PAGE_BUDGET) == []


def test_search_index_within_budget(real_site: Path) -> None:
    pages = len(html_pages(real_site))
    size = _gz_size(real_site / "search" / "search_index.json")
    assert size <= SEARCH_INDEX_BUDGET_PER_PAGE * pages, \
        f"{size / KB:.0f} KB for {pages} pages ({size / pages / KB:.2f} KB per page)"
