"""The content model: the kinds of content, one loaded entry, all content of a site, citations.

The :data:`KINDS` registry is the one place a kind of content is declared: its folder under
``content/``, the field that holds an entry's id, its schema, and where its entries are
published. Every other module (loading, checks, pages, addresses, scaffolding) reads it.
This module imports nothing else from the engine but problems and yaml_files.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .problems import Problem
from .yaml_files import Pointer, YamlDocument


@dataclass(frozen=True)
class Kind:
    """One kind of content."""

    name: str
    #: folder under content/ holding one YAML file per entry
    folder: str
    #: the field that holds an entry's id; it must match the file name
    id_field: str
    #: the page (source path in the docs tree) an entry is published on; "#{id}" means an
    #: anchor on a shared page rather than a page of its own
    page: str
    #: the page listing every entry of the kind
    index: str
    #: the field listing an entry's former ids, each kept as a redirect to its page
    former_ids: str | None = None
    #: the field an editor sees as the entry's name
    title_field: str = "title"

    @property
    def schema(self) -> str:
        """The file name of the kind's JSON Schema in content/schemas/."""
        return f"{self.name}.schema.json"


#: Every kind of content, in loading order. Addresses here are a promise to partners.
KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    Kind("source", "sources", "id", page="sources/index.md#{id}", index="sources/index.md"),
    Kind("organisation", "organisations", "id", page="partners/index.md#{id}",
         index="partners/index.md", title_field="name"),
    Kind("service", "services", "id", page="get-help/{id}.md", index="get-help/index.md",
         title_field="name"),
    Kind("programme", "programmes", "slug", page="programmes/{id}.md", index="programmes/index.md",
         former_ids="former_slugs"),
    Kind("priorities", "priorities", "year", page="priorities/{id}.md", index="priorities/index.md",
         title_field="year"),
    Kind("dataset", "datasets", "id", page="data/{id}.md", index="data/index.md", former_ids="former_ids"),
)}


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

    def all(self) -> Iterator[Entry]:
        """Every entry, kind by kind."""
        for entries in self.entries.values():
            yield from entries.values()

    def overdue(self, today: date) -> list[Problem]:
        """Warnings for entries whose review_by date has passed."""
        return [entry.problem(("review_by",), f"review was due on {due}",
                              "check the entry, then update last_reviewed and review_by", severity="warning")
                for entry in self.all()
                if (due := entry.data.get("review_by")) and date.fromisoformat(due) < today]


def citations(data: dict[str, Any]) -> Iterator[tuple[Pointer, dict[str, Any]]]:
    """Every citation (``{source, at}``) in one schema-valid entry, with its pointer."""
    if "source" in data:
        yield ("source",), data["source"]
    for name in ("sources", "label_sources"):
        for i, cite in enumerate(data.get(name, [])):
            yield (name, i), cite
    for key in ("status", "started"):
        if isinstance(data.get(key), dict) and "source" in data[key]:
            yield (key, "source"), data[key]["source"]
    for i, figure in enumerate(data.get("figures", [])):
        yield ("figures", i, "source"), figure["source"]
    for i, fact in enumerate(data.get("dated_facts", [])):
        yield ("dated_facts", i, "source"), fact["source"]
    if "total" in data:
        yield ("total", "source"), data["total"]["source"]
    for i, priority in enumerate(data.get("priorities", [])):
        if isinstance(priority, dict) and "source" in priority:
            yield ("priorities", i, "source"), priority["source"]
    for key in ("contact_source", "url_source"):
        if "source" in data.get(key, {}):
            yield (key,), data[key]
