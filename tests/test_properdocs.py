"""ProperDocs, the maintained fork of mkdocs 1.x, builds the real site with our hooks as they
are: strictly, into the same pages with the same main text as the mkdocs build (issue 28).

Also the comparison of two builds of the site, which tests/test_export.py uses too: the same
files; for each page the same title, main text (<article>) and navigation, so that generator
tags, the head and dates do not count; data files byte for byte, except the search index and
the sitemap, whose order follows the order an engine found the files in.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from bs4 import BeautifulSoup

from tests.real_site import ORIGIN_VAR
from tests.sitebuild import REPO, build_env, html_pages


def site_files(site: Path) -> set[str]:
    """Every file of a built site, by its path in the site."""
    return {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()}


def _words(tag: object) -> str:
    return " ".join(tag.get_text(" ").split()) if tag is not None else ""  # type: ignore[attr-defined]


def page_summary(path: Path) -> dict[str, object]:
    """What a reader gets from a page: its title, its main text and its navigation."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    nav = soup.select_one("nav.md-nav--primary")
    return {
        "title": _words(soup.title),
        "main": _words(soup.find("article") or soup.body or soup),
        "nav": [(a.get("href"), _words(a)) for a in nav.select("a")] if nav else None,
    }


def _search_index(data: bytes) -> tuple[object, list[str]]:
    index = json.loads(data)
    return index["config"], sorted(json.dumps(doc, sort_keys=True) for doc in index["docs"])


def _sitemap(data: bytes) -> list[str]:
    return sorted(re.findall(r"<url>.*?</url>", data.decode("utf-8"), re.DOTALL))


def _indexed_pages(data: bytes) -> list[str]:
    return sorted({doc["location"].split("#")[0] for doc in json.loads(data)["docs"]})


#: files whose order follows the order the engine found the pages in: compared as sets
UNORDERED: dict[str, Callable[[bytes], object]] = {
    "search/search_index.json": _search_index,
    "sitemap.xml": _sitemap,
    "sitemap.xml.gz": lambda data: _sitemap(gzip.decompress(data)),
}


def assert_same_site(expected: Path, built: Path, missing: frozenset[str] = frozenset(),
                     reshaped: frozenset[str] = frozenset()) -> None:
    """``built`` has the pages and files of ``expected`` (but for ``missing``), each page with
    the same title, main text and navigation, and each other file the same content; of a
    file in ``reshaped`` (the search index, which the hooks reshape), only which pages it
    indexes."""
    want, got = site_files(expected) - missing, site_files(built)
    assert got == want, f"only in the reference build: {sorted(want - got)}; only in this one: {sorted(got - want)}"
    assert len(html_pages(built)) > 10
    for name in sorted(want):
        a, b = expected / name, built / name
        if name.endswith(".html"):
            assert page_summary(b) == page_summary(a), name
        elif name in reshaped:
            assert _indexed_pages(b.read_bytes()) == _indexed_pages(a.read_bytes()), name
        elif name in UNORDERED:
            assert UNORDERED[name](b.read_bytes()) == UNORDERED[name](a.read_bytes()), name
        else:
            assert b.read_bytes() == a.read_bytes(), name


def test_makefile_builds_with_properdocs_strictly() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^build-properdocs:", makefile, re.MULTILINE)
    assert "properdocs build --strict" in makefile


def test_properdocs_builds_the_same_site(real_site: Path, tmp_path: Path) -> None:
    """The command `make build-properdocs` runs, for the address the real site was built for."""
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "-f", str(REPO / "mkdocs.yml"), "-d", str(site)],
        cwd=REPO, env=build_env(os.environ[ORIGIN_VAR] + "/"), capture_output=True, text=True, timeout=900,
        stdin=subprocess.DEVNULL, check=False)
    assert result.returncode == 0, result.stderr
    assert_same_site(real_site, site)
