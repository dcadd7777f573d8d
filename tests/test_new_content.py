"""`python -m oscp new` writes skeletons that load without errors, and refuses bad requests."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
import yaml

from oscp import scaffold as new_content
from oscp.load import load_content
from oscp.problems import ContentError
from tests.sitebuild import REPO, make_fixture, run_oscp

CASES = [
    ("programme", "Street Safety Patrols", "programmes/street-safety-patrols.yml", "slug", "street-safety-patrols"),
    ("service", "Oxford Night Helpline", "services/oxford-night-helpline.yml", "id", "oxford-night-helpline"),
    ("dataset", "Cycle thefts by month, 2024", "datasets/cycle-thefts-by-month-2024.yml", "id",
     "cycle-thefts-by-month-2024"),
    ("priorities", "2024-25", "priorities/2024-25.yml", "year", "2024-25"),
]


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return make_fixture(tmp_path / "project")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return run_oscp(["new", *args])


@pytest.mark.parametrize(("kind", "name", "relative", "id_field", "expected_id"), CASES,
                         ids=[case[0] for case in CASES])
def test_skeleton_is_valid_but_for_its_placeholders(project: Path, kind, name, relative, id_field,
                                                   expected_id) -> None:
    result = _run(kind, name, "--root", str(project))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"wrote content/{relative}", "now edit it, then run make check"]
    path = project / "content" / relative
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data[id_field] == expected_id
    today = date.today()
    assert data["last_reviewed"] == today
    assert data["review_by"] == new_content.add_months(today, 6)
    assert "REPLACE:" in path.read_text(encoding="utf-8")

    # the only problems are the placeholders an editor must fill in, each at its own line
    with pytest.raises(ContentError) as raised:
        load_content(project / "content")
    problems = raised.value.problems
    assert problems and {p.message for p in problems} == {"placeholder text left in the entry"}
    assert {p.path for p in problems} == {f"content/{relative}"}
    lines = path.read_text(encoding="utf-8").splitlines()
    assert all("REPLACE:" in lines[p.line - 1][p.col - 1:] for p in problems)

    # once every placeholder is filled in, the entry loads without errors
    path.write_text(path.read_text(encoding="utf-8").replace("REPLACE:", "Filled in:"), encoding="utf-8")
    content = load_content(project / "content")
    loaded = content.of(kind)[expected_id].data
    assert loaded[id_field] == expected_id
    if kind == "programme":
        assert loaded["sources"][0] == {"source": "test-report", "at": "Filled in: paragraph"}
    if kind == "dataset":
        assert len(loaded["charts"]) == 1


@pytest.mark.parametrize(("kind", "name", "relative"), [case[:3] for case in CASES], ids=[c[0] for c in CASES])
def test_refuses_to_overwrite(project: Path, kind, name, relative) -> None:
    path = project / "content" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("keep me\n", encoding="utf-8")
    result = _run(kind, name, "--root", str(project))
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert path.read_text(encoding="utf-8") == "keep me\n"


def test_refuses_a_name_with_an_empty_slug(project: Path) -> None:
    before = sorted((project / "content").rglob("*"))
    result = _run("programme", "!!! ---", "--root", str(project))
    assert result.returncode == 1
    assert "page address" in result.stderr
    assert sorted((project / "content").rglob("*")) == before


@pytest.mark.parametrize("name", ["2024", "24-25", "2024-2025", "next year"])
def test_refuses_a_priorities_year_in_the_wrong_form(project: Path, name: str) -> None:
    with pytest.raises(new_content.ScaffoldError, match="not a year"):
        new_content.scaffold("priorities", name, project)


def test_refuses_html_in_the_name(project: Path) -> None:
    with pytest.raises(new_content.ScaffoldError, match="without < or >"):
        new_content.scaffold("service", "<b>Help</b>", project)


def test_cites_the_first_source_of_the_real_content() -> None:
    first = sorted((REPO / "content" / "sources").glob("*.yml"))[0].stem
    assert new_content.first_source(REPO / "content") == first


@pytest.mark.parametrize(("name", "slug"), [
    ("Street Safety Patrols", "street-safety-patrols"),
    ("Women's Safety & Support", "womens-safety-and-support"),
    ("  Café   Nights -- 2024 ", "cafe-nights-2024"),
    ("x" * 70, "x" * 60),
])
def test_slugify(name: str, slug: str) -> None:
    assert new_content.slugify(name) == slug


@pytest.mark.parametrize(("day", "later"), [
    (date(2026, 11, 21), date(2027, 5, 21)),
    (date(2026, 8, 31), date(2027, 2, 28)),
    (date(2027, 8, 31), date(2028, 2, 29)),
    (date(2026, 6, 30), date(2026, 12, 30)),
])
def test_six_months_later(day: date, later: date) -> None:
    assert new_content.add_months(day, 6) == later


def test_dates_are_passed_through(project: Path) -> None:
    path = new_content.scaffold("programme", "Dated", project, today=date(2026, 8, 31))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert (data["last_reviewed"], data["review_by"], data["status"]["year"]) == \
        (date(2026, 8, 31), date(2027, 2, 28), 2026)
