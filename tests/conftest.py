"""Shared fixtures: the real site and the minimal fixture site, each built once a session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sitebuild import REPO, make_fixture, run_build


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built from this checkout's content with the real build command."""
    site = tmp_path_factory.mktemp("real") / "site"
    result = run_build(REPO / "mkdocs.yml", site)
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
