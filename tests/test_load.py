"""Loading content: a file read before is not parsed again, but nothing stale or shared
comes back (see oscp.load._read_checked)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oscp import load
from oscp.load import load_content
from oscp.problems import ContentError
from tests.sitebuild import make_fixture

PROGRAMME = Path("content") / "programmes" / "test-programme.yml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_fixture(tmp_path / "project")


def _programme(root: Path) -> dict:
    return load_content(root / "content").entries["programme"]["test-programme"].data


def test_a_file_read_again_gives_the_same_document_without_parsing_it(project: Path, monkeypatch) -> None:  # noqa: ANN001
    first = load_content(project / "content")
    parsed = []
    original = load.parse_yaml_bytes
    monkeypatch.setattr(load, "parse_yaml_bytes",
                        lambda raw, display: (parsed.append(display), original(raw, display))[1])
    again = load_content(project / "content")
    assert parsed == []
    for kind, entries in first.entries.items():
        for entry_id, entry in entries.items():
            other = again.entries[kind][entry_id]
            assert (other.path, other.data, other.doc.text, other.doc.values, other.doc.keys) == \
                (entry.path, entry.data, entry.doc.text, entry.doc.values, entry.doc.keys)
            assert other.doc is not entry.doc and other.data is not entry.data


def test_an_edited_file_is_read_again(project: Path) -> None:
    path = project / PROGRAMME
    assert _programme(project)["title"] != "A new title"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"title: {_programme(project)['title']}", "title: A new title", 1), encoding="utf-8")
    assert _programme(project)["title"] == "A new title"


def test_a_change_to_a_loaded_document_does_not_reach_the_next_load(project: Path) -> None:
    data = _programme(project)
    title = data["title"]
    data["title"] = "Changed by a build"
    data["sources"].clear()
    again = _programme(project)
    assert again["title"] == title and again["sources"]


def test_a_broken_file_is_refused_every_time(project: Path) -> None:
    path = project / PROGRAMME
    path.write_text(path.read_text(encoding="utf-8") + "\ntitle: twice\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ContentError) as refused:
            load_content(project / "content")
        assert any(p.path == PROGRAMME.as_posix() and p.line for p in refused.value.problems), refused.value.report()


def test_an_edited_schema_is_used_by_the_next_load(project: Path) -> None:
    """As in `mkdocs serve`: the schemas are read for each load, and a file checked against the
    old schema is checked again."""
    load_content(project / "content")
    schema = project / "content" / "schemas" / "programme.schema.json"
    data = json.loads(schema.read_text(encoding="utf-8"))
    data["required"] = [*data["required"], "no_such_field"]
    schema.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ContentError) as refused:
        load_content(project / "content")
    assert "no_such_field" in refused.value.report()
