"""Every programme's status and start carry a source, and the built pages show them cited.

Issue 14: "running" only where a report from 2022-23 or later says so, "last reported in
<year>" with that report, "ended in <year>" only where a report says so, and a start year
only with its source. The "In short" paragraph sits under the title, escaped and readable.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from oscp import readability
from tests.sitebuild import REPO, page

PROGRAMMES = sorted((REPO / "content" / "programmes").glob("*.yml"))
SOURCES = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
           for p in (REPO / "content" / "sources").glob("*.yml")}
#: Reports that say a programme is running today: the 2022-23 update and anything later.
RECENT = {sid for sid, s in SOURCES.items() if str(s.get("date", "")) >= "2023"}


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", PROGRAMMES, ids=[p.stem for p in PROGRAMMES])
def test_status_and_start_carry_a_source(path: Path) -> None:
    data = _load(path)
    status = data["status"]
    assert status["state"] in {"running", "last-reported", "ended"}
    assert isinstance(status["year"], int)
    assert status["source"]["source"] in SOURCES and status["source"]["at"].strip()
    if status["state"] == "running":
        assert status["source"]["source"] in RECENT, "running needs a report from 2022-23 or later"
    else:
        assert status["source"]["source"] not in RECENT or status["state"] == "ended", \
            "a programme a recent report mentions running is 'running'"
    started = data.get("started")
    if started is not None:
        assert isinstance(started["year"], int)
        assert started["source"]["source"] in SOURCES and started["source"]["at"].strip()
        assert started["year"] <= status["year"]
    assert "ended" not in data, "an end year lives in status (state: ended) with its source"


@pytest.mark.parametrize("path", PROGRAMMES, ids=[p.stem for p in PROGRAMMES])
def test_in_short_is_short_and_plain(path: Path) -> None:
    text = _load(path)["in_short"]
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]
    assert 2 <= len(sentences) <= 3, sentences
    assert readability.grade(text) <= readability.IN_SHORT_GRADE


def _status_cell(soup) -> object:
    dt = next(dt for dt in soup.article.select("dl.oscp-facts dt") if dt.get_text(strip=True) == "Status")
    return dt.find_next_sibling("dd")


def test_minimal_site_shows_status_with_its_citations(minimal_site: Path) -> None:
    soup = page(minimal_site, "programmes/test-programme/")
    cell = _status_cell(soup)
    assert cell.get_text(" ", strip=True).startswith("Running (since at least 2020)")
    links = cell.find_all("a", href=True)
    assert [a.get_text() for a in links] == ["Test Report 2023, paragraph 2", "Test Report 2023, paragraph 1"]
    assert all(a["href"] == "../../sources/#test-report" for a in links)


def test_minimal_site_in_short_is_first_and_escaped(minimal_site: Path) -> None:
    soup = page(minimal_site, "programmes/test-programme/")
    box = soup.article.select_one("div.oscp-in-short")
    assert box is not None
    assert box.find_previous("h1") is soup.article.h1
    assert box.find_next("h2").get_text(strip=True).startswith("What it does")
    assert box.strong.get_text() == "In short"
    assert box.select_one("em") is None, "HTML in YAML must be shown as text"
    assert "It shows <em>tags</em> as text." in box.get_text()


def test_minimal_programmes_index_groups_by_status(minimal_site: Path) -> None:
    soup = page(minimal_site, "programmes/")
    headings = {h.get_text(strip=True).rstrip("¶"): h for h in soup.article.find_all("h2")}
    assert list(headings)[:3] == ["Running", "Last reported before 2022-23", "Ended"]
    assert "Test Programme" in headings["Running"].find_next("ul").get_text()


@pytest.mark.parametrize("path", PROGRAMMES, ids=[p.stem for p in PROGRAMMES])
def test_real_site_status_names_its_report(real_site: Path, path: Path) -> None:
    data = _load(path)
    cell = _status_cell(page(real_site, f"programmes/{path.stem}/"))
    text = cell.get_text(" ", strip=True)
    headline = text[: len(text) - len(cell.small.get_text(" ", strip=True))].strip()
    state, year = data["status"]["state"], data["status"]["year"]
    expected = {"running": "Running", "last-reported": f"Last reported in {year}", "ended": f"Ended in {year}"}
    assert headline.startswith(expected[state])
    started = data.get("started")
    if started:
        running = state == "running"
        if started.get("since_at_least"):
            words = "since at least" if running else "running since at least"
        else:
            words = "since" if running else "started in"
        assert headline.endswith(f"({words} {started['year']})")
    else:
        assert headline == expected[state]
    cited = {a["href"].rsplit("#", 1)[-1] for a in cell.find_all("a", href=True)}
    wanted = {data["status"]["source"]["source"]}
    if started:
        wanted.add(started["source"]["source"])
    assert cited == wanted


def test_real_site_renamed_dataset_cites_each_row(real_site: Path) -> None:
    soup = page(real_site, "data/sanctuary-scheme-people-helped/")
    rows = {tr.find("td").get_text(strip=True): tr for tr in soup.article.select("table tr") if tr.find("td")}
    assert rows["2018-19"].find("a")["href"].endswith("sources/#oscp-annual-review-2018-19")
    assert rows["2022-23"].find("a")["href"].endswith("sources/#oscp-annual-update-2022-23")
    assert "household" not in soup.article.h1.get_text().lower()


def test_organisation_web_addresses_name_their_source(real_site: Path) -> None:
    for path in sorted((REPO / "content" / "organisations").glob("*.yml")):
        data = _load(path)
        if "web" in data:
            src = data["url_source"]
            assert ("url" in src and "title" in src) or src["source"] in SOURCES, path
    soup = page(real_site, "partners/")
    for heading in soup.article.find_all("h2"):
        block = heading.find_next_sibling("p")
        if block and block.get_text().startswith("Website:"):
            assert "address from:" in block.get_text(), heading.get_text()
