"""Valid HTML, as the W3C's own checker sees it: the Nu Html Checker (vnu-jar, pinned in
package-lock.json, run on Debian's Java) checks every page of the real site in one run.

Any error from our templates, generated Markdown or content fails the test. Errors from
Material's own markup are either fixed in a small override or listed, with the template
they come from and why they stay, in tests/standards/vnu-allowlist.yml, which matches the
checker's messages exactly. In CI a missing java or vnu.jar fails; locally it skips.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import yaml

from tests.sitebuild import REPO, html_pages

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ALLOWLIST = REPO / "tests" / "standards" / "vnu-allowlist.yml"


def _tools() -> str:
    """The java command, or skip (fail in CI) with the reason."""
    java = shutil.which("java")
    missing = []
    if java is None:
        missing.append("java (Debian: apt-get install default-jre-headless)")
    if not VNU.is_file():
        missing.append(f"{VNU.relative_to(REPO)} (run npm ci)")
    if missing:
        message = "Nu Html Checker needs " + " and ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    assert java is not None
    return java


def check(files: list[Path]) -> list[dict[str, object]]:
    """The checker's messages for ``files``, from one JVM."""
    java = _tools()
    # one short run: the quick JIT tier only, which halves the JVM's CPU for the same messages,
    # and the one-thread collector, as the run is too short for a parallel one to pay
    result = subprocess.run([java, "-Xss2m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(VNU),
                             "--format", "json", "--exit-zero-always", *map(str, files)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stderr or result.stdout)["messages"]


def _errors(messages: list[dict[str, object]]) -> list[dict[str, object]]:
    """Errors and fatal errors (not info or warnings)."""
    return [m for m in messages if m["type"] in ("error", "non-document-error")]


def allowed() -> dict[str, dict[str, object]]:
    entries = yaml.safe_load(ALLOWLIST.read_text(encoding="utf-8"))
    for entry in entries:
        assert entry["template"].startswith("material/") and entry["why"].strip(), entry
    return {entry["message"]: entry for entry in entries}


#: A page with a skipped heading level and a duplicate id: the checker must find both.
BAD_PAGE = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
            '<body><h1 id="a">A</h1><h3 id="a">B</h3></body></html>')


@pytest.fixture(scope="module")
def checked(real_site: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, object]]]:
    """The checker's messages for every page of the real site and for BAD_PAGE (its path is
    returned too), from one JVM: starting Java costs as much as checking thirty pages."""
    bad = tmp_path_factory.mktemp("vnu") / "bad.html"
    bad.write_text(BAD_PAGE, encoding="utf-8")
    return bad, check([*html_pages(real_site), bad])


def _about(messages: list[dict[str, object]], page: Path) -> list[dict[str, object]]:
    return [m for m in messages if str(m.get("url", "")).endswith(page.as_posix())]


@pytest.fixture(scope="module")
def report(real_site: Path, checked: tuple[Path, list[dict[str, object]]]) -> list[dict[str, object]]:
    """The messages about the real site's pages."""
    return [m for m in checked[1] if str(real_site) in str(m.get("url", ""))]


def test_every_page_is_valid_html_but_for_reviewed_material_errors(real_site: Path,
                                                                    report: list[dict[str, object]]) -> None:
    allow = allowed()
    ours = [f"{str(m['url']).split(str(real_site))[-1]}:{m.get('lastLine')}: {m['message']}"
            for m in _errors(report) if m["message"] not in allow]
    assert ours == [], "\n".join(ours)


def test_allowed_errors_are_only_the_reviewed_ones(real_site: Path, report: list[dict[str, object]]) -> None:
    """Each allowed message still occurs (else drop it from the list), and no more often than
    the template gives it per page (a second copy would be a new source)."""
    allow = allowed()
    pages = html_pages(real_site)
    material_pages = [p for p in pages if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]
    counts = Counter(m["message"] for m in _errors(report) if m["message"] in allow)
    for message, entry in allow.items():
        assert 0 < counts[message] <= entry["count_per_page"] * len(material_pages), message


def test_the_checker_finds_errors_in_our_markup(checked: tuple[Path, list[dict[str, object]]]) -> None:
    """The check has teeth: a skipped heading level and a duplicate id are errors."""
    bad, messages_of_the_run = checked
    messages = {m["message"] for m in _errors(_about(messages_of_the_run, bad))}
    assert any("skipping 1 heading level" in m for m in messages), messages
    assert any("Duplicate ID" in m for m in messages), messages
