"""The JSON Schemas in ``content/schemas/`` and turning their errors into editor messages.

The schemas are the single description of each content kind: editors' YAML tooling
reads them for autocompletion and this module validates every file against them.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from re import _constants as re_constants  # type: ignore[attr-defined]
from re import _parser as re_parser  # type: ignore[attr-defined]
from typing import Any
from urllib.parse import urljoin, urlparse

import jsonschema
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .problems import Problem
from .yaml_files import YamlDocument

FORMATS = FormatChecker(formats=())


@FORMATS.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    return not isinstance(value, str) or bool(date.fromisoformat(value)) and len(value) == 10


@FORMATS.checks("uri")
def _is_url(value: object) -> bool:
    """A web address a resident may be sent to: https only, with a host name, and no blanks,
    control characters, backslashes or credentials."""
    if not isinstance(value, str):
        return True
    if any(c.isspace() or ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in value) or "\\" in value:
        return False
    try:
        parts = urlparse(value)
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:  # e.g. an unclosed [ in the host, or a port that is not a number
        return False
    host = parts.hostname or ""
    return (parts.scheme == "https" and value.startswith("https://") and port_ok and "@" not in parts.netloc
            and "." in host and not host.startswith(".") and not host.endswith("."))


#: short numbers people dial: emergency, police, NHS, power cuts, vaccines, bank fraud, and
#: Relay UK's emergency number for textphones
EMERGENCY_AND_SHORT = {"999", "112", "101", "111", "105", "119", "159", "18000"}


@FORMATS.checks("uk-phone")
def _is_uk_phone(value: object) -> bool:
    """UK numbers: short codes, 116 xxx helplines, or 0 followed by 9-10 more digits."""
    if not isinstance(value, str):
        return True
    if any(c not in "0123456789 " for c in value) or "  " in value:
        return False
    digits = value.replace(" ", "")
    if digits in EMERGENCY_AND_SHORT:
        return True
    if digits.startswith("116") and len(digits) == 6:
        return True
    return digits.startswith("0") and len(digits) in (10, 11)


@dataclass(frozen=True)
class Schemas:
    """The schema files of one folder as they were read, with a validator for each, and what is
    wrong with the files themselves (then no content can be checked against them)."""

    digest: str  # of the files' names and texts: equal schemas, equal digests
    validators: dict[str, Draft202012Validator]
    problems: tuple[Problem, ...] = ()


def read_schemas(schema_dir: Path) -> Schemas:
    """The schema files in ``schema_dir``, read now, so that an edit to a schema is seen by the
    next build (`mkdocs serve` too); the validators are made once per process for each
    distinct set of files. Only regular files are read (a FIFO named *.schema.json would
    hang the read)."""
    schema_dir = Path(schema_dir)
    shown = f"{schema_dir.parent.name}/{schema_dir.name}"
    files = tuple((path.name, path.read_bytes()) for path in sorted(schema_dir.glob("*.schema.json"))
                  if path.is_file())
    digest = hashlib.sha256(b"\0".join(part for name, text in files for part in (name.encode(), text)))
    validators, problems = _validators(files, shown)
    return Schemas(digest.hexdigest(), validators, problems)


def _schema_problem(shown: str, name: str, text: str, needle: str, message: str, hint: str) -> Problem:
    index = text.find(needle) if needle else -1
    line = text.count("\n", 0, index) + 1 if index >= 0 else 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1 if index >= 0 else 1
    return Problem(f"{shown}/{name}", line, col, message, hint)


@lru_cache(maxsize=8)
def _validators(files: tuple[tuple[str, bytes], ...],
                shown: str) -> tuple[dict[str, Draft202012Validator], tuple[Problem, ...]]:
    """A validator per schema file (name, bytes); schemas may refer to each other by file name
    (e.g. common.schema.json#/$defs/slug). A file that is not JSON, a reference that leads
    nowhere or round in a circle, and a pattern that is not a regular expression or could take
    exponential time are problems, not exceptions."""
    resources: dict[str, Any] = {}
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    for name, raw in files:
        text = raw.decode("utf-8", errors="replace")
        texts[name] = text
        try:
            schema = json.loads(text)
        except ValueError as exc:
            line, col = getattr(exc, "lineno", 1), getattr(exc, "colno", 1)
            problems.append(Problem(f"{shown}/{name}", line, col, f"not valid JSON: {getattr(exc, 'msg', exc)}",
                                    "fix the JSON syntax (a missing comma, quote or bracket)"))
            continue
        if not isinstance(schema, dict):
            problems.append(Problem(f"{shown}/{name}", 1, 1, "a schema must be a JSON object",
                                    "start the file with { and end it with }"))
            continue
        resources[name] = schema
        for pattern in _patterns(schema):
            reason = pattern_problem(pattern)
            if reason:
                problems.append(_schema_problem(shown, name, text, json.dumps(pattern)[1:-1], reason,
                                                "write a simpler pattern (no repetition inside a repetition)"))
    registry = Registry().with_resources(
        (name, Resource.from_contents(schema, default_specification=DRAFT202012)) for name, schema in resources.items()
    )
    validators = {}
    for name, schema in resources.items():
        try:
            validators[name] = Draft202012Validator(_inline_refs(schema, name, registry, ()), format_checker=FORMATS)
        except _RefProblem as exc:
            problems.append(_schema_problem(shown, name, texts[name], exc.ref, str(exc), exc.hint))
        except (jsonschema.SchemaError, ValueError, TypeError, KeyError) as exc:
            problems.append(Problem(f"{shown}/{name}", 1, 1, f"not a usable JSON Schema: {str(exc)[:200]}",
                                    "compare it with the other schema files"))
    return validators, tuple(problems)


def _patterns(node: Any) -> list[str]:
    """Every regular expression a schema holds (``pattern`` values, ``patternProperties`` keys)."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                found.append(value)
            elif key == "patternProperties" and isinstance(value, dict):
                found += [k for k in value if isinstance(k, str)]
            found += _patterns(value)
    elif isinstance(node, list):
        for item in node:
            found += _patterns(item)
    return found


#: the longest pattern a schema may hold
MAX_PATTERN = 500


def pattern_problem(pattern: str) -> str | None:
    """Why a schema's pattern is refused: not a regular expression, too long, or a repetition
    whose body starts with another repetition (``(a+)+``, ``(\\w*x)*``), the shape that makes
    Python's regular expressions take exponential time. Hand-written: no library vets these."""
    if len(pattern) > MAX_PATTERN:
        return f"pattern is {len(pattern)} characters long, over {MAX_PATTERN}"
    try:
        parsed = re_parser.parse(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        return f"pattern is not a regular expression: {exc}"
    return "pattern can take exponential time (a repetition inside a repetition)" if _nested(parsed) else None


_REPEATS = {re_constants.MAX_REPEAT, re_constants.MIN_REPEAT, re_constants.POSSESSIVE_REPEAT}


def _nested(items: Any) -> bool:
    for op, arg in items:
        if op in _REPEATS:
            _low, high, body = arg
            if (high > 1 and _starts_with_repeat(body)) or _nested(body):
                return True
        elif op == re_constants.SUBPATTERN and _nested(arg[-1]):
            return True
        elif op == re_constants.BRANCH and any(_nested(branch) for branch in arg[1]):
            return True
    return False


def _starts_with_repeat(items: Any) -> bool:
    """Whether ``items`` (the body of a repetition) begins with a repetition of more than one."""
    for op, arg in list(items)[:1]:
        if op in _REPEATS:
            return arg[1] > 1
        if op == re_constants.SUBPATTERN:
            return _starts_with_repeat(arg[-1])
        if op == re_constants.BRANCH:
            return any(_starts_with_repeat(branch) for branch in arg[1])
    return False


class _RefProblem(Exception):
    def __init__(self, ref: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.ref, self.hint = ref, hint


#: seconds the validation of one file may take: a pattern the static check lets through that
#: still backtracks badly is stopped here, not left to hang `make check`
FILE_SECONDS = 2.0


class _TooSlow(BaseException):  # not Exception: jsonschema and format checkers catch those
    pass


@contextmanager
def _time_budget(seconds: float) -> Iterator[None]:
    """Stop what runs inside after ``seconds`` by raising _TooSlow (Python's regular
    expression engine checks for signals as it runs). Only the main thread can take a signal;
    elsewhere (mkdocs serve's rebuilds) the static pattern check is the guard."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _inline_refs(node: Any, base: str, registry: Registry, stack: tuple[str, ...]) -> Any:
    """``node`` with each ``$ref`` replaced, in its place, by ``allOf: [the schema it names]``.

    The two validate alike and give the same errors in the same order, but looking a reference
    up on every use was half the time of validating. A reference that leads back to a schema
    it came from (a cycle) or to nothing is refused. Hand-written because jsonschema has no
    option to resolve references ahead of time.
    """
    if isinstance(node, list):
        return [_inline_refs(item, base, registry, stack) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$ref":
            if not isinstance(value, str):
                raise _RefProblem("$ref", "$ref must be text", "write it as \"file.schema.json#/$defs/name\"")
            target = urljoin(base, value)
            if target in stack:
                raise _RefProblem(value, f"$ref {value!r} leads round in a circle ({' -> '.join(stack + (target,))})",
                                  "a definition may not refer, directly or not, to itself")
            try:
                resolved = registry.resolver(base).lookup(value)
            except Exception as exc:  # noqa: BLE001 - referencing raises several kinds
                raise _RefProblem(value, f"$ref {value!r} leads nowhere ({type(exc).__name__})",
                                  "name an existing file and definition, e.g. common.schema.json#/$defs/slug") from None
            out["allOf"] = [_inline_refs(resolved.contents, target.split("#")[0], registry, stack + (target,))] \
                + out.get("allOf", [])
        elif key == "allOf":
            out[key] = out.get(key, []) + _inline_refs(value, base, registry, stack)
        else:
            out[key] = _inline_refs(value, base, registry, stack)
    return out


def validate(schemas: Schemas, schema_name: str, doc: YamlDocument) -> list[Problem]:
    """Check ``doc`` against the schema file ``schema_name`` of ``schemas``: every problem, each once.

    Problems are de-duplicated by (place, validator, field), so two missing fields at one
    place give two problems while one error reached through several schema branches gives one.
    """
    checker = schemas.validators[schema_name]
    problems = []
    reported: set[tuple[tuple[Any, ...], str, str]] = set()
    try:
        with _time_budget(FILE_SECONDS):
            errors = list(checker.iter_errors(doc.data))
    except _TooSlow:
        return [Problem(doc.path, 1, 1, f"checking this file against {schema_name} took over {FILE_SECONDS:g} s",
                        "a pattern in content/schemas/ takes too long on these values: make it simpler")]
    for error in errors:
        for field, problem in _to_problems(doc, error, checker.schema):
            key = (tuple(error.absolute_path), str(error.validator), field)
            if key not in reported:
                reported.add(key)
                problems.append(problem)
    return problems


def _field_name(path: tuple[Any, ...]) -> str:
    parts = []
    for part in path:
        if isinstance(part, int):
            parts.append(f"[{part + 1}]")
        else:
            parts.append(("." if parts else "") + part)
    return "".join(parts) or "file"


def _hint(schema: dict[str, Any], fallback: str) -> str:
    return schema.get("x-hint") or fallback


def _to_problems(doc: YamlDocument, error: jsonschema.ValidationError,
                 root: dict[str, Any]) -> list[tuple[str, Problem]]:
    """Turn one schema error into editor-facing problems, one per offending field, each with
    the name of that field ("" when the error is about the value itself)."""
    path = tuple(error.absolute_path)
    name = _field_name(path)
    kind = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    if kind in {"anyOf", "oneOf", "allOf"} and error.context:
        best = jsonschema.exceptions.best_match(error.context)
        if kind == "anyOf" and path and path[-1] in {"contact_source", "url_source"}:
            line, col = doc.where(path)
            return [("", Problem(doc.path, line, col, f"{name} needs a url, or a source and at",
                                 "name the public web page, or the report and paragraph"))]
        return _to_problems(doc, best, root)

    if kind == "dependentRequired":
        problems = []
        for trigger, needed in error.validator_value.items():
            if trigger not in error.instance:
                continue
            line, col = doc.where(path + (trigger,), key=True)
            for missing in needed:
                if missing not in error.instance:
                    problem = _missing(doc, line, col, schema, root, missing, f" (it goes with {trigger!r})")
                    problems.append((missing, problem))
        return problems

    if kind == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        extra = [k for k in error.instance if k not in schema.get("properties", {})]
        problems = []
        for key in extra:
            line, col = doc.where(path + (key,), key=True)
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "allowed: " + ", ".join(allowed)
            problems.append((key, Problem(doc.path, line, col, f"unknown field {key!r}", hint)))
        return problems

    line, col = doc.where(path)
    if kind == "required":
        return [(missing, _missing(doc, line, col, schema, root, missing, "" if not path else f" in {name}"))
                for missing in error.validator_value if missing not in error.instance]
    if kind == "type":
        wanted = error.validator_value
        wanted = " or ".join(wanted) if isinstance(wanted, list) else wanted
        got = _type_name(error.instance)
        return [("", Problem(doc.path, line, col, f"{name} should be {_article(wanted)}, not {got}",
                        _hint(schema, f"write {_article(wanted)}")))]
    if kind == "enum":
        options = ", ".join(str(v) for v in error.validator_value)
        return [("", Problem(doc.path, line, col, f"{name} is {error.instance!r}, not one of the allowed values",
                        _hint(schema, f"write one of: {options}")))]
    if kind == "format":
        what = _FORMAT_NAMES.get(error.validator_value, error.validator_value)
        return [("", Problem(doc.path, line, col, f"{name} {error.instance!r} is not a valid {what}",
                        _hint(schema, "check the value")))]
    if kind == "pattern":
        return [("", Problem(doc.path, line, col, f"{name} {_short(error.instance)} is not in the expected form",
                        _hint(schema, f"match the pattern {error.validator_value}")))]
    if kind in {"minLength", "minItems"}:
        return [("", Problem(doc.path, line, col, f"{name} is empty", "fill it in or remove the field"))]
    if kind in {"maxLength", "maxItems"}:
        return [("", Problem(doc.path, line, col, f"{name} is too long",
                        f"keep it to {error.validator_value} characters" if kind == "maxLength"
                        else f"keep it to {error.validator_value} items"))]
    if kind == "uniqueItems":
        return [("", Problem(doc.path, line, col, f"{name} lists the same item twice", "remove the repeat"))]
    if kind in {"minimum", "maximum"}:
        return [("", Problem(doc.path, line, col, f"{name} is {error.instance}, out of range",
                        _hint(schema, f"{kind} is {error.validator_value}")))]
    return [("", Problem(doc.path, line, col, f"{name}: {error.message}", "see content/schemas/"))]


def _missing(doc: YamlDocument, line: int, col: int, schema: dict[str, Any], root: dict[str, Any],
             missing: str, where: str) -> Problem:
    prop = schema.get("properties", {}).get(missing) or root.get("properties", {}).get(missing, {})
    described = prop.get("description", "")
    hint = f"add a line '{missing}: ...'"
    if described:
        hint += ": " + described[0].lower() + described[1:].rstrip(".")
    return Problem(doc.path, line, col, f"missing required field {missing!r}{where}", hint)


_FORMAT_NAMES = {"date": "date", "uri": "web address", "uk-phone": "UK phone number"}


def _type_name(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _article(wanted: str) -> str:
    names = {"string": "text", "number": "a number", "integer": "a whole number",
             "boolean": "true or false", "array": "a list", "object": "a mapping of fields",
             "null": "null"}
    return " or ".join(names.get(w, w) for w in wanted.split(" or "))


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"
