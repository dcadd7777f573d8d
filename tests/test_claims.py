"""Claims say no more than their source (issue 26): "In short" sums up its page, dated
sections are not written in the present tense, and a status gives the report's year.

The checks in hooks/oscp/claims.py are tested on small examples that must fail, and on the
real content, which must pass them; a programme page is rendered to show its status with
the report's year and source, and its "In short" with the page's sources.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from oscp import claims, readability
from oscp.load import load_content
from oscp.model import Entry
from oscp.pages import build_pages
from oscp.yaml_files import parse_yaml_bytes
from tests.sitebuild import REPO, make_fixture

PROGRAMMES = sorted((REPO / "content" / "programmes").glob("*.yml"))
PRIORITIES = sorted((REPO / "content" / "priorities").glob("*.yml"))


def _entry(kind: str, path: Path) -> Entry:
    doc, problems = parse_yaml_bytes(path.read_bytes(), str(path))
    assert doc is not None, problems
    return Entry(kind, path.stem, doc)


def _entry_from_text(tmp_path: Path, kind: str, text: str) -> Entry:
    path = tmp_path / f"{kind}.yml"
    path.write_text(text, encoding="utf-8")
    return _entry(kind, path)


# --- the checks, on small examples -------------------------------------------------------

def test_numbers_are_normalised() -> None:
    found = claims.numbers("In 2018-19, 7,292 needles; £53,000 and 24.1%; Thirty people; twenty-six plans.")
    assert {"2018-19", "7292", "53000", "24.1", "30", "26"} <= found
    assert "2018" not in found, "a financial year is one period, not its first year"


def test_in_short_with_a_number_its_page_lacks_fails() -> None:
    page = "In 2022-23, 76 survivors and their families were kept safe in their home."
    assert claims.in_short_missing("In 2022-23 it kept 76 families safe.", page) == []
    assert claims.in_short_missing("In 2023 it kept 80 families safe, as in 2022-23.", page) == ["2023", "80"]
    assert claims.in_short_missing("It helped thirty people.", "30 people were helped.") == []


def test_present_tense_is_found_only_under_a_dated_heading() -> None:
    text = (
        "City Centre Ambassadors patrol the streets.\n\n"
        "### Work in 2018-19\n\n"
        "All drivers are safeguarding trained.\n"
        "Enforcement work increased in the evenings.\n\n"
        "- a police officer who works with communities\n"
        '- the review says "all drivers are safeguarding trained"\n\n'
        "### What the report does not say\n\n"
        "The report does not say which drivers. The scheme is still running.\n"
    )
    found = claims.present_tense_in_dated_sections(text)
    assert [(c.period, c.sentence) for c in found] == [
        ("2018-19", "All drivers are safeguarding trained."),
        ("2018-19", "a police officer who works with communities"),
    ]
    # a whole text can be dated, e.g. a priority's detail on that year's page
    assert [c.sentence for c in claims.present_tense_in_dated_sections(
        "The scheme provides locks. The partnership agreed to keep doing so.", "2018-19")] == [
        "The scheme provides locks."]


def test_status_period_must_hold_its_year() -> None:
    assert claims.status_period_problem({"state": "running", "year": 2023, "period": "2022-23"}) == ""
    assert claims.status_period_problem({"state": "running", "year": 2023}) == ""
    assert "not in period" in claims.status_period_problem({"state": "ended", "year": 2021, "period": "2019"})
    assert "financial year" in claims.status_period_problem({"state": "ended", "year": 2019, "period": "2019-21"})


FAILING_PROGRAMME = """\
slug: example
in_short: The scheme helps 80 families a year. All drivers have safeguarding training. It has run since 2015.
status: {state: last-reported, year: 2021, period: "2018-19", source: {source: a-report, at: paragraph 1}}
body: |
  The scheme helped 76 families in 2018-19.

  ### Work in 2018-19

  All drivers are safeguarding trained.
dated_facts:
  - period: 2018-19
    text: City Centre Ambassadors patrol every day.
    source: {source: a-report, at: paragraph 2}
