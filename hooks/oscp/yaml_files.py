"""Safe reading of one YAML content file, keeping the line and column of every value.

PyYAML's ``safe_load`` already refuses Python tags, but it expands aliases (so an
"alias bomb" can exhaust memory), silently keeps the last of two duplicate keys and
forgets where each value came from. This module builds the data from the node tree
itself so that it can refuse all of those and hand positions to the validators.

The node tree comes from libyaml (PyYAML's C parser) when it is available, as it is five
times faster than the pure-Python parser. An alias there is the same node object met
twice, so the walk refuses any node it has already seen, before anything is expanded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import Problem

MAX_BYTES = 256 * 1024
MAX_DEPTH = 40

Pointer = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """A parsed YAML file: its data and where each value (and each key) starts."""

    path: str
    data: Any
    text: str = ""
    values: dict[Pointer, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Pointer, tuple[int, int]] = field(default_factory=dict)

    def find(self, needle: str, pointer: Pointer) -> tuple[int, int]:
        """Line and column of ``needle`` in the file, searching from the value at ``pointer``."""
        line, col = self.where(pointer)
        lines = self.text.splitlines()
        start = sum(len(text) + 1 for text in lines[: line - 1]) + col - 1
        offset = self.text.find(needle, start)
        if offset < 0:
            return line, col
        before = self.text[:offset]
        return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1

    def where(self, pointer: Pointer, *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the value, or the key, at ``pointer``.

        Falls back to the nearest enclosing value that has a position.
        """
        if key and pointer in self.keys:
            return self.keys[pointer]
        p = tuple(pointer)
        while p:
            if p in self.values:
                return self.values[p]
            p = p[:-1]
        return self.values.get((), (1, 1))


class _AliasRefused(yaml.MarkedYAMLError):
    pass


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loader that leaves dates as text (the schema checks them); aliases are refused
    by the walk in :func:`_build`."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_ALIAS = "YAML anchors and aliases (&name, *name) are not allowed"

_PLAIN_TAGS = {
    MappingNode: "tag:yaml.org,2002:map",
    SequenceNode: "tag:yaml.org,2002:seq",
}


def read_yaml(path: Path, display: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Read ``path`` (shown to editors as ``display``); return the document or problems."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(display, None, None, f"cannot be read: {exc.strerror}",
                              "check the file exists and is readable")]
    if len(raw) > MAX_BYTES:
        return None, [Problem(display, None, None,
                              f"file is {len(raw) // 1024} KB, over the {MAX_BYTES // 1024} KB limit",
                              "split it into smaller entries")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [Problem(display, line, col, "file is not UTF-8 text",
                              "save the file with UTF-8 encoding")]
    return parse_yaml_text(text, display)


def parse_yaml_text(text: str, display: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse YAML already in memory (used for the editors' guide examples)."""
    problems = _tab_problems(text, display)
    if problems:
        return None, problems
    return _parse(text, display)


def _tab_problems(text: str, display: str) -> list[Problem]:
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip():
            problems.append(Problem(display, number, indent.index("\t") + 1,
                                    "tab used for indentation",
                                    "indent with spaces, not tabs"))
    return problems


def _parse(text: str, display: str) -> tuple[YamlDocument | None, list[Problem]]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [Problem(display, None, None, "file is empty",
                                  "add the fields this kind of content needs; see content/schemas/")]
        doc = YamlDocument(display, None, text)
        problems: list[Problem] = []
        doc.data = _build(loader, node, (), doc, problems, 0, set())
    except _AliasRefused as exc:
        return None, [_marked(display, exc, "write the value out in full wherever it is needed")]
    except yaml.constructor.ConstructorError as exc:
        problem = _marked(display, exc, "")
        tag = exc.problem.split("tag ")[-1].strip("'") if exc.problem else "?"
        return None, [_tag_problem(display, problem.line, problem.col, tag)]
    except yaml.MarkedYAMLError as exc:
        return None, [_marked(display, exc, "check indentation, colons and quotes near here")]
    except yaml.YAMLError as exc:
        return None, [Problem(display, None, None, f"not valid YAML: {exc}",
                              "check the file's syntax")]
    finally:
        loader.dispose()
    if problems:
        return None, problems
    if not isinstance(doc.data, dict):
        return None, [Problem(display, 1, 1, "file must be a mapping of field: value",
                              "start each line with a field name such as 'title:'")]
    return doc, []


def _tag_problem(display: str, line: int | None, col: int | None, tag: str) -> Problem:
    short = tag.replace("tag:yaml.org,2002:", "!!")
    return Problem(display, line, col, f"the tag {short} is not allowed",
                   "remove the tag; content is plain YAML")


def _marked(display: str, exc: yaml.MarkedYAMLError, hint: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    message = (exc.problem or exc.context or "not valid YAML").strip()
    if mark is None:
        return Problem(display, None, None, message, hint)
    return Problem(display, mark.line + 1, mark.column + 1, message, hint)


def _build(loader: _Loader, node: Node, pointer: Pointer, doc: YamlDocument,
           problems: list[Problem], depth: int, seen: set[int]) -> Any:
    if id(node) in seen:  # the composer hands back the anchored node again for *alias
        raise _AliasRefused(problem=_ALIAS, problem_mark=node.start_mark)
    seen.add(id(node))
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    doc.values[pointer] = (line, col)
    if depth > MAX_DEPTH:
        raise yaml.MarkedYAMLError(problem="values are nested too deeply",
                                   problem_mark=node.start_mark)
    expected = _PLAIN_TAGS.get(type(node))
    if expected and node.tag != expected:
        problems.append(_tag_problem(doc.path, line, col, node.tag))
        return None
    if isinstance(node, MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            kline, kcol = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            key = loader.construct_object(key_node, deep=True) \
                if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str):
                problems.append(Problem(doc.path, kline, kcol, "field names must be text",
                                        "use a plain word such as 'title' as the field name"))
                continue
            if key in out:
                first = doc.keys[pointer + (key,)][0]
                problems.append(Problem(doc.path, kline, kcol, f"duplicate field {key!r}",
                                        f"it is already set on line {first}; keep one"))
                continue
            doc.keys[pointer + (key,)] = (kline, kcol)
            out[key] = _build(loader, value_node, pointer + (key,), doc, problems, depth + 1, seen)
        return out
    if isinstance(node, SequenceNode):
        return [_build(loader, item, pointer + (i,), doc, problems, depth + 1, seen)
                for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)

