"""Every YAML example in EDITING.md is valid content that refers to real entries.

A block starting ``# kind: <kind>`` is a whole entry, validated against that kind's schema.
A block starting ``# fragment of: <kind>`` (optionally ``in content/<folder>/<file>.yml``)
is merged over a real entry of that kind, and the result is validated. Both then go through
the build's cross-file checks (known source, programme and service ids, chart series, review
dates), so references in examples name real files in content/.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from oscp.load import check_document, load_content
from oscp.model import KINDS, Content
from oscp.yaml_files import YamlDocument, parse_yaml_text, read_yaml
from tests.sitebuild import REPO

GUIDE = REPO / "EDITING.md"
CONTENT = REPO / "content"
KIND_NAMES = "|".join(KINDS)
WHOLE = re.compile(rf"^# kind: ({KIND_NAMES})\s*$")
FRAGMENT = re.compile(rf"^# fragment of: ({KIND_NAMES})(?: in (content/[a-z]+/[a-z0-9-]+\.yml))?\s*$")
FENCE = re.compile(r"^```(\S*)\s*$")
#: the entry a fragment is merged into when its header names no file
DEFAULT_BASE = {
    "programme": "content/programmes/nightsafe.yml",
    "service": "content/services/police-101.yml",
    "dataset": "content/datasets/needles-collected.yml",
    "priorities": "content/priorities/2023-24.yml",
    "organisation": "content/organisations/thames-valley-police.yml",
    "source": "content/sources/oscp-annual-update-2022-23.yml",
}


def fenced_blocks(markdown: str) -> list[tuple[str, int, str]]:
    """Every fenced block as (language, line of its first content line, text)."""
    blocks, language, start, lines = [], None, 0, []
    for number, line in enumerate(markdown.splitlines(), start=1):
        match = FENCE.match(line)
        if language is None and match:
            language, start, lines = match.group(1), number + 1, []
        elif language is not None and line.strip() == "```":
            blocks.append((language, start, "\n".join(lines) + "\n"))
            language = None
        elif language is not None:
            lines.append(line)
    assert language is None, f"EDITING.md: the block opened on line {start - 1} is never closed"
    return blocks


YAML_BLOCKS = [(start, text) for language, start, text in fenced_blocks(GUIDE.read_text(encoding="utf-8"))
               if language == "yaml"]


@cache
def _real_content() -> Content:
    """The real content, loaded once (it must itself be valid)."""
    return load_content(CONTENT)


def check_block(text: str, first_line: int = 1) -> list[str]:
    """Problems with one ```yaml block of the guide, as 'EDITING.md:line:col: message' lines."""
    header = text.split("\n", 1)[0]
    whole, fragment = WHOLE.match(header), FRAGMENT.match(header)
    if not (whole or fragment):
        return [f"EDITING.md:{first_line}: a yaml example must start with '# kind: <kind>' "
                f"or '# fragment of: <kind>' (kinds: {', '.join(KINDS)})"]
    kind = (whole or fragment).group(1)
    doc, problems = parse_yaml_text(text, "EDITING.md")
    if doc is None:
        return [_shift(p.format(), first_line) for p in problems]
    replaces = None
    if fragment:
        base_path = REPO / (fragment.group(2) or DEFAULT_BASE[kind])
        folder = KINDS[kind].folder
        if base_path.parent != CONTENT / folder or not base_path.is_file():
            return [f"EDITING.md:{first_line}: {base_path.relative_to(REPO)} is not a {kind} file in content/{folder}/"]
        base, found = read_yaml(base_path, str(base_path.relative_to(REPO)))
        assert base is not None, found
        merged: dict[str, Any] = dict(base.data)
        merged.update(doc.data)
        doc = YamlDocument(doc.path, merged, doc.text, doc.values, doc.keys)  # positions point into the example
        replaces = base_path.stem
    problems = check_document(_real_content(), kind, doc, replaces=replaces)
    return [_shift(p.format(), first_line) for p in problems if p.severity == "error"]


def _shift(message: str, first_line: int) -> str:
    """Turn a line number within a block into a line number of EDITING.md."""
    match = re.match(r"^EDITING\.md:(\d+):", message)
    if not match:
        return message
    return f"EDITING.md:{int(match.group(1)) + first_line - 1}:" + message[match.end():]


def test_guide_has_the_worked_examples() -> None:
    headers = [text.split("\n", 1)[0] for _start, text in YAML_BLOCKS]
    assert len(YAML_BLOCKS) >= 5
    for kind in ("programme", "service", "dataset", "priorities"):
        assert any(kind in header for header in headers), f"no example for {kind}"
    guide = GUIDE.read_text(encoding="utf-8")
    for topic in ("make serve", "make check", "former_slugs", "GitHub Pages", "pull request", "site/"):
        assert topic in guide


def test_yaml_examples_are_fenced_as_yaml() -> None:
    languages = {language for language, _start, _text in fenced_blocks(GUIDE.read_text(encoding="utf-8"))}
    assert not languages & {"yml", "YAML", ""}, "fence YAML examples as ```yaml, and other blocks with a language"


@pytest.mark.parametrize(("start", "text"), YAML_BLOCKS, ids=[f"line-{start}" for start, _ in YAML_BLOCKS])
def test_yaml_example_is_valid(start: int, text: str) -> None:
    assert check_block(text, start) == []


@pytest.mark.parametrize("text", [
    "title: No header\n",
    "# a comment that is not a header\nslug: nightsafe\n",
    "# kind: leaflet\nid: x\n",
    "# fragment of: programme in content/services/police-101.yml\ntitle: Wrong folder\n",
])
def test_block_without_a_valid_header_fails(text: str) -> None:
    assert check_block(text, 10)


@pytest.mark.parametrize("text", [
    "# fragment of: programme\nsumary: A typo\n",
    "# fragment of: programme\nsources:\n  - {source: no-such-report, at: paragraph 1}\n",
    "# fragment of: service\nphone: \"0800-555-111\"\n",
    "# fragment of: dataset in content/datasets/asbit-cases-by-month-2022.yml\n"
    "charts:\n  - {type: line, title: T, summary: S, series: [Nope]}\n",
    "# kind: organisation\nid: x\nname: X\nkind: council\nweb: not-a-web-address\n",
    "# fragment of: priorities\n\tyear: 2023-24\n",
])
def test_invalid_examples_fail(text: str) -> None:
    problems = check_block(text, 10)
    assert problems and all(p.startswith("EDITING.md:") for p in problems)


def test_problems_point_at_lines_of_the_guide() -> None:
    assert check_block("# fragment of: programme\nsumary: A typo\n", 40) == \
        ["EDITING.md:41:1: unknown field 'sumary' (did you mean 'summary'?)"]


def test_every_kind_has_a_default_base() -> None:
    assert set(DEFAULT_BASE) == set(KINDS)
    for path in DEFAULT_BASE.values():
        assert Path(REPO / path).is_file()
