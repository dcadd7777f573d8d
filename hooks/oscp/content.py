"""Loading everything under ``content/`` into one validated, read-only :class:`Content`.

This is the only place that reads content files. A build calls :func:`load_content`
once; it returns the content or raises :class:`ContentError` listing every problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import checks, schemas
from .problems import ContentError, Problem, errors
from .yaml_files import Pointer, YamlDocument, read_yaml

#: content kind -> (folder under content/, the field that holds the entry's id)
KIND_FOLDERS: dict[str, tuple[str, str]] = {
    "source": ("sources", "id"),
    "organisation": ("organisations", "id"),
    "service": ("services", "id"),
    "programme": ("programmes", "slug"),
    "priorities": ("priorities", "year"),
    "dataset": ("datasets", "id"),
}
IGNORED_FOLDERS = {"schemas"}


@dataclass
class Entry:
    """One content file: its kind, id, data and where each value sits in the file."""

    kind: str
    id: str
    doc: YamlDocument

    @property
    def path(self) -> str:
        return self.doc.path

    @property
    def data(self) -> dict[str, Any]:
        return self.doc.data

    def problem(self, pointer: Pointer, message: str, hint: str = "", *,
                severity: str = "error", key: bool = False) -> Problem:
        """A problem located at the value (or key) ``pointer`` in this file."""
        line, col = self.doc.where(pointer, key=key)
        return Problem(self.path, line, col, message, hint, severity)


@dataclass
class Content:
    """All content of one site, keyed by kind and then id (in file-name order)."""

    root: Path
    entries: dict[str, dict[str, Entry]] = field(default_factory=dict)
    #: every id seen per kind, including files that failed their schema (so that
    #: references to them are not also reported as unknown)
    ids: dict[str, set[str]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    def of(self, kind: str) -> dict[str, Entry]:
        return self.entries.get(kind, {})

    def data(self, kind: str) -> list[dict[str, Any]]:
        return [entry.data for entry in self.of(kind).values()]

    def get(self, kind: str, entry_id: str) -> dict[str, Any]:
        return self.entries[kind][entry_id].data


def load_content(root: Path, *, sources_dir: Path | None = None,
                 display_base: Path | None = None) -> Content:
    """Read, validate and cross-check every file under ``root``.

    ``sources_dir`` is where the cited report files live (checked when it exists);
    ``display_base`` is what paths in messages are shown relative to (default: root's parent).
    """
    root = root.resolve()
    base = (display_base or root.parent).resolve()
    schema_dir = root / "schemas"
    problems: list[Problem] = []
    content = Content(root)
    if not root.is_dir():
        raise ContentError([Problem(_display(root, base), None, None,
                                    "content folder not found", "create content/ beside docs/")])
    problems += _unknown_folders(root, base)
    for kind, (folder, id_field) in KIND_FOLDERS.items():
        content.entries[kind] = {}
        content.ids[kind] = set()
        for path in _content_files(root / folder):
            display = _display(path, base)
            outside = _outside_link(path, root)
            if outside:
                problems.append(Problem(display, None, None, "symbolic link points outside content/",
                                        "copy the file into content/ instead of linking to it"))
                continue
            doc, found = read_yaml(path, display)
            if doc is None:
                problems += found
                content.ids[kind].add(path.stem)  # so references to it are not also reported
                continue
            found = schemas.validate(schema_dir, kind, doc)
            problems += found
            entry_id = doc.data.get(id_field)
            if not isinstance(entry_id, str):
                entry_id = path.stem
            entry = Entry(kind, entry_id, doc)
            if entry_id != path.stem:
                problems.append(entry.problem(
                    (id_field,), f"{id_field} {entry_id!r} does not match the file name {path.name!r}",
                    f"rename the file to {entry_id}{path.suffix} or set {id_field}: {path.stem}"))
            if entry_id in content.ids[kind]:
                problems.append(entry.problem((id_field,), f"duplicate {id_field} {entry_id!r}",
                                              "another file already uses it; choose another"))
            content.ids[kind].add(entry_id)
            content.entries[kind].setdefault(entry_id, entry)
    docs = root.parent / "docs"
    docs_pages = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")} if docs.is_dir() else set()
    problems += checks.check_content(content, sources_dir, docs_pages)
    if errors(problems):
        raise ContentError(problems)
    content.warnings = sorted(problems)
    return content


def _content_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.suffix in {".yml", ".yaml"} and not p.name.startswith("."))


def _unknown_folders(root: Path, base: Path) -> list[Problem]:
    known = {folder for folder, _ in KIND_FOLDERS.values()} | IGNORED_FOLDERS
    problems = []
    for path in sorted(root.iterdir()):
        if path.name.startswith(".") or path.name.lower().startswith("readme"):
            continue
        if path.is_dir() and path.name not in known:
            problems.append(Problem(_display(path, base) + "/", None, None, "unknown content folder",
                                    "content goes in one of: " + ", ".join(sorted(known))))
        elif path.is_file() and path.suffix in {".yml", ".yaml"}:
            problems.append(Problem(_display(path, base), None, None, "content file is not in a kind folder",
                                    "move it into one of: " + ", ".join(sorted(known - IGNORED_FOLDERS))))
    return problems


def _outside_link(path: Path, root: Path) -> bool:
    if not path.is_symlink():
        return False
    try:
        path.resolve().relative_to(root)
    except ValueError:
        return True
    return False


def _display(path: Path, base: Path) -> str:
    try:
        return path.absolute().relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()
