"""The editors' form at /admin/ (oscp.cms): its config comes from the schemas, a save in it
loses nothing, and its page loads only from this site.

Decap writes a whole file when it saves: its top-level keys in the config's field order, the
first field's ``comment`` as the first line, the values as the ``yaml`` package (YAML 1.2)
writes them. The round-trip tests save every real content file that way twice over: with
that very package (node_modules/yaml, the version decap-cms-core depends on, pinned in
package-lock.json) when npm's tools are installed, and always with a PyYAML writer given YAML
1.2's rules for when a string needs quotes, the rules that could turn a value into another
type for our (YAML 1.1) loader.

Part 5 of issue 27, the answer chosen: the fields are ordered as the files are written, and
the schema comment is written back by Decap itself (the ``comment`` option), so a save moves
no key and keeps the first line; the editors' settings (.vscode/settings.json) also associate
each folder with its schema. Decap restyles folded text and one-line lists on a file's first
save; from then on, a one-field edit's diff shows that field only.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from oscp import cms
from oscp.model import KINDS
from oscp.schemas import _is_uk_phone
from oscp.yaml_files import parse_yaml_text
from tests.sitebuild import REPO

SITE = "https://www.saferoxford.org.uk/"
NODE_YAML = REPO / "node_modules" / "yaml"
DECAP_SERVER = REPO / "node_modules" / "decap-server" / "dist" / "index.js"


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    return cms.cms_config(REPO, SITE)


def _collection(config: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(c for c in config["collections"] if c["folder"] == f"content/{KINDS[kind].folder}")


def _field(fields: list[dict[str, Any]], *path: str) -> dict[str, Any]:
    field = next(f for f in fields if f["name"] == path[0])
    if len(path) == 1:
        return field
    inner = field.get("fields") or [field["field"]]
    return _field(inner, *path[1:])


# --- the config comes from the schemas -----------------------------------------------------------

def _schema_paths(schema: dict[str, Any], base: str, files: dict[str, Any], where: tuple[str, ...] = ()
                  ) -> Iterator[tuple[str, ...]]:
    """Every property of a schema, nested objects and list items included."""
    for name, node in schema.get("properties", {}).items():
        resolved, file, _ = cms._resolve(node, base, files)
        yield where + (name,)
        items, item_file, _ = cms._resolve(resolved.get("items", {}), file, files)
        for inner, inner_file in ((resolved, file), (items, item_file)):
            if "properties" in inner:
                yield from _schema_paths(inner, inner_file, files, where + (name,))


def test_every_schema_property_has_a_field(config: dict[str, Any]) -> None:
    files = cms._schema_files(REPO / "content" / "schemas")
    for kind in KINDS.values():
        fields = _collection(config, kind.name)["fields"]
        paths = list(_schema_paths(files[kind.schema], kind.schema, files))
        assert paths
        for path in paths:
            assert _field(fields, *path)["name"] == path[-1], (kind.name, path)


def test_a_property_added_to_a_schema_becomes_a_field(tmp_path: Path) -> None:
    shutil.copytree(REPO / "content" / "schemas", tmp_path / "content" / "schemas")
    for kind in KINDS.values():
        (tmp_path / "content" / kind.folder).mkdir()
    path = tmp_path / "content" / "schemas" / "service.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["properties"]["parking"] = {"$ref": "common.schema.json#/$defs/line",
                                       "description": "Where visitors can park."}
    path.write_text(json.dumps(schema), encoding="utf-8")
    service = next(c for c in cms.collections(tmp_path) if c["name"] == "services")
    field = _field(service["fields"], "parking")
    assert field["widget"] == "string" and field["required"] is False
    assert field["hint"] == "Where visitors can park."


def test_collections_are_folders_of_yaml_files(config: dict[str, Any]) -> None:
    assert [c["folder"] for c in config["collections"]] == [f"content/{k.folder}" for k in KINDS.values()]
    for kind in KINDS.values():
        collection = _collection(config, kind.name)
        assert collection["extension"] == "yml" and collection["format"] == "yml"
        assert collection["identifier_field"] == kind.id_field
        assert collection["fields"][0]["comment"] == f"yaml-language-server: $schema=../schemas/{kind.schema}"


def test_widgets_required_and_hints(config: dict[str, Any]) -> None:
    service = _collection(config, "service")["fields"]
    programme = _collection(config, "programme")["fields"]
    assert _field(service, "emergency")["widget"] == "boolean"
    assert "required" not in _field(service, "emergency")
    assert _field(service, "summary")["required"] is False
    assert _field(service, "purpose")["widget"] == "text"
    situations = _field(service, "situations")
    assert situations["widget"] == "select" and situations["multiple"] is True
    assert "domestic-abuse" in situations["options"]
    body = _field(programme, "body")
    assert body["widget"] == "markdown" and body["modes"] == ["raw"]
    assert _field(programme, "status", "state")["widget"] == "select"
    year = _field(programme, "status", "year")
    assert (year["widget"], year["value_type"], year["min"], year["max"]) == ("number", "int", 1990, 2100)
    figures = _field(programme, "figures")
    assert figures["widget"] == "list" and "label" in [f["name"] for f in figures["fields"]]
    assert _field(programme, "figures", "value")["value_type"] == "float"
    assert _field(programme, "summary")["hint"] == "One line saying what the programme does."


def test_relations_are_the_references_the_build_checks(config: dict[str, Any]) -> None:
    found = set()

    def walk(kind: str, fields: list[dict[str, Any]], where: tuple[str, ...]) -> None:
        for field in fields:
            if field.get("widget") == "relation":
                found.add((kind, where + (field["name"],), field["collection"], field.get("multiple", False)))
            walk(kind, field.get("fields", []), where + (field["name"],))

    for kind in KINDS:
        walk(kind, _collection(config, kind)["fields"], ())
    expected = {
        ("programme", ("services",), "services", True),
        ("programme", ("partners",), "organisations", True),
        ("programme", ("datasets",), "datasets", True),
        ("service", ("programmes",), "programmes", True),
        ("priorities", ("priorities", "programmes"), "programmes", True),
        ("programme", ("sources", "source"), "sources", False),
        ("dataset", ("source", "source"), "sources", False),
    }
    assert expected <= found
    for kind, path, collection, _ in found:
        value_field = _field(_collection(config, kind)["fields"], *path)["value_field"]
        assert value_field == next(k.id_field for k in KINDS.values() if k.folder == collection)


def test_phone_pattern_agrees_with_the_builds_check() -> None:
    regex = re.compile(cms.FORMAT_PATTERNS["uk-phone"])
    samples = ["999", "101", "111", "116 123", "116123", "0800 555 111", "01865 252000", "07700 900123",
               "0800 1111", "12345", "999 ", "0800  555 111", "+44 1865 252000", "0800-555-111", "0",
               "01865 2520001", "0 1 8 6 5 2 5 2 0 0 0", "1 0 1", "abc", "116 12", "08001111"]
    for number in samples:
        assert bool(regex.search(number)) == _is_uk_phone(number), number


def _values(data: Any, path: tuple[str, ...]) -> Iterator[Any]:
    if not path:
        yield from (data if isinstance(data, list) else [data])
        return
    if isinstance(data, list):
        for item in data:
            yield from _values(item, path)
    elif isinstance(data, dict) and path[0] in data:
        yield from _values(data[path[0]], path[1:])


def _patterned(fields: list[dict[str, Any]], where: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    for field in fields:
        path = where + (field["name"],)
        for holder in (field, field.get("field", {})):
            if "pattern" in holder:
                yield path, holder["pattern"][0]
        yield from _patterned(field.get("fields", []), path)


def _content() -> Iterator[tuple[str, Path]]:
    for kind in KINDS.values():
        for path in sorted((REPO / "content" / kind.folder).glob("*.yml")):
            yield kind.name, path


def test_the_form_accepts_every_value_the_content_has(config: dict[str, Any]) -> None:
    """A pattern (the schema's, in JavaScript's syntax, which these share with Python's) never
    refuses a value the build accepts, so an editor is never stopped by a field they did not touch."""
    for kind, path in _content():
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader11)
        for where, regex in _patterned(_collection(config, kind)["fields"]):
            for value in _values(data, where):
                if isinstance(value, str):
                    assert re.search(regex, value), (path.name, where, value)


# --- the files the build writes -------------------------------------------------------------------

def test_admin_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cms.LOCAL_BACKEND_ENV, raising=False)
    files = cms.admin_files(REPO, SITE)
    page = files["admin/index.html"]
    assert isinstance(page, str)
    assert '<meta name="robots" content="noindex, nofollow">' in page
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    policy = policy.replace("&#39;", "'")
    assert "script-src 'self' 'unsafe-eval';" in policy
    assert "connect-src 'self' https://api.github.com;" in policy
    assert '<script src="decap-cms.js?v=' in page
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', page), "the page loads nothing from another origin"
    production = yaml.safe_load(files["admin/config.yml"])
    assert production["backend"]["name"] == "github"
    assert production["publish_mode"] == "editorial_workflow"
    assert "local_backend" not in production
    assert files["admin/decap-cms.js"] == cms.VENDOR / "decap-cms.js"  # copied as it is, never read
    for name in json.loads((cms.VENDOR / "VENDOR.json").read_text())["files"]:
        assert f"admin/{name}" in files


def test_make_edit_adds_the_local_backend_on_loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cms.LOCAL_BACKEND_ENV, "http://127.0.0.1:8081")
    files = cms.admin_files(REPO, "http://127.0.0.1:8000/")
    local = yaml.safe_load(files["admin/config.yml"])
    assert local["local_backend"] == {"url": "http://127.0.0.1:8081/api/v1", "allowed_hosts": ["127.0.0.1"]}
    assert "http://127.0.0.1:8081" in files["admin/index.html"]
    monkeypatch.setenv(cms.LOCAL_BACKEND_ENV, "http://192.0.2.7:8081")
    assert "local_backend" not in yaml.safe_load(cms.admin_files(REPO, SITE)["admin/config.yml"])


def test_vendored_bundle_is_the_pinned_package() -> None:
    record = json.loads((cms.VENDOR / "VENDOR.json").read_text(encoding="utf-8"))
    lock = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"]["node_modules/decap-cms"]
    assert (record["version"], record["integrity"]) == (pinned["version"], pinned["integrity"])
    assert record["version"].startswith("3.")
    assert (cms.VENDOR / "LICENSE").read_text().count("MIT License") == 1
    for name, digest in record["files"].items():
        assert hashlib.sha256((cms.VENDOR / name).read_bytes()).hexdigest() == digest, name
    installed = REPO / "node_modules" / "decap-cms" / "dist" / "decap-cms.js"
    if installed.exists():  # npm's copy, where npm's tools are installed, is the same file
        assert hashlib.sha256(installed.read_bytes()).hexdigest() == record["files"]["decap-cms.js"]


# --- round trip --------------------------------------------------------------------------------------

class _Loader11(yaml.SafeLoader):
    """The engine's reading of YAML (1.1, dates kept as text), as oscp.yaml_files."""


_Loader11.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Dumper12(yaml.SafeDumper):
    """Writes a string without quotes whenever YAML 1.2's core schema reads it back as a string,
    as the ``yaml`` package Decap uses does."""


_Dumper12.yaml_implicit_resolvers = {}
for _tag, _regex, _first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("null", r"^(?:~|null|Null|NULL|)$", "~nN"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)"
              r"|\.nan|\.NaN|\.NAN)$", "-+.0123456789"),
):
    _Dumper12.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_regex), list(_first))
