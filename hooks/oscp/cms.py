"""The editors' form at /admin/ (Decap CMS): its config, made from content/schemas/, and its files.

:func:`collections` turns each kind's JSON Schema (the :data:`~oscp.model.KINDS` registry names
the file and the folder) into one Decap folder collection: a widget per property, required and
optional as in the schema, ``pattern`` (and the ``format`` and length checks) as a pattern whose
message is the schema's own hint, the description as the field's hint, and relation widgets for
ids of other entries. Nobody edits the config: adding a property to a schema adds its field.

Decap writes a whole file when it saves, its top-level keys in the config's field order, so the
fields come in the order the content files are written in (:func:`field_order`), and the first
field carries the ``yaml-language-server`` comment as Decap's ``comment`` option, which Decap
writes back as the file's first line. Saving an entry unchanged therefore changes no value and
moves no key; Decap does restyle folded text and one-line lists on a file's first save.

:func:`admin_files` gives every file the build writes under ``admin/``: the page (with its own
Content-Security-Policy and ``noindex``), ``config.yml``, and Decap's bundle, vendored in
``vendor/decap-cms/`` so that the build needs no npm and the page nothing from another origin.
"""

from __future__ import annotations

import heapq
import json
import os
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .model import KINDS, Content, Kind
from .render import TEMPLATES
from .yaml_files import read_yaml

#: the folder of the site the form is served from
ADMIN = "admin"
#: Decap's browser bundle, copied from node_modules/ by vendor/decap-cms/vendor.py
VENDOR = Path(__file__).parent / "vendor" / "decap-cms"
#: set by `make edit` to decap-server's address: the config then adds ``local_backend`` (and
#: the page's policy lets it talk to that server); a production build never has it
LOCAL_BACKEND_ENV = "OSCP_CMS_LOCAL_BACKEND"
#: the GitHub API, the production backend's only address
GITHUB_API = "https://api.github.com"
#: numbers people dial that are not 0 + 9 or 10 digits (kept equal to oscp.schemas's list, which
#: only the loader may import; tests/test_cms.py checks the two agree)
SHORT_NUMBERS = ("999", "112", "101", "111", "105", "119", "159", "18000")
#: the first line of each content file, for editors' YAML tools (Decap writes "# " before it)
SCHEMA_COMMENT = "yaml-language-server: $schema=../schemas/{schema}"

Path_ = tuple[str, ...]  # where an object sits in an entry: property names, "[]" for list items


def _schema_files(schema_dir: Path) -> dict[str, dict[str, Any]]:
    return {path.name: json.loads(path.read_text(encoding="utf-8"))
            for path in sorted(schema_dir.glob("*.schema.json"))}


def _resolve(node: dict[str, Any], base: str, files: dict[str, dict[str, Any]]) -> tuple[dict[str, Any], str, str]:
    """``node`` with its ``$ref`` chain merged in (the referring schema's own keys win), the file
    its properties' references are relative to, and the name of the first definition it uses
    (``line``, ``text``, ``markdown``, ``slug``...), or ""."""
    name = ""
    while "$ref" in node:
        file, _, pointer = node["$ref"].partition("#")
        file = file or base
        target: Any = files[file]
        for part in filter(None, pointer.split("/")):
            target = target[part]
        name = name or pointer.rsplit("/", 1)[-1]
        node = {**target, **{key: value for key, value in node.items() if key != "$ref"}}
        base = file
    return node, base, name


