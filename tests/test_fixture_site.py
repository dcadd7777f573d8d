"""The minimal fixture site: every generated page exists and shows its content safely."""

from __future__ import annotations

from pathlib import Path

from tests.sitebuild import html_pages, page

GENERATED = [
    "programmes/", "programmes/test-programme/", "priorities/", "priorities/2023-24/",
    "get-help/", "data/", "data/test-dataset/", "sources/", "partners/",
]


def test_generated_pages_exist(minimal_site: Path) -> None:
    for url in GENERATED:
        assert (minimal_site / url / "index.html").is_file(), url


def test_nothing_is_written_into_docs(minimal_site: Path) -> None:
    docs = minimal_site.parent / "docs"
    assert sorted(p.name for p in docs.rglob("*")) == ["index.md"]


def test_programme_page(minimal_site: Path) -> None:
    soup = page(minimal_site, "programmes/test-programme/")
    article = soup.select_one("article")
    assert soup.h1.contents[0].strip() == "Test Programme"
    assert soup.find("meta", attrs={"name": "description"})["content"] == \
        "A programme that exists to be tested."
    text = article.get_text(" ", strip=True)
    assert "Running (since at least 2020)" in text
    # the figure, formatted, with its citation linking to the sources page
    row = next(tr for tr in article.select("table tr") if "Households helped" in tr.get_text())
    cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
    assert cells[1:3] == ["1,234 households", "2022-23"]
    cite = row.find_all("td")[3].a
    assert cite.get_text() == "Test Report 2023, paragraph 7"
    assert cite["href"] == "../../sources/#test-report"
    # links to the service, the dataset, the priority
    hrefs = {a["href"] for a in article.find_all("a", href=True)}
    assert {"../../get-help/test-helpline/", "../../data/test-dataset/",
            "../../priorities/2023-24/#be-tested"} <= hrefs
    assert "Last reviewed: 1 January 2026" in text and "Next review due: 1 January 2099" in text


def test_html_from_yaml_is_escaped(minimal_site: Path) -> None:
    programme = page(minimal_site, "programmes/test-programme/")
    assert programme.select_one("article script") is None
    assert '<script>alert("body")</script> is shown as text.' in programme.article.get_text()
    service = page(minimal_site, "get-help/test-helpline/")
    assert service.select_one("article script") is None
    assert '<script>alert("x")</script>' in service.article.get_text()


def test_get_help_lists_service_with_contact(minimal_site: Path) -> None:
    soup = page(minimal_site, "get-help/")
    card = soup.find(id="test-helpline")  # the old /get-help/#test-helpline anchor is kept
    assert card is not None and card.find("a", href="test-helpline/") is not None
    tel = card.select_one('a[href="tel:0800555111"]')
    assert tel is not None and tel.get_text() == "0800 555 111"
    service = page(minimal_site, "get-help/test-helpline/")
    assert service.h1.contents[0].strip() == "Test Helpline"
    assert service.select_one('article a[href="tel:0800555111"]') is not None


def test_dataset_page_table(minimal_site: Path) -> None:
    soup = page(minimal_site, "data/test-dataset/")
    rows = [[c.get_text(strip=True) for c in tr.find_all(["th", "td"])]
            for tr in soup.article.table.find_all("tr")]
    assert rows == [["Month", "Cases"], ["Jan", "10"], ["Feb", "20"], ["Mar", "30"]]


def test_sources_page_lists_citing_pages(minimal_site: Path) -> None:
    soup = page(minimal_site, "sources/")
    heading = soup.find(id="test-report")
    assert heading.get_text(strip=True).startswith("Test Report 2023")
    cited = {a.get_text() for a in soup.article.find_all("a")}
    assert {"Test Programme", "Cases by month", "Priorities 2023-24", "Test Helpline"} <= cited


def test_partners_page(minimal_site: Path) -> None:
    soup = page(minimal_site, "partners/")
    assert soup.find(id="test-council") is not None
    assert soup.article.find("a", href="../programmes/test-programme/") is not None


def test_nav_lists_generated_pages(minimal_site: Path) -> None:
    soup = page(minimal_site, "")
    nav_links = {a.get_text(strip=True) for a in soup.select("nav.md-nav--primary a")}
    assert {"Programmes", "Data", "Priorities for 2023-24"} <= nav_links
    # programmes and datasets are listed on their index pages, so that the nav stays small
    assert "Test Programme" not in nav_links


def test_search_index_includes_generated_pages(minimal_site: Path) -> None:
    index = (minimal_site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "programmes/test-programme/" in index


def test_every_page_has_the_licence_footer(minimal_site: Path) -> None:
    for path in html_pages(minimal_site):
        text = path.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' not in text:  # redirects from old addresses have no body
            assert "Open Government Licence" in text, path


def test_page_templates_are_not_published(minimal_site: Path) -> None:
    assert not (minimal_site / "oscp").exists()
    assert not list(minimal_site.rglob("*.jinja")) and not (minimal_site / "snippets").exists()
