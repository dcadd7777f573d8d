"""Hostile values, and where they go: every text field of every kind, listed from the schemas.

A new text field in a schema is covered without a new test: :func:`text_fields` reads the
schemas, and :func:`fill` puts a value into each of those fields of a fixture project's
files (adding the field where its parent exists).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from oscp.model import KINDS
from oscp.schemas import read_schemas

#: Values an attacker with write access to content/ might try, one per class: script in text
#: and in <head>, handlers, other schemes and origins, styles, Markdown state, formulas,
#: characters that break formats. Written for this suite, not copied from any report.
PAYLOADS = {
    "title-breakout": "Help</title><script>document.title='owned'</script>",
    "attribute-breakout": 'Help" onmouseover="alert(1)" x="',
    "handler": "<svg/onload=alert(1)> <img src=x onerror=alert(2)>",
    "markdown-script-link": "[Call us](javascript:alert(1)) or [again](JaVaScRiPt&colon;alert(2))",
    "remote-image": "![pixel](https://tracker.example.net/p.gif) ![x](//tracker.example.net/q.gif)",
    "data-url": "[open](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=https://elsewhere.example.net/">',
    "referrer": '<meta name="referrer" content="unsafe-url">',
    "overlay-style": 'Open {: style="position:fixed;inset:0;background:url(https://x.example.net/)" }',
    "handler-attr-list": "## Heading {: onclick=\"alert(1)\" #__search }",
    "iframe": '<iframe src="https://elsewhere.example.net/"></iframe><object data="https://e.example.net/x">',
    "style-element": "<style>body{background:url(https://elsewhere.example.net/x.png)}</style>",
    "entities": "&lt;script&gt;alert(1)&lt;/script&gt; &#x3C;img src=x onerror=alert(1)&#x3E;",
    "reference-definition": "See [the form][form].\n\n[form]: javascript:alert(1)",
    "abbreviation": "*[Help]: <script>alert(1)</script>",
    "formula": '=HYPERLINK("https://elsewhere.example.net/","Click")',
    "formula-at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "url-with-tab": "https://www.example.org/\tpath",
    "plain-http": "http://www.example.org/",
    "unicode": "Help 😀 for ünïcode readers — “quoted” ‘text’",
    "time": "21:30",
}


def text_fields(schema_dir: Path) -> dict[str, set[tuple[str, ...]]]:
    """For each kind, the path of every field whose value may be text ("[]" for list items)."""
    validators = read_schemas(schema_dir).validators
    return {kind.name: set(_walk(validators[kind.schema].schema, ())) for kind in KINDS.values()}


def _walk(node: Any, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    if not isinstance(node, dict):
        return
    types = node.get("type")
    if path and (types == "string" or (isinstance(types, list) and "string" in types)):
        yield path
    for name, child in (node.get("properties") or {}).items():
        yield from _walk(child, path + (name,))
    if "items" in node:
        yield from _walk(node["items"], path + ("[]",))
    for key in ("allOf", "anyOf", "oneOf"):
        for branch in node.get(key) or []:
            yield from _walk(branch, path)


def fill(data: dict[str, Any], fields: set[tuple[str, ...]], value: str) -> set[tuple[str, ...]]:
    """Put ``value`` into each of ``fields`` of ``data`` that can hold it (lists and objects
    that exist); the fields reached."""
    reached = set()
    for path in sorted(fields, key=len, reverse=True):
        if _set(data, path, value):
            reached.add(path)
    return reached


def _set(node: Any, path: tuple[str, ...], value: str) -> bool:
    head, rest = path[0], path[1:]
    if head == "[]":
        if not isinstance(node, list) or not node:
            return False
        if not rest:
            node[:] = [value for _ in node]
            return True
        return any([_set(item, rest, value) for item in node])
    if not isinstance(node, dict):
        return False
    if not rest:
        node[head] = value
        return True
    if head not in node and rest == ("[]",):  # an absent list of text: give it one item
        node[head] = [value]
        return True
    return head in node and _set(node[head], rest, value)


def write_entry(path: Path, data: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def read_entry(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))
