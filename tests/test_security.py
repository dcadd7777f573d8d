"""Content can never run code, call out or crash the build (issue 11).

In-process tests of the Markdown allowlist (every form of link and image, every disguise of a
scheme), of bounded input, and one end-to-end build of the fixture site with the worst
content that is allowed to build: no page may carry an event handler, a script or data
address, or a reference to another origin outside a link, and every page carries the policy.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from markupsafe import escape

from oscp.load import load_content
from oscp.problems import ContentError
from oscp.safe_markdown import _escape, checker_for, image_problem, link_problem
from tests.sitebuild import FIXTURES, REPO, html_pages, make_fixture, run_build

SCHEMES = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>", "vbscript:msgbox",
           "file:///etc/passwd", "java\tscript:alert(1)", "java\nscript:alert(1)", " javascript:alert(1)",
           "&#106;avascript:alert(1)", "&#x6A;avascript:alert(1)", "javascript&colon;alert(1)",
           "jav&#x09;ascript:alert(1)", "\u0000javascript:alert(1)", "//evil.example/x", "/\\evil.example/x",
           "http://evil.example/", "mailto:someone@evil.example", "https:evil.example"]
FORMS = ["[x]({u})", "[x](<{u}>)", "[x][r]\n\n[r]: {u}", "[x][r]\n\n[r]: <{u}>", "[r]: {u}",
         "[x]({u} \"title\")", "![x]({u})", "![x][r]\n\n[r]: {u}"]
ATTRIBUTE_LISTS = ["para\n{: onmouseover=alert(1) }", "# h {: onclick=alert(1) }", "- a {: onclick=x }",
                   "[x](a.md){: autofocus onfocus=alert(1) }", "![i](a.md){onerror=alert(1)}",
                   "para\n{ href=javascript:alert(1) }", "para\n{: .oscp-chart data-plotly=data:x }",
                   "para\n{: style=background:url(https://evil.example/) }", "para\n{:formaction=x}",
                   "```{ .x onclick=y }\nz\n```", "# h {#oscp-exit}", "# h {#ok .cls}", "para\n{:#x title=y}"]


@pytest.fixture(scope="module")
def checker():
    checker = checker_for(REPO)
    checker.start_file()
    return checker


def _check(checker, text: str):
    checker.start_file()
    return checker.check(text)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("url", SCHEMES)
def test_no_disguise_of_an_unsafe_address_passes(checker, form: str, url: str) -> None:
    text = "Some text.\n\n" + form.format(u=url)
    report = _check(checker, text)
    # refused, or not Markdown for that link at all (a tab or line break inside a reference
    # definition makes it text, or a link to a page named "java")
    assert report.issues or all(link_problem(link) is None and image_problem(link) is None
                                for link, _ in report.links), f"accepted: {text!r}"
    for issue in report.issues:
        assert 0 <= issue.offset <= len(text)


@pytest.mark.parametrize("text", ATTRIBUTE_LISTS)
def test_attribute_lists_are_refused(checker, text: str) -> None:
    assert _check(checker, text).issues


@pytest.mark.parametrize("text", ["![x](https://www.oxford.gov.uk/logo.png)", "![x](//cdn.example/x.png)",
                                  "![x](data:image/png;base64,AAAA)", "![x][i]\n\n[i]: https://a.example/x.png"])
def test_images_from_other_sites_are_refused(checker, text: str) -> None:
    assert "images from other web sites are not allowed" in [i.message for i in _check(checker, text).issues]


@pytest.mark.parametrize("text", [
    "Plain **bold** and _em_ text with `code`.",
    "See [NightSafe](nightsafe.md), [help](../get-help/index.md#police-101) and [GOV.UK](https://www.gov.uk/).",
    "## A heading {#a-heading}\n\nText, then [back up](#a-heading).",
    "| a | b |\n|:--|--:|\n| 1 | 2 |",
    "1. one\n2. two\n    - nested",
    "<script>alert(1)</script> and <img src=x onerror=alert(1)> are shown as text.",
    "Braces as text: \\{: onclick=alert(1) \\}",
    "A line mentioning javascript:alert(1) as plain words.",
])
def test_ordinary_markdown_is_allowed(checker, text: str) -> None:
    assert _check(checker, text).issues == []


def test_the_check_escapes_text_exactly_as_the_templates_do() -> None:
    sample = "a & b < c > d \"e\" 'f' &amp; \u00e9\n{x}"
    assert _escape(sample) == str(escape(sample))


@pytest.mark.parametrize("text", ["[" * 40_000, "[a](" * 2_000, "![" * 3_000, "[ " * 3_000,
                                  "&" * 19_000, "*a* " * 4_900, "- " * 500 + "x",
                                  "\n".join(" " * 4 * i + "- x" for i in range(60)), "# h\n\n" * 3_900])
def test_markdown_cost_is_bounded(checker, text: str) -> None:
    started = time.monotonic()
    _check(checker, text)
    assert time.monotonic() - started < 2


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", project)
    shutil.copytree(REPO / "content" / "schemas", project / "content" / "schemas")
    return project


def _refusal(project: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content(project / "content")
    return [p.format() for p in caught.value.problems if p.severity == "error"]


def test_an_unreadable_kind_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As if the folder's permissions kept the build out (tests may run as root, who can
    read any folder, so the refusal is simulated where the loader lists the folder)."""
    project = _project(tmp_path)
    folder = project / "content" / "organisations"
    listing = Path.iterdir

    def iterdir(path: Path):
        if path == folder:
            raise PermissionError(13, "Permission denied", str(path))
        return listing(path)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    problems = _refusal(project)
    assert any(p.startswith("content/organisations/: folder cannot be read") for p in problems), problems


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_kind_folder_linked_outside_content_is_refused(tmp_path: Path) -> None:
    project = _project(tmp_path)
    outside = tmp_path / "elsewhere"
    shutil.move(project / "content" / "organisations", outside)
    (project / "content" / "organisations").symlink_to(outside, target_is_directory=True)
    problems = _refusal(project)
    assert problems[0].startswith("content/organisations/: folder is a symbolic link to somewhere outside")