"""


def test_a_failing_programme_gets_warnings_that_do_not_stop_a_build(tmp_path: Path) -> None:
    problems = list(claims.check_entry(_entry_from_text(tmp_path, "programme", FAILING_PROGRAMME)))
    messages = [p.message for p in problems]
    assert all(p.severity == "warning" for p in problems)
    assert "in_short says 80, 2015, which the page does not" in messages
    assert any(m.startswith("present tense under 2018-19: 'All drivers are safeguarding trained.'")
               for m in messages)
    assert any("'City Centre Ambassadors patrol every day.'" in m for m in messages)
    assert "year 2021 is not in period 2018-19" in messages
    located = [p for p in problems if "All drivers" in p.message][0]
    assert located.line == 9, "the warning points at the sentence's line in the file"


def test_a_long_in_short_is_flagged(tmp_path: Path) -> None:
    long_text = " ".join(["word"] * claims.IN_SHORT_MAX_WORDS)
    entry = _entry_from_text(tmp_path, "programme", f"in_short: {long_text}\nbody: word\n")
    assert any("words" in p.message for p in claims.check_entry(entry))


# --- the real content --------------------------------------------------------------------

@pytest.mark.parametrize("path", PROGRAMMES, ids=[p.stem for p in PROGRAMMES])
def test_real_in_short_sums_up_its_page(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    in_short = data["in_short"]
    assert claims.in_short_missing(in_short, claims.page_text(data)) == []
    assert claims.word_count(in_short) < claims.IN_SHORT_MAX_WORDS
    assert readability.grade(in_short) <= readability.IN_SHORT_GRADE


@pytest.mark.parametrize("path", PROGRAMMES, ids=[p.stem for p in PROGRAMMES])
def test_real_status_gives_the_reports_year_and_source(path: Path) -> None:
    status = yaml.safe_load(path.read_text(encoding="utf-8"))["status"]
    assert status["state"] in {"running", "last-reported", "ended"}
    assert status.get("period"), "give the year as the report gives it, e.g. period: 2020-21"
    assert claims.status_period_problem(status) == ""
    assert status["source"]["source"] and status["source"]["at"].strip()


@pytest.mark.parametrize("path", PROGRAMMES + PRIORITIES, ids=[p.stem for p in PROGRAMMES + PRIORITIES])
def test_real_content_has_no_present_tense_in_dated_sections(path: Path) -> None:
    kind = "programme" if path.parent.name == "programmes" else "priorities"
    assert [p.format() for p in claims.check_entry(_entry(kind, path))] == []


# --- the rendered page -------------------------------------------------------------------

def test_page_shows_status_year_in_short_sources_and_dated_facts(tmp_path: Path) -> None:
    project = make_fixture(tmp_path / "project")
    programme = project / "content" / "programmes" / "test-programme.yml"
    text = programme.read_text(encoding="utf-8").replace(
        "status: {state: running, year: 2023,", 'status: {state: running, year: 2023, period: "2022-23",')
    text += ("dated_facts:\n  - period: 2021-22\n    text: The programme helped test residents.\n"
             "    source: {source: test-report, at: paragraph 4}\n")
    programme.write_text(text, encoding="utf-8")
    content = load_content(project / "content", display_base=project)
    [made] = build_pages(content, only={"programmes/test-programme.md"})
    markdown = made.markdown
    status = next(line for line in markdown.splitlines() if "<dt>Status</dt>" in line)
    assert "Running (since at least 2020)<br>" in status
    assert "<small>Reported running in 2022-23: [Test Report 2023, paragraph 2]" in status
    short = next(line for line in markdown.splitlines() if "oscp-in-short-sources" in line)
    assert "From this page's sources: [Test Report 2023](" in short
    year_by_year = markdown[markdown.index("## Year by year\n\n### In 2021-22\n"):]
    assert year_by_year.index("The programme helped test residents") < year_by_year.index(
        "(Source: [Test Report 2023, paragraph 4](") < year_by_year.index("## Partners")
