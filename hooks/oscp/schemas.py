"""The JSON Schemas in ``content/schemas/`` and turning their errors into editor messages.

The schemas are the single description of each content kind: editors' YAML tooling
reads them for autocompletion and this module validates every file against them.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

import jsonschema
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from .problems import Problem
from .yaml_files import YamlDocument

FORMATS = FormatChecker(formats=())


@FORMATS.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    return not isinstance(value, str) or bool(date.fromisoformat(value)) and len(value) == 10


@FORMATS.checks("uri")
def _is_url(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        parts = urlparse(value)
    except ValueError:  # e.g. an unclosed [ in the host
        return False
    return parts.scheme in {"http", "https"} and "." in parts.netloc and " " not in value


EMERGENCY_AND_SHORT = {"999", "112", "101", "111", "105", "119", "159"}


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
    """The schema files of one folder as they were read, with a validator for each."""

    digest: str  # of the files' names and texts: equal schemas, equal digests
    validators: dict[str, Draft202012Validator]


def read_schemas(schema_dir: Path) -> Schemas:
    """The schema files in ``schema_dir``, read now, so that an edit to a schema is seen by the
    next build (`mkdocs serve` too); the validators are made once per process for each
    distinct set of files."""
    files = tuple((path.name, path.read_bytes()) for path in sorted(Path(schema_dir).glob("*.schema.json")))
    digest = hashlib.sha256(b"\0".join(part for name, text in files for part in (name.encode(), text)))
    return Schemas(digest.hexdigest(), _validators(files))


@lru_cache(maxsize=8)
def _validators(files: tuple[tuple[str, bytes], ...]) -> dict[str, Draft202012Validator]:
    """A validator per schema file (name, bytes); schemas may refer to each other by file name
    (e.g. common.schema.json#/$defs/slug)."""
    resources = {name: json.loads(text) for name, text in files}
    registry = Registry().with_resources(
        (name, Resource.from_contents(schema)) for name, schema in resources.items()
    )
    return {name: Draft202012Validator(_inline_refs(schema, name, registry), format_checker=FORMATS)
            for name, schema in resources.items()}


def _inline_refs(node: Any, base: str, registry: Registry) -> Any:
    """``node`` with each ``$ref`` replaced, in its place, by ``allOf: [the schema it names]``.

    The two validate alike and give the same errors in the same order, but looking a reference
    up on every use was half the time of validating (the schemas have no cycles). Hand-written
    because jsonschema has no option to resolve references ahead of time.
    """
    if isinstance(node, list):
        return [_inline_refs(item, base, registry) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$ref":
            target = urljoin(base, value)
            resolved = registry.resolver(base).lookup(value)
            out["allOf"] = [_inline_refs(resolved.contents, target.split("#")[0], registry)] + out.get("allOf", [])
        elif key == "allOf":
            out[key] = out.get(key, []) + _inline_refs(value, base, registry)
        else:
            out[key] = _inline_refs(value, base, registry)
    return out


def validate(schemas: Schemas, schema_name: str, doc: YamlDocument) -> list[Problem]:
    """Check ``doc`` against the schema file ``schema_name`` of ``schemas``: every problem, each once.

    Problems are de-duplicated by (place, validator, field), so two missing fields at one
    place give two problems while one error reached through several schema branches gives one.
    """
    checker = schemas.validators[schema_name]
    problems = []
    reported: set[tuple[tuple[Any, ...], str, str]] = set()
    for error in checker.iter_errors(doc.data):
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
