"""For partners: open data that validates, Open Referral UK services, the Atom feed,
review dates on every content page, metadata, and URLs that never silently break."""

from __future__ import annotations

import json
import shutil
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker

from oscp.addresses import MANIFEST, read_manifest
from oscp.api import service_uuid
from tests.sitebuild import REPO, html_pages, make_fixture, page, run_build

ATOM = "{http://www.w3.org/2005/Atom}"
API = ("programmes", "services", "datasets", "priorities")


def _json(site: Path, path: str) -> object:
    return json.loads((site / path).read_text(encoding="utf-8"))


def _validate(site: Path, document: str, schema: str) -> None:
    validator = Draft202012Validator(_json(site, schema), format_checker=FormatChecker())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(_json(site, document))]
    assert errors == [], document


def test_api_documents_validate_against_their_published_schemas(real_site: Path) -> None:
    _validate(real_site, "api/v1/index.json", "api/v1/schemas/index.schema.json")
    for name in API:
        _validate(real_site, f"api/v1/{name}.json", f"api/v1/schemas/{name}.schema.json")
    _validate(real_site, "api/openreferral/services.json", "api/openreferral/openreferral-service.schema.json")


def test_api_index_lists_everything(real_site: Path) -> None:
    index = _json(real_site, "api/v1/index.json")
    assert index["api_version"].startswith("1.")
    origin = index["feed"].removesuffix("feed.xml")
    for name, links in index["documents"].items():
        assert (real_site / links["url"].removeprefix(origin)).is_file(), name
        assert (real_site / links["schema"].removeprefix(origin)).is_file(), name
    datasets = {p.stem for p in (REPO / "content" / "datasets").glob("*.yml")}
    assert set(index["datasets_csv"]) == datasets
    for url in index["datasets_csv"].values():
        assert (real_site / url.removeprefix(origin)).read_text(encoding="utf-8").count("\n") >= 2


def test_every_api_item_carries_its_sources(real_site: Path) -> None:
    for name in API:
        for item in _json(real_site, f"api/v1/{name}.json")["items"]:
            for source in item["sources"]:
                assert (REPO / "content" / "sources" / f"{source['id']}.yml").is_file()
                assert source["at"]
    nightsafe = next(p for p in _json(real_site, "api/v1/programmes.json")["items"] if p["slug"] == "nightsafe")
    assert any(s["id"] == "oscp-annual-update-2022-23" for s in nightsafe["sources"])


def test_open_referral_services(real_site: Path) -> None:
    services = _json(real_site, "api/openreferral/services.json")
    ours = {p.stem for p in (REPO / "content" / "services").glob("*.yml")}
    assert {s["id"] for s in services} == {service_uuid(i) for i in ours}
    for service in services:
        assert uuid.UUID(service["id"]).version == 5
        assert service["name"] and service["status"] == "active"
        assert service["url"].startswith(("https://", "http://"))
    # nothing that could locate anyone: no addresses, locations or coordinates at all
    text = json.dumps(services).lower()
    for field in ("address", "location", "latitude", "longitude", "postcode"):
        assert f'"{field}' not in text
    assert service_uuid("sanctuary-scheme") == service_uuid("sanctuary-scheme")  # stable


