"""Shared fixtures: the real site, built once a run and served for the whole run
(tests/real_site.py), and the minimal fixture site, built once per pytest-xdist worker."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests import real_site as real
from tests.browser.server import SiteServer
from tests.sitebuild import make_fixture, run_build


def pytest_configure(config: pytest.Config) -> None:
    """Start building the real site as the run starts, in the controller (or the only
    process): pytest-xdist's workers, started after this, share it."""
    if hasattr(config, "workerinput") or config.option.collectonly or real.FOLDER_VAR in os.environ:
        return
    config.stash[_BUILD] = real.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    build = config.stash.get(_BUILD, None)
    if build is not None:
        build.stop()


_BUILD = pytest.StashKey[real.RealSiteBuild]()


@pytest.fixture(scope="session")
def site_server() -> SiteServer:
    """The real site, built from this checkout's content with the real build command, and
    served on 127.0.0.1 at the address it was built for."""
    status, output, server = real.wait()
    assert status == 0, output
    return server


@pytest.fixture(scope="session")
def real_site(site_server: SiteServer) -> Path:
    """The real site's folder (see site_server)."""
    return site_server.root


@pytest.fixture(scope="session")
def minimal_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal fixture site, built."""
    project = make_fixture(tmp_path_factory.mktemp("minimal") / "project")
    site = project / "site"
    result = run_build(project / "mkdocs.yml", site)
    assert result.returncode == 0, result.stderr
    return site
