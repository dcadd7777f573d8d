"""Loading everything under ``content/`` into one validated :class:`~oscp.model.Content`.

The pipeline, as in mkdocs's own config loading: read each file, validate it against its
kind's schema, then run the checks that span entries on the entries that passed, and
raise :class:`ContentError` once with every problem. This is the only module that reads
content files and the only one that imports the schemas and the checks.
"""

from __future__ import annotations

import marshal
import re
import stat
from collections import OrderedDict
from pathlib import Path

from . import checks, schemas
from .model import KINDS, Content, Entry
from .pages import build_pages
from .problems import ContentError, Problem, errors
from .safe_markdown import checker_for
from .yaml_files import YamlDocument, parse_yaml_bytes, read_bytes

#: where pymdownx.snippets finds the files hand-written pages include (mkdocs.yml)
SNIPPETS = "overrides/snippets"
_SNIPPET = re.compile(r'^--8<--\s+"([^"]+)"\s*$', re.MULTILINE)

#: folders under content/ that hold no entries
IGNORED_FOLDERS = {"schemas"}

#: Files read and checked against their schema in this process (see _read_checked), newest
#: last: (shown path, bytes, schemas' digest, schema) -> (document marshalled, or None; problems).
_CHECKED: OrderedDict[tuple[str, bytes, str, str], tuple[bytes | None, tuple[Problem, ...]]] = OrderedDict()
_CHECKED_FILES = 512            # at most this many kept ...
_CHECKED_FILE_BYTES = 64 * 1024  # ... each at most this big (content files are a few KB)


def load_content(root: Path, *, sources_dir: Path | None = None,
                 display_base: Path | None = None) -> Content:
    """Read, validate and cross-check every file under ``root``.

    ``sources_dir`` is where the cited report files live (checked when it exists);
    ``display_base`` is what paths in messages are shown relative to (default: root's parent).
    """
    root = root.resolve()
    base = (display_base or root.parent).resolve()
    if not root.is_dir():
        raise ContentError([Problem(display_path(root, base), None, None,
                                    "content folder not found", "create content/ beside docs/")])
    content = Content(root)
    problems = _unknown_folders(root, base)
    schema_set = schemas.read_schemas(root / "schemas")
    broken = _schema_problems(schema_set, root, base)
    if broken:  # nothing can be checked against a broken or missing schema
        raise ContentError(broken)
    for kind in KINDS.values():
        content.entries[kind.name] = {}
        content.ids[kind.name] = set()
        paths, folder_problems = _content_files(root / kind.folder, root, base)
        problems += folder_problems
        for path in paths:
            problems += _read_entry(content, kind.name, path, root, base, schema_set)
    found, anchored = checks.check_content(content, sources_dir, _docs_pages(root.parent / "docs"))
    problems += found
    if not errors(problems) and anchored:  # only valid content can be made into pages
        targets = {link.page for link in anchored}
        problems += checks.check_anchors(anchored, _page_sources(content, targets), checker_for(root.parent))
    if errors(problems):
        raise ContentError(problems)
    content.warnings = sorted(problems)
    return content


def _schema_problems(schema_set: schemas.Schemas, root: Path, base: Path) -> list[Problem]:
    """What is wrong with the schema files themselves, and a problem for each kind whose
    schema file is missing."""
    missing = [Problem(display_path(root / "schemas" / kind.schema, base), 1, 1, "schema file not found",
                       f"restore content/schemas/{kind.schema} (every kind of content needs its schema)")
               for kind in KINDS.values() if kind.schema not in schema_set.validators
               and not any(p.path.endswith("/" + kind.schema) for p in schema_set.problems)]
    return list(schema_set.problems) + missing


def _page_sources(content: Content, targets: set[str]) -> dict[str, str]:
    """The Markdown of the ``targets`` pages (made from ``content``, or hand-written in docs/,
    with snippets put in as mkdocs does), so links to anchors on them are checked as the build
    checks them. Only the pages links point into are made here; the build makes them all."""
    project = content.root.parent
    sources = {page.src_uri: page.markdown for page in build_pages(content, only=targets)}
    docs = project / "docs"
    for uri in _docs_pages(docs) & targets:
        sources[uri] = _SNIPPET.sub(lambda m: _snippet(project, m.group(1)), (docs / uri).read_text(encoding="utf-8"))
    return sources


