"""Shared fixtures: the real site and the minimal fixture site, each built once a session
(once per pytest-xdist worker)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sitebuild import REPO, free_port, make_fixture, run_build


@pytest.fixture(scope="session")
def site_port() -> int:
    """The port the browser tests serve the real site on; the site is built for it, because
    material's instant navigation only follows links to addresses in the sitemap."""
    return free_port()


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory, site_port: int) -> Path:
    """The real site, built from this checkout's content with the real build command."""
    site = tmp_path_factory.mktemp("real") / "site"
    result = run_build(REPO / "mkdocs.yml", site, site_url=f"http://127.0.0.1:{site_port}/")
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def minimal_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal fixture site, built."""
    project = make_fixture(tmp_path_factory.mktemp("minimal") / "project")
    site = project / "site"
    result = run_build(project / "mkdocs.yml", site)
    assert result.returncode == 0, result.stderr
    return site
