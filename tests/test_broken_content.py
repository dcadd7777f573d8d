"""The broken-content corpus: each case must be refused with its exact messages.

Each folder in tests/fixtures/broken/ is the minimal fixture site with one or more files
added or replaced, and an ``expected.txt`` holding the exact ``file:line:col`` lines that
`make check` and `make build` must print. Every case goes through the loader that both
commands call (in this process, so the corpus stays fast); a sample of cases, one of each
family, also goes through the build command (`python -m oscp build`, in this process too),
which must exit non-zero, show no traceback and write nothing; one case goes through it in
its own Python process, exactly as `make build` runs it.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from oscp.load import load_project
from oscp.problems import ContentError
from tests.sitebuild import FIXTURES, build_command, build_env, lay_over, make_fixture, run_build

CASES = sorted(p for p in (FIXTURES / "broken").iterdir() if p.is_dir())
#: one case of each family, built end to end with the real build command
BUILT = ["alias-bomb", "attr-onmouseover-paragraph", "flow-nesting-bomb", "block-nesting-bomb",
         "missing-two-fields", "number-nan", "link-missing-anchor-other-page", "ref-javascript",
         "slug-index", "control-rtl-override", "not-utf8", "markdown-bracket-run", "dangling-reference",
         "unknown-folder"]


def _problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("content/")]


def _expected(case: Path) -> list[str]:
    return (case / "expected.txt").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_check_refuses_the_case(case: Path, tmp_path: Path) -> None:
    project = make_fixture(tmp_path / "project", case)
    with pytest.raises(ContentError) as refused:
        load_project(project)
    assert _problem_lines(refused.value.report()) == _expected(case)


@pytest.mark.parametrize("name", BUILT)
def test_build_refuses_the_case_and_writes_nothing(name: str, tmp_path: Path) -> None:
    case = FIXTURES / "broken" / name
    project = make_fixture(tmp_path / "project", case)
    result = run_build(project / "mkdocs.yml", project / "site")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert _problem_lines(result.stderr) == _expected(case)
    assert not (project / "site").exists(), "a failed build must not write a site"


def test_build_command_refuses_in_its_own_process(tmp_path: Path) -> None:
    """`make build`'s own command, in its own Python process: exit status 1, every problem,
    no traceback, nothing written."""
    case = FIXTURES / "broken" / "missing-two-fields"
    project = make_fixture(tmp_path / "project", case)
    result = subprocess.run(build_command(project / "mkdocs.yml", project / "site"), capture_output=True,
                            text=True, env=build_env(), timeout=300)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert _problem_lines(result.stderr) == _expected(case)
    assert not (project / "site").exists()


def test_every_family_is_built_end_to_end() -> None:
    assert set(BUILT) <= {case.name for case in CASES}


def test_failed_build_keeps_the_last_good_site(tmp_path: Path) -> None:
    project = make_fixture(tmp_path / "project")
    site = project / "site"
    assert run_build(project / "mkdocs.yml", site).returncode == 0
    before = (site / "index.html").read_bytes()
    lay_over(project, FIXTURES / "broken" / "missing-field")
    result = run_build(project / "mkdocs.yml", site)
    assert result.returncode == 1
    assert (site / "index.html").read_bytes() == before
    assert (site / "programmes" / "test-programme" / "index.html").exists()
    leftovers = [p.name for p in project.iterdir() if p.name.startswith(".site-")]
    assert leftovers == []


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_symlink_outside_content_is_refused(tmp_path: Path) -> None:
    project = make_fixture(tmp_path / "project")
    outside = tmp_path / "elsewhere.yml"
    outside.write_text("id: elsewhere\nname: Elsewhere\nkind: other\n", encoding="utf-8")
    (project / "content" / "organisations" / "elsewhere.yml").symlink_to(outside)
    result = run_build(project / "mkdocs.yml", project / "site")
    assert result.returncode == 1
    assert _problem_lines(result.stderr) == [
        "content/organisations/elsewhere.yml:1:1: symbolic link points outside content/ "
        "(copy the file into content/ instead of linking to it)"
    ]


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    """Problems in several files come out together, sorted by file and line."""
    project = make_fixture(tmp_path / "project", FIXTURES / "broken" / "wrong-type")
    lay_over(project, FIXTURES / "broken" / "invalid-phone")
    lay_over(project, FIXTURES / "broken" / "alias-bomb")
    result = run_build(project / "mkdocs.yml", project / "site")
    lines = _problem_lines(result.stderr)
    assert len(lines) == 4
    files = [line.split(":")[0] for line in lines]
    assert files == sorted(files)
    assert {f.rsplit("/", 1)[-1] for f in files} == {"bomb.yml", "test-helpline.yml",
                                                     "test-programme.yml"}


def test_very_large_file_is_refused(tmp_path: Path) -> None:
    project = make_fixture(tmp_path / "project")
    big = project / "content" / "organisations" / "big.yml"
    big.write_text("id: big\nname: Big\nkind: other\n# " + "x" * 300_000 + "\n", encoding="utf-8")
    result = run_build(project / "mkdocs.yml", project / "site")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert _problem_lines(result.stderr) == [
        "content/organisations/big.yml:1:1: file is 293 KB, over the 256 KB limit (split it into smaller entries)"]


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    project = make_fixture(tmp_path / "project")
    council = project / "content" / "organisations" / "test-council.yml"
    council.write_bytes(b"\xef\xbb\xbf" + council.read_bytes())
    result = run_build(project / "mkdocs.yml", project / "site")
    assert result.returncode == 0, result.stderr
