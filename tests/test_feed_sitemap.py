"""The Atom feed as feedparser reads it, the sitemap against the sitemaps.org XSD (vendored
in tests/standards/), each page's own lastmod, and a build that follows the commit's clock
rather than the day's: the same commit built on two different dates gives the same bytes."""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

import feedparser
import pytest
import xmlschema
import yaml

from tests.browser.server import SiteServer
from tests.sitebuild import REPO

XSD = REPO / "tests" / "standards" / "sitemap-0.9.xsd"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def server(real_site: Path) -> Iterator[str]:
    """The real site served on 127.0.0.1; yields its origin."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(real_site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def site_url(site_server: SiteServer) -> str:
    """The address the real site was built for (see tests/real_site.py)."""
    return f"{site_server.origin}/"


def _sitemap(real_site: Path) -> dict[str, str | None]:
    root = ET.parse(real_site / "sitemap.xml").getroot()
    return {url.findtext(f"{SM}loc"): url.findtext(f"{SM}lastmod") for url in root.iter(f"{SM}url")}  # type: ignore[misc]


def test_feedparser_reads_the_feed_cleanly(real_site: Path) -> None:
    feed = feedparser.parse(str(real_site / "feed.xml"))
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.entries
    for entry in feed.entries:
        assert entry.get("id") and entry.get("updated_parsed") and entry.get("link") and entry.get("summary"), entry
    assert feed.feed.get("updated_parsed")


def test_sitemap_validates_against_the_sitemaps_org_schema(real_site: Path) -> None:
    assert "http://www.sitemaps.org/schemas/sitemap/0.9" in XSD.read_text(encoding="utf-8")
    schema = xmlschema.XMLSchema(str(XSD))
    errors = [str(e) for e in schema.iter_errors(str(real_site / "sitemap.xml"))]
    assert errors == []


def test_sitemap_lists_no_redirect_and_every_address_answers_200(real_site: Path, server: str,
                                                                   site_url: str) -> None:
    locs = list(_sitemap(real_site))
    assert len(locs) == len(set(locs)) > 20
    failures = []
    for loc in locs:
        assert loc.startswith(site_url), loc
        path = loc[len(site_url):]
        html = real_site / path / "index.html" if path.endswith("/") or not path else real_site / path
        assert 'http-equiv="refresh"' not in html.read_text(encoding="utf-8"), loc
        try:
            with urlopen(f"{server}/{path}", timeout=30) as response:
                if response.status != 200:
                    failures.append(f"{loc}: {response.status}")
        except HTTPError as exc:
            failures.append(f"{loc}: {exc.code}")
    assert failures == []


def test_lastmod_is_each_pages_own_date(real_site: Path, site_url: str) -> None:
    lastmods = _sitemap(real_site)
    for path in sorted((REPO / "content" / "programmes").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert lastmods[f"{site_url}programmes/{data['slug']}/"] == str(data["last_reviewed"]), path.name
    reviewed = [str(yaml.safe_load(p.read_text(encoding="utf-8"))["last_reviewed"])
                for p in (REPO / "content" / "datasets").glob("*.yml")]
    assert lastmods[f"{site_url}data/"] == max(reviewed)
    # a hand-written page: the day (UTC) of its file's last commit
    git = subprocess.run(["git", "-C", str(REPO), "log", "-1", "--format=%ct", "--", "docs/privacy.md"],
                         capture_output=True, text=True)
    if git.returncode == 0 and git.stdout.strip():
        day = datetime.fromtimestamp(int(git.stdout.strip()), UTC).date().isoformat()
        assert lastmods[f"{site_url}privacy/"] == day
    assert len(set(lastmods.values())) > 1  # not one build date on every page


def _digests(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_the_same_commit_built_on_another_day_gives_the_same_bytes(real_site: Path, tmp_path: Path,
                                                                    site_url: str) -> None:
    """real_site was built today; build again with the system clock in 2030 (faketime). Every
    file must be the same, byte for byte (charts and feed included): this is also the test that
    two builds of one commit are identical."""
    faketime = shutil.which("faketime")
    if faketime is None:
        message = "needs faketime (Debian: apt-get install faketime)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(REPO / "hooks"), OSCP_SITE_URL=site_url)
    later = tmp_path / "site"
    result = subprocess.run([faketime, "2030-01-01 12:00:00", sys.executable, "-c",
                             "import datetime; print(datetime.date.today())"],
                            capture_output=True, text=True, env=env, check=True)
    assert result.stdout.strip() == "2030-01-01"  # the fake clock reaches Python
    result = subprocess.run([faketime, "2030-01-01 12:00:00", sys.executable, "-m", "oscp", "build",
                             "-f", str(REPO / "mkdocs.yml"), "-d", str(later)],
                            capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    ours, theirs = _digests(real_site), _digests(later)
    assert sorted(ours) == sorted(theirs)
    assert [path for path in ours if ours[path] != theirs[path]] == []