_Dumper12.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^$"), [""])


def _python_save(data: dict[str, Any], order: list[str], comment: str) -> str:
    """Decap's yaml.toFile, with PyYAML: top-level keys sorted by the fields (a key without a
    field keeps its place), the first field's comment before it."""
    rank = {name: i for i, name in enumerate(order)}
    keys = sorted(data, key=lambda key: rank.get(key, len(order)))
    text = yaml.dump({key: data[key] for key in keys}, Dumper=_Dumper12, sort_keys=False,
                     allow_unicode=True, default_flow_style=False, indent=2)
    return f"# {comment}\n" + text if keys and keys[0] == order[0] else text


_NODE_SAVE = """
const yaml = require(process.argv[1]);
const jobs = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const timestampTag = {identify: v => v instanceof Date, default: true, tag: '!timestamp',
  test: /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2}(\\.[0-9]+)?)Z$/,
  resolve: s => new Date(s), stringify: v => v.value.toISOString()};
const out = jobs.map(({text, order, comment, edit}) => {
  const data = yaml.parseDocument(text, {customTags: [timestampTag]}).toJSON();   // fromFile
  if (edit) data[edit[0]] = edit[1];                                               // the form
  const contents = yaml.createNode(data);                                          // toFile
  for (const item of contents.items) if (item.key.toString() === order[0]) item.commentBefore = ` ${comment}`;
  contents.items.sort((a, b) => {
    const i = order.indexOf(a.key.toString()), j = order.indexOf(b.key.toString());
    return i === -1 || j === -1 ? 0 : i - j;
  });
  const doc = new yaml.Document(); doc.contents = contents;
  const result = doc.toString();
  return result.endsWith('\\n') ? result : result + '\\n';
});
process.stdout.write(JSON.stringify(out));
"""


