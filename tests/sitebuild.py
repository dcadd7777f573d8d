"""Build the real site or a fixture site as `make build` does, and read its pages.

Shared by the tests and the benchmark (scripts/bench), which builds synthetic sites with
the same mkdocs.yml writer and the same build command.
"""

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


def build_command(config_file: Path, site_dir: Path) -> list[str]:
    """The real build command (`make build` runs it) for one mkdocs.yml and output folder."""
    return [sys.executable, "-m", "oscp", "build", "-f", str(config_file), "-d", str(site_dir)]


def build_env(site_url: str | None = None) -> dict[str, str]:
    """The environment `make build` gives the build; ``site_url`` overrides the site's address."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(REPO / "hooks"))
    if site_url:
        env["OSCP_SITE_URL"] = site_url
    return env


def run_build(config_file: Path, site_dir: Path, site_url: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real build command, as `make build` does, and capture its output."""
    return subprocess.run(build_command(config_file, site_dir), capture_output=True, text=True,
                          env=build_env(site_url), timeout=300)


def write_config(project: Path, nav: str = "") -> Path:
    """Give ``project`` a mkdocs.yml that inherits the real one, so that the project is built
    with the real hooks, templates and settings; return its path."""
    config = project / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {REPO / 'mkdocs.yml'}\n"
        f"theme:\n  name: material\n  custom_dir: {REPO / 'overrides'}\n"
        f"hooks:\n  - {REPO / 'hooks' / 'oscp_hooks.py'}\n"
        "watch: []\n" + nav,
        encoding="utf-8",
    )
    return config


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_fixture(dest: Path, overlay: Path | None = None, base: str = "minimal") -> Path:
    """Copy a fixture site to ``dest``, lay ``overlay`` over it, and give it a mkdocs.yml
    (see write_config)."""
    shutil.copytree(FIXTURES / base, dest, dirs_exist_ok=True)
    if overlay is not None:
        lay_over(dest, overlay)
    schemas = dest / "content" / "schemas"
    if not schemas.exists():
        shutil.copytree(REPO / "content" / "schemas", schemas)
    write_config(dest, FIXTURE_NAV)
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
