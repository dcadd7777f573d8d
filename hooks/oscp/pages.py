"""Which pages and files the content generates, and their Markdown sources.

Where each one is published is decided in :mod:`oscp.addresses`; this module renders the
templates in ``templates/`` for every page and file.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import charts
from .addresses import (
    FEED,
    HELP_SECTIONS,
    ROBOTS,
    URGENT_SERVICES,
    api_dataset_csv,
    dataset_csv,
    entry_url,
    index_uri,
    page_uri,
    redirects,
)
from .api import api_files
from .model import KINDS, Content, citations
from .render import TEMPLATES, make_environment
from .search import BOOSTS, with_boost

PARTNERSHIPS = {
    "oscp": "Oxford Safer Communities Partnership",
    "sop": "Safer Oxfordshire Partnership",
}


@dataclass(frozen=True)
class GeneratedPage:
    """One page made in memory: where it lives in the docs tree and its Markdown."""

    src_uri: str
    title: str
    markdown: str


@dataclass
class SiteIndex:
    """Lookups across content that pages need, computed once per build."""

    content: Content
    cited_by: dict[str, list[dict[str, str]]] = field(default_factory=lambda: defaultdict(list))
    programmes_for: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    priorities_for: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def entry(self, kind: str, entry_id: str) -> dict[str, Any]:
        return self.content.get(kind, entry_id)

    def source_name(self, source_id: str) -> str:
        return self.content.get("source", source_id)["title"]


def build_index(content: Content) -> SiteIndex:
    """Reverse links: who cites each source, which programmes touch each thing."""
    index = SiteIndex(content)

    def note(key: str, slug: str) -> None:
        if slug not in index.programmes_for[key]:
            index.programmes_for[key].append(slug)

    for slug, programme in content.of("programme").items():
        data = programme.data
        for sid in data.get("services", []):
            note(f"service:{sid}", slug)
        for oid in data.get("partners", []):
            note(f"organisation:{oid}", slug)
        for did in data.get("datasets", []):
            note(f"dataset:{did}", slug)
        for pid in data.get("priorities", []):
            note(f"priority:{pid}", slug)
    for sid, service in content.of("service").items():
        for slug in service.data.get("programmes", []):
            note(f"service:{sid}", slug)
    for year, entry in content.of("priorities").items():
        for priority in entry.data["priorities"]:
            for slug in priority.get("programmes", []):
                note(f"priority:{year}/{priority['id']}", slug)
    for key, slugs in index.programmes_for.items():
        if key.startswith("priority:"):
            for slug in slugs:
                index.priorities_for[slug].append(key.removeprefix("priority:"))
    _index_citations(content, index)
    return index


def _index_citations(content: Content, index: SiteIndex) -> None:
    titles = {
        "programme": lambda e: e.data["title"],
        "dataset": lambda e: e.data["title"],
        "priorities": lambda e: f"Priorities {e.id}",
        "service": lambda e: e.data["name"],
    }
    for kind, title_of in titles.items():
        for entry in content.of(kind).values():
            uri, title = page_uri(kind, entry.id), title_of(entry)
            seen = set()
            for _pointer, cite in citations(entry.data):
                key = (cite["source"], cite["at"])
                if key in seen:
                    continue
                seen.add(key)
                index.cited_by[cite["source"]].append({"uri": uri, "title": title, "at": cite["at"]})


def build_pages(content: Content, template_dir: Path = TEMPLATES,
                only: set[str] | None = None) -> list[GeneratedPage]:
    """Every generated page (or those whose docs-tree path is in ``only``), rendered from the
    templates in ``template_dir``."""
    index = build_index(content)
    env = make_environment(template_dir, {
        "site": index, "partnerships": PARTNERSHIPS, "chart_id": charts.chart_id,
        "chart_json": charts.figure_json, "chart_height": charts.height,
    })
    pages: list[GeneratedPage] = []

    def render(uri: str, template: str, title: str, boost: float = 1.0, **context: Any) -> None:
        if only is not None and uri not in only:
            return
        markdown = env.get_template(template).render(page_uri=uri, title=title, **context)
        pages.append(GeneratedPage(uri, title, with_boost(markdown, boost)))

    programmes = sorted(content.data("programme"), key=lambda p: p["title"].lower())
    render(index_uri("programme"), "programmes.md", "Programmes", BOOSTS["listing"], programmes=programmes)
    for programme in programmes:
        render(page_uri("programme", programme["slug"]), "programme.md", programme["title"],
               programme.get("search_boost", BOOSTS["programme"]), p=programme)

    years = sorted(content.data("priorities"), key=lambda y: y["year"], reverse=True)
    render(index_uri("priorities"), "priorities.md", "Partnership priorities", BOOSTS["listing"], years=years,
           themes=theme_matrix(years))
    for year in years:
        render(page_uri("priorities", year["year"]), "priorities-year.md",
               f"Priorities for {year['year']}", BOOSTS["priorities"], y=year)

    services = sorted(content.data("service"), key=lambda s: (not s["emergency"], s["name"].lower()))
    urgent, groups = help_hub(services)
    render(index_uri("service"), "get-help.md", "Get help", BOOSTS["hub"], urgent=urgent, groups=groups)
    for service in services:
        render(page_uri("service", service["id"]), "service.md", service["name"],
               service.get("search_boost", BOOSTS["service"]), s=service)

    datasets = sorted(content.data("dataset"), key=lambda d: d["title"].lower())
    render(index_uri("dataset"), "data.md", "Data", BOOSTS["listing"], datasets=datasets)
    for dataset in datasets:
        render(page_uri("dataset", dataset["id"]), "dataset.md", dataset["title"], BOOSTS["dataset"],
               d=dataset)

    sources = sorted(content.data("source"), key=lambda s: s.get("date") or s["published"],
                     reverse=True)
    render(index_uri("source"), "sources.md", "Sources", BOOSTS["listing"], sources=sources)
    organisations = sorted(content.data("organisation"), key=lambda o: o["name"].lower())
    render(index_uri("organisation"), "partners.md", "Partners", BOOSTS["listing"], organisations=organisations)
    return pages


def help_hub(services: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[tuple[str, str, list[Any]]]]:
    """The Get help page's parts: the urgent lines first (999, then 101), then one group per
    situation in HELP_SECTIONS order (most urgent first), each listing every other service
    that names the situation (or "Other help" for those that name none). Within a group the
    main line comes first (by ``help_order``), then those you can phone, then the rest, by
    name. A service listed in several groups is shown in each; the first time it appears,
    its card carries its old anchor (/get-help/#<id>). Each group's entries are
    (service, has_anchor) pairs."""
    by_id = {s["id"]: s for s in services}
    urgent = [by_id[i] for i in URGENT_SERVICES if i in by_id]
    urgent += [s for s in services if s["emergency"] and s not in urgent]
    rest = [s for s in services if s not in urgent]

    def rank(s: dict[str, Any]) -> tuple[int, bool, bool, str]:
        return (s.get("help_order", 100), not s.get("phone"), not (s.get("web") or s.get("text")),
                s["name"].lower())

    groups: list[tuple[str, str, list[Any]]] = []
    anchored: set[str] = set()
    for section, heading in HELP_SECTIONS.items():
        members = sorted((s for s in rest if section in (s.get("situations") or ["other-help"])), key=rank)
        if members:
            entries = [(s, s["id"] not in anchored) for s in members]
            anchored.update(s["id"] for s in members)
            groups.append((section, heading, entries))
    return urgent, groups


def theme_matrix(years: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each theme with, per year (oldest first), the priorities that carry it; most recurrent first."""
    order = sorted(y["year"] for y in years)
    themes: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for year in years:
        for item in year["priorities"]:
            for theme in item.get("themes", []):
                themes[theme][year["year"]].append(item)
    rows = [{"theme": theme, "label": theme.replace("-", " ").capitalize(),
             "years": [(y, by_year.get(y, [])) for y in order], "count": len(by_year)}
            for theme, by_year in themes.items()]
    return sorted(rows, key=lambda r: (-r["count"], r["theme"]))


def data_files(content: Content, template_dir: Path, site_url: str) -> dict[str, str]:
    """Every non-page file made from content, keyed by its path in the site: dataset CSVs,
    the open-data API, the Atom feed, robots.txt and redirects from former ids."""
    env = make_environment(template_dir, {"site_url": site_url})
    files = {dataset_csv(d["id"]): charts.csv_text(d) for d in content.data("dataset")}
    files.update(api_files(content, site_url))
    for d in content.data("dataset"):  # a renamed dataset's downloads stay at their old addresses too
        for old in d.get("former_ids", []):
            files[dataset_csv(old)] = files[api_dataset_csv(old)] = files[dataset_csv(d["id"])]
    files[FEED] = env.get_template("feed.xml").render(page_uri=FEED, **feed(content, site_url))
    files[ROBOTS] = env.get_template("robots.txt").render(page_uri=ROBOTS)
    for page_file, (target, kind, entry_id) in redirects(content).items():
        entry = content.of(kind)[entry_id]
        files[page_file] = env.get_template("redirect.html").render(
            page_uri=page_file, target=target, title=entry.data[KINDS[kind].title_field],
            canonical=entry_url(site_url, kind, entry_id))
    return files


def generate(content: Content, template_dir: Path = TEMPLATES,
             site_url: str = "/") -> tuple[list[GeneratedPage], dict[str, str]]:
    """Everything a build makes from content: the pages, and the other files."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    return build_pages(content, template_dir), data_files(content, template_dir, base)


def feed(content: Content, site_url: str) -> dict[str, Any]:
    """Atom feed entries: programme pages and priorities years, dated from the content."""
    entries = [{"title": p["title"], "url": entry_url(site_url, "programme", p["slug"]),
                "updated": p["last_reviewed"], "summary": p["summary"]} for p in content.data("programme")]
    entries += [{"title": f"Priorities for {y['year']}", "url": entry_url(site_url, "priorities", y["year"]),
                 "updated": y["last_reviewed"],
                 "summary": f"The {PARTNERSHIPS[y['partnership']]}'s priorities for {y['year']}."}
                for y in content.data("priorities")]
    entries.sort(key=lambda e: (e["updated"], e["title"]), reverse=True)
    return {"entries": entries, "updated": max((e["updated"] for e in entries), default="1970-01-01")}


#: Kinds whose pages are listed in the navigation. Programmes and datasets are not:
#: material draws the whole active section into every page, so a section that grows with
#: the content would make build time grow with the square of the page count. Their index
#: pages list them instead. Priorities grow by one page a year.
NAV_KINDS = ("priorities",)


def nav_sections(pages: list[GeneratedPage]) -> dict[str, list[tuple[str, str]]]:
    """Children of each generated section index in NAV_KINDS, e.g. priorities/index.md -> its years."""
    indexes = {posixpath.dirname(index_uri(kind)): index_uri(kind) for kind in NAV_KINDS}
    sections: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for page in pages:
        folder = posixpath.dirname(page.src_uri)
        if folder in indexes and page.src_uri != indexes[folder]:
            sections[indexes[folder]].append((page.title, page.src_uri))
    return dict(sections)


def expand_nav(nav: list[Any] | None, sections: dict[str, list[tuple[str, str]]]) -> list[Any] | None:
    """Replace each ``Title: folder/index.md`` nav item by a section with its pages."""
    if nav is None:
        return None
    expanded: list[Any] = []
    for item in nav:
        if isinstance(item, dict) and len(item) == 1:
            (title, target), = item.items()
            if isinstance(target, str) and target in sections:
                children = [target] + [{t: uri} for t, uri in sections[target]]
                expanded.append({title: children})
                continue
        expanded.append(item)
    return expanded