def _node_saves(jobs: list[dict[str, Any]]) -> list[str]:
    run = subprocess.run(["node", "-e", _NODE_SAVE, str(NODE_YAML)], input=json.dumps(jobs),
                         capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


def _saver(kind: str) -> Any:
    if kind == "decap-yaml" and not (NODE_YAML.is_dir() and shutil.which("node")):
        pytest.skip("npm's tools are not installed (make tools)")
    return kind


def _save_all(saver: str, jobs: list[dict[str, Any]]) -> list[str]:
    if saver == "decap-yaml":
        return _node_saves(jobs)
    out = []
    for job in jobs:
        data = yaml.load(job["text"], Loader=_Loader11)
        if job.get("edit"):
            data[job["edit"][0]] = job["edit"][1]
        out.append(_python_save(data, job["order"], job["comment"]))
    return out


def _parse(text: str, name: str) -> Any:
    doc, problems = parse_yaml_text(text, name)
    assert doc is not None, [p.format() for p in problems]
    return doc.data


def _jobs(config: dict[str, Any]) -> list[tuple[str, Path, dict[str, Any]]]:
    jobs = []
    for kind, path in _content():
        fields = _collection(config, kind)["fields"]
        jobs.append((kind, path, {"text": path.read_text(encoding="utf-8"), "order": [f["name"] for f in fields],
                                  "comment": fields[0]["comment"]}))
    return jobs


@pytest.mark.parametrize("saver", ["decap-yaml", "pyyaml-1.2"])
def test_saving_unchanged_loses_nothing(config: dict[str, Any], saver: str) -> None:
    """Every real content file, saved as Decap saves it, parses to the same data and keeps its first
    line; a file written in the order most files of its kind use keeps its keys' order."""
    jobs = _jobs(config)
    saved = _save_all(_saver(saver), [job for _, _, job in jobs])
    assert len(saved) > 100
    for (_, path, job), text in zip(jobs, saved, strict=True):
        before, after = _parse(job["text"], path.name), _parse(text, path.name)
        assert after == before, path.name
        if sorted(before, key=job["order"].index) == list(before):  # written in its kind's common order
            assert list(after) == list(before), f"{path.name}: a key moved"
        assert text.splitlines()[0] == job["text"].splitlines()[0], path.name


def _block(text: str, key: str) -> list[str]:
    """The lines of one top-level key."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
    end = next((i for i in range(start + 1, len(lines)) if lines[i][:1] not in ("", " ", "-")), len(lines))
    return lines[start:end]


@pytest.mark.parametrize("saver", ["decap-yaml", "pyyaml-1.2"])
def test_a_one_field_edit_changes_one_field(config: dict[str, Any], saver: str) -> None:
    """Once a file has been saved by the form, changing one field changes that field's lines only."""
    saver = _saver(saver)
    jobs = _jobs(config)
    first = _save_all(saver, [job for _, _, job in jobs])
    edits = []
    for (_kind, _, job), text in zip(jobs, first, strict=True):
        data = _parse(text, "x")
        key = next((k for k in ("summary", "title", "name") if k in data),
                   next(k for k, v in list(data.items())[1:] if isinstance(v, str)))
        edits.append({**job, "text": text, "edit": [key, "A changed line, as an editor typed it"]})
    second = _save_all(saver, edits)
    for (_kind, path, _), job, text in zip(jobs, edits, second, strict=True):
        key = job["edit"][0]
        removed = [line[2:] for line in difflib.ndiff(job["text"].splitlines(), text.splitlines())
                   if line.startswith("- ")]
        added = [line[2:] for line in difflib.ndiff(job["text"].splitlines(), text.splitlines())
                 if line.startswith("+ ")]
        assert removed == _block(job["text"], key), (path.name, removed)
        assert added == _block(text, key), (path.name, added)
        expected = copy.deepcopy(_parse(job["text"], path.name))
        expected[key] = "A changed line, as an editor typed it"
        assert _parse(text, path.name) == expected


# --- in Chromium --------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def editing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Path]]:
    """A git repository holding a copy of the content, decap-server on it (on loopback, as
    `make edit` starts it), and the admin files served on another loopback port."""
    if not (DECAP_SERVER.exists() and shutil.which("node")):
        if os.environ.get("CI"):
            pytest.fail("decap-server is not installed (make tools)")
        pytest.skip("decap-server is not installed (make tools)")
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "content", repo / "content")
    git = ["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.org"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-qm", "content"], check=True)
    cms_port, site_port = _free_port(), _free_port()
    server = subprocess.Popen(["node", str(DECAP_SERVER)], cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              env={**os.environ, "BIND_HOST": "127.0.0.1", "PORT": str(cms_port), "MODE": "fs"})
    site = tmp_path / "site"
    monkeypatch.setenv(cms.LOCAL_BACKEND_ENV, f"http://127.0.0.1:{cms_port}")
    for name, body in cms.admin_files(repo, f"http://127.0.0.1:{site_port}/").items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(body.read_bytes() if isinstance(body, Path) else body.encode("utf-8"))
    handler = partial(_QuietHandler, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", site_port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", cms_port)) == 0:
                    break
            time.sleep(0.1)
        yield f"http://127.0.0.1:{site_port}", repo
    finally:
        httpd.shutdown()
        httpd.server_close()
        server.terminate()
        server.wait(10)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.mark.browser
