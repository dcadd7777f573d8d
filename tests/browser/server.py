"""Serve a built site on 127.0.0.1, launch Debian's Chromium, and record what a page does.

Besides the site, the server answers two requests that only the tests make: axe-core at
AXE_PATH, and, for a request that carries the WITHOUT_SEARCH_DOCUMENTS header, the site's
search index emptied of documents (see walk.py). Both are answered by the server, not by
Playwright's request interception, because intercepting requests turns off the browser's
cache, and the walk leans on it: Chromium keeps the code it compiled for a script it has
cached (material's bundle, plotly, axe-core) from one page to the next.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.sitebuild import REPO

CHROMIUM = os.environ.get("OSCP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions",
]


AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_PATH = "/__tests__/axe.min.js"  # not a path the site can have
#: Sent by a browser context that wants each page's search index without its documents.
SEARCH_INDEX_HEADER, WITHOUT_DOCUMENTS = "X-OSCP-Search-Index", "without-documents"
WITHOUT_SEARCH_DOCUMENTS = {SEARCH_INDEX_HEADER: WITHOUT_DOCUMENTS}
SEARCH_INDEX = "/search/search_index.json"


class _SiteHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def translate_path(self, path: str) -> str:
        if urlparse(path).path == AXE_PATH:
            return str(AXE)
        return super().translate_path(path)

    def do_GET(self) -> None:
        asked = self.headers.get(SEARCH_INDEX_HEADER) == WITHOUT_DOCUMENTS
        if asked and urlparse(self.path).path.endswith(SEARCH_INDEX):
            index = _read_json(Path(self.translate_path(self.path)))
            if isinstance(index, dict):
                body = json.dumps({**index, "docs": []}).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            # missing or not JSON: answered as it is (a 404, or the broken file), so it still fails the page
        super().do_GET()


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None


@dataclass
class SiteServer:
    """A built site served over HTTP on 127.0.0.1."""

    root: Path
    origin: str

    def url(self, path: str = "") -> str:
        return f"{self.origin}/{path.lstrip('/')}"

    def page_paths(self) -> list[str]:
        """The URL path of every page of the site (directory URLs for index.html)."""
        paths = []
        for html in sorted(self.root.rglob("*.html")):
            if html.relative_to(self.root).parts[0] == "admin":
                continue  # the editors' form, not a public page: tested in test_cms.py
            if 'http-equiv="refresh"' in html.read_text(encoding="utf-8"):
                continue  # a redirect from an old address, tested in test_redirects.py
            rel = html.relative_to(self.root).as_posix()
            paths.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        return paths


def listen(root: Path, port: int = 0) -> ThreadingHTTPServer:
    """A server for ``root`` (and the tests' requests: see the module's docstring) that holds
    ``port`` on 127.0.0.1 (0: a free one) from now on, and answers once served (serve)."""
    return ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_SiteHandler, directory=str(root)))


def serve(root: Path, port: int = 0, *, server: ThreadingHTTPServer | None = None) -> Iterator[SiteServer]:
    """Serve ``root`` (with ``server``, made by listen, or a new one on ``port``) until the
    generator is closed."""
    server = server or listen(root, port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield SiteServer(root, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()


def quiet_context(browser: Browser, **options: object) -> BrowserContext:
    """A new browser context (``options`` as for ``browser.new_context``) whose pages get the
    search index without its documents, as in the walk: for a test that loads pages but
    does not search (building the real index is a quarter of a page load's work)."""
    return browser.new_context(extra_http_headers=WITHOUT_SEARCH_DOCUMENTS, **options)


def launch() -> Iterator[Browser]:
    """Debian's Chromium, headless; a clear skip (or failure in CI) when it is missing."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM} (install Debian's chromium package)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                             headless=True)
        yield browser
        browser.close()


@dataclass
class PageLog:
    """What happened while a page loaded: console errors, failures, every request."""

    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def foreign(self, origin: str) -> list[str]:
        """Requests to any origin other than ``origin`` (data: and blob: URLs are local)."""
        ours = urlparse(origin).netloc
        return [u for u in self.requests
                if urlparse(u).scheme not in {"data", "blob", "about"} and urlparse(u).netloc != ours]

    def take(self) -> PageLog:
        """What was recorded so far, as a new log; this one starts again empty."""
        taken = PageLog(list(self.console_errors), list(self.failed), list(self.requests))
        self.console_errors.clear()
        self.failed.clear()
        self.requests.clear()
        return taken


def watch(page: Page) -> PageLog:
    """Start recording a page's console errors and network activity."""
    log = PageLog()
    page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log.console_errors.append(str(e)))
    page.on("requestfailed", lambda r: log.failed.append(f"{r.url} ({r.failure})"))
    page.on("request", lambda r: log.requests.append(r.url))
    page.on("response", lambda r: log.failed.append(f"{r.url} (HTTP {r.status})")
            if r.status >= 400 else None)
    return log
