"""Unit tests for safe YAML reading: positions, and every kind of unsafe or broken file."""

from __future__ import annotations

from pathlib import Path

from oscp.yaml_files import MAX_BYTES, read_yaml


def _read(tmp_path: Path, data: bytes | str):
    path = tmp_path / "entry.yml"
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return read_yaml(path, "content/entry.yml")


def _messages(tmp_path: Path, data: bytes | str) -> list[str]:
    doc, problems = _read(tmp_path, data)
    assert doc is None
    return [p.format() for p in problems]


def test_positions_of_values_and_keys(tmp_path: Path) -> None:
    doc, problems = _read(tmp_path, "title: A\nlist:\n  - one\n  - {name: two}\n")
    assert problems == []
    assert doc.data == {"title": "A", "list": ["one", {"name": "two"}]}
    assert doc.where(("title",)) == (1, 8)
    assert doc.where(("list", 1, "name")) == (4, 12)
    assert doc.where(("list", 1, "name"), key=True) == (4, 6)
    assert doc.where(("missing", "deeper")) == (1, 1)


def test_dates_stay_text_for_the_schema_to_check(tmp_path: Path) -> None:
    doc, _ = _read(tmp_path, "last_reviewed: 2026-11-21\n")
    assert doc.data["last_reviewed"] == "2026-11-21"


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    doc, problems = _read(tmp_path, "\ufefftitle: A\n")
    assert problems == [] and doc.data == {"title": "A"}


def test_aliases_are_refused(tmp_path: Path) -> None:
    bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\n'
    assert _messages(tmp_path, bomb) == [
        "content/entry.yml:1:4: YAML anchors and aliases (&name, *name) are not allowed "
        "(write the value out in full wherever it is needed)"
    ]


def test_python_tags_are_refused(tmp_path: Path) -> None:
    assert _messages(tmp_path, "x: !!python/object/apply:os.system [ls]\n") == [
        "content/entry.yml:1:4: the tag !!python/object/apply:os.system is not allowed "
        "(remove the tag; content is plain YAML)"
    ]


def test_duplicate_keys_are_refused(tmp_path: Path) -> None:
    assert _messages(tmp_path, "title: A\ntitle: B\n") == [
        "content/entry.yml:2:1: duplicate field 'title' (it is already set on line 1; keep one)"
    ]


def test_tabs_in_indentation_are_refused(tmp_path: Path) -> None:
    assert _messages(tmp_path, "list:\n\t- a\n") == [
        "content/entry.yml:2:1: tab used for indentation (indent with spaces, not tabs)"
    ]


def test_empty_and_comment_only_files(tmp_path: Path) -> None:
    expected = ["content/entry.yml:1:1: file is empty "
                "(add the fields this kind of content needs; see content/schemas/)"]
    assert _messages(tmp_path, "") == expected
    assert _messages(tmp_path, "# only a comment\n") == expected


def test_non_utf8_file(tmp_path: Path) -> None:
    assert _messages(tmp_path, b"title: caf\xe9\n") == [
        "content/entry.yml:1:11: file is not UTF-8 text (save the file with UTF-8 encoding)"
    ]


def test_very_large_file(tmp_path: Path) -> None:
    messages = _messages(tmp_path, "x: " + "a" * (MAX_BYTES + 1))
    assert messages == ["content/entry.yml:1:1: file is 256 KB, over the 256 KB limit "
                        "(split it into smaller entries)"]


def test_syntax_error_has_position(tmp_path: Path) -> None:
    (message,) = _messages(tmp_path, "title: [unclosed\nsummary: x\n")
    assert message.startswith("content/entry.yml:2:8: ")
    assert "(check indentation, colons and quotes near here)" in message


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    assert _messages(tmp_path, "- a\n- b\n") == [
        "content/entry.yml:1:1: file must be a mapping of field: value "
        "(start each line with a field name such as 'title:')"
    ]


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    (message,) = _messages(tmp_path, "x: " + "[" * 60 + "]" * 60 + "\n")
    assert "nested too deeply" in message
