"""Checks that span files or that a JSON Schema cannot express.

They run only on entries that passed their schema (as mkdocs runs its post-validation),
so every field has the shape its schema promises. Each check looks at one entry at a
time and looks ids up in sets built once, so validation time grows linearly with the
amount of content.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import claims, readability
from .addresses import dataset_csv, help_address_clash, index_anchors, index_uri, own_page, page_uri
from .charts import MAX_PIE_SLICES
from .model import KINDS, Content, Entry, citations
from .problems import Problem
from .safe_markdown import Checker, Report, checker_for

HAS_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
MARKDOWN_FIELDS = {"body", "intro", "detail"}


@dataclass
class Known:
    """Ids of every kind, and every priority as YEAR/id, gathered once per run."""

    ids: dict[str, set[str]]
    priorities: set[str]
    #: "kind:former id" -> the file that claims it (see _check_former_ids)
    slug_owner: dict[str, str]
    #: page files (as in the docs tree) a Markdown link may point to, with their known anchors
    pages: dict[str, set[str] | None]
    #: the hand-written pages under docs/
    docs: frozenset[str] = frozenset()
    #: renders and vets Markdown fields with the site's own Markdown set-up
    markdown: Checker | None = None
    #: links to an anchor on a page whose headings are known only once it is made
    anchored: list[AnchoredLink] = field(default_factory=list)


@dataclass(frozen=True)
class AnchoredLink:
    """A content link to ``#anchor`` on a page (generated or hand-written) whose anchors the
    check can know only by making that page; see :func:`check_anchors`."""

    problem: Problem  # the problem to report if the anchor is missing
    page: str
    anchor: str


def check_content(content: Content, sources_dir: Path | None,
                  docs_pages: set[str] | None = None) -> tuple[list[Problem], list[AnchoredLink]]:
    """Every cross-file and semantic problem in ``content``, and the links to anchors that
    can be checked only against the made pages (:func:`check_anchors`).

    ``docs_pages``: the hand-written pages (paths under docs/) that content may link to.
    """
    known = _gather(content, docs_pages or set())
    problems: list[Problem] = []
    for entry in content.all():
        for check in CHECKS.get(entry.kind, ()) + COMMON:
            problems.extend(check(entry, known))
    if sources_dir is not None and sources_dir.is_dir():
        for entry in content.of("source").values():
            file = entry.data.get("file")
            if not (sources_dir / file).is_file():
                problems.append(entry.problem(("file",), f"report file {file!r} not found in {sources_dir.name}/",
                                              "check the file name against the sources README"))
    return problems, known.anchored


def check_anchors(anchored: list[AnchoredLink], pages: dict[str, str], checker: Checker) -> list[Problem]:
    """A problem for each link whose anchor the page it points to does not have, as the build
    would find it. ``pages`` holds the Markdown of every page (docs tree path -> text)."""
    ids: dict[str, set[str]] = {}
    problems = []
    for link in anchored:
        if link.page not in ids:
            ids[link.page] = checker.heading_ids(pages.get(link.page, ""))
        if link.anchor not in ids[link.page]:
            problems.append(link.problem)
    return problems


def _gather(content: Content, docs_pages: set[str]) -> Known:
    """Every id, priority and linkable page (with the anchors known on it)."""
    ids = content.ids
    pages: dict[str, set[str] | None] = {uri: None for uri in docs_pages}  # None: anchors unknown here
    for kind in KINDS.values():
        pages[index_uri(kind.name)] = index_anchors(kind.name, ids.get(kind.name, ()))
        if own_page(kind.name):
            pages.update({page_uri(kind.name, entry_id): None for entry_id in ids.get(kind.name, ())})
    pages.update({dataset_csv(d): set() for d in ids.get("dataset", ())})
    priorities = set()
    for year, entry in content.of("priorities").items():
        anchors = pages[page_uri("priorities", year)] = set()
        for item in entry.data["priorities"]:
            priorities.add(f"{year}/{item['id']}")
            anchors.add(item["id"])
    return Known(content.ids, priorities, {}, pages, frozenset(docs_pages), checker_for(content.root.parent))


def _refs(entry: Entry, known: Known, field: str, kind: str,
          pointer: tuple[Any, ...] = ()) -> Iterator[Problem]:
    """Each id listed in ``field`` (under ``pointer``) must name an entry of ``kind``."""
    node = entry.data
    for part in pointer:
        node = node[part]
    for i, value in enumerate(node.get(field, [])):
        if value not in known.ids.get(kind, set()):
            yield entry.problem(pointer + (field, i), f"unknown {kind} {value!r}",
                                f"use the id of a file in content/{KINDS[kind].folder}/, or add that file")


def _check_citations(entry: Entry, known: Known) -> Iterator[Problem]:
    for pointer, cite in citations(entry.data):
        source = cite["source"]
        if source not in known.ids.get("source", set()):
            yield entry.problem(pointer + ("source",), f"unknown source {source!r}",
                                "use the id of a file in content/sources/, or add that file")


def _check_review_dates(entry: Entry, known: Known) -> Iterator[Problem]:
    reviewed, due = entry.data.get("last_reviewed"), entry.data.get("review_by")
    if reviewed and due and date.fromisoformat(due) < date.fromisoformat(reviewed):
        yield entry.problem(("review_by",), f"review_by {due} is before last_reviewed {reviewed}",
                            "set review_by to a date after last_reviewed")


PLACEHOLDER = "REPLACE:"


def _check_placeholders(entry: Entry, known: Known) -> Iterator[Problem]:
    """Skeletons from `make new-...` mark what an editor must write; none may be published."""
    yield from _scan_placeholders(entry, entry.data, ())


def _scan_placeholders(entry: Entry, value: Any, pointer: tuple[Any, ...]) -> Iterator[Problem]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _scan_placeholders(entry, item, pointer + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _scan_placeholders(entry, item, pointer + (i,))
    elif isinstance(value, str) and PLACEHOLDER in value:
        line, col = entry.doc.find(PLACEHOLDER, pointer)
        yield Problem(entry.path, line, col, "placeholder text left in the entry",
                      f"write the real text in place of '{PLACEHOLDER} ...'")


def _check_markdown(entry: Entry, known: Known) -> Iterator[Problem]:
    """Every Markdown field must render to allowlisted HTML (see :mod:`oscp.safe_markdown`),
    and its links must reach pages (and anchors) that the build will have."""
    checker = known.markdown or checker_for(Path.cwd())
    checker.start_file()
    page = page_uri(entry.kind, entry.id) if own_page(entry.kind) else None
    for pointer, text in _markdown_fields(entry.data, ()):
        report = checker.check(text)
        for issue in report.issues:
            line, col = entry.doc.locate(pointer, issue.offset)
            yield Problem(entry.path, line, col, issue.message, issue.hint)
        if page is not None and not report.issues:
            yield from _check_links(entry, pointer, report, page, known)


def _markdown_fields(value: Any, pointer: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in MARKDOWN_FIELDS and isinstance(item, str):
                yield pointer + (key,), item
            else:
                yield from _markdown_fields(item, pointer + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _markdown_fields(item, pointer + (i,))


def _check_links(entry: Entry, pointer: tuple[Any, ...], report: Report, page: str,
                 known: Known) -> Iterator[Problem]:
    """Links to this site (relative, as mkdocs checks them) must reach a page the build has."""
    seen: set[str] = set()
    for target, offset in report.links:
        if HAS_SCHEME.match(target) or target in seen:
            continue
        seen.add(target)
        line, col = entry.doc.find(target, pointer) if target in entry.doc.text \
            else entry.doc.locate(pointer, max(offset, 0))
        path, _, anchor = target.partition("#")
        if not path:
            if anchor not in report.ids:
                yield Problem(entry.path, line, col, f"link to missing anchor #{anchor} in this text",
                              "link to a heading of this text, or to another page's .md file")
            continue
        if target.startswith("/"):
            yield Problem(entry.path, line, col, f"absolute link {target!r}",
                          "link relative to this page, e.g. other-programme.md or ../get-help/index.md")
            continue
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        if resolved not in known.pages:
            yield Problem(entry.path, line, col, f"link to missing page {target!r}",
                          "link to a page's .md file relative to this page, e.g. nightsafe.md "
                          "or ../get-help/index.md")
        elif anchor and known.pages[resolved] is None:
            known.anchored.append(AnchoredLink(Problem(
                entry.path, line, col, f"link to missing anchor #{anchor} on {path}",
                "use the id of a heading on that page, as in its address bar after you click the heading"),
                resolved, anchor))
        elif anchor and anchor not in known.pages[resolved]:
            yield Problem(entry.path, line, col, f"link to missing anchor #{anchor} on {path}",
                          "use the id of an entry on that page, e.g. ../get-help/index.md#police-101")


def _check_programme(entry: Entry, known: Known) -> Iterator[Problem]:
    data = entry.data
    yield from _refs(entry, known, "services", "service")
    yield from _refs(entry, known, "partners", "organisation")
    yield from _refs(entry, known, "datasets", "dataset")
    if "need_help" in data and data["need_help"] not in known.ids.get("service", set()):
        yield entry.problem(("need_help",), f"unknown service {data['need_help']!r}",
                            "use the id of a file in content/services/, or leave need_help out")
    for i, pid in enumerate(data.get("priorities", [])):
        if pid not in known.priorities:
            yield entry.problem(("priorities", i), f"unknown priority {pid!r}",
                                "use YEAR/id of a priority in content/priorities/")
    status, started = data["status"], data.get("started")
    if started and status["year"] < started["year"]:
        yield entry.problem(("status", "year"), f"{status['state']} in {status['year']} is before "
                            f"started {started['year']}", "check the years against the reports")


def _check_former_ids(entry: Entry, known: Known) -> Iterator[Problem]:
    """An id, current or former, belongs to one entry of a kind only: a former id that names a
    current entry (or one another entry already claims) would replace that entry's page and
    data files with a redirect. The problem names both files."""
    kind = KINDS[entry.kind]
    if kind.former_ids is None:
        return
    for i, former in enumerate(entry.data.get(kind.former_ids, [])):
        former = str(former)
        if former == entry.id:
            yield entry.problem((kind.former_ids, i), f"{former!r} is this entry's own {kind.id_field}",
                                f"remove it from {kind.former_ids}")
            continue
        if former in known.ids.get(kind.name, set()):
            other = f"content/{kind.folder}/{former}.yml"
            yield entry.problem((kind.former_ids, i), f"{former!r} is the {kind.id_field} of {other}, a current entry",
                                f"an old {kind.id_field} must not name a current one; remove it from {kind.former_ids}")
            continue
        owner = known.slug_owner.setdefault(f"{kind.name}:{former}", entry.path)
        if owner != entry.path:
            yield entry.problem((kind.former_ids, i), f"{former!r} is already a former {kind.id_field} of {owner}",
                                "an old address can redirect to one entry only; keep it in one file")


def _check_page_address(entry: Entry, known: Known) -> Iterator[Problem]:
    """An entry's page (and each former id's redirect) must not take the address of a kind's
    index page or of a hand-written page, e.g. a programme slug or dataset id 'index'."""
    kind = KINDS[entry.kind]
    if not own_page(kind.name) or kind.name == "service":
        return
    taken = {index_uri(k) for k in KINDS} | set(known.docs)
    olds = entry.data.get(kind.former_ids, []) if kind.former_ids else []
    for pointer, entry_id in [((kind.id_field,), entry.id)] + [((kind.former_ids, i), old)
                                                                for i, old in enumerate(olds)]:
        uri = page_uri(kind.name, str(entry_id))
        folder_page = uri.removesuffix(".md") + "/index.md"
        clash = uri if uri in taken else folder_page if folder_page in taken else None
        if clash:
            where = "the list of all entries" if clash in {index_uri(k) for k in KINDS} else f"docs/{clash}"
            yield entry.problem(pointer, f"{kind.id_field} {entry_id!r} would take the address of {where}",
                                f"choose another {kind.id_field}; 'index' and the names of pages are reserved")


def _check_service(entry: Entry, known: Known) -> Iterator[Problem]:
    yield from _refs(entry, known, "programmes", "programme")
    clash = help_address_clash(entry.id, known.docs)
    if clash:
        yield entry.problem(("id",), f"service id {entry.id!r} would clash with {clash}",
                            "choose another id (and rename the file to match)")


def _check_priorities(entry: Entry, known: Known) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for i, item in enumerate(entry.data["priorities"]):
        pid = item["id"]
        if pid in seen:
            yield entry.problem(("priorities", i, "id"), f"duplicate priority id {pid!r}",
                                f"priority {seen[pid] + 1} already uses it; choose another")
        seen.setdefault(pid, i)
        yield from _refs(entry, known, "programmes", "programme", ("priorities", i))


def _check_dataset(entry: Entry, known: Known) -> Iterator[Problem]:
    data = entry.data
    count = len(data["labels"])
    for i, series in enumerate(data["series"]):
        if len(series["values"]) != count:
            yield entry.problem(("series", i, "values"),
                                f"series {series['name']!r} has {len(series['values'])} values "
                                f"but there are {count} labels",
                                "give one value per label, using null where there is none")
    if len(data.get("label_sources", [])) not in (0, count):
        yield entry.problem(("label_sources",), f"label_sources has {len(data['label_sources'])} citations "
                            f"but there are {count} labels", "give one citation per label, in the same order")
    names = [series["name"] for series in data["series"]]
    for i, chart in enumerate(data.get("charts") or []):
        drawn = chart.get("series") or names
        for j, name in enumerate(chart.get("series") or []):
            if name not in names:
                yield entry.problem(("charts", i, "series", j), f"chart {i + 1} names series {name!r}, "
                                    "which this dataset does not have", "use one of: " + ", ".join(names))
        for j, label in enumerate(chart.get("labels") or []):
            if label not in data["labels"]:
                yield entry.problem(("charts", i, "labels", j), f"chart {i + 1} names label {label!r}, "
                                    "which this dataset does not have", "copy the label exactly from 'labels'")
        if chart["type"] == "pie":
            if len(drawn) != 1:
                yield entry.problem(("charts", i, "type"), f"a pie chart draws one series, not {len(drawn)}",
                                    "list one name under 'series', or use a bar chart")
            slices = len(chart.get("labels") or data["labels"])
            if slices > MAX_PIE_SLICES:
                yield entry.problem(("charts", i, "type"), f"a pie chart can show at most {MAX_PIE_SLICES} "
                                    f"slices, not {slices}", "use a bar or horizontal-bar chart")
    total = data.get("total")
    if total and not total.get("explanation") and len(data["series"]) == 1:
        summed = sum(v for v in data["series"][0]["values"] if v is not None)
        if summed != total["value"]:
            yield entry.problem(("total", "value"),
                                f"values add up to {summed:g}, but the stated total is {total['value']:g}",
                                "check the figures, or add total.explanation saying why they differ",
                                severity="warning")


CHECKS: dict[str, tuple[Callable[[Entry, Known], Iterator[Problem]], ...]] = {
    "programme": (_check_programme,),
    "service": (_check_service,),
    "priorities": (_check_priorities,),
    "dataset": (_check_dataset,),
}


def _check_readability(entry: Entry, known: Known) -> Iterator[Problem]:
    yield from readability.check_entry(entry)


def _check_claims(entry: Entry, known: Known) -> Iterator[Problem]:
    """Warnings where a sentence may say more than its source (see oscp.claims)."""
    yield from claims.check_entry(entry)


COMMON = (_check_citations, _check_review_dates, _check_markdown, _check_page_address, _check_former_ids,
          _check_placeholders, _check_readability, _check_claims)