def _types(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type", [])
    return [kind] if isinstance(kind, str) else list(kind)


def field_order(schema_order: list[str], written: Iterable[list[str]]) -> list[str]:
    """The properties in the order the files write them: a property before another when more
    files write it first; where no file says, by their places in the schema. Files that
    disagree with most of their kind have a key moved by their first save in the form."""
    index = {name: i for i, name in enumerate(schema_order)}
    votes: dict[tuple[str, str], int] = {}
    for keys in written:
        keys = [key for key in keys if key in index]
        for i, first in enumerate(keys):
            for second in keys[i + 1:]:
                votes[first, second] = votes.get((first, second), 0) + 1
    after: dict[str, set[str]] = {name: set() for name in schema_order}
    waiting = dict.fromkeys(schema_order, 0)
    for (first, second), count in votes.items():
        if count > votes.get((second, first), 0):
            after[first].add(second)
            waiting[second] += 1
    ready = [(index[name], name) for name, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        _, name = heapq.heappop(ready)
        order.append(name)
        for follower in after[name]:
            waiting[follower] -= 1
            if waiting[follower] == 0:
                heapq.heappush(ready, (index[follower], follower))
    # a cycle of majorities (files disagreeing three ways): the rest in schema order
    return order + [name for name in schema_order if name not in order]


def written_orders(folder: Path, documents: Iterable[Any] | None = None) -> dict[Path_, list[list[str]]]:
    """The order of the keys of every object in every file of ``folder`` (or in ``documents``,
    the same files as the build has already read them), by where it sits."""
    orders: dict[Path_, list[list[str]]] = {}

    def walk(value: Any, where: Path_) -> None:
        if isinstance(value, dict):
            orders.setdefault(where, []).append(list(value))
            for key, item in value.items():
                walk(item, where + (key,))
        elif isinstance(value, list):
            for item in value:
                walk(item, where + ("[]",))

    if documents is None:
        read = (read_yaml(path, str(path))[0] for path in sorted(folder.glob("*.yml")))
        documents = [doc.data for doc in read if doc is not None]
    for data in documents:
        walk(data, ())
    return orders


def reference(name: str, schema: dict[str, Any], definition: str) -> Kind | None:
    """The kind whose ids a slug property holds: the property is named after the kind or its
    folder (``source``, ``services``), or its description names the folder (``Ids of
    organisations in content/organisations/``)."""
    if definition != "slug":
        return None
    for kind in KINDS.values():
        if name in (kind.name, kind.folder) or f"content/{kind.folder}/" in schema.get("description", ""):
            return kind
    return None


def _phone_pattern() -> str:
    spaced = [" ?".join(number) for number in SHORT_NUMBERS]
    return "^ ?(0( ?[0-9]){9,10}|1 ?1 ?6( ?[0-9]){3}|" + "|".join(spaced) + ") ?$"


#: form-side patterns for the schemas' formats (the build's checks stay the last word)
FORMAT_PATTERNS = {
    "date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "uri": r"^https://[^\s/?#@\\]*\.[^\s/?#@\\]*([/?#]\S*)?$",
    "uk-phone": _phone_pattern(),
}


def _regex(schema: dict[str, Any]) -> str | None:
    """One regular expression for a text schema's pattern, format and length limits."""
    parts = [p for p in (schema.get("pattern"), FORMAT_PATTERNS.get(schema.get("format", ""))) if p]
    low, high = schema.get("minLength"), schema.get("maxLength")
    if not parts and high is None:
        return None
    regex = "".join(f"(?={part})" for part in parts[1:]) + (f"(?:{parts[0]})" if parts else "")
    if high is not None:
        regex = f"^(?=[\\s\\S]{{{low or 0},{high}}}$)" + (regex or "[\\s\\S]*")
    return regex


def validation(schema: dict[str, Any], alternatives: list[dict[str, Any]] | None = None) -> list[str] | None:
    """Decap's ``pattern`` ([regex, message]) for a text property: its pattern or format and its
    length limits (any one of ``alternatives``, for an ``anyOf``); the message is the schema's
    own hint."""
    if alternatives:
        regexes = [_regex(alt) for alt in alternatives]
        regex = None if None in regexes else "(?:" + "|".join(f"(?:{r})" for r in regexes) + ")"
    else:
        regex = _regex(schema)
    if regex is None:
        return None
    high = schema.get("maxLength")
    length = f"at most {high} characters" if high is not None else ""
    message = schema.get("x-hint", "")
    if not message and length and not (alternatives or schema.get("pattern") or schema.get("format")):
        message = f"write {length}"
    if not message:
        message = "check the form: " + schema.get("description", "this value is not allowed").rstrip(".")
    if length and "character" not in message:
        message += f" ({length})"
    return [regex, message]


class _Fields:
    """Decap fields for the properties of one kind's schema."""

    def __init__(self, files: dict[str, dict[str, Any]], orders: dict[Path_, list[list[str]]]) -> None:
        self.files = files
        self.orders = orders

    def of_object(self, schema: dict[str, Any], base: str, where: Path_) -> list[dict[str, Any]]:
        properties = schema.get("properties", {})
        required = set(schema.get("required", []))
        order = field_order(list(properties), self.orders.get(where, []))
        return [self.field(name, properties[name], base, where + (name,), name in required) for name in order]

    def field(self, name: str, node: dict[str, Any], base: str, where: Path_, required: bool) -> dict[str, Any]:
        schema, base, definition = _resolve(node, base, self.files)
        alternatives = self.alternatives(schema, base)
        if alternatives:
            first, _, definition = alternatives[0]
            schema = {**first, **{k: v for k, v in schema.items() if k not in ("anyOf", "oneOf")}}
        field: dict[str, Any] = {"label": name.replace("_", " ").capitalize(), "name": name}
        if not required:
            field["required"] = False
        if schema.get("description"):
            field["hint"] = schema["description"]
        field.update(self.widget(name, schema, base, where, definition))
        if alternatives and field.get("widget") in ("string", "text"):
            pattern = validation(schema, [alt for alt, _, _ in alternatives])
            if pattern:
                field["pattern"] = pattern
            else:
                field.pop("pattern", None)
        return field

    def alternatives(self, schema: dict[str, Any], base: str) -> list[tuple[dict[str, Any], str, str]]:
        """The schemas of an ``anyOf``/``oneOf`` that offers alternative values (not one that only
        lists alternative required fields), each resolved."""
        options = schema.get("anyOf") or schema.get("oneOf") or []
        if not options or all(set(option) <= {"required"} for option in options):
            return []
        return [_resolve(option, base, self.files) for option in options]

    def widget(self, name: str, schema: dict[str, Any], base: str, where: Path_, definition: str) -> dict[str, Any]:
        types = [t for t in _types(schema) if t != "null"]
        if "enum" in schema:
            return {"widget": "select", "options": list(schema["enum"])}
        if "array" in types:
            return self.list_widget(name, schema, base, where)
        if "object" in types or "properties" in schema:
            return {"widget": "object", "collapsed": False, "fields": self.of_object(schema, base, where)}
        if "boolean" in types:
            return {"widget": "boolean"}
        if types and set(types) <= {"integer", "number"}:
            widget: dict[str, Any] = {"widget": "number", "value_type": "int" if types == ["integer"] else "float"}
            for key, option in (("minimum", "min"), ("maximum", "max")):
                if key in schema:
                    widget[option] = schema[key]
            return widget
        kind = reference(name, schema, definition)
        if kind is not None:
            return self.relation(kind)
        if definition == "markdown":
            # raw Markdown, as written: the rich-text mode would rewrite it
            widget = {"widget": "markdown", "modes": ["raw"], "sanitize_preview": True}
        elif definition == "text" or schema.get("maxLength", 0) > 200:
            widget = {"widget": "text"}
        else:
            widget = {"widget": "string"}
        pattern = validation(schema)
        if pattern:
            widget["pattern"] = pattern
        return widget

    def list_widget(self, name: str, schema: dict[str, Any], base: str, where: Path_) -> dict[str, Any]:
        items, item_base, definition = _resolve(schema.get("items", {}), base, self.files)
        limits = {option: schema[key] for key, option in (("minItems", "min"), ("maxItems", "max")) if key in schema}
        if "enum" in items:
            return {"widget": "select", "multiple": True, "options": list(items["enum"]), **limits}
        kind = reference(name, {**items, "description": schema.get("description", "")}, definition)
        if kind is not None:
            return {**self.relation(kind), "multiple": True, **limits}
        if "object" in _types(items) or "properties" in items:
            fields = self.of_object(items, item_base, where + ("[]",))
            names = [f["name"] for f in fields]
            shown = next((n for n in ("label", "title", "name", "id", "period", "source") if n in names), names[0])
            return {"widget": "list", "collapsed": True, "summary": "{{fields." + shown + "}}",
                    "fields": fields, **limits}
        item = self.field(name.rstrip("s") or name, items, item_base, where + ("[]",), True)
        item.pop("hint", None)
        return {"widget": "list", "field": item, **limits}

    @staticmethod
    def relation(kind: Kind) -> dict[str, Any]:
        fields = list(dict.fromkeys([kind.id_field, kind.title_field]))
        return {"widget": "relation", "collection": kind.folder, "value_field": kind.id_field,
                "search_fields": fields, "display_fields": [kind.title_field], "options_length": 1000}


def collections(project_root: Path, content: Content | None = None) -> list[dict[str, Any]]:
    """One Decap folder collection per kind of content, from its schema in content/schemas/;
    the fields' order is the order ``content`` (the build's, when given) writes them in."""
    folder, loaded = Path(project_root) / "content", content
    files = _schema_files(folder / "schemas")
    result = []
    for kind in KINDS.values():
        schema = files[kind.schema]
        documents = None if loaded is None else [e.data for e in loaded.of(kind.name).values()]
        fields = _Fields(files, written_orders(folder / kind.folder, documents)).of_object(schema, kind.schema, ())
        first = fields[0]
        first["comment"] = SCHEMA_COMMENT.format(schema=kind.schema)
        label = kind.folder.replace("-", " ").capitalize()
        result.append({
            "name": kind.folder,
            "label": label,
            "label_singular": schema.get("title", kind.name),
            "description": schema.get("description", ""),
            "folder": f"content/{kind.folder}",
            "extension": "yml",
            "format": "yml",
            "create": True,
            "delete": False,  # removing an entry breaks its address: do it with git, where the build explains
            "identifier_field": kind.id_field,
            "slug": "{{slug}}",
            "summary": "{{" + kind.title_field + "}}",
            "sortable_fields": list(dict.fromkeys([kind.title_field, kind.id_field])),
            "editor": {"preview": False},  # the site's own preview is `make serve`
            "fields": fields,
        })
    return result


def github_repo(project_root: Path) -> str:
    """The repository the GitHub backend commits to: OSCP_CMS_REPO, else the one GitHub Actions
    builds (GITHUB_REPOSITORY), else the git remote ``origin`` on github.com."""
    for name in ("OSCP_CMS_REPO", "GITHUB_REPOSITORY"):
        if os.environ.get(name):
            return os.environ[name]
    try:
        remote = subprocess.run(["git", "-C", str(project_root), "remote", "get-url", "origin"],
                                capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        remote = ""
    match = re.search(r"github\.com[:/]([\w.-]+/[\w.-]+?)(?:\.git)?$", remote)
    return match.group(1) if match else "OWNER/REPOSITORY"


def local_backend() -> str | None:
    """decap-server's origin when `make edit` runs (only ever a loopback address), else None."""
    url = os.environ.get(LOCAL_BACKEND_ENV, "")
    parts = urlparse(url)
    if not url or parts.scheme != "http" or parts.hostname not in {"127.0.0.1", "localhost", "::1"}:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def cms_config(project_root: Path, site_url: str, local: str | None = None,
               content: Content | None = None) -> dict[str, Any]:
    """Decap's configuration. Production: the GitHub backend with the editorial workflow (each
    change a pull request). ``local`` (decap-server's origin, for `make edit`): the same forms,
    saved straight into the working tree."""
    backend: dict[str, Any] = {"name": "github", "repo": github_repo(project_root),
                               "branch": os.environ.get("OSCP_CMS_BRANCH", "main"), "squash_merges": True}
    if os.environ.get("OSCP_CMS_AUTH_URL"):
        backend["base_url"] = os.environ["OSCP_CMS_AUTH_URL"]
        backend["auth_endpoint"] = os.environ.get("OSCP_CMS_AUTH_ENDPOINT", "auth")
    config: dict[str, Any] = {"backend": backend}
    if local:
        host = urlparse(local).hostname
        config["local_backend"] = {"url": f"{local}/api/v1", "allowed_hosts": sorted({host, "127.0.0.1"})}
    else:
        config["publish_mode"] = "editorial_workflow"
    config.update({
        "site_url": site_url,
        "display_url": site_url,
        # required by Decap; no field uploads files
        "media_folder": "docs/assets/uploads",
        "public_folder": "/assets/uploads",
        "slug": {"encoding": "ascii", "clean_accents": True},
        "collections": collections(project_root, content),
    })
    return config


def admin_policy(local: str | None = None) -> str:
    """The admin page's Content-Security-Policy: each source, and why."""
    connect = ["'self'", GITHUB_API] + ([local] if local else [])
    return "; ".join([
        "default-src 'self'",
        # Decap's bundle and its chunks, from this site only; 'unsafe-eval' because Decap
        # compiles the JSON Schema of its own config (ajv) at run time
        "script-src 'self' 'unsafe-eval'",
        # Decap's React components write their styles into <style> elements as they render
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        # the backend: GitHub's API (production), decap-server on loopback (make edit only)
        f"connect-src {' '.join(connect)}",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'none'",
    ])


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES / ADMIN)), undefined=StrictUndefined,
                      keep_trailing_newline=True, autoescape=select_autoescape(["html"]))
    # libyaml's emitter where PyYAML has it (as yaml_files reads with libyaml): the same YAML,
    # written in a fraction of the pure-Python emitter's time
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    env.filters["yaml"] = lambda value: yaml.dump(value, Dumper=dumper, sort_keys=False, allow_unicode=True,
                                                  width=100)
    return env


def admin_headers(local: str | None = None) -> str:
    """The ``_headers`` rule for /admin/ (hosts merge every rule that matches a path, so the
    public rule must not match /admin/: see README, "Editing in a browser")."""
    return _environment().get_template("headers.txt").render(policy=admin_policy(local))


def admin_files(project_root: Path, site_url: str, content: Content | None = None) -> dict[str, str | Path]:
    """Every file the build writes under admin/, keyed by its path in the site: made text, or
    the vendored file to copy (Decap's bundle, copied as it is, never read into memory).
    ``content``: the content the build has loaded, so that its files are not read again."""
    local = local_backend()
    env = _environment()
    record = json.loads((VENDOR / "VENDOR.json").read_text(encoding="utf-8"))
    files: dict[str, str | Path] = {
        f"{ADMIN}/index.html": env.get_template("index.html").render(
            policy=admin_policy(local), version=record["version"]),
        f"{ADMIN}/config.yml": env.get_template("config.yml").render(
            config=cms_config(project_root, site_url, local, content)),
    }
    for name in record["files"]:
        files[f"{ADMIN}/{name}"] = VENDOR / name
    return files