def _snippet(project: Path, name: str) -> str:
    path = project / SNIPPETS / name
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _read_entry(content: Content, kind_name: str, path: Path, root: Path, base: Path,
                schema_set: schemas.Schemas) -> list[Problem]:
    """Read one file; keep it in ``content`` if it passes its schema. Its id is always noted,
    so that references to a broken file are not also reported as unknown."""
    kind = KINDS[kind_name]
    display = display_path(path, base)
    if _outside_link(path, root):
        return [Problem(display, 1, 1, "symbolic link points outside content/",
                        "copy the file into content/ instead of linking to it")]
    doc, problems = _read_checked(path, display, schema_set, kind.schema)
    if doc is None:
        content.ids[kind.name].add(path.stem)
        return problems
    entry_id = doc.data.get(kind.id_field)
    if not isinstance(entry_id, str):
        entry_id = path.stem
    entry = Entry(kind.name, entry_id, doc)
    if entry_id != path.stem:
        problems.append(entry.problem(
            (kind.id_field,), f"{kind.id_field} {entry_id!r} does not match the file name {path.name!r}",
            f"rename the file to {entry_id}{path.suffix} or set {kind.id_field}: {path.stem}"))
    if entry_id in content.ids[kind.name]:
        problems.append(entry.problem((kind.id_field,), f"duplicate {kind.id_field} {entry_id!r}",
                                      "another file already uses it; choose another"))
    content.ids[kind.name].add(entry_id)
    if not errors(problems):
        content.entries[kind.name][entry_id] = entry
    return problems


