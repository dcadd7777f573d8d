"""Addresses are a promise: the site's public URLs, redirects from old slugs, and the
committed manifest of published URLs that a build may not silently drop.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from pathlib import Path

from .content import Content
from .problems import Problem

MANIFEST = "published-urls.txt"
MANIFEST_HEADER = (
    "# Every public address of the site. The build fails if one of these would disappear\n"
    "# without a redirect. After adding or removing pages on purpose, run `make urls`.\n"
)


def url_for(src_uri: str) -> str:
    """The public path of a file, by mkdocs's rule for directory URLs ('a/b.md' -> '/a/b/')."""
    if src_uri.endswith(".md"):
        stem = src_uri[: -len(".md")]
        if stem == "index" or stem.endswith("/index"):
            stem = stem[: -len("index")]
        else:
            stem += "/"
        return "/" + stem
    if src_uri.endswith("/index.html"):
        return "/" + src_uri[: -len("index.html")]
    return "/" + src_uri


def redirects(content: Content) -> dict[str, str]:
    """Redirect pages for renamed programmes: old page file -> relative URL of the new page."""
    found = {}
    for slug, entry in content.of("programme").items():
        for old in entry.data.get("former_slugs", []):
            found[f"programmes/{old}/index.html"] = posixpath.relpath(f"programmes/{slug}/", f"programmes/{old}/") + "/"
    return found


def planned_urls(docs_dir: Path, generated: Iterable[str]) -> set[str]:
    """Every public URL a build makes: hand-written pages, generated pages and data files."""
    uris = [p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md")]
    uris += list(generated)
    return {url_for(uri) for uri in uris if not uri.startswith(("assets/", "search/"))}


def read_manifest(path: Path) -> list[str]:
    """The published URLs in a manifest file, in file order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def write_manifest(path: Path, urls: Iterable[str]) -> None:
    path.write_text(MANIFEST_HEADER + "".join(f"{url}\n" for url in sorted(urls)), encoding="utf-8")


def dropped(manifest: Path, urls: set[str]) -> list[Problem]:
    """A problem for every published URL that this build would no longer serve."""
    if not manifest.is_file():
        return []
    problems = []
    for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), start=1):
        url = line.strip()
        if url and not url.startswith("#") and url not in urls:
            problems.append(Problem(
                manifest.name, number, 1, f"published address {url} would disappear",
                "if a programme was renamed, add its old slug to former_slugs so the address "
                "redirects; if the page was removed on purpose, run `make urls`"))
    return problems
