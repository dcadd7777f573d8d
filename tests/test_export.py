"""`python -m oscp export DIR` writes a plain project that a stock mkdocs-material build (no
hooks, no engine on the path) turns into the same pages, with the same main text, as
`make build`; and it never writes into the project (issue 28)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from oscp.export import HEADER
from tests.real_site import ORIGIN_VAR
from tests.sitebuild import REPO, make_fixture, run_oscp
from tests.test_properdocs import assert_same_site, site_files


def _listing(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*")}


def _stock_build(project: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` in ``project``, as anyone would run it: the engine not importable."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                          cwd=project, env=env, capture_output=True, text=True, timeout=900,
                          stdin=subprocess.DEVNULL, check=False)


def test_the_export_builds_into_the_same_site_without_hooks(real_site: Path, tmp_path: Path) -> None:
    docs = _listing(REPO / "docs")
    project = tmp_path / "export"
    result = run_oscp(["export", project], {"OSCP_SITE_URL": os.environ[ORIGIN_VAR] + "/"}, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert _listing(REPO / "docs") == docs, "the export wrote into the project's docs/"

    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "hooks" not in config
    assert not (project / "hooks").exists() and not (project / "content").exists()
    assert (project / "docs" / "programmes" / "index.md").is_file()  # generated pages, as Markdown
    assert (project / "docs" / "api" / "v1" / "index.json").is_file()  # and the data files

    site = tmp_path / "site"
    built = _stock_build(project, site)
    assert built.returncode == 0, built.stderr
    # what the hooks do to the built site a stock build cannot do: _headers and the pages'
    # security policy (oscp.csp; the policy sits in <head>, outside what is compared), and the
    # search index's shape (each page's HTML is cleaned, oscp.clean, before material indexes
    # it, and the index is reshaped after the build, oscp.search_index): the same pages only.
    # The editors' CMS (admin/) is left out: it edits content/, which the export does not have.
    cms = {name for name in site_files(real_site) if name.startswith("admin/")}
    assert_same_site(real_site, site, missing=frozenset({"_headers", *cms}),
                     reshaped=frozenset({"search/search_index.json"}))


def test_the_export_replaces_an_earlier_export(tmp_path: Path) -> None:
    fixture = make_fixture(tmp_path / "project")
    out = tmp_path / "export"
    assert run_oscp(["export", out, "-f", fixture / "mkdocs.yml"], cwd=REPO).returncode == 0
    assert (out / "mkdocs.yml").read_text(encoding="utf-8").startswith(HEADER)
    (out / "docs" / "stale.md").write_text("left over", encoding="utf-8")
    result = run_oscp(["export", out, "-f", fixture / "mkdocs.yml"], cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert not (out / "docs" / "stale.md").exists()
    config = yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"]["custom_dir"] == "overrides" and (out / "overrides" / "main.html").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".oscp-export")] == []


def test_the_export_refuses_the_projects_docs_and_other_folders(tmp_path: Path) -> None:
    fixture = make_fixture(tmp_path / "project")
    before = _listing(fixture)
    inside = run_oscp(["export", fixture / "docs" / "out", "-f", fixture / "mkdocs.yml"], cwd=REPO)
    assert inside.returncode == 1
    assert "inside the project's docs folder" in inside.stderr
    over = run_oscp(["export", fixture, "-f", fixture / "mkdocs.yml"], cwd=REPO)
    assert over.returncode == 1
    assert _listing(fixture) == before
    other = tmp_path / "notes"
    other.mkdir()
    (other / "keep.txt").write_text("mine", encoding="utf-8")
    refused = run_oscp(["export", other, "-f", fixture / "mkdocs.yml"], cwd=REPO)
    assert refused.returncode == 1
    assert "not empty and not an earlier export" in refused.stderr
    assert (other / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_bad_content_exports_nothing(tmp_path: Path) -> None:
    fixture = make_fixture(tmp_path / "project")
    broken = next((fixture / "content" / "programmes").glob("*.yml"))
    broken.write_text(broken.read_text(encoding="utf-8") + "sumary: x\n", encoding="utf-8")
    result = run_oscp(["export", tmp_path / "export", "-f", fixture / "mkdocs.yml"], cwd=REPO)
    assert result.returncode == 1
    assert f"{broken.name}:" in result.stderr and "nothing was exported" in result.stderr
    assert not (tmp_path / "export").exists()
