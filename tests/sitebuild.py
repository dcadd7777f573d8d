"""Build the real site or a fixture site as `make build` does, and read its pages.

Shared by the tests and the benchmark (scripts/bench), which builds synthetic sites with
the same mkdocs.yml writer and the same build command.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
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


def build_args(config_file: Path, site_dir: Path) -> list[str]:
    """The engine's build arguments (`python -m oscp ARGS`) for one mkdocs.yml and output folder."""
    return ["build", "-f", str(config_file), "-d", str(site_dir)]


def build_command(config_file: Path, site_dir: Path) -> list[str]:
    """The real build command (`make build` runs it) for one mkdocs.yml and output folder."""
    return [sys.executable, "-m", "oscp", *build_args(config_file, site_dir)]


def build_env(site_url: str | None = None) -> dict[str, str]:
    """The environment `make build` gives the build; ``site_url`` overrides the site's address."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(REPO / "hooks"))
    if site_url:
        env["OSCP_SITE_URL"] = site_url
    return env


def run_build(config_file: Path, site_dir: Path, site_url: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the build command `make build` runs (in this process: see run_oscp), and capture
    its output."""
    return run_oscp(build_args(config_file, site_dir), {"OSCP_SITE_URL": site_url})


def run_oscp(args: list[str], env: dict[str, str | None] | None = None,
             cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the engine's command line, `python -m oscp ARGS` (what each make target runs), in
    this process, with ``env`` set (None unsets) and in ``cwd`` for the while; capture what it
    prints and its exit status. In-process, because starting Python and importing mkdocs for
    each of the suite's fifty builds and checks was a tenth of the suite's work; the real
    site's build (tests/real_site.py) and one test (test_broken_content.py) run the command
    in its own process as make does."""
    from oscp.__main__ import main

    out, err = io.StringIO(), io.StringIO()
    with _environ({"NO_MKDOCS_2_WARNING": "1", **(env or {})}), contextlib.chdir(cwd or os.getcwd()), \
            contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(arg) for arg in args])
        except SystemExit as exc:  # argparse refusing the arguments
            code = exc.code if isinstance(exc.code, int) else 2
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def _environ(changes: dict[str, str | None]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in changes}
    _set_environ(changes)
    try:
        yield
    finally:
        _set_environ(saved)


def _set_environ(values: dict[str, str | None]) -> None:
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


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
    """Every public HTML page of a built site (the editors' form under admin/ is tested in
    test_cms.py)."""
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "admin")
