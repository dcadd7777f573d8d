"""Safe reading of one YAML content file, keeping the line and column of every value.

PyYAML's ``safe_load`` already refuses Python tags, but it expands aliases (so an
"alias bomb" can exhaust memory), silently keeps the last of two duplicate keys and
forgets where each value came from. This module builds the data from the node tree
itself so that it can refuse all of those and hand positions to the validators.

The node tree comes from libyaml (PyYAML's C parser) when it is available, as it is five
times faster than the pure-Python parser. An alias there is the same node object met
twice, so the walk refuses any node it has already seen, before anything is expanded.

libyaml's composer recurses in C once per level of nesting, so ``[`` repeated 30,000 times
would overflow the C stack and kill the interpreter. Each file is therefore first read as
a stream of events (libyaml's event parser keeps its own stack and does not recurse) and
refused at the first value nested deeper than :data:`MAX_DEPTH`, before anything is composed.
Every scalar is checked as it is built: numbers must be finite and at most
:data:`MAX_DIGITS` digits long, and text may hold no control characters but tab and newline.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import Problem

MAX_BYTES = 256 * 1024
MAX_DEPTH = 40
#: numbers longer than this are refused: nothing the partnership reports needs more, and
#: Python refuses to turn 4,300+ digit text into a number
MAX_DIGITS = 15
MAX_MAGNITUDE = 10.0 ** MAX_DIGITS
#: invisible characters that may legitimately join letters (Indic scripts, emoji): zero-width
#: non-joiner and joiner, and the soft hyphen
_ALLOWED_FORMAT_CHARS = {"\u200c", "\u200d", "\u00ad"}
#: every character that may be a control, format, surrogate or private-use character;
#: :func:`_forbidden_char` decides
_SUSPECT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f"
                      "\u0890\u0891\u08e2\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff"
                      "\ufff9-\ufffb\ud800-\udfff\ue000-\uf8ff\U000110bd\U000110cd"
                      "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
                      "\U000e0001-\U000e007f\U000f0000-\U0010ffff\ufdd0-\ufdef\ufffe\uffff"
                      + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(1, 17))
                      + "]")

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

    def locate(self, pointer: Pointer, offset: int) -> tuple[int, int]:
        """Line and column in the file of character ``offset`` of the text value at ``pointer``.

        Each line of the value is found in the file in turn, from where the value starts (a
        block scalar's lines appear there with their indentation); falls back to the start
        of the value when the text was written with escapes or folded lines.
        """
        line, col = self.where(pointer)
        value: Any = self.data
        for part in pointer:
            value = value[part]
        if not isinstance(value, str) or not self.text:
            return line, col
        starts = [0]
        for text_line in self.text.split("\n"):
            starts.append(starts[-1] + len(text_line) + 1)
        cursor = starts[min(line - 1, len(starts) - 1)] + col - 1
        offset = max(0, min(offset, len(value)))
        lines = value[:offset].split("\n")
        target, within = len(lines) - 1, len(lines[-1])
        value_lines = value.split("\n")
        found = -1
        for number, value_line in enumerate(value_lines[: target + 1]):
            if not value_line.strip() and number != target:
                continue
            found = self.text.find(value_line, cursor) if value_line else -1
            if number == target:
                break
            if found >= 0:
                cursor = found + len(value_line)
        if found < 0:
            needle = value_lines[target][within: within + 20]
            found = self.text.find(needle, cursor) - within if needle else -1
        if found < 0:
            return line, col
        index = found + within
        before = self.text[:index]
        return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1

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


def _not_sexagesimal(tag: str, rx: re.Pattern[str]) -> tuple[str, re.Pattern[str]]:
    """YAML 1.1 reads ``21:30`` as the number 1290 (base 60); times stay text here."""
    if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
        return tag, re.compile("(?![^:]*:)" + rx.pattern, rx.flags)
    return tag, rx


_Loader.yaml_implicit_resolvers = {
    first: [_not_sexagesimal(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_ALIAS = "YAML anchors and aliases (&name, *name) are not allowed"

_PLAIN_TAGS = {
    MappingNode: "tag:yaml.org,2002:map",
    SequenceNode: "tag:yaml.org,2002:seq",
}


def read_yaml(path: Path, display: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Read ``path`` (shown to editors as ``display``); return the document or problems."""
    raw, problems = read_bytes(path, display)
    return (None, problems) if raw is None else parse_yaml_bytes(raw, display)


def read_bytes(path: Path, display: str) -> tuple[bytes | None, list[Problem]]:
    """The bytes of ``path``, or the problem that it cannot be read."""
    try:
        return path.read_bytes(), []
    except OSError as exc:
        return None, [Problem(display, None, None, f"cannot be read: {exc.strerror}",
                              "check the file exists and is readable")]


def parse_yaml_bytes(raw: bytes, display: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse the bytes of a content file (see read_yaml)."""
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
    problems = _control_problems(text, display) or _tab_problems(text, display)
    if problems:
        return None, problems
    return _parse(text, display)


def _control_problems(text: str, display: str) -> list[Problem]:
    """Invisible control characters typed or pasted into the file (carriage returns of
    Windows line endings aside): one problem per line that has them."""
    problems: list[Problem] = []
    last_line = 0
    for match in _SUSPECT.finditer(text):
        char = match.group()
        if char == "\r" or not _forbidden_char(char):
            continue
        index = match.start()
        line = text.count("\n", 0, index) + 1
        if line != last_line:
            last_line = line
            problems.append(_control_problem(display, line, index - (text.rfind("\n", 0, index) + 1) + 1, char))
    return problems


def _control_problem(display: str, line: int, col: int, char: str) -> Problem:
    name = unicodedata.name(char, "non-character" if unicodedata.category(char) == "Cn" else "control character")
    return Problem(display, line, col, f"invisible control character U+{ord(char):04X} ({name}) in text",
                   "delete it (it may have come from copying and pasting); only tabs and line breaks are allowed")


def _tab_problems(text: str, display: str) -> list[Problem]:
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip():
            problems.append(Problem(display, number, indent.index("\t") + 1,
                                    "tab used for indentation",
                                    "indent with spaces, not tabs"))
    return problems


def _too_deep(text: str, display: str) -> list[Problem]:
    """Refuse nesting deeper than MAX_DEPTH from libyaml's event stream, which is parsed
    without recursion, before the (recursive) composer ever sees the text."""
    depth = 0
    loader = _Loader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    return [Problem(display, mark.line + 1, mark.column + 1,
                                    f"values are nested too deeply (more than {MAX_DEPTH} levels)",
                                    "content needs only a few levels; check the brackets and indentation")]
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return []  # the full parse below reports the syntax error with its position
    finally:
        loader.dispose()
    return []


def _parse(text: str, display: str) -> tuple[YamlDocument | None, list[Problem]]:
    deep = _too_deep(text, display)
    if deep:
        return None, deep
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
            key = _scalar(loader, key_node, doc, problems) if isinstance(key_node, ScalarNode) else None
            if key is _REFUSED:
                continue
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
    value = _scalar(loader, node, doc, problems)
    return None if value is _REFUSED else value


_REFUSED = object()
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_STR_TAG = "tag:yaml.org,2002:str"


def _scalar(loader: _Loader, node: ScalarNode, doc: YamlDocument, problems: list[Problem]) -> Any:
    """Construct one scalar, refusing unsafe numbers and control characters (a problem is
    added and ``_REFUSED`` returned)."""
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    if node.tag in (_INT_TAG, _FLOAT_TAG):
        mantissa = re.split(r"[eE]", node.value.replace("_", ""))[0]
        digits = re.sub(r"^[-+]?(0[xob])?", "", mantissa.lower())
        digits = re.sub(r"[^0-9a-f]", "", digits).lstrip("0")
        if len(digits) > MAX_DIGITS:
            problems.append(Problem(doc.path, line, col, f"number has {len(digits)} digits, more than {MAX_DIGITS}",
                                    "write the figure as the report gives it; no figure needs so many digits"))
            return _REFUSED
        value = loader.construct_object(node, deep=True)
        if isinstance(value, (int, float)) and not (math.isfinite(value) and abs(value) < MAX_MAGNITUDE):
            problems.append(Problem(doc.path, line, col, f"{node.value!r} is not a finite number of sane size",
                                    "write a number such as 1234 or 12.5; leave out figures the report does not give"))
            return _REFUSED
        return value
    value = loader.construct_object(node, deep=True)
    if isinstance(value, str):
        for match in _SUSPECT.finditer(value):
            char = match.group()
            if _forbidden_char(char):
                cline, ccol = _char_position(doc.text, node, char) or (line, col)
                problems.append(_control_problem(doc.path, cline, ccol, char))
                return _REFUSED
    return value


def _forbidden_char(char: str) -> bool:
    if char in "\t\n":
        return False
    if 0xFDD0 <= ord(char) <= 0xFDEF or ord(char) & 0xFFFE == 0xFFFE:
        return True  # Unicode non-characters: never text, and not allowed in XML (the feed)
    category = unicodedata.category(char)
    if category in {"Cc", "Cs", "Co", "Zl", "Zp"}:
        return True
    return category == "Cf" and char not in _ALLOWED_FORMAT_CHARS


def _char_position(text: str, node: ScalarNode, char: str) -> tuple[int, int] | None:
    """Where ``char`` appears in the file within ``node``'s text (None if it was written as
    an escape such as \\u202e)."""
    start, end = node.start_mark.index, node.end_mark.index
    index = text.find(char, start, max(end, start + 1))
    if index < 0:
        escape = text.find("\\", start, max(end, start + 1))
        if escape < 0:
            return None
        index = escape
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1

