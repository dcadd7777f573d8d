"""The real site shows each fact in tests/facts.yml, cites its report, and the report says it.

Programme figures sit in a table row with their citation; dataset figures sit in the row
for their label on a page that cites the report.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from tests.sitebuild import REPO, page

FACTS = yaml.safe_load((REPO / "tests" / "facts.yml").read_text(encoding="utf-8"))
SOURCES = REPO.parent / "shared" / "sources"


def _source_file(source_id: str) -> Path:
    data = yaml.safe_load((REPO / "content" / "sources" / f"{source_id}.yml").read_text(encoding="utf-8"))
    return SOURCES / data["file"]


def test_facts_cover_every_report() -> None:
    assert len(FACTS) >= 30
    assert {f["source"] for f in FACTS} == {p.stem for p in (REPO / "content" / "sources").glob("*.yml")}


@pytest.mark.parametrize("fact", FACTS, ids=[f"{f['page']}:{f['figure']}" for f in FACTS])
def test_fact_is_published_with_its_source(real_site: Path, fact: dict) -> None:
    soup = page(real_site, fact["page"])
    cite = f"sources/#{fact['source']}"
    if "row" in fact:
        rows = [tr for tr in soup.article.select("table tr")
                if (cell := tr.find(["td", "th"])) and cell.get_text(strip=True) == fact["row"]]
        assert rows, f"no row {fact['row']!r}"
        assert fact["figure"] in [td.get_text(strip=True) for td in rows[0].find_all("td")]
        assert any(a["href"].endswith(cite) for a in soup.article.find_all("a", href=True))
    elif fact["page"].startswith("programmes/"):
        rows = [tr for tr in soup.article.select("table tr")
                if fact["figure"] in [td.get_text(" ", strip=True) for td in tr.find_all("td")]]
        assert rows, f"figure {fact['figure']!r} not in the key figures table"
        assert any(a["href"].endswith(cite) for a in rows[0].find_all("a", href=True))
    else:
        assert fact["figure"] in soup.article.get_text(" ", strip=True)
        assert any(a["href"].endswith(cite) for a in soup.article.find_all("a", href=True))


@pytest.mark.parametrize("fact", [f for f in FACTS if "quote" in f],
                         ids=[f"{f['source']}:{f['quote']}" for f in FACTS if "quote" in f])
def test_report_says_it(fact: dict) -> None:
    if not SOURCES.is_dir():
        if os.environ.get("CI") and not os.environ.get("OSCP_SOURCES_OPTIONAL"):
            pytest.fail(f"{SOURCES} is missing")
        pytest.skip(f"{SOURCES} is not beside this checkout")
    text = " ".join(_source_file(fact["source"]).read_text(encoding="utf-8").split())
    assert fact["quote"] in text


@pytest.mark.parametrize("kind", ["programmes", "priorities"])
def test_every_programme_and_priorities_page_names_its_sources(real_site: Path, kind: str) -> None:
    for path in sorted((REPO / "content" / kind).glob("*.yml")):
        soup = page(real_site, f"{kind}/{path.stem}/")
        heading = soup.article.find(id="sources")
        assert heading is not None, path
        links = heading.find_next("ul").find_all("a", href=True)
        assert links and all("sources/#" in a["href"] for a in links), path