def test_editing_a_service_in_chromium(editing: tuple[str, Path], tmp_path: Path) -> None:
    from tests.browser.server import launch

    origin, repo = editing
    service = repo / "content" / "services" / "anti-social-behaviour-investigation-team.yml"
    chromium = launch()
    browser = next(chromium)
    try:
        _edit(browser, origin, service, tmp_path)
    finally:
        browser.close()
        chromium.close()


def _edit(browser: Any, origin: str, service: Path, tmp_path: Path) -> None:
    before = _parse(service.read_text(encoding="utf-8"), service.name)
    first_line = service.read_text(encoding="utf-8").splitlines()[0]
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{origin}/admin/")
    page.get_by_role("button", name="Login").click()
    page.goto(f"{origin}/admin/#/collections/services/entries/{service.stem}")
    summary = page.locator("input[id^='summary-field']").first
    summary.wait_for()
    summary.fill("A council team that looks into threats and harassment.")
    page.get_by_role("button", name="Publish", exact=True).click()
    page.get_by_text("Publish now").click()
    page.get_by_text("Entry saved").wait_for()
    page.screenshot(path=str(tmp_path / "form.png"))
    after = _parse(service.read_text(encoding="utf-8"), service.name)
    assert after == {**before, "summary": "A council team that looks into threats and harassment."}
    assert service.read_text(encoding="utf-8").splitlines()[0] == first_line
    saved = service.read_bytes()

    page.locator("input[id^='phone-field']").first.fill("12345")
    page.get_by_role("button", name="Publish", exact=True).click()
    page.get_by_text("Publish now").click()
    page.get_by_text("didn't match the pattern").first.wait_for()
    assert service.read_bytes() == saved, "a value the schema refuses was written"
    assert {r.split("/")[2] for r in requests if r.startswith("http")} <= {origin.split("/")[2],
                                                                           os.environ[cms.LOCAL_BACKEND_ENV][7:]}
