"""Nothing an editor types can reach a resident's browser as code (issue 24), end to end.

Each hostile value in tests/hostile.py is put into every text field of every kind (the fields
are read from the schemas, so a new field is covered without a new test). What the check
refuses must be refused with ``file:line:col``; each refused field goes back to its fixture
value, and the rest is built. The build must pass (its own audit included) and the output is
then read again here, independently of the audit: no handler, no script but the theme's, no
other origin, no formula, well-formed XML, and the value still readable as text.
"""

from __future__ import annotations

import copy
import csv
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from oscp.load import load_project
from oscp.model import KINDS
from oscp.problems import ContentError
from oscp.yaml_files import parse_yaml_text
from tests.hostile import PAYLOADS, fill, read_entry, text_fields, write_entry
from tests.sitebuild import html_pages, make_fixture, run_build

PROBLEM_LINE = re.compile(r"^content/[a-z]+/[a-z0-9-]+\.yml:\d+:\d+: \S")
SITE_URL = "https://www.example.org/"


def _fill_project(project: Path, value: str) -> dict[Path, dict[str, Any]]:
    """Every text field of every fixture file set to ``value``; the original data by file."""
    fields = text_fields(project / "content" / "schemas")
    originals = {}
    for kind in KINDS.values():
        for path in sorted((project / "content" / kind.folder).glob("*.yml")):
            data = read_entry(path)
            originals[path] = copy.deepcopy(data)
            fill(data, fields[kind.name], value)
            write_entry(path, data)
    return originals


def _payload_pointers(node: Any, value: str, pointer: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [p for key, child in node.items() for p in _payload_pointers(child, value, pointer + (key,))]
    if isinstance(node, list):
        return [p for i, child in enumerate(node) for p in _payload_pointers(child, value, pointer + (i,))]
    return [pointer] if node == value else []


def _revert(path: Path, line: int, col: int, value: str, original: dict[str, Any]) -> bool:
    """Put back the field of ``path`` that a problem at ``line``:``col`` is about: the one that
    starts there, else the last one that starts on that line or before it."""
    doc, _ = parse_yaml_text(path.read_text(encoding="utf-8"), path.name)
    data = read_entry(path)
    placed = sorted((doc.where(p), p) for p in _payload_pointers(data, value)) if doc else []
    exact = [p for where, p in placed if where == (line, col)]
    before = [p for where, p in placed if where[0] <= line]
    if not (exact or before):
        return False
    pointer = exact[0] if exact else before[-1]
    parent, old = data, original
    for depth, part in enumerate(pointer):
        if old is None or not _has(old, part):  # added by fill: remove what it added
            container = data
            for step in pointer[:depth - 1 if depth and isinstance(part, int) else depth]:
                container = container[step]
            key = pointer[depth - 1] if depth and isinstance(part, int) else part
            if isinstance(container, dict):
                del container[key]
            else:
                container[key] = original_at(original, pointer[:depth])
            write_entry(path, data)
            return True
        if depth < len(pointer) - 1:
            parent, old = parent[part], old[part]
    parent[pointer[-1]] = old[pointer[-1]]
    write_entry(path, data)
    return True


def original_at(original: Any, pointer: tuple[Any, ...]) -> Any:
    for part in pointer:
        original = original[part]
    return original


def _has(node: Any, part: Any) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and part < len(node)


def _refuse_then_keep_the_rest(project: Path, value: str, originals: dict[Path, dict[str, Any]]) -> list[str]:
    """Check until the content passes, putting back each refused field; every problem seen."""
    seen: list[str] = []
    for _ in range(40):
        try:
            load_project(project)
            return seen
        except ContentError as refused:
            lines = [problem.format() for problem in refused.problems]
        seen += lines
        reverted = False
        for line in lines:
            match = re.match(r"^(content/[a-z]+/[^:]+):(\d+):(\d+):", line)
            assert match, line
            path = project / match.group(1)
            where = int(match.group(2)), int(match.group(3))
            reverted |= path in originals and _revert(path, *where, value, originals[path])
        assert reverted, lines
    raise AssertionError("the check kept refusing")


def _own_scripts(site: Path) -> set[str]:
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"',
                       (site / "index.html").read_text(encoding="utf-8")).group(1)
    return set(re.findall(r"'sha256-[^']+'", policy))