def test_atom_feed_parses(real_site: Path) -> None:
    root = ET.parse(real_site / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    programmes = list((REPO / "content" / "programmes").glob("*.yml"))
    years = list((REPO / "content" / "priorities").glob("*.yml"))
    assert len(entries) == len(programmes) + len(years)
    for entry in entries:
        for child in ("title", "id", "updated", "summary"):
            assert entry.find(f"{ATOM}{child}").text, child
        assert entry.find(f"{ATOM}link").get("href").startswith("http")
    nightsafe = yaml.safe_load((REPO / "content" / "programmes" / "nightsafe.yml").read_text(encoding="utf-8"))
    entry = next(e for e in entries if e.find(f"{ATOM}id").text.endswith("/programmes/nightsafe/"))
    assert entry.find(f"{ATOM}updated").text == f"{nightsafe['last_reviewed']}T00:00:00Z"
    assert root.find(f"{ATOM}updated").text == max(e.find(f"{ATOM}updated").text for e in entries)


def test_every_page_built_from_content_shows_review_dates(real_site: Path) -> None:
    kinds = {"programmes": "programmes/{}/", "priorities": "priorities/{}/", "datasets": "data/{}/",
             "services": "get-help/{}/"}
    for folder, url in kinds.items():
        for path in (REPO / "content" / folder).glob("*.yml"):
            text = page(real_site, url.format(path.stem)).article.get_text(" ", strip=True)
            assert "Last reviewed:" in text and "Next review due:" in text, path


def test_metadata_for_link_previews_and_search_engines(real_site: Path) -> None:
    soup = page(real_site, "programmes/nightsafe/")
    canonical = soup.find("link", rel="canonical")["href"]
    assert canonical.endswith("/programmes/nightsafe/")
    meta = {m.get("property") or m.get("name"): m.get("content") for m in soup.find_all("meta")}
    assert meta["og:title"] == "NightSafe - Safer Oxford"
    assert meta["og:url"] == canonical
    assert meta["og:description"] == meta["twitter:description"] == meta["description"]
    assert meta["twitter:card"] == "summary"
    assert soup.find("link", type="application/atom+xml") is not None
    robots = (real_site / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: " in robots and robots.strip().endswith("sitemap.xml")
    sitemap = ET.parse(real_site / "sitemap.xml").getroot()
    locs = {loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert canonical in locs


def test_published_url_manifest_is_complete(real_site: Path) -> None:
    """Every address the site serves is in the manifest (run `make urls` after adding pages)."""
    manifest = set(read_manifest(REPO / MANIFEST))
    served = set()
    for html in html_pages(real_site):
        rel = html.relative_to(real_site).as_posix()
        if rel != "404.html":
            served.add("/" + rel.removesuffix("index.html"))
    served |= {"/" + p.relative_to(real_site).as_posix()
               for p in real_site.rglob("*") if p.suffix in {".json", ".csv"} and
               p.relative_to(real_site).parts[0] in {"api", "data"}}
    served |= {"/feed.xml", "/robots.txt"}
    assert served - manifest == set(), "run `make urls`"
    assert manifest - served == set()


@pytest.fixture
def fixture_with_manifest(tmp_path: Path) -> Path:
    project = make_fixture(tmp_path / "project")
    urls = ["/", "/programmes/", "/programmes/test-programme/", "/programmes/old-test-programme/",
            "/data/test-dataset/", "/data/test-dataset.csv"]
    (project / MANIFEST).write_text("# published\n" + "\n".join(urls) + "\n", encoding="utf-8")
    return project


def _rename_programme(project: Path, former_slugs: str) -> None:
    """Rename the fixture's programme to 'renamed', as an editor would, with these former slugs."""
    programme = project / "content" / "programmes" / "test-programme.yml"
    text = programme.read_text(encoding="utf-8")
    programme.unlink()
    (project / "content" / "programmes" / "renamed.yml").write_text(
        text.replace("slug: test-programme", "slug: renamed").replace(
            "former_slugs: [old-test-programme]", f"former_slugs: {former_slugs}"), encoding="utf-8")
    priorities = project / "content" / "priorities" / "2023-24.yml"
    priorities.write_text(priorities.read_text(encoding="utf-8").replace(
        "programmes: [test-programme]", "programmes: [renamed]"), encoding="utf-8")


def test_removing_a_published_page_without_redirect_fails(fixture_with_manifest: Path) -> None:
    project = fixture_with_manifest
    _rename_programme(project, former_slugs="[old-test-programme]")
    result = run_build(project / "mkdocs.yml", project / "site")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "published-urls.txt:4:1: published address /programmes/test-programme/ would disappear (if a " \
        "programme or dataset was renamed, add its old id to former_slugs or former_ids so the address " \
        "redirects; if the page was removed on purpose, run `make urls`)" in result.stderr.splitlines()
    assert "/programmes/old-test-programme/" not in result.stderr  # still redirects
    assert not (project / "site").exists()


def test_renaming_with_former_slug_keeps_the_address(fixture_with_manifest: Path) -> None:
    project = fixture_with_manifest
    _rename_programme(project, former_slugs="[old-test-programme, test-programme]")
    result = run_build(project / "mkdocs.yml", project / "site")
    assert result.returncode == 0, result.stderr
    redirect = (project / "site" / "programmes" / "test-programme" / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh" content="0; url=../renamed/"' in redirect
    assert '<a href="../renamed/">Test Programme</a>' in redirect
    shutil.rmtree(project / "site")