@pytest.mark.parametrize("payload", ["[" * 30_000, "{a: " * 30_000, "- " * 100_000, "1" * 5_000, ".nan",
                                     "-.inf", "1e308", "0x" + "f" * 40, '"\\u202e"', '"\\0"', '"\\e"'])
def test_hostile_values_are_refused_quickly_with_a_position(tmp_path: Path, payload: str) -> None:
    project = _project(tmp_path)
    target = project / "content" / "datasets" / "test-dataset.yml"
    target.write_text(target.read_text(encoding="utf-8").replace("values: [10, 20, 30]",
                                                                 f"values: [10, 20, {payload}]"), encoding="utf-8")
    started = time.monotonic()
    problems = _refusal(project)
    assert time.monotonic() - started < 2
    assert problems and all(re.match(r"^content/datasets/test-dataset\.yml:\d+:\d+: ", p) for p in problems), problems


#: the worst Markdown that is allowed to build: every construct content may use, next to
#: text that only looks dangerous
WORST_BODY = """\
  The programme does **useful** things. <script>alert("x")</script> <img src=x onerror=alert(1)>
  javascript:alert(1) and data:text/html,x written as plain words; &#106;avascript: as text.
  Braces shown as text: \\{: onclick=alert(1) \\} and \\{onerror=alert(1)\\}.

  ## A part with its own id {#a-part}

  See [GOV.UK](https://www.gov.uk/) and [a part](#a-part) and [the data](../data/test-dataset.md).
  A [reference link][gov].

  | Left | Right |
  |:-----|------:|
  | a    | 1     |

  !!! note
      A note.

  [gov]: https://www.gov.uk/
"""


def test_worst_allowed_content_builds_without_script_or_other_origins(tmp_path: Path) -> None:
    project = make_fixture(tmp_path / "project")
    programme = project / "content" / "programmes" / "test-programme.yml"
    text = programme.read_text(encoding="utf-8")
    start = text.index("body: |\n") + len("body: |\n")
    end = text.index("services:")
    programme.write_text(text[:start] + WORST_BODY + text[end:], encoding="utf-8")
    result = run_build(project / "mkdocs.yml", project / "site")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    problems: list[str] = []
    for path in html_pages(site):
        html = path.read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        name = path.relative_to(site).as_posix()
        if 'http-equiv="refresh"' not in html:
            head = html[: html.index("</head>")]
            policy = head.find('http-equiv="Content-Security-Policy"')
            script = head.find("<script")
            if policy < 0 or (script >= 0 and script < policy):
                problems.append(f"{name}: no policy before the first script")
            if '<meta name="referrer" content="no-referrer">' not in head:
                problems.append(f"{name}: no referrer rule")
        for element in soup.find_all(True):
            for attribute, value in element.attrs.items():
                value = " ".join(value) if isinstance(value, list) else str(value)
                squashed = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                if attribute.lower().startswith("on"):
                    problems.append(f"{name}: <{element.name} {attribute}>")
                if squashed.startswith(("javascript:", "data:", "vbscript:")) and not (
                        element.name == "meta" or attribute == "content"):
                    problems.append(f"{name}: <{element.name} {attribute}={value[:40]!r}>")
                outward = squashed.startswith(("http:", "https:", "//")) or "url(http" in squashed \
                    or "url(//" in squashed
                allowed = (element.name == "a" and attribute == "href") or attribute in {"content"} \
                    or attribute.startswith("xmlns") \
                    or (element.name == "link" and element.get("rel") == ["canonical"])
                if outward and not allowed:
                    problems.append(f"{name}: <{element.name} {attribute}={value[:60]!r}>")
    assert problems == []
    body = (site / "programmes" / "test-programme" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://www.gov.uk/"' in body and "&lt;script&gt;" in body
    headers = (site / "_headers").read_text(encoding="utf-8")
    assert "frame-ancestors 'none'" in headers and "X-Content-Type-Options: nosniff" in headers
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', body).group(1)
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "'unsafe-eval'" not in policy and "object-src 'none'" in policy and "base-uri 'self'" in policy
