"""Helpers the tests share: build the real site or a fixture site, and read its pages."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"

FIXTURE_NAV = """
nav:
  - Home: index.md
  - Get help: get-help/index.md
  - Programmes: programmes/index.md
  - Priorities: priorities/index.md
  - Data: data/index.md
  - Sources: sources/index.md
  - Partners: partners/index.md
"""


def run_build(config_file: Path, site_dir: Path, site_url: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real build command, as `make build` does, and capture its output."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(REPO / "hooks"))
    if site_url:
        env["OSCP_SITE_URL"] = site_url
    return subprocess.run(
        [sys.executable, "-m", "oscp", "build", "-f", str(config_file), "-d", str(site_dir)],
        capture_output=True, text=True, env=env, timeout=300,
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_fixture(dest: Path, overlay: Path | None = None, base: str = "minimal") -> Path:
    """Copy a fixture site to ``dest``, lay ``overlay`` over it, and give it a mkdocs.yml.

    The mkdocs.yml inherits the real one, so fixture sites use the real hooks,
    templates and settings.
    """
    shutil.copytree(FIXTURES / base, dest, dirs_exist_ok=True)
    if overlay is not None:
        lay_over(dest, overlay)
    schemas = dest / "content" / "schemas"
    if not schemas.exists():
        shutil.copytree(REPO / "content" / "schemas", schemas)
    (dest / "mkdocs.yml").write_text(
        f"INHERIT: {REPO / 'mkdocs.yml'}\n"
        f"theme:\n  name: material\n  custom_dir: {REPO / 'overrides'}\n"
        f"hooks:\n  - {REPO / 'hooks' / 'oscp_hooks.py'}\n"
        "watch: []\n" + FIXTURE_NAV,
        encoding="utf-8",
    )
    return dest


def lay_over(project: Path, overlay: Path) -> None:
    """Copy a broken-content case's files over a fixture project."""
    shutil.copytree(overlay, project, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("expected.txt", "README.md"))


def page(site: Path, url_path: str) -> BeautifulSoup:
    """Parse the built page at a site path such as 'programmes/nightsafe/'."""
    path = site / url_path
    if url_path.endswith("/") or url_path == "":
        path = path / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def html_pages(site: Path) -> list[Path]:
    """Every HTML page of a built site."""
    return sorted(site.rglob("*.html"))