def _read_checked(path: Path, display: str, schema_set: schemas.Schemas,
                  schema: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Read one file and check it against its schema: the document (None if it cannot be
    read) and its problems. A file whose bytes this process has read and checked before is
    not parsed and checked again: `mkdocs serve` rebuilds after every edit, and the tests
    load the same files hundreds of times. The result depends only on the bytes, the shown
    path and the schemas (read for each load: see schemas.read_schemas), and each
    call gets a new document (kept marshalled, not shared), so one build's work cannot reach
    another's."""
    raw, problems = read_bytes(path, display)
    if raw is None:
        return None, problems
    key = (display, raw, schema_set.digest, schema)
    if key in _CHECKED:
        _CHECKED.move_to_end(key)
        kept, checked = _CHECKED[key]
        if kept is None:
            return None, list(checked)
        data, text, values, keys = marshal.loads(kept)
        return YamlDocument(display, data, text, values, keys), list(checked)
    doc, problems = parse_yaml_bytes(raw, display)
    if doc is not None:
        problems = schemas.validate(schema_set, schema, doc)
    if len(raw) <= _CHECKED_FILE_BYTES:
        try:
            kept = None if doc is None else marshal.dumps((doc.data, doc.text, doc.values, doc.keys))
        except ValueError:  # a value marshal cannot keep: read this file again next time
            return doc, problems
        _CHECKED[key] = (kept, tuple(problems))
        if len(_CHECKED) > _CHECKED_FILES:
            _CHECKED.popitem(last=False)
    return doc, problems


def _docs_pages(docs: Path) -> set[str]:
    """The hand-written pages that content may link to."""
    return {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")} if docs.is_dir() else set()


#: what a content file's name may be: an id (see common.schema.json) and .yml or .yaml
CONTENT_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}\.ya?ml$")


def _content_files(folder: Path, root: Path, base: Path) -> tuple[list[Path], list[Problem]]:
    """The content files of one kind folder, or a problem if the folder is a link to
    somewhere outside content/ or cannot be read. Every other name in the folder is refused,
    never ignored: another ending or case (.YML), a name with control characters or
    punctuation, a folder, and anything that is not a regular file (a FIFO would hang the read,
    a link in a loop cannot be read)."""
    display = display_path(folder, base) + "/"
    if _outside_link(folder, root):
        return [], [Problem(display, None, None, "folder is a symbolic link to somewhere outside content/",
                            "replace the link with a real folder holding the content files")]
    try:
        if not folder.is_dir():
            return [], []
        listing = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    except OSError as exc:
        return [], [Problem(display, None, None, f"folder cannot be read: {exc.strerror or exc}",
                            "check the folder's permissions (it must be readable by the build)")]
    names, problems = [], []
    for path in listing:
        shown = display_path(path, base)
        if path.name.lower().startswith("readme"):
            continue
        if not CONTENT_FILE.match(path.name):
            if path.suffix.lower() in {".yml", ".yaml"} and CONTENT_FILE.match(path.stem + path.suffix.lower()):
                hint = f"rename it to {path.stem}{path.suffix.lower()} (lower case)"
            elif path.suffix.lower() in {".yml", ".yaml"}:
                hint = "name the file after its id: lower-case letters, digits and hyphens, e.g. my-entry.yml"
            else:
                hint = "content files end in .yml; move other files out of content/"
            problems.append(Problem(shown, 1, 1, "not a content file name, so it would not be read", hint))
            continue
        try:
            mode = path.stat().st_mode  # follows a link: a loop raises
        except (OSError, RuntimeError) as exc:
            problems.append(Problem(shown, 1, 1, f"cannot be read: {getattr(exc, 'strerror', None) or exc}",
                                    "replace the link or file with a plain file"))
            continue
        if not stat.S_ISREG(mode):
            problems.append(Problem(shown, 1, 1, "not a regular file (a folder, pipe or device)",
                                    "content files are plain text files ending in .yml"))
            continue
        names.append(path)
    return names, problems


def _unknown_folders(root: Path, base: Path) -> list[Problem]:
    known = {kind.folder for kind in KINDS.values()} | IGNORED_FOLDERS
    problems = []
    try:
        listing = sorted(root.iterdir())
    except OSError as exc:
        return [Problem(display_path(root, base) + "/", None, None, f"folder cannot be read: {exc.strerror or exc}",
                        "check the folder's permissions (it must be readable by the build)")]
    for path in listing:
        if path.name.startswith(".") or path.name.lower().startswith("readme"):
            continue
        if path.is_dir() and path.name not in known:
            problems.append(Problem(display_path(path, base) + "/", None, None, "unknown content folder",
                                    "content goes in one of: " + ", ".join(sorted(known))))
        elif path.is_file() and path.suffix in {".yml", ".yaml"}:
            problems.append(Problem(display_path(path, base), 1, 1,
                                    "content file is not in a kind folder",
                                    "move it into one of: " + ", ".join(sorted(known - IGNORED_FOLDERS))))
    return problems


def _outside_link(path: Path, root: Path) -> bool:
    """Whether ``path`` is a symbolic link leading outside ``root``. Its folder must be known
    to lie inside: ``root`` itself (resolved), or a kind folder checked before its files."""
    if not path.is_symlink():
        return False
    try:
        path.resolve().relative_to(root)
    except (ValueError, OSError, RuntimeError):
        return True
    return False


def display_path(path: Path, base: Path) -> str:
    """How a path is shown to editors: relative to the project folder."""
    try:
        return path.absolute().relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def load_project(root: Path) -> Content:
    """The content of the project folder ``root`` (holding content/ and docs/), checking
    citations against the reports in ../shared/sources/ when that folder exists."""
    return load_content(root / "content", sources_dir=root.parent / "shared" / "sources", display_base=root)


def check_document(content: Content, kind_name: str, doc: YamlDocument, *,
                   replaces: str | None = None) -> list[Problem]:
    """Problems with one more document as if it were a file of ``content`` (taking the place
    of the entry ``replaces``): its schema, then, if it passes, the checks that span files.
    The editors' guide examples are checked this way."""
    kind = KINDS[kind_name]
    schema_set = schemas.read_schemas(content.root / "schemas")
    broken = _schema_problems(schema_set, content.root, content.root.parent)
    if broken:
        return broken
    problems = schemas.validate(schema_set, kind.schema, doc)
    if errors(problems):
        return problems
    entry = Entry(kind.name, doc.data[kind.id_field], doc)
    trial = Content(content.root, entries={k: dict(v) for k, v in content.entries.items()},
                    ids={k: set(v) for k, v in content.ids.items()})
    if replaces:
        trial.entries[kind.name].pop(replaces, None)
        trial.ids[kind.name].discard(replaces)
    trial.entries[kind.name][entry.id] = entry
    trial.ids[kind.name].add(entry.id)
    found, _anchored = checks.check_content(trial, None, _docs_pages(content.root.parent / "docs"))
    return problems + [p for p in found if p.path == doc.path]