def _outward(url: str) -> bool:
    squashed = re.sub(r"[\s\x00-\x1f]", "", url).lower()
    return squashed.startswith(("http:", "//", "\\\\")) or (
        squashed.startswith("https:") and not squashed.startswith(SITE_URL))


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_hostile_value_in_every_text_field_is_refused_or_harmless(tmp_path: Path, name: str) -> None:
    value = PAYLOADS[name]
    project = make_fixture(tmp_path / "project")
    originals = _fill_project(project, value)
    problems = _refuse_then_keep_the_rest(project, value, originals)
    assert all(PROBLEM_LINE.match(line) for line in problems), problems
    result = run_build(project / "mkdocs.yml", project / "site", SITE_URL)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    site = project / "site"
    found: list[str] = []
    for path in html_pages(site):
        name_ = path.relative_to(site).as_posix()
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for element in soup.find_all(True):
            for attribute, raw in element.attrs.items():
                text = " ".join(raw) if isinstance(raw, list) else str(raw)
                squashed = re.sub(r"[\s\x00-\x1f]", "", text).lower()
                if attribute.startswith("on"):
                    found.append(f"{name_}: <{element.name} {attribute}>")
                if attribute in {"href", "src", "action", "data"} and squashed.startswith(
                        ("javascript:", "vbscript:", "data:")):
                    found.append(f"{name_}: <{element.name} {attribute}={text[:40]!r}>")
                if attribute in {"src", "data", "action"} and _outward(text):
                    found.append(f"{name_}: <{element.name} {attribute}={text[:40]!r}> from another origin")
                if attribute == "style" and "url(" in squashed:
                    found.append(f"{name_}: style with url(")
            if element.name in {"iframe", "object", "embed", "base", "style"}:
                found.append(f"{name_}: <{element.name}>")
            if element.name == "meta" and (element.get("http-equiv") or "").lower() == "refresh" \
                    and "has moved" not in (soup.title.string or ""):
                found.append(f"{name_}: meta refresh")
            if element.name == "meta" and element.get("name") == "referrer" and element["content"] != "no-referrer":
                found.append(f"{name_}: referrer {element['content']}")
        for script in soup.find_all("script", src=False):
            if (script.get("type") or "") != "application/json" and "alert" in (script.string or "") + "owned":
                if "owned" in (script.string or "") or "alert(" in (script.string or ""):
                    found.append(f"{name_}: script {script.string[:40]!r}")
        assert "<script>document.title" not in str(soup.title), name_
    for path in site.rglob("*.csv"):
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
            for cell in row:
                if cell[:1] in {"=", "+", "-", "@", "\t", "\r"} and not re.match(r"^-?[\d.]+$", cell):
                    found.append(f"{path.name}: formula cell {cell[:30]!r}")
    for path in site.rglob("*.xml"):
        ET.fromstring(path.read_bytes())
    assert found == []
    if name == "unicode":  # kept as itself, in the page and in <head>
        page = (site / "get-help" / "test-helpline" / "index.html").read_text(encoding="utf-8")
        assert "😀" in page and "\\ud83d" not in page and "\\U0001F600" not in page


def test_every_text_field_of_every_kind_is_reached(tmp_path: Path) -> None:
    """The corpus reaches (nearly) every text field the schemas define: a field the fixture
    cannot hold is named here, so a new field cannot slip past unnoticed."""
    project = make_fixture(tmp_path / "project")
    fields = text_fields(project / "content" / "schemas")
    missed = {}
    for kind in KINDS.values():
        reached: set[tuple[str, ...]] = set()
        for path in (project / "content" / kind.folder).glob("*.yml"):
            reached |= fill(read_entry(path), fields[kind.name], "x")
        missed[kind.name] = fields[kind.name] - reached
    # only text inside lists of objects that the minimal fixture leaves empty
    assert all(all("[]" in path[:-1] for path in paths) for paths in missed.values()), missed
    assert sum(len(f) for f in fields.values()) > 80
